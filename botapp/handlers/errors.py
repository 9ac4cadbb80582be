"""The one error handler and the catch-all for button data we did not build."""

from __future__ import annotations

import logging

from telegram import Update

from botapp.handlers.common import Context, malformed

logger = logging.getLogger(__name__)


async def on_error(update: object, context: Context) -> None:
    """Log any exception a handler raised, with its traceback (PTB would otherwise only warn)."""
    update_id = update.update_id if isinstance(update, Update) else None
    logger.error("error while handling update %s", update_id, exc_info=context.error)


async def on_unknown_callback(update: Update, context: Context) -> None:
    """A press whose data matches no action: answered and logged, nothing changes."""
    await malformed(update, context)
