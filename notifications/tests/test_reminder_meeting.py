"""The one-hour reminder carries the meeting link or address once the candidate confirmed (issue 12, item 5)."""

from __future__ import annotations

import pytest

from notifications.conversation import texts
from notifications.models import NotificationKind, NotificationStatus
from notifications.tests.helpers import approved_booking, row_of
from scheduling import services
from scheduling.models import Recruiter

pytestmark = pytest.mark.django_db

MEETING_LINE = texts.MEETING_LINE.split("{")[0]


def test_an_unconfirmed_booking_gets_a_reminder_without_the_meeting_line() -> None:
    slot, _ = approved_booking()

    reminder = row_of(slot, NotificationKind.REMINDER_1H)

    assert reminder.text.startswith("Через час собеседование")
    assert MEETING_LINE not in reminder.text
    assert "meet.example.com" not in reminder.text


def test_confirming_puts_the_meeting_link_into_the_pending_reminder() -> None:
    slot, candidate = approved_booking()

    services.booking_confirm(reservation_id=slot.reservation_id, candidate_id=candidate.pk)

    reminder = row_of(slot, NotificationKind.REMINDER_1H)
    assert reminder.status == NotificationStatus.PENDING
    assert reminder.text.startswith("Через час собеседование")
    assert f"{MEETING_LINE}https://meet.example.com/room" in reminder.text


def test_a_recruiter_without_a_link_gives_the_reminder_the_honest_placeholder() -> None:
    slot, candidate = approved_booking()
    Recruiter.objects.filter(pk=slot.recruiter_id).update(meeting_url="")

    services.booking_confirm(reservation_id=slot.reservation_id, candidate_id=candidate.pk)

    assert f"{MEETING_LINE}{texts.MEETING_LINK_MISSING}" in row_of(slot, NotificationKind.REMINDER_1H).text


def test_a_reminder_already_sent_or_skipped_is_not_rewritten() -> None:
    slot, candidate = approved_booking()
    reminder = row_of(slot, NotificationKind.REMINDER_1H)
    reminder.status = NotificationStatus.SKIPPED
    reminder.save(update_fields=["status"])

    services.booking_confirm(reservation_id=slot.reservation_id, candidate_id=candidate.pk)

    reminder.refresh_from_db()
    assert MEETING_LINE not in reminder.text
