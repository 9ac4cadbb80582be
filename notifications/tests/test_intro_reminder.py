"""The intro day's reminder: its own text, due three hours before and never earlier, re-checked when it is sent."""

from __future__ import annotations

import datetime as dt
import time

import pytest
import time_machine
from django.utils import timezone

from notifications.conversation import texts
from notifications.delivery import deliver_one
from notifications.models import NotificationKind, NotificationLog, NotificationStatus
from ops.fake_telegram import FakeTelegramAPI
from scheduling import services
from scheduling.models import Slot
from scheduling.tests.factories import CityFactory, RecruiterFactory, SlotFactory
from scheduling.tests.helpers import through_test2

pytestmark = pytest.mark.django_db

# Tuesday 15.12.2026; the intro day is at 12:00 Moscow time (09:00 UTC), invited a week before.
INVITED_AT = dt.datetime(2026, 12, 8, 9, 0, tzinfo=dt.UTC)
STARTS = dt.datetime(2026, 12, 15, 9, 0, tzinfo=dt.UTC)


def _deliver_due(*, before: dt.datetime) -> None:
    """What the worker does: every row due before `before`, in due order, coming back for rows the pace re-queued
    (one chat gets a message every 1.3 s, so a third message in a row goes back to the queue for a moment)."""
    deadline = time.monotonic() + 30
    open_rows = NotificationLog.objects.filter(status=NotificationStatus.PENDING, due_at__lt=before)
    while open_rows.exists():
        assert time.monotonic() < deadline, "the messages before the reminder did not go out"
        due = open_rows.filter(due_at__lte=timezone.now())
        for pk in due.order_by("due_at", "pk").values_list("pk", flat=True):
            deliver_one(pk)
        time.sleep(0.2)


def _reminders_sent(telegram_api: FakeTelegramAPI) -> list[str]:
    sent = [call.params["text"] for call in telegram_api.calls_of("sendMessage")]
    return [text for text in sent if text.startswith("Через 3 часа")]


def _intro_day() -> tuple[Slot, NotificationLog]:
    with time_machine.travel(INVITED_AT - dt.timedelta(days=3), tick=False):
        city = CityFactory(name="Москва", tz="Europe/Moscow")
        # A fixed time: the factory's default follows its sequence, which moves with the tests run before this one.
        interview = SlotFactory(
            recruiter=RecruiterFactory(cities=[city], telegram_chat_id=660_001),
            city=city,
            starts_at=INVITED_AT - dt.timedelta(days=2),
        )
        candidate_id = through_test2(slot=interview).candidate_id
    with time_machine.travel(INVITED_AT, tick=True):  # time runs: the pace lets a chat's messages go 1.1 s apart
        intro = services.intro_day_invite(
            candidate_id=candidate_id, starts_at=STARTS, address="ул. Тверская, 1", contact="Ольга"
        )
        _deliver_due(before=STARTS - dt.timedelta(hours=3))  # the invitation and everything before it went out
    return intro, NotificationLog.objects.get(slot=intro, kind=NotificationKind.INTRO_DAY_REMINDER)


def test_the_reminder_goes_at_three_hours_before_and_not_a_minute_earlier(telegram_api: FakeTelegramAPI) -> None:
    intro, reminder = _intro_day()
    assert reminder.due_at == STARTS - dt.timedelta(hours=3)

    with time_machine.travel(reminder.due_at - dt.timedelta(minutes=1), tick=False):
        assert deliver_one(reminder.pk) is False
    reminder.refresh_from_db()
    assert reminder.status == NotificationStatus.PENDING
    assert _reminders_sent(telegram_api) == []

    with time_machine.travel(reminder.due_at + dt.timedelta(seconds=5), tick=True):
        assert deliver_one(reminder.pk) is True
    reminder.refresh_from_db()
    assert reminder.status == NotificationStatus.SENT
    [sent] = _reminders_sent(telegram_api)
    assert sent == (
        "Через 3 часа ознакомительный день: 15.12.2026 12:00 (по московскому времени).\n"
        "📍 ул. Тверская, 1\n👤 Контакт: Ольга"
    )
    assert "собеседование" not in sent and texts.REMINDER_1H[:10] not in sent


def test_a_released_intro_day_cancels_its_reminder_which_is_never_sent(telegram_api: FakeTelegramAPI) -> None:
    intro, reminder = _intro_day()
    with time_machine.travel(INVITED_AT + dt.timedelta(days=1), tick=False):
        services.intro_day_decline(reservation_id=intro.reservation_id, candidate_id=intro.candidate_id)

    with time_machine.travel(reminder.due_at + dt.timedelta(seconds=5), tick=False):
        assert deliver_one(reminder.pk) is False
    reminder.refresh_from_db()
    assert reminder.status == NotificationStatus.CANCELED
    assert _reminders_sent(telegram_api) == []


def test_the_reminder_is_rechecked_at_send_and_a_moved_day_cancels_it(telegram_api: FakeTelegramAPI) -> None:
    intro, reminder = _intro_day()
    # The day moved by a path that wrote no outbox change: the snapshot of the start no longer matches.
    Slot.objects.filter(pk=intro.pk).update(
        starts_at=STARTS + dt.timedelta(days=1), ends_at=intro.ends_at + dt.timedelta(days=1)
    )

    with time_machine.travel(reminder.due_at + dt.timedelta(seconds=5), tick=False):
        deliver_one(reminder.pk)
    reminder.refresh_from_db()
    assert reminder.status == NotificationStatus.CANCELED
    assert _reminders_sent(telegram_api) == []
