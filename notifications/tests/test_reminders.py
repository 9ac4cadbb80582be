"""Reminder planning (DESIGN §5): when the T-2h request and the T-1h reminder are due, per approval time."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone
from django_q.models import Schedule

from candidates.tests.factories import CandidateFactory
from notifications.delivery import deliver_one
from notifications.dispatch import schedule_name
from notifications.models import NotificationKind, NotificationLog, NotificationStatus
from ops.fake_telegram import FakeTelegramAPI
from scheduling import services
from scheduling.errors import SlotInPast
from scheduling.tests.factories import CityFactory, SlotFactory

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)
CONFIRM, REMIND = NotificationKind.CONFIRM_REQUEST, NotificationKind.REMINDER_1H
PENDING, SKIPPED = NotificationStatus.PENDING, NotificationStatus.SKIPPED


def _approve_at(approved_at: dt.datetime, *, starts_at: dt.datetime = START, tz: str = "Europe/Moscow"):
    slot = SlotFactory(starts_at=starts_at, city=CityFactory(tz=tz))
    candidate = CandidateFactory()
    with time_machine.travel(min(approved_at, starts_at) - dt.timedelta(minutes=5), tick=False):
        services.slot_reserve(slot_id=slot.pk, candidate_id=candidate.pk)
    with time_machine.travel(approved_at, tick=False):
        slot = services.slot_approve(slot_id=slot.pk)
    return slot, {row.kind: row for row in NotificationLog.objects.filter(slot=slot, kind__in=[CONFIRM, REMIND])}


@pytest.mark.parametrize(
    ("before_start", "confirm_due", "confirm_status", "remind_due", "remind_status"),
    [
        pytest.param(dt.timedelta(days=1), START - dt.timedelta(hours=2), PENDING,
                     START - dt.timedelta(hours=1), PENDING, id="well-before"),
        pytest.param(dt.timedelta(hours=2), START - dt.timedelta(hours=2), PENDING,
                     START - dt.timedelta(hours=1), PENDING, id="exactly-two-hours-before"),
        pytest.param(dt.timedelta(minutes=90), START - dt.timedelta(minutes=90), PENDING,
                     START - dt.timedelta(hours=1), PENDING, id="inside-the-2h-window-confirm-at-once"),
        pytest.param(dt.timedelta(minutes=30), START - dt.timedelta(minutes=30), PENDING,
                     START - dt.timedelta(hours=1), SKIPPED, id="inside-the-last-hour-one-message-only"),
    ],
)  # fmt: skip
def test_reminders_are_planned_by_approval_time(
    before_start: dt.timedelta,
    confirm_due: dt.datetime,
    confirm_status: str,
    remind_due: dt.datetime,
    remind_status: str,
) -> None:
    _, rows = _approve_at(START - before_start)

    assert (rows[CONFIRM].due_at, rows[CONFIRM].status) == (confirm_due, confirm_status)
    assert (rows[REMIND].due_at, rows[REMIND].status) == (remind_due, remind_status)


def test_an_approval_after_the_start_plans_nothing() -> None:
    with pytest.raises(SlotInPast):
        _approve_at(START + dt.timedelta(minutes=1))

    assert not NotificationLog.objects.filter(kind__in=[CONFIRM, REMIND]).exists()


@pytest.mark.parametrize(
    ("tz", "starts_at", "local_label", "zone"),
    [
        # New York springs forward on 8 March 2026 at 02:00: 03:30 EDT is 07:30 UTC; T-2h is 00:30 EST.
        pytest.param("America/New_York", dt.datetime(2026, 3, 8, 7, 30, tzinfo=dt.UTC), "08.03.2026 03:30",
                     "по времени UTC-4", id="new-york-spring-forward"),
        # London falls back on 25 October 2026 at 02:00: 01:30 GMT is 01:30 UTC; T-1h is 01:30 BST.
        pytest.param("Europe/London", dt.datetime(2026, 10, 25, 1, 30, tzinfo=dt.UTC), "25.10.2026 01:30",
                     "по времени UTC)", id="london-fall-back"),
    ],
)  # fmt: skip
def test_reminders_across_a_dst_change_are_exact_hours_before_and_shown_in_local_time(
    tz: str, starts_at: dt.datetime, local_label: str, zone: str
) -> None:
    _, rows = _approve_at(starts_at - dt.timedelta(days=2), starts_at=starts_at, tz=tz)

    assert rows[CONFIRM].due_at == starts_at - dt.timedelta(hours=2)
    assert rows[REMIND].due_at == starts_at - dt.timedelta(hours=1)
    for row in rows.values():
        assert local_label in row.text
        assert zone in row.text


def test_future_reminders_get_a_one_off_schedule_named_after_the_row(
    django_capture_on_commit_callbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        slot, rows = _approve_at(
            timezone.now() - dt.timedelta(seconds=1), starts_at=timezone.now() + dt.timedelta(days=1)
        )

    for row in rows.values():
        schedule = Schedule.objects.get(name=schedule_name(row.pk))
        assert schedule.func == "notifications.tasks.deliver"
        assert schedule.schedule_type == Schedule.ONCE
        assert schedule.next_run == row.due_at


def test_confirming_cancels_the_unsent_confirmation_request_but_keeps_the_reminder() -> None:
    slot, rows = _approve_at(START - dt.timedelta(days=1))
    with time_machine.travel(START - dt.timedelta(hours=5), tick=False):
        services.booking_confirm(reservation_id=slot.reservation_id, candidate_id=slot.candidate_id)

    rows[CONFIRM].refresh_from_db()
    rows[REMIND].refresh_from_db()
    assert rows[CONFIRM].status == NotificationStatus.CANCELED
    assert rows[REMIND].status == NotificationStatus.PENDING


def test_a_reminder_released_after_its_schedule_fired_is_canceled_and_not_sent(
    telegram_api: FakeTelegramAPI, django_capture_on_commit_callbacks
) -> None:
    slot, rows = _approve_at(START - dt.timedelta(days=1))
    reminder = rows[REMIND]
    with time_machine.travel(reminder.due_at + dt.timedelta(seconds=5), tick=False):
        # The schedule fired (its task is queued); before a worker runs it, the candidate cancels.
        with django_capture_on_commit_callbacks(execute=False):
            services.booking_cancel(reservation_id=slot.reservation_id, candidate_id=slot.candidate_id)
        assert deliver_one(reminder.pk) is False

    reminder.refresh_from_db()
    assert reminder.status == NotificationStatus.CANCELED
    assert reminder.sent_at is None
    assert telegram_api.calls_of("sendMessage") == []
