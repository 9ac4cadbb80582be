"""Shared handler plumbing: turning an Outcome into Bot API calls, and answering every press."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from telegram import Update
from telegram.error import BadRequest, TelegramError
from telegram.ext import ContextTypes

from botapp.db import run_sync
from botapp.views import Outcome, Press, Reply
from notifications.conversation import callbacks, texts

logger = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE


def _markup(reply: Reply) -> dict[str, Any]:
    """The keyboard as Bot API keyword arguments.

    Our keyboards are built as the Bot API's JSON already (the outbox stores them that way), so
    they go out as they are: turning them into InlineKeyboardMarkup objects only for PTB to
    turn them back into JSON was a tenth of the bot's CPU per press (bench/bot.py).
    """
    return {"reply_markup": reply.markup} if reply.markup else {}


def press_of(update: Update) -> Press:
    """The parsed press of a callback update."""
    query = update.callback_query
    assert query is not None
    return Press(
        callback_id=query.id,
        telegram_id=query.from_user.id,
        data=query.data or "",
        username=query.from_user.username or "",
    )


def decoded(update: Update) -> callbacks.Callback | None:
    """The press's callback data parsed, or None when it is not ours."""
    query = update.callback_query
    try:
        return callbacks.decode(query.data if query else None)
    except callbacks.MalformedCallback:
        return None


async def render(update: Update, context: Context, result: Outcome) -> None:
    """Answer the press (always) and edit the pressed message, then send new messages."""
    query = update.callback_query
    chat = update.effective_chat
    if query is not None:
        # The toast and the edit are independent: send both at once, the reply arrives a round trip sooner.
        steps = [answer_quietly(update, result.answer)]
        if query.message is not None and (result.edit is not None or result.drop_keyboard):
            steps.append(_edit(update, context, result))
        if chat is not None:
            pressed = query.message.message_id if query.message is not None else None
            steps += [_drop_keyboard(context, chat.id, m) for m in result.drop_keyboards_of if m != pressed]
        await asyncio.gather(*steps)
    if chat is None:
        return
    for reply in result.send:
        await context.bot.send_message(chat_id=chat.id, text=reply.text, api_kwargs=_markup(reply))


async def _edit(update: Update, context: Context, result: Outcome) -> None:
    query = update.callback_query
    assert query is not None
    try:
        if result.edit is not None:
            await query.edit_message_text(text=result.edit.text, api_kwargs=_markup(result.edit))
        else:
            await query.edit_message_reply_markup(reply_markup=None)
    except BadRequest as exc:
        if "not modified" in exc.message.lower():
            return  # «Обновить» with nothing new: the message is already right
        logger.warning("could not edit message for callback %s: %s", query.id, exc.message)
        if result.edit is not None and update.effective_chat is not None:
            await context.bot.send_message(
                chat_id=update.effective_chat.id, text=result.edit.text, api_kwargs=_markup(result.edit)
            )


async def _drop_keyboard(context: Context, chat_id: int, message_id: int) -> None:
    try:
        await context.bot.edit_message_reply_markup(chat_id=chat_id, message_id=message_id, reply_markup=None)
    except TelegramError as exc:
        # Already without buttons, deleted by the user, or a flood limit: the action itself already happened,
        # and an old message keeping its buttons is harmless (its presses answer with the current state).
        logger.info("could not remove the keyboard of message %s: %s", message_id, exc.message)


async def answer_quietly(update: Update, text: str | None = None) -> None:
    """Answer a callback query; an expired query is logged, not raised (the action already happened)."""
    query = update.callback_query
    if query is None:
        return
    try:
        await query.answer(text=text)
    except TelegramError as exc:
        logger.warning("could not answer callback %s: %s", query.id, exc)


async def press(update: Update, context: Context, flow: Callable[..., Outcome], **kwargs: Any) -> None:
    """Run one press flow through the bridge and render it; on failure still answer the press."""
    try:
        result = await run_sync(flow, press_of(update), **kwargs)
    except Exception:
        await answer_quietly(update, texts.TRY_AGAIN_LATER)
        raise
    await render(update, context, result)


async def malformed(update: Update, context: Context) -> None:
    """Answer and log a press whose data we did not build (forged, truncated, old version)."""
    query = update.callback_query
    if query is None:
        return
    logger.warning("malformed callback data %r from user %s", (query.data or "")[:80], query.from_user.id)
    await answer_quietly(update, texts.UNKNOWN_BUTTON)


async def command(update: Update, context: Context, flow: Callable[..., Outcome]) -> None:
    """Run a command flow for the user who sent it and render its reply."""
    if update.effective_user is None:
        return
    await render(update, context, await run_sync(flow, telegram_id=update.effective_user.id))
