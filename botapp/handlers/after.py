"""After the interview: the recruiter's result buttons, /test2 and its buttons, «Приду» / «Не смогу»."""

from __future__ import annotations

import uuid

from telegram import Update

from botapp.flows import after as flows
from botapp.handlers.common import Context, command, decoded, press
from scheduling.models import SlotOutcome


async def _result(update: Update, context: Context, outcome: str) -> None:
    callback = decoded(update)
    chat = update.effective_chat
    await press(
        update,
        context,
        flows.result_pressed,
        # Who may answer is decided by the chat the question is in, not by who pressed.
        chat_id=chat.id if chat is not None else None,
        reservation_id=callback.reservation_id if callback else None,
        outcome=outcome,
    )


async def on_passed(update: Update, context: Context) -> None:
    """«Прошёл собеседование»."""
    await _result(update, context, SlotOutcome.PASSED)


async def on_failed(update: Update, context: Context) -> None:
    """«Не прошёл»."""
    await _result(update, context, SlotOutcome.FAILED)


async def on_test2(update: Update, context: Context) -> None:
    """/test2: resume an invited candidate's Тест 2."""
    await command(update, context, flows.test2_command)


async def on_test2_start(update: Update, context: Context) -> None:
    """«Начать Тест 2»."""
    callback = decoded(update)
    await press(update, context, flows.test2_start_pressed, key=callback.reservation_id if callback else None)


async def on_test2_answer(update: Update, context: Context) -> None:
    """An option of a Тест 2 question: "<attempt key>.<number>.<code>"."""
    callback = decoded(update)
    key_hex, number, code = (callback.arg.split(".") + ["", "", ""])[:3] if callback else ("", "", "")
    try:
        key = uuid.UUID(hex=key_hex)
    except ValueError:
        key = None
    await press(
        update,
        context,
        flows.test2_answer_pressed,
        key=key,
        number=int(number) if number.isdigit() and len(number) < 4 else None,
        code=code,
    )


async def on_intro_confirm(update: Update, context: Context) -> None:
    """«Приду»."""
    callback = decoded(update)
    await press(
        update, context, flows.intro_confirm_pressed, reservation_id=callback.reservation_id if callback else None
    )


async def on_intro_decline(update: Update, context: Context) -> None:
    """«Не смогу» under the intro-day invitation."""
    callback = decoded(update)
    await press(
        update, context, flows.intro_decline_pressed, reservation_id=callback.reservation_id if callback else None
    )
