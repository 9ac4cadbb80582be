"""The only Telegram HTTP client for outgoing messages: a PTB Bot used from synchronous code.

Each thread of each process gets one event loop and one Bot (with one httpx connection pool),
created on first use and reused for every send, so nothing is leaked per call and the coroutine
never runs inside someone else's loop. A django-q2 worker process has one such pair; after a
fork the child builds its own (the key includes the pid). When the token or base URL setting
changes (tests point it at a fresh fake server), the old client is shut down and replaced.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

# Opt in to PTB's timedelta durations now: the int form warns (RetryAfter.retry_after) and we run
# with warnings as errors in tests.
os.environ.setdefault("PTB_TIMEDELTA", "true")

from django.conf import settings
from telegram import Bot, InlineKeyboardMarkup
from telegram.error import TelegramError, TimedOut
from telegram.request import HTTPXRequest

logger = logging.getLogger(__name__)

DEFAULT_SEND_TIMEOUT_SECONDS = 10.0
T = TypeVar("T")


def send_timeout() -> float:
    """Seconds one sendMessage may take end to end before it counts as timed out."""
    return float(getattr(settings, "DELIVERY_SEND_TIMEOUT_SECONDS", DEFAULT_SEND_TIMEOUT_SECONDS))


class _Client:
    """One event loop and one Bot with its connection pool, owned by one thread."""

    def __init__(self, key: tuple[int, str, str]) -> None:
        self.key = key
        _, token, base_url = key
        self.loop = asyncio.new_event_loop()
        self.request = HTTPXRequest(connection_pool_size=4)
        self.bot = Bot(token=token, base_url=base_url, request=self.request)
        self.warmed = False

    def run(self, coro: Coroutine[Any, Any, Any]) -> Any:
        return self.loop.run_until_complete(coro)

    def close(self) -> None:
        try:
            self.run(self.request.shutdown())
        finally:
            self.loop.close()


_local = threading.local()


def _client() -> _Client:
    key = (os.getpid(), settings.TELEGRAM_BOT_TOKEN, settings.TELEGRAM_API_BASE_URL)
    client: _Client | None = getattr(_local, "client", None)
    if client is not None and client.key == key:
        return client
    if client is not None and client.key[0] == key[0]:
        close()
    client = _Client(key)
    _local.client = client
    return client


def close() -> None:
    """Shut down this thread's client (its connection pool and event loop)."""
    client: _Client | None = getattr(_local, "client", None)
    _local.client = None
    if client is not None and client.key[0] == os.getpid():
        try:
            client.close()
        except Exception:
            logger.exception("closing the Telegram client failed")


def _bounded(method: str, call: Callable[[Bot, dict[str, float]], Awaitable[T]]) -> T:
    """Run one Bot API call within send_timeout(), end to end; a slower one raises TimedOut."""
    client = _client()
    timeout = send_timeout()
    timeouts = {"read_timeout": timeout, "write_timeout": timeout, "connect_timeout": timeout, "pool_timeout": timeout}

    async def _call() -> T:
        return await asyncio.wait_for(call(client.bot, timeouts), timeout=timeout)

    try:
        return client.run(_call())
    except TimeoutError as exc:
        raise TimedOut(f"{method} took longer than {timeout}s") from exc


def warm_up() -> None:
    """Build this thread's client and open its connection (PTB's ``Bot.initialize``, one getMe) if not done yet.

    Called before a send takes its pacing moment: a send must leave at that moment, and a fresh worker's first
    send spent 0.5-1.4 s building the client and connecting (bench/fanout.py beside a busy core), so it arrived
    in a later second on top of that second's own sends: a 429. Tried once per client; a failure is left to the
    send that follows, whose error handling reports it.
    """
    client = _client()
    if client.warmed:
        return
    client.warmed = True
    try:
        _bounded("getMe", lambda bot, _timeouts: bot.initialize())
    except TelegramError as exc:
        logger.warning("warming up the Telegram client failed, the send will connect itself: %s", exc)


def send_message(*, chat_id: int, text: str, reply_markup: dict[str, Any] | None = None) -> int:
    """Send one text message (inline keyboard as a Bot API dict); returns Telegram's message id.

    Raises telegram.error.TelegramError subclasses; a send that takes longer than
    send_timeout() raises TimedOut even if Telegram accepted it meanwhile.
    """

    async def _send(bot: Bot, timeouts: dict[str, float]) -> int:
        markup = InlineKeyboardMarkup.de_json(reply_markup, bot) if reply_markup else None
        message = await bot.send_message(chat_id=chat_id, text=text, reply_markup=markup, **timeouts)
        return message.message_id

    return _bounded("sendMessage", _send)


def remove_keyboard(*, chat_id: int, message_id: int) -> None:
    """Take the inline keyboard off one of the bot's messages (editMessageReplyMarkup without a markup).

    Raises telegram.error.TelegramError subclasses, e.g. BadRequest "message is not modified" when
    it has none any more; bounded by send_timeout() like a send.
    """

    async def _edit(bot: Bot, timeouts: dict[str, float]) -> None:
        await bot.edit_message_reply_markup(chat_id=chat_id, message_id=message_id, reply_markup=None, **timeouts)

    _bounded("editMessageReplyMarkup", _edit)


def edit_message_text(*, chat_id: int, message_id: int, text: str) -> None:
    """Replace the text of one of the bot's messages and drop its buttons (editMessageText without a markup).

    Raises telegram.error.TelegramError subclasses; bounded by send_timeout() like a send.
    """

    async def _edit(bot: Bot, timeouts: dict[str, float]) -> None:
        await bot.edit_message_text(chat_id=chat_id, message_id=message_id, text=text, **timeouts)

    _bounded("editMessageText", _edit)
