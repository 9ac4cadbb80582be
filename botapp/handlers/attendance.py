"""«Пришёл» / «Не пришёл» under the recruiter's «Кандидат пришёл?»."""

from __future__ import annotations

from telegram import Update

from botapp.flows.attendance import attendance_pressed
from botapp.handlers.common import Context, decoded, press
from scheduling.models import SlotOutcome


async def _answer(update: Update, context: Context, outcome: str) -> None:
    callback = decoded(update)
    chat = update.effective_chat
    await press(
        update,
        context,
        attendance_pressed,
        # Who may answer is decided by the chat the question is in, not by who pressed.
        chat_id=chat.id if chat is not None else None,
        reservation_id=callback.reservation_id if callback else None,
        outcome=outcome,
    )


async def on_attended(update: Update, context: Context) -> None:
    """«Пришёл»."""
    await _answer(update, context, SlotOutcome.ATTENDED)


async def on_no_show(update: Update, context: Context) -> None:
    """«Не пришёл»."""
    await _answer(update, context, SlotOutcome.NO_SHOW)
