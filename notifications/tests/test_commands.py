"""Operator commands: rebuild schedules after an outage, list failed deliveries, resend one."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_q.models import Schedule

from notifications.delivery import deliver_one
from notifications.dispatch import schedule_name
from notifications.models import NotificationKind, NotificationLog, NotificationStatus
from notifications.sweep import SWEEP_SCHEDULE_NAME, notifications_sweep
from notifications.tests.helpers import approved_booking, row_of
from ops.fake_telegram import FakeTelegramAPI

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_rebuild_schedules_recreates_lost_schedules_and_the_sweep() -> None:
    slot, _ = approved_booking()
    reminders = [row_of(slot, NotificationKind.CONFIRM_REQUEST), row_of(slot, NotificationKind.REMINDER_1H)]
    Schedule.objects.all().delete()  # the restore lost them
    Schedule.objects.create(name="notification-999999", func="notifications.tasks.deliver", next_run=timezone.now())

    output = _run("rebuild_schedules")

    assert "по расписанию: 2" in output
    assert Schedule.objects.filter(name=SWEEP_SCHEDULE_NAME, func="notifications.tasks.sweep").exists()
    for row in reminders:
        assert Schedule.objects.get(name=schedule_name(row.pk)).next_run == row.due_at
    assert not Schedule.objects.filter(name="notification-999999").exists()


def test_rebuild_schedules_twice_changes_nothing_more() -> None:
    approved_booking()
    _run("rebuild_schedules")
    names = sorted(Schedule.objects.values_list("name", flat=True))

    _run("rebuild_schedules")

    assert sorted(Schedule.objects.values_list("name", flat=True)) == names


def test_rebuild_schedules_can_release_rows_a_dead_worker_left_in_sending() -> None:
    slot, _ = approved_booking()
    row = row_of(slot, NotificationKind.APPROVED)
    NotificationLog.objects.filter(pk=row.pk).update(status=NotificationStatus.SENDING, claimed_at=timezone.now())

    _run("rebuild_schedules")
    row.refresh_from_db()
    assert row.status == NotificationStatus.SENDING  # without the flag a live worker may still own it

    _run("rebuild_schedules", "--release-sending")
    row.refresh_from_db()
    assert row.status == NotificationStatus.PENDING


def test_failed_deliveries_are_listed_and_one_can_be_resent(telegram_api: FakeTelegramAPI) -> None:
    slot, candidate = approved_booking()
    row = row_of(slot, NotificationKind.APPROVED)
    telegram_api.fail_next("sendMessage", status=400, description="Bad Request: message is too long")
    deliver_one(row.pk)

    listing = _run("failed_notifications")
    assert f"#{row.pk}" in listing and "too long" in listing

    assert "снова в очереди" in _run("resend_notification", str(row.pk))
    row.refresh_from_db()
    assert row.status == NotificationStatus.PENDING
    assert deliver_one(row.pk) is True
    assert "неотправленных с ошибкой нет" in _run("failed_notifications")


def test_resending_a_row_that_did_not_fail_is_refused() -> None:
    slot, _ = approved_booking()
    row = row_of(slot, NotificationKind.REMINDER_1H)

    with pytest.raises(CommandError, match="Повторить можно только"):
        _run("resend_notification", str(row.pk))


def test_the_sweep_reenqueues_a_due_row_whose_task_was_lost(
    telegram_api: FakeTelegramAPI, django_capture_on_commit_callbacks
) -> None:
    slot, candidate = approved_booking()
    row = row_of(slot, NotificationKind.APPROVED)

    # Q_CLUSTER sync=True in tests: the re-enqueued task runs at once, through the fake.
    result = notifications_sweep(now=row.due_at + dt.timedelta(minutes=2))

    assert result["enqueued"] >= 1
    row.refresh_from_db()
    assert row.status == NotificationStatus.SENT
    assert len(telegram_api.sent_messages(candidate.telegram_id)) == 1
