"""deliver_one against the fake Bot API over HTTP: each outcome ends in a row state and a log line."""

from __future__ import annotations

import datetime as dt
import time

import pytest
import time_machine
from django.utils import timezone

from candidates.models import Candidate
from notifications.delivery import deliver_one, lease, stale_sending_release
from notifications.models import NotificationKind, NotificationLog, NotificationStatus
from notifications.tests.helpers import approved_booking, row_of
from ops.fake_telegram import FakeTelegramAPI
from scheduling import services
from scheduling.models import Slot

pytestmark = pytest.mark.django_db


def _approval() -> tuple[Slot, Candidate, NotificationLog]:
    slot, candidate = approved_booking()
    return slot, candidate, row_of(slot, NotificationKind.APPROVED)


def test_it_sends_a_due_row_and_records_the_telegram_message(telegram_api: FakeTelegramAPI) -> None:
    slot, candidate, row = _approval()

    assert deliver_one(row.pk) is True

    row.refresh_from_db()
    messages = telegram_api.sent_messages(candidate.telegram_id)
    assert [m["text"] for m in messages] == [row.text]
    assert messages[0]["reply_markup"] == row.reply_markup
    assert row.status == NotificationStatus.SENT
    assert row.telegram_message_id == messages[0]["message_id"]
    assert row.chat_id == candidate.telegram_id
    assert row.sent_at is not None
    assert row.attempts == 1


def test_a_second_delivery_of_a_sent_row_sends_nothing(telegram_api: FakeTelegramAPI) -> None:
    _, candidate, row = _approval()
    deliver_one(row.pk)

    assert deliver_one(row.pk) is False

    assert len(telegram_api.sent_messages(candidate.telegram_id)) == 1


def test_a_row_not_yet_due_is_not_claimed(telegram_api: FakeTelegramAPI) -> None:
    slot, candidate = approved_booking()
    reminder = row_of(slot, NotificationKind.REMINDER_1H)

    assert deliver_one(reminder.pk) is False

    reminder.refresh_from_db()
    assert reminder.status == NotificationStatus.PENDING
    assert reminder.attempts == 0
    assert telegram_api.calls_of("sendMessage") == []


def test_429_once_then_success_delivers_exactly_one_message(telegram_api: FakeTelegramAPI) -> None:
    _, candidate, row = _approval()
    telegram_api.fail_next("sendMessage", status=429, retry_after=3)

    assert deliver_one(row.pk) is False

    row.refresh_from_db()
    assert row.status == NotificationStatus.PENDING
    assert row.attempts == 0  # flood control is not a failed attempt
    assert dt.timedelta(seconds=2) < row.due_at - timezone.now() <= dt.timedelta(seconds=3)
    assert "429" in row.last_error
    assert deliver_one(row.pk) is False  # not due yet: Telegram said wait

    with time_machine.travel(row.due_at + dt.timedelta(seconds=1)):
        assert deliver_one(row.pk) is True

    row.refresh_from_db()
    assert row.status == NotificationStatus.SENT
    assert len(telegram_api.sent_messages(candidate.telegram_id)) == 1
    assert len(telegram_api.calls_of("sendMessage")) == 2


def test_a_short_flood_wait_is_waited_inline_and_the_row_sent_once(telegram_api: FakeTelegramAPI) -> None:
    """Re-queued, a 1-s flood wait would wait for django-q2's scheduler (every 30 s): the worker waits it out."""
    _, candidate, row = _approval()
    telegram_api.fail_next("sendMessage", status=429, retry_after=1)

    started = time.monotonic()
    assert deliver_one(row.pk) is True

    assert time.monotonic() - started >= 1.0
    row.refresh_from_db()
    assert row.status == NotificationStatus.SENT
    assert row.attempts == 1
    assert len(telegram_api.sent_messages(candidate.telegram_id)) == 1
    assert len(telegram_api.calls_of("sendMessage")) == 2


