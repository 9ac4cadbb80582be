"""Commands: /start (with the recruiter deep link), /help, /cancel, /bind."""

from __future__ import annotations

from telegram import Update

from botapp import flows
from botapp.db import run_sync
from botapp.handlers.common import Context, command, render

BIND_DEEP_LINK_PREFIX = "bind-"


async def on_start(update: Update, context: Context) -> None:
    """/start: the current step; /start CODE applies to a vacancy; /start bind-CODE binds a recruiter's chat."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    payload = context.args[0] if context.args else ""
    if payload.startswith(BIND_DEEP_LINK_PREFIX):
        result = await run_sync(flows.bind, chat_id=chat.id, code=payload[len(BIND_DEEP_LINK_PREFIX) :])
    else:
        result = await run_sync(flows.start, telegram_id=user.id, username=user.username or "", code=payload)
    await render(update, context, result)


async def on_cancel(update: Update, context: Context) -> None:
    """/cancel: stop the current input, or offer to cancel the live booking."""
    await command(update, context, flows.cancel_command)


async def on_bind(update: Update, context: Context) -> None:
    """/bind CODE: bind this chat to the recruiter who got the code in the admin."""
    if update.effective_chat is None:
        return
    code = context.args[0] if context.args else ""
    result = await run_sync(flows.bind, chat_id=update.effective_chat.id, code=code)
    await render(update, context, result)
