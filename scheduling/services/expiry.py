"""Pending requests nobody decided expire when their time comes (the minute sweep calls pending_expire_due)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from scheduling.errors import (
    SlotNotFound,
    TransitionNotAllowed,
)
from scheduling.models import Actor, Slot, SlotStatus
from scheduling.services.transitions import slot_lock, slot_release


def pending_expiry_cutoff(now: dt.datetime) -> dt.datetime:
    """Pending requests of slots starting before this instant have expired."""
    return now + dt.timedelta(minutes=settings.PENDING_EXPIRY_MINUTES_BEFORE_START)


@transaction.atomic
def slot_expire_pending(*, slot_id: int, now: dt.datetime | None = None) -> Slot:
    """An undecided request whose time has come is freed; both sides are told."""
    now = now or timezone.now()
    slot, candidate = slot_lock(slot_id=slot_id)
    if slot.status == SlotStatus.PENDING and slot.starts_at > pending_expiry_cutoff(now):
        raise TransitionNotAllowed("Заявка ещё не истекла.", slot_id=slot_id)
    return slot_release(
        slot=slot,
        candidate=candidate,
        intent="expire",
        actor=Actor.SYSTEM,
        reason="заявка истекла без решения",
    )


def pending_expire_due(*, now: dt.datetime | None = None) -> int:
    """Expire every overdue pending request, one transaction each; returns how many expired."""
    now = now or timezone.now()
    ids = list(
        Slot.objects.filter(status=SlotStatus.PENDING, starts_at__lte=pending_expiry_cutoff(now)).values_list(
            "pk", flat=True
        )
    )
    expired = 0
    for slot_id in ids:
        try:
            slot_expire_pending(slot_id=slot_id, now=now)
            expired += 1
        except (TransitionNotAllowed, SlotNotFound):
            continue  # decided meanwhile: nothing to expire
    return expired
