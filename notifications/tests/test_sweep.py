"""The minute sweep is the only scheduled caller of pending expiry: an overdue request is freed by it."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from candidates.models import CandidateStatus
from candidates.tests.factories import CandidateFactory
from notifications import tasks
from notifications.models import NotificationKind, NotificationLog, NotificationStatus, Recipient
from scheduling import services
from scheduling.models import SlotStatus
from scheduling.tests.factories import RecruiterFactory, SlotFactory

pytestmark = pytest.mark.django_db


def test_the_sweep_frees_an_overdue_pending_request_and_tells_both_sides() -> None:
    starts_at = timezone.now().replace(second=0, microsecond=0) - dt.timedelta(minutes=5)
    slot = SlotFactory(starts_at=starts_at, recruiter=RecruiterFactory(telegram_chat_id=4242))
    candidate = CandidateFactory()
    with time_machine.travel(starts_at - dt.timedelta(hours=3), tick=False):
        reservation_id = services.slot_reserve(slot_id=slot.pk, candidate_id=candidate.pk).reservation_id

    result = tasks.sweep()  # what the "notifications-sweep" schedule runs every minute

    assert result["expired"] == 1
    slot.refresh_from_db()
    assert (slot.status, slot.candidate_id, slot.reservation_id) == (SlotStatus.FREE, None, None)
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.CHOOSING_SLOT
    told = NotificationLog.objects.filter(reservation_id=reservation_id, status=NotificationStatus.PENDING)
    assert sorted(told.values_list("kind", "recipient")) == [
        (NotificationKind.PENDING_EXPIRED, Recipient.CANDIDATE),
        (NotificationKind.RECRUITER_PENDING_EXPIRED, Recipient.RECRUITER),
    ]


def test_the_sweep_leaves_a_pending_request_whose_slot_has_not_started() -> None:
    slot = services.slot_reserve(slot_id=SlotFactory().pk, candidate_id=CandidateFactory().pk)

    assert tasks.sweep()["expired"] == 0

    slot.refresh_from_db()
    assert slot.status == SlotStatus.PENDING
