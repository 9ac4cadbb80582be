"""Outbox rows for delivery tests, written by the real services."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from candidates.models import Candidate
from candidates.tests.factories import CandidateFactory
from notifications.models import NotificationKind, NotificationLog, NotificationStatus
from scheduling import services
from scheduling.models import Slot
from scheduling.tests.factories import CityFactory, SlotFactory


def approved_booking(
    *, starts_in: dt.timedelta = dt.timedelta(days=2), candidate: Candidate | None = None, tz: str = "Europe/Moscow"
) -> tuple[Slot, Candidate]:
    """A slot reserved by a candidate and approved by the recruiter, starting after starts_in."""
    starts_at = (timezone.now() + starts_in).replace(second=0, microsecond=0)
    slot = SlotFactory(starts_at=starts_at, city=CityFactory(tz=tz))
    candidate = candidate or CandidateFactory()
    services.slot_reserve(slot_id=slot.pk, candidate_id=candidate.pk)
    # The reservation message went out long ago: it must not hold the later ones back.
    NotificationLog.objects.filter(slot=slot, kind=NotificationKind.RESERVATION_RECEIVED).update(
        status=NotificationStatus.SENT, sent_at=timezone.now()
    )
    slot = services.slot_approve(slot_id=slot.pk)
    return slot, candidate


def row_of(slot: Slot, kind: str, candidate: Candidate | None = None) -> NotificationLog:
    """The outbox row of one kind for the slot's current (or given) candidate's booking."""
    qs = NotificationLog.objects.filter(slot=slot, kind=kind)
    if candidate is not None:
        qs = qs.filter(candidate=candidate)
    return qs.latest("created_at")
