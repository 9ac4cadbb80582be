"""The recruiter's side: approve, ask for another time, reject, withdraw a slot, record the interview's outcome."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from candidates.models import CandidateStatus
from notifications.models import NotificationKind
from notifications.services import notification_build, notifications_save, reminders_build
from scheduling.errors import (
    InvalidInput,
    SlotInPast,
    TransitionNotAllowed,
)
from scheduling.models import Actor, Slot, SlotOutcome, SlotStatus
from scheduling.services.transitions import (
    candidate_stage_set,
    event_record,
    slot_lock,
    slot_release,
    target_status,
)


@transaction.atomic
def slot_approve(*, slot_id: int, actor_user: Any = None, now: dt.datetime | None = None) -> Slot:
    """The recruiter approves a pending request: booked, the candidate is told, reminders planned."""
    now = now or timezone.now()
    slot, candidate = slot_lock(slot_id=slot_id)
    target = target_status("approve", slot)
    if slot.starts_at <= now:
        raise SlotInPast("Собеседование уже началось: согласовать нельзя.", slot_id=slot_id)
    from_status = slot.status
    slot.status = target
    slot.decided_at = now
    slot.save(update_fields=["status", "decided_at", "updated_at"])
    event_record(
        slot=slot,
        from_status=from_status,
        actor=Actor.RECRUITER,
        candidate=candidate,
        reservation_id=slot.reservation_id,
        actor_user=actor_user,
    )
    candidate_stage_set(candidate, "approve")
    notifications_save(
        [
            # Same due time as a late confirmation request, and inserted first: the approval is read first.
            notification_build(
                kind=NotificationKind.APPROVED,
                slot=slot,
                candidate=candidate,
                reservation_id=slot.reservation_id,
                due_at=now,
            ),
            *reminders_build(slot=slot, candidate=candidate, reservation_id=slot.reservation_id, now=now),
        ]
    )
    return slot


def _recruiter_release(intent: str, *, slot_id: int, actor_user: Any, reason: str) -> Slot:
    slot, candidate = slot_lock(slot_id=slot_id)
    return slot_release(
        slot=slot, candidate=candidate, intent=intent, actor=Actor.RECRUITER, actor_user=actor_user, reason=reason
    )


@transaction.atomic
def slot_reschedule(*, slot_id: int, actor_user: Any = None, reason: str = "") -> Slot:
    """The recruiter asks for another time: the slot is freed and the candidate asked to choose again."""
    return _recruiter_release("reschedule", slot_id=slot_id, actor_user=actor_user, reason=reason)


@transaction.atomic
def slot_reject(*, slot_id: int, actor_user: Any = None, reason: str = "") -> Slot:
    """The recruiter rejects the candidate: the slot is freed, the candidate politely refused."""
    return _recruiter_release("reject", slot_id=slot_id, actor_user=actor_user, reason=reason)


@transaction.atomic
def slot_cancel(*, slot_id: int, actor_user: Any = None, reason: str = "") -> Slot:
    """The recruiter withdraws a slot; a candidate holding it is told and may choose again."""
    return _recruiter_release("cancel_slot", slot_id=slot_id, actor_user=actor_user, reason=reason)


@transaction.atomic
def slot_record_outcome(*, slot_id: int, outcome: str, note: str = "", actor_user: Any = None) -> Slot:
    """After the interview: record whether the candidate came and how it went."""
    if outcome not in SlotOutcome.values or not outcome:
        raise InvalidInput(f"Неизвестный итог: {outcome!r}.")
    slot, candidate = slot_lock(slot_id=slot_id)
    if slot.status not in (SlotStatus.BOOKED, SlotStatus.CONFIRMED):
        raise TransitionNotAllowed("Итог можно записать только для согласованного собеседования.", slot_id=slot_id)
    if slot.starts_at > timezone.now():
        raise TransitionNotAllowed("Собеседование ещё не началось.", slot_id=slot_id)
    slot.outcome = outcome
    slot.outcome_note = note
    slot.save(update_fields=["outcome", "outcome_note", "updated_at"])
    event_record(
        slot=slot,
        from_status=slot.status,
        actor=Actor.RECRUITER,
        candidate=candidate,
        reservation_id=slot.reservation_id,
        actor_user=actor_user,
        reason=f"итог: {slot.get_outcome_display()}",
    )
    if candidate is not None and candidate.status != CandidateStatus.ERASED:
        candidate.status = CandidateStatus.INTERVIEWED
        candidate.save(update_fields=["status", "last_activity_at"])
    return slot
