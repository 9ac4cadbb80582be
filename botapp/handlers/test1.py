"""Option buttons of Тест 1 (typed answers arrive as plain messages)."""

from __future__ import annotations

from telegram import Update

from botapp import flows
from botapp.handlers.common import Context, decoded, malformed, press


async def on_answer(update: Update, context: Context) -> None:
    """An option button: «<question key>.<option code>»."""
    callback = decoded(update)
    parts = callback.split_arg() if callback else None
    if parts is None:
        await malformed(update, context)
        return
    key, code = parts
    await press(update, context, flows.answer_pressed, key=key, code=code)
