"""/delete_my_data and «Удалить мои данные», «Да, удалить», «Нет, оставить» (issue 7)."""

from __future__ import annotations

from telegram import Update

from botapp import flows
from botapp.handlers.common import Context, command, decoded, malformed, press
from notifications.conversation.callbacks import ErasureStep

PRESS_FLOWS = {
    ErasureStep.ASK: flows.delete_my_data_pressed,
    ErasureStep.YES: flows.erase_yes_pressed,
    ErasureStep.NO: flows.erase_no_pressed,
}


async def on_delete_my_data(update: Update, context: Context) -> None:
    """/delete_my_data: ask for confirmation (and say which booking would be canceled)."""
    await command(update, context, flows.delete_my_data)


async def on_privacy(update: Update, context: Context) -> None:
    """«Удалить мои данные», «Да, удалить», «Нет, оставить»."""
    callback = decoded(update)
    step = callback.erasure_step if callback else None
    if step is None:
        await malformed(update, context)
        return
    await press(update, context, PRESS_FLOWS[step])
