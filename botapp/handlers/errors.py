"""The one error handler and the catch-all for button data we did not build."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.error import TelegramError

from botapp.handlers.common import Context, malformed
from notifications.conversation import texts

logger = logging.getLogger(__name__)


async def on_error(update: object, context: Context) -> None:
    """Log any exception a handler raised, with its traceback, and never leave the candidate unanswered.

    A failed press was already answered with a retry hint (common.press); a failed message or
    command gets the same hint as a message, best effort (Telegram itself may be what failed).
    """
    update_id = update.update_id if isinstance(update, Update) else None
    logger.error("error while handling update %s", update_id, exc_info=context.error)
    if not isinstance(update, Update) or update.message is None or update.effective_chat is None:
        return
    if update.effective_chat.type != ChatType.PRIVATE:
        return
    try:
        await context.bot.send_message(chat_id=update.effective_chat.id, text=texts.TRY_AGAIN_LATER)
    except TelegramError as exc:
        logger.warning("could not tell chat %s to try again: %s", update.effective_chat.id, exc)


async def on_unknown_callback(update: Update, context: Context) -> None:
    """A press whose data matches no action: answered and logged, nothing changes."""
    await malformed(update, context)
