"""Root pytest fixtures shared by every app's tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.fakes.telegram_api import FakeTelegramAPI


@pytest.fixture
def telegram_api(settings: object) -> Iterator[FakeTelegramAPI]:
    """A fake Bot API over real HTTP on 127.0.0.1; the project's Telegram settings point at it."""
    from tests.fakes.telegram_api import FakeTelegramAPI

    fake = FakeTelegramAPI(token="123456:TEST-TOKEN").start()
    settings.TELEGRAM_BOT_TOKEN = fake.token  # type: ignore[attr-defined]
    settings.TELEGRAM_API_BASE_URL = fake.base_url  # type: ignore[attr-defined]
    try:
        yield fake
    finally:
        fake.stop()