def test_a_second_flood_wait_in_a_row_re_queues_the_row(telegram_api: FakeTelegramAPI) -> None:
    _, candidate, row = _approval()
    telegram_api.fail_next("sendMessage", status=429, retry_after=1, times=2)

    assert deliver_one(row.pk) is False

    row.refresh_from_db()
    assert row.status == NotificationStatus.PENDING
    assert row.attempts == 0
    assert "429" in row.last_error
    assert telegram_api.sent_messages(candidate.telegram_id) == []
    assert len(telegram_api.calls_of("sendMessage")) == 2


def test_5xx_three_times_then_success_backs_off_and_delivers_once(telegram_api: FakeTelegramAPI) -> None:
    _, candidate, row = _approval()
    telegram_api.fail_next("sendMessage", status=502, times=3)
    delays = []
    for attempt in range(1, 4):
        with time_machine.travel(row.due_at + dt.timedelta(seconds=1), tick=False):
            before = timezone.now()
            assert deliver_one(row.pk) is False
        row.refresh_from_db()
        assert row.status == NotificationStatus.PENDING
        assert row.attempts == attempt
        assert "Bad Gateway" in row.last_error
        delays.append((row.due_at - before).total_seconds())

    with time_machine.travel(row.due_at + dt.timedelta(seconds=1), tick=False):
        assert deliver_one(row.pk) is True

    row.refresh_from_db()
    assert row.status == NotificationStatus.SENT
    assert len(telegram_api.sent_messages(candidate.telegram_id)) == 1
    # Exponential with ±25% jitter: roughly 10 s, 20 s, 40 s.
    assert 7 <= delays[0] <= 13 and 15 <= delays[1] <= 25 and 30 <= delays[2] <= 50


def test_transient_errors_stop_after_the_bounded_number_of_attempts(
    telegram_api: FakeTelegramAPI, settings: object
) -> None:
    settings.DELIVERY_MAX_ATTEMPTS = 3  # type: ignore[attr-defined]
    _, candidate, row = _approval()
    telegram_api.fail_next("sendMessage", status=500, times=10)

    for _ in range(3):
        with time_machine.travel(row.due_at + dt.timedelta(seconds=1), tick=False):
            deliver_one(row.pk)
        row.refresh_from_db()

    assert row.status == NotificationStatus.FAILED
    assert row.attempts == 3
    assert "Internal Server Error" in row.last_error
    assert len(telegram_api.calls_of("sendMessage")) == 3
    candidate.refresh_from_db()
    assert candidate.is_reachable is True  # a server error says nothing about the candidate


def test_a_blocked_bot_fails_at_once_and_marks_the_candidate_unreachable(telegram_api: FakeTelegramAPI) -> None:
    slot, candidate, row = _approval()
    telegram_api.fail_next("sendMessage", status=403, times=5)

    assert deliver_one(row.pk) is False

    row.refresh_from_db()
    candidate.refresh_from_db()
    assert row.status == NotificationStatus.FAILED
    assert row.attempts == 1
    assert "blocked" in row.last_error
    assert candidate.is_reachable is False
    assert "blocked" in candidate.unreachable_reason
    # Later messages to an unreachable candidate are canceled with the reason, not sent.
    confirm = row_of(slot, NotificationKind.CONFIRM_REQUEST)
    with time_machine.travel(confirm.due_at + dt.timedelta(seconds=1), tick=False):
        assert deliver_one(confirm.pk) is False
    confirm.refresh_from_db()
    assert confirm.status == NotificationStatus.CANCELED
    assert "недоступен" in confirm.last_error
    assert len(telegram_api.calls_of("sendMessage")) == 1


def test_chat_not_found_fails_at_once_and_marks_the_candidate_unreachable(telegram_api: FakeTelegramAPI) -> None:
    _, candidate, row = _approval()
    telegram_api.fail_next("sendMessage", status=400, description="Bad Request: chat not found")

    deliver_one(row.pk)

    row.refresh_from_db()
    candidate.refresh_from_db()
    assert row.status == NotificationStatus.FAILED
    assert candidate.is_reachable is False


