"""The sandbox page's JSON endpoints against a real fake Bot API over HTTP, and the fast-forward service."""

from __future__ import annotations

import datetime as dt
import json
import urllib.request
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from candidates.models import Candidate
from candidates.tests.factories import CandidateFactory
from notifications.models import NotificationKind, NotificationLog, NotificationStatus
from ops.fake_telegram import FakeTelegramAPI
from ops.sandbox.services import NotASandboxCandidate, sandbox_reminders_fast_forward
from scheduling.models import SlotStatus
from scheduling.tests.factories import SlotFactory
from scheduling.tests.helpers import slot_in_status

pytestmark = pytest.mark.django_db

IVAN = 900001
CHAT = f"/sandbox/api/chats/{IVAN}/"


@pytest.fixture
def sandbox(settings: Any, telegram_api: FakeTelegramAPI) -> FakeTelegramAPI:
    """The sandbox is on and points at a fake Bot API (as `make run` does without a token)."""
    settings.SANDBOX_FAKE_API_URL = telegram_api.http_url
    return telegram_api


@pytest.fixture
def staff(client: Client) -> Client:
    user = User.objects.create_user("operator", password="pass12345", is_staff=True)
    client.force_login(user)
    return client


def bot_says(fake: FakeTelegramAPI, method: str, **params: Any) -> dict[str, Any]:
    """Call the fake's Bot API over HTTP as our bot would, and return the result."""
    request = urllib.request.Request(
        f"{fake.base_url}{fake.token}/{method}",
        data=json.dumps(params).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())["result"]


def post(client: Client, url: str, payload: dict[str, Any]) -> Any:
    return client.post(url, data=json.dumps(payload), content_type="application/json")


def keyboard(*labels: str) -> dict[str, Any]:
    return {"inline_keyboard": [[{"text": label, "callback_data": f"cb:{label}"} for label in labels]]}


def test_the_sandbox_is_404_when_the_product_talks_to_real_telegram(settings: Any, staff: Client) -> None:
    settings.SANDBOX_FAKE_API_URL = ""

    assert staff.get("/sandbox/").status_code == 404
    assert staff.get(CHAT).status_code == 404
    assert Client().get("/sandbox/").status_code == 404


def test_the_sandbox_is_for_staff_only(sandbox: FakeTelegramAPI, client: Client) -> None:
    assert client.get("/sandbox/").status_code == 302
    assert client.get(CHAT).status_code == 302
    client.force_login(User.objects.create_user("candidate", password="pass12345"))  # not staff
    assert client.get("/sandbox/").status_code == 302


def test_the_page_lists_the_identities_and_needs_no_build_step(sandbox: FakeTelegramAPI, staff: Client) -> None:
    response = staff.get("/sandbox/")

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="identity"') == 5
    assert 'data-user-id="900001"' in html and "Иван" in html
    assert "Перемотать" in html
    assert "<script src" not in html  # inline vanilla JavaScript only


def test_typing_a_message_queues_an_update_for_the_bot_as_that_identity(
    sandbox: FakeTelegramAPI, staff: Client
) -> None:
    response = post(staff, f"{CHAT}messages/", {"text": "/start"})

    assert response.status_code == 200
    update = bot_says(sandbox, "getUpdates")[0]
    assert update["message"]["text"] == "/start"
    assert update["message"]["from"] == {
        "id": IVAN,
        "is_bot": False,
        "first_name": "Иван",
        "username": "sandbox_ivan",
    }


def test_the_chat_shows_both_sides_in_order_with_inline_keyboards(sandbox: FakeTelegramAPI, staff: Client) -> None:
    post(staff, f"{CHAT}messages/", {"text": "/start"})
    bot_says(
        sandbox, "sendMessage", chat_id=IVAN, text="Вы согласны?", reply_markup=keyboard("Согласен", "Не согласен")
    )

    body = json.loads(staff.get(CHAT).content)

    assert [(m["from"], m["text"]) for m in body["messages"]] == [("user", "/start"), ("bot", "Вы согласны?")]
    assert body["messages"][1]["buttons"] == [
        [
            {"text": "Согласен", "data": "cb:Согласен", "url": ""},
            {"text": "Не согласен", "data": "cb:Не согласен", "url": ""},
        ]
    ]
    assert body["messages"][1]["edited"] is False


def test_the_chat_shows_edits_and_removed_keyboards(sandbox: FakeTelegramAPI, staff: Client) -> None:
    sent = bot_says(sandbox, "sendMessage", chat_id=IVAN, text="Выберите время", reply_markup=keyboard("01.12 10:00"))
    bot_says(sandbox, "editMessageText", chat_id=IVAN, message_id=sent["message_id"], text="Вы выбрали 01.12 10:00")

    message = json.loads(staff.get(CHAT).content)["messages"][0]

    assert message["text"] == "Вы выбрали 01.12 10:00"
    assert message["edited"] is True
    assert message["buttons"] == []


