"""Drive a fake Bot API with a real python-telegram-bot ``Bot``: the client the product itself uses."""

from __future__ import annotations

import asyncio
import warnings
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import RetryAfter

from ops.fake_telegram import FakeTelegramAPI

USER_ID = 777
T = TypeVar("T")


def run(coro_factory: Callable[[Bot], Awaitable[T]], fake: FakeTelegramAPI, **bot_kwargs: Any) -> T:
    """Run ``coro_factory(bot)`` with an initialised PTB bot talking to ``fake``."""

    async def main() -> T:
        async with Bot(fake.token, base_url=fake.base_url, **bot_kwargs) as bot:
            return await coro_factory(bot)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PTB's RetryAfter int/timedelta deprecation warning
        return asyncio.run(main())


def keyboard(*pairs: tuple[str, str]) -> InlineKeyboardMarkup:
    """One-row inline keyboard from (text, callback_data) pairs."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(text, callback_data=data) for text, data in pairs]])


def retry_seconds(exc: RetryAfter) -> float:
    """``RetryAfter.retry_after`` as seconds whatever PTB_TIMEDELTA says."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = exc.retry_after
    return value if isinstance(value, int | float) else value.total_seconds()
