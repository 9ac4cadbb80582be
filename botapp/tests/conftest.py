"""Bot test fixtures: the real PTB application against the fake Bot API, and a small world of slots."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
import pytest_asyncio
from asgiref.sync import sync_to_async
from django.db import connections
from django.utils import timezone
from telegram import Update
from telegram.ext import Application

from botapp.application import build_application
from ops.fake_telegram import FakeTelegramAPI
from scheduling.models import City, Recruiter, Slot
from scheduling.tests.factories import CityFactory, RecruiterFactory, SlotFactory
from tests.ops.journey import WORKER_PATH

RECRUITER_CHAT_ID = 990_001


def db(func: Any) -> Any:
    """Run ORM code from an async test in a worker thread, closing that thread's connection after.

    A connection left open in a long-lived thread would keep the test database from being dropped.
    """

    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        finally:
            connections.close_all()

    return sync_to_async(call, thread_sensitive=False)


@dataclass
class World:
    city: City
    recruiter: Recruiter
    slots: list[Slot]


@pytest.fixture
def world(transactional_db: None) -> World:
    """Moscow with one recruiter (chat bound) and five free slots over the next days."""
    city = CityFactory(name="Москва", tz="Europe/Moscow")
    recruiter = RecruiterFactory(name="Анна Смирнова", cities=[city], telegram_chat_id=RECRUITER_CHAT_ID)
    base = timezone.now().replace(minute=0, second=0, microsecond=0) + dt.timedelta(days=2)
    slots = [
        SlotFactory(recruiter=recruiter, city=city, starts_at=base.replace(hour=7) + dt.timedelta(days=i))
        for i in range(5)
    ]
    return World(city=city, recruiter=recruiter, slots=slots)


class BotDriver:
    """Feeds updates to the application the way Telegram would and reads the fake's chat."""

    def __init__(self, fake: FakeTelegramAPI, app: Application, caplog: pytest.LogCaptureFixture) -> None:
        self.fake = fake
        self.app = app
        self.caplog = caplog
        self.presses = 0

    async def feed(self, payload: dict[str, Any]) -> None:
        """Process one update and fail if any handler raised."""
        await self.app.process_update(Update.de_json(payload, self.app.bot))
        errors = [r for r in self.caplog.records if r.name == "botapp.handlers.errors"]
        assert not errors, errors[0].exc_info

    async def send(self, user_id: int, text: str, username: str | None = None) -> None:
        """The user types a message."""
        await self.feed(self.fake.make_message_update(user_id, text, username=username))

    def buttons(self, user_id: int, message: dict[str, Any] | None = None) -> list[tuple[str, str]]:
        """(text, callback_data) of the buttons of a message (default: the chat's last one)."""
        message = message or self.fake.last_message(user_id) or {}
        rows = message.get("reply_markup", {}).get("inline_keyboard", [])
        return [(b["text"], b.get("callback_data", "")) for row in rows for b in row]

    def find_button(self, user_id: int, contains: str) -> tuple[int, str]:
        """(message_id, callback_data) of the newest bot message's button whose text contains `contains`."""
        for message in reversed(self.fake.chat(user_id)):
            for text, data in self.buttons(user_id, message):
                if contains in text:
                    return message["message_id"], data
        raise AssertionError(f"no button {contains!r}; transcript:\n{self.fake.transcript(user_id)}")

    async def tap(self, user_id: int, contains: str) -> int:
        """The user taps the newest button whose text contains `contains`; returns the message id."""
        message_id, data = self.find_button(user_id, contains)
        await self.press(user_id, data, message_id=message_id)
        return message_id

    def message(self, user_id: int, message_id: int) -> dict[str, Any]:
        """A bot message in its current state."""
        return next(m for m in self.fake.chat(user_id) if m["message_id"] == message_id)

    async def press(self, user_id: int, data: str, *, message_id: int | None = None) -> dict[str, Any]:
        """A callback with arbitrary data on a bot message; returns the update."""
        update = self.fake.make_callback_update(user_id, data, message_id=message_id)
        self.presses += 1
        await self.feed(update)
        return update

    def last_text(self, user_id: int) -> str:
        """The text of the chat's newest bot message."""
        message = self.fake.last_message(user_id)
        return message.get("text", "") if message else ""

    def texts(self, user_id: int) -> list[str]:
        """Texts of all bot messages in the chat, in order (current state after edits)."""
        return [m.get("text", "") for m in self.fake.chat(user_id)]

    async def answer_test1(self, user_id: int, answers: list[tuple[str, str]]) -> None:
        """Give the answers in order: typed text or a tap on the option containing the text."""
        for kind, value in answers:
            if kind == "text":
                await self.send(user_id, value)
            else:
                await self.tap(user_id, value)

    async def consent_and_pass(self, user_id: int, answers: list[tuple[str, str]] | None = None) -> None:
        """/start → «Согласен» → Тест 1 to the end."""
        await self.send(user_id, "/start", username=f"user{user_id}")
        await self.tap(user_id, "Согласен")
        await self.answer_test1(user_id, answers or WORKER_PATH)


async def _app(fake: FakeTelegramAPI) -> Application:
    return build_application(token=fake.token, base_url=fake.base_url)


@pytest_asyncio.fixture
async def bot(telegram_api: FakeTelegramAPI, caplog: pytest.LogCaptureFixture) -> AsyncIterator[BotDriver]:
    """The real application, initialised against the fake (getMe), fed updates by the test."""
    caplog.set_level(logging.INFO)
    app = await _app(telegram_api)
    async with app:
        yield BotDriver(telegram_api, app, caplog)


@pytest.fixture
def chooser(world: World) -> Any:
    """A candidate (Telegram user 601) who consented and passed Тест 1 in Moscow: ready to choose."""
    from candidates.tests.factories import CandidateFactory

    return CandidateFactory(telegram_id=601, city=world.city)


@pytest.fixture
def rival(world: World) -> Any:
    """Another ready candidate (Telegram user 602) in Moscow."""
    from candidates.tests.factories import CandidateFactory

    return CandidateFactory(telegram_id=602, city=world.city)