def test_another_bad_request_fails_the_row_but_keeps_the_candidate_reachable(telegram_api: FakeTelegramAPI) -> None:
    _, candidate, row = _approval()
    telegram_api.fail_next("sendMessage", status=400, description="Bad Request: message is too long")

    deliver_one(row.pk)

    row.refresh_from_db()
    candidate.refresh_from_db()
    assert row.status == NotificationStatus.FAILED
    assert "too long" in row.last_error
    assert candidate.is_reachable is True


def test_a_timeout_after_telegram_accepted_is_retried_so_the_message_arrives_twice_at_most(
    telegram_api: FakeTelegramAPI, settings: object
) -> None:
    """At-least-once: a send whose answer we never saw is repeated; the candidate may see it twice."""
    settings.DELIVERY_SEND_TIMEOUT_SECONDS = 0.5  # type: ignore[attr-defined]
    _, candidate, row = _approval()
    telegram_api.delay_next("sendMessage", 1.5, accept=True)

    assert deliver_one(row.pk) is False

    row.refresh_from_db()
    assert row.status == NotificationStatus.PENDING
    assert row.attempts == 1
    assert "TimedOut" in row.last_error
    assert len(telegram_api.sent_messages(candidate.telegram_id)) == 1  # the fake did accept it

    with time_machine.travel(row.due_at + dt.timedelta(seconds=1), tick=False):
        assert deliver_one(row.pk) is True

    row.refresh_from_db()
    assert row.status == NotificationStatus.SENT
    assert len(telegram_api.sent_messages(candidate.telegram_id)) == 2


def test_a_row_whose_booking_was_released_before_the_send_is_canceled_not_sent(
    telegram_api: FakeTelegramAPI,
) -> None:
    slot, candidate, row = _approval()
    services.slot_reschedule(slot_id=slot.pk, reason="другое время")

    assert deliver_one(row.pk) is False

    row.refresh_from_db()
    assert row.status == NotificationStatus.CANCELED
    assert telegram_api.sent_messages(candidate.telegram_id) == []


def test_a_reminder_whose_slot_moved_is_canceled_at_send_time(telegram_api: FakeTelegramAPI) -> None:
    slot, candidate = approved_booking()
    reminder = row_of(slot, NotificationKind.REMINDER_1H)
    Slot.objects.filter(pk=slot.pk).update(
        starts_at=slot.starts_at + dt.timedelta(hours=3), ends_at=slot.ends_at + dt.timedelta(hours=3)
    )

    with time_machine.travel(reminder.due_at + dt.timedelta(seconds=1), tick=False):
        assert deliver_one(reminder.pk) is False

    reminder.refresh_from_db()
    assert reminder.status == NotificationStatus.CANCELED
    assert "изменилось" in reminder.last_error
    assert telegram_api.calls_of("sendMessage") == []


def test_a_reminder_is_never_sent_after_the_interview_started(telegram_api: FakeTelegramAPI) -> None:
    slot, candidate = approved_booking()
    reminder = row_of(slot, NotificationKind.REMINDER_1H)

    with time_machine.travel(slot.starts_at + dt.timedelta(minutes=1), tick=False):
        assert deliver_one(reminder.pk) is False

    reminder.refresh_from_db()
    assert reminder.status == NotificationStatus.CANCELED
    assert "началось" in reminder.last_error
    assert telegram_api.calls_of("sendMessage") == []


def test_a_row_stuck_in_sending_past_the_lease_goes_back_to_pending(telegram_api: FakeTelegramAPI) -> None:
    _, candidate, row = _approval()
    claimed_at = timezone.now()
    NotificationLog.objects.filter(pk=row.pk).update(status=NotificationStatus.SENDING, claimed_at=claimed_at)

    assert stale_sending_release(now=claimed_at + lease() / 2) == []  # its worker may still be sending
    assert stale_sending_release(now=claimed_at + lease() + dt.timedelta(seconds=1)) == [row.pk]

    row.refresh_from_db()
    assert row.status == NotificationStatus.PENDING
    with time_machine.travel(row.due_at + dt.timedelta(seconds=1), tick=False):
        assert deliver_one(row.pk) is True
    assert len(telegram_api.sent_messages(candidate.telegram_id)) == 1