def test_tapping_a_button_sends_the_bot_a_callback_on_that_message(sandbox: FakeTelegramAPI, staff: Client) -> None:
    sent = bot_says(sandbox, "sendMessage", chat_id=IVAN, text="Вы согласны?", reply_markup=keyboard("Согласен"))

    response = post(staff, f"{CHAT}callbacks/", {"message_id": sent["message_id"], "data": "cb:Согласен"})

    assert response.status_code == 200
    callback = bot_says(sandbox, "getUpdates")[0]["callback_query"]
    assert callback["data"] == "cb:Согласен"
    assert callback["message"]["message_id"] == sent["message_id"]
    assert callback["from"]["id"] == IVAN


def test_a_button_the_message_no_longer_shows_cannot_be_tapped(sandbox: FakeTelegramAPI, staff: Client) -> None:
    sent = bot_says(sandbox, "sendMessage", chat_id=IVAN, text="Вы согласны?", reply_markup=keyboard("Согласен"))
    bot_says(sandbox, "editMessageReplyMarkup", chat_id=IVAN, message_id=sent["message_id"])

    response = post(staff, f"{CHAT}callbacks/", {"message_id": sent["message_id"], "data": "cb:Согласен"})

    assert response.status_code == 409
    assert bot_says(sandbox, "getUpdates") == []


def test_only_sandbox_identities_can_be_played(sandbox: FakeTelegramAPI, staff: Client) -> None:
    assert staff.get("/sandbox/api/chats/12345/").status_code == 404
    assert post(staff, "/sandbox/api/chats/12345/messages/", {"text": "/start"}).status_code == 404
    assert bot_says(sandbox, "getUpdates") == []


def test_an_empty_message_is_refused(sandbox: FakeTelegramAPI, staff: Client) -> None:
    assert post(staff, f"{CHAT}messages/", {"text": "   "}).status_code == 400


def test_a_stopped_fake_is_reported_as_502_with_a_hint(sandbox: FakeTelegramAPI, staff: Client) -> None:
    sandbox.stop()

    response = staff.get(CHAT)

    assert response.status_code == 502
    assert "make run" in json.loads(response.content)["error"]


def _booked(telegram_id: int) -> Any:
    """A booked slot two days ahead: the T-2h confirmation request and the T-1h reminder are planned."""
    candidate = CandidateFactory(telegram_id=telegram_id)
    slot = SlotFactory(starts_at=timezone.now().replace(microsecond=0) + dt.timedelta(days=2))
    return slot_in_status(SlotStatus.BOOKED, slot=slot, candidate=candidate)


def _future_rows(slot: Any) -> list[NotificationLog]:
    return list(NotificationLog.objects.filter(slot=slot, status=NotificationStatus.PENDING, due_at__gt=timezone.now()))


def test_fast_forward_sends_the_next_reminder_of_a_sandbox_candidate_now(
    sandbox: FakeTelegramAPI, staff: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # the request and the approval go out first
        slot = _booked(IVAN)
    kinds_before = {row.kind for row in _future_rows(slot)}
    assert NotificationKind.CONFIRM_REQUEST in kinds_before

    with django_capture_on_commit_callbacks(execute=True):
        response = post(staff, f"{CHAT}fast-forward/", {})

    assert response.status_code == 200 and json.loads(response.content)["moved"] >= 1
    confirm = NotificationLog.objects.get(slot=slot, kind=NotificationKind.CONFIRM_REQUEST)
    assert confirm.status == NotificationStatus.SENT
    assert any("Подтверждаю" in b["text"] for b in sandbox.last_message(IVAN)["reply_markup"]["inline_keyboard"][0])
    assert NotificationKind.REMINDER_1H in {row.kind for row in _future_rows(slot)}  # one step at a time
    assert Candidate.objects.get(telegram_id=IVAN).is_sandbox is True


def test_fast_forward_never_touches_a_real_candidates_rows(sandbox: FakeTelegramAPI) -> None:
    real = _booked(700_123_456)
    sandboxed = _booked(IVAN)
    real_due = {row.pk: row.due_at for row in _future_rows(real)}

    moved = sandbox_reminders_fast_forward(telegram_id=IVAN)

    assert moved and set(moved) <= {row.pk for row in NotificationLog.objects.filter(slot=sandboxed)}
    assert {row.pk: row.due_at for row in _future_rows(real)} == real_due
    assert Candidate.objects.get(telegram_id=700_123_456).is_sandbox is False
    with pytest.raises(NotASandboxCandidate):
        sandbox_reminders_fast_forward(telegram_id=700_123_456)


def test_fast_forward_with_nothing_planned_moves_nothing(sandbox: FakeTelegramAPI, staff: Client) -> None:
    response = post(staff, f"{CHAT}fast-forward/", {})

    assert json.loads(response.content) == {"ok": True, "moved": 0}
