"""The recruiter's intro-day invitation: its buttons (keyed by the Тест 2 attempt) and the typed answers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from botapp.db import run_sync
from botapp.flows import intro_invite
from botapp.handlers.common import Context, decoded, malformed, press, render
from botapp.views import Outcome


def _press(flow: Callable[..., Outcome], doc: str) -> Callable[[Update, Context], Awaitable[None]]:
    """A handler for a button whose data is the attempt key; who may act is decided by the chat."""

    async def handler(update: Update, context: Context) -> None:
        callback = decoded(update)
        attempt_key = callback.reservation_id if callback else None
        if attempt_key is None:
            await malformed(update, context)
            return
        chat = update.effective_chat
        await press(update, context, flow, attempt_key=attempt_key, chat_id=chat.id if chat else None)

    handler.__doc__ = doc
    return handler


on_invite = _press(intro_invite.invite_pressed, "«Пригласить на ознакомительный день» under the Тест 2 result.")
on_place = _press(intro_invite.place_pressed, "The recruiter's meeting place as the address.")
on_me = _press(intro_invite.me_pressed, "«Я» as the contact person.")
on_no_note = _press(intro_invite.no_note_pressed, "«Без примечания».")
on_send = _press(intro_invite.send_pressed, "«Отправить приглашение».")
on_cancel = _press(intro_invite.cancel_pressed, "«Отмена».")


async def on_text(update: Update, context: Context) -> None:
    """A typed message: an answer when this chat's recruiter has an invitation under way, else left to the rest."""
    chat, message = update.effective_chat, update.effective_message
    if chat is None or message is None:
        return
    result = await run_sync(intro_invite.text_received, chat_id=chat.id, text=message.text)
    if result is None:
        return
    await render(update, context, result)
    # Answered: the candidate-side message handler (group 0) must not also read it.
    raise ApplicationHandlerStop
