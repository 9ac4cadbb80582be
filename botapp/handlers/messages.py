"""Plain messages: answers to Тест 1, a preferred time, or anything else (shows the current step)."""

from __future__ import annotations

from telegram import Update

from botapp import flows
from botapp.db import run_sync
from botapp.handlers.common import Context, render


async def on_message(update: Update, context: Context) -> None:
    """Any non-command message in a private chat."""
    user, message = update.effective_user, update.effective_message
    if user is None or message is None:
        return
    result = await run_sync(
        flows.text_received,
        telegram_id=user.id,
        message_id=message.message_id,
        text=message.text,
        username=user.username or "",
    )
    await render(update, context, result)
