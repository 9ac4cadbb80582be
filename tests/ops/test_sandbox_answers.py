"""The sandbox shows the bot's callback answers as Telegram does, a small pop-up line (issue 12, item 2)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from ops.fake_telegram import FakeTelegramAPI
from tests.ops.test_sandbox import CHAT, IVAN, bot_says, keyboard, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def sandbox(settings: Any, telegram_api: FakeTelegramAPI) -> FakeTelegramAPI:
    settings.SANDBOX_FAKE_API_URL = telegram_api.http_url
    return telegram_api


@pytest.fixture
def staff(client: Client) -> Client:
    client.force_login(User.objects.create_user("operator", password="pass12345", is_staff=True))
    return client


def _tap(staff: Client, fake: FakeTelegramAPI) -> str:
    sent = bot_says(fake, "sendMessage", chat_id=IVAN, text="Подтвердите", reply_markup=keyboard("Подтверждаю"))
    response = post(staff, f"{CHAT}callbacks/", {"message_id": sent["message_id"], "data": "cb:Подтверждаю"})
    assert response.status_code == 200
    return response.json()["callback_id"]


def test_the_bot_s_answer_to_a_tap_is_shown_once_it_arrives(sandbox: FakeTelegramAPI, staff: Client) -> None:
    callback_id = _tap(staff, sandbox)
    assert staff.get(f"{CHAT}callbacks/{callback_id}/").json() == {"answered": False, "text": ""}

    bot_says(sandbox, "answerCallbackQuery", callback_query_id=callback_id, text="Эта запись уже неактуальна.")

    assert staff.get(f"{CHAT}callbacks/{callback_id}/").json() == {
        "answered": True,
        "text": "Эта запись уже неактуальна.",
    }


def test_a_silent_answer_is_answered_without_a_line(sandbox: FakeTelegramAPI, staff: Client) -> None:
    callback_id = _tap(staff, sandbox)

    bot_says(sandbox, "answerCallbackQuery", callback_query_id=callback_id)

    assert staff.get(f"{CHAT}callbacks/{callback_id}/").json() == {"answered": True, "text": ""}


def test_the_page_has_the_pop_up_line(sandbox: FakeTelegramAPI, staff: Client) -> None:
    page = staff.get("/sandbox/").content.decode()

    assert 'id="toast"' in page
