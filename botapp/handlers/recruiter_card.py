"""The buttons of the recruiter's decision card: «Согласовать», «Другое время», «Отказать», its reasons, «Назад»."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update

from botapp.flows import recruiter_card
from botapp.handlers.common import Context, decoded, malformed, press
from botapp.views import Outcome
from notifications.conversation import callbacks, texts


def _where(update: Update) -> dict[str, Any]:
    # Who may act is decided by the chat the card is in, not by who pressed.
    query = update.callback_query
    chat = update.effective_chat
    message = query.message if query is not None else None
    return {
        "chat_id": chat.id if chat is not None else None,
        "message_id": message.message_id if message is not None else None,
    }


def _card_press(flow: Callable[..., Outcome], doc: str) -> Callable[[Update, Context], Awaitable[None]]:
    """A handler for a card button whose data is the request's reservation id."""

    async def handler(update: Update, context: Context) -> None:
        callback = decoded(update)
        reservation_id = callback.reservation_id if callback else None
        if reservation_id is None:
            await malformed(update, context)
            return
        await press(update, context, flow, reservation_id=reservation_id, **_where(update))

    handler.__doc__ = doc
    return handler


on_approve = _card_press(recruiter_card.card_approve_pressed, "«Согласовать» on the card.")
on_other_time = _card_press(recruiter_card.card_other_time_pressed, "«Другое время» on the card.")
on_reject = _card_press(recruiter_card.card_reject_pressed, "«Отказать» on the card: asks the reason.")
on_back = _card_press(recruiter_card.card_back_pressed, "«Назад» from the reasons to the card.")


async def on_reject_reason(update: Update, context: Context) -> None:
    """A reason (or «Без причины») under «Отказать»: "<reservation id>.<reason code or ->"."""
    callback = decoded(update)
    parts = callback.split_arg() if callback else None
    reservation_id = callbacks.Callback(callback.action, parts[0]).reservation_id if callback and parts else None
    code = parts[1] if parts else ""
    if reservation_id is None or (code != "-" and code not in texts.REJECT_REASONS):
        await malformed(update, context)
        return
    reason = texts.REJECT_REASONS.get(code, "")
    await press(
        update,
        context,
        recruiter_card.card_reject_reason_pressed,
        reservation_id=reservation_id,
        reason=reason,
        **_where(update),
    )
