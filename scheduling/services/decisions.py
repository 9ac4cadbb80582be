"""The recruiter's side: approve, ask for another time, reject, withdraw a slot, record the interview's outcome."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, TypedDict, Unpack

from django.db import transaction
from django.utils import timezone

from candidates.models import CandidateStatus, RejectedStage
from candidates.test2_services import attempt_open
from notifications.card import Via
from notifications.models import NotificationKind
from notifications.services import notification_build, notifications_cancel, notifications_save, reminders_build
from scheduling.errors import (
    InvalidInput,
    SlotInPast,
    StaleReservation,
    TransitionNotAllowed,
)
from scheduling.models import Actor, Slot, SlotOutcome, SlotStatus
from scheduling.services.transitions import (
    booking_lock,
    candidate_stage_set,
    event_record,
    request_closed,
    slot_lock,
    slot_release,
    target_status,
)


@transaction.atomic
def slot_approve(
    *,
    slot_id: int | None = None,
    reservation_id: uuid.UUID | None = None,
    actor_user: Any = None,
    via: str = Via.ADMIN,
    now: dt.datetime | None = None,
) -> Slot:
    """The recruiter approves a pending request: booked, the candidate is told, reminders planned.

    reservation_id: the request to approve (the card's button); a slot that holds another booking is refused.
    """
    now = now or timezone.now()
    slot, candidate = booking_lock(slot_id=slot_id, reservation_id=reservation_id)
    target = target_status("approve", slot)
    if slot.starts_at <= now:
        raise SlotInPast("Собеседование уже началось: согласовать нельзя.", slot_id=slot.pk)
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
    request_closed(slot=slot, reservation_id=slot.reservation_id, intent="approve", via=via, actor_user=actor_user)
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
            # «Кандидат пришёл?» at the end: due_at keeps it from going out any earlier.
            notification_build(
                kind=NotificationKind.RECRUITER_ATTENDANCE,
                slot=slot,
                candidate=candidate,
                reservation_id=slot.reservation_id,
                due_at=slot.ends_at,
            ),
        ]
    )
    return slot


class Decision(TypedDict, total=False):
    """How a recruiter's release is asked for: by the admin (slot id) or by a card (its reservation, while pending)."""

    slot_id: int | None
    actor_user: Any
    reason: str
    reservation_id: uuid.UUID | None
    pending_only: bool
    via: str


def _recruiter_release(intent: str, decision: Decision) -> Slot:
    slot, candidate = booking_lock(
        slot_id=decision.get("slot_id"),
        reservation_id=decision.get("reservation_id"),
        pending_only=decision.get("pending_only", False),
    )
    return slot_release(
        slot=slot,
        candidate=candidate,
        intent=intent,
        actor=Actor.RECRUITER,
        actor_user=decision.get("actor_user"),
        reason=decision.get("reason", ""),
        via=decision.get("via", Via.ADMIN),
    )


@transaction.atomic
def slot_reschedule(**decision: Unpack[Decision]) -> Slot:
    """The recruiter asks for another time: the slot is freed and the candidate asked to choose again.

    reservation_id / pending_only: act only on this booking, only while it is an undecided request (the card).
    """
    return _recruiter_release("reschedule", decision)


@transaction.atomic
def slot_reject(**decision: Unpack[Decision]) -> Slot:
    """The recruiter rejects the candidate: the slot is freed, the candidate politely refused.

    The reason stays on the slot's history; the candidate's message never includes it.
    """
    return _recruiter_release("reject", decision)


@transaction.atomic
def slot_cancel(*, slot_id: int, actor_user: Any = None, reason: str = "") -> Slot:
    """The recruiter withdraws a slot; a candidate holding it is told and may choose again."""
    return _recruiter_release("cancel_slot", Decision(slot_id=slot_id, actor_user=actor_user, reason=reason))


@transaction.atomic
def slot_record_outcome(
    *,
    slot_id: int,
    outcome: str,
    note: str = "",
    actor_user: Any = None,
    reservation_id: uuid.UUID | None = None,
    first_only: bool = False,
) -> Slot:
    """After the interview (or intro day): record whether the candidate came and how it went.

    The result («прошёл» / «не прошёл») follows a recorded «Пришёл» and is final: passed sends Тест 2,
    failed a polite refusal; nothing goes to a candidate who did not come. An intro day records only
    attendance: came → hired, did not → rejected at the intro day.
    reservation_id: act only while the slot still holds this booking (a button names the booking it was sent for).
    first_only: refuse when attendance is already recorded (the bot's one answer); the admin may correct it.
    """
    if outcome not in SlotOutcome.values or not outcome:
        raise InvalidInput(f"Неизвестный итог: {outcome!r}.")
    slot, candidate = slot_lock(slot_id=slot_id)
    if reservation_id is not None and slot.reservation_id != reservation_id:
        raise StaleReservation(slot_id=slot_id)
    if slot.status not in (SlotStatus.BOOKED, SlotStatus.CONFIRMED):
        raise TransitionNotAllowed("Итог можно записать только для согласованного собеседования.", slot_id=slot_id)
    if slot.starts_at > timezone.now():
        raise TransitionNotAllowed("Собеседование ещё не началось.", slot_id=slot_id)
    _outcome_check(slot, outcome, first_only=first_only)
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
    # Recorded before the end (in the admin): the question at the end would ask what is known.
    notifications_cancel(
        reservation_id=slot.reservation_id,
        kinds=[NotificationKind.RECRUITER_ATTENDANCE, NotificationKind.RECRUITER_INTRO_ATTENDANCE],
        reason="итог уже записан",
    )
    if candidate is not None and candidate.status != CandidateStatus.ERASED:
        _candidate_after_outcome(slot, candidate)
    return slot


RESULTS = (SlotOutcome.PASSED, SlotOutcome.FAILED)


def _outcome_check(slot: Slot, outcome: str, *, first_only: bool) -> None:
    if slot.outcome in RESULTS:
        raise TransitionNotAllowed(f"Итог уже записан: {slot.get_outcome_display()}.", slot_id=slot.pk)
    if outcome in RESULTS:
        if slot.is_intro_day:
            raise InvalidInput("Для ознакомительного дня записывается только явка.")
        if slot.outcome != SlotOutcome.ATTENDED:
            raise TransitionNotAllowed("Сначала отметьте «Пришёл».", slot_id=slot.pk)
    elif first_only and slot.outcome:
        raise TransitionNotAllowed(f"Итог уже записан: {slot.get_outcome_display()}.", slot_id=slot.pk)


def _candidate_after_outcome(slot: Slot, candidate: Any) -> None:
    fields = ["status", "last_activity_at"]
    if slot.is_intro_day:
        came = slot.outcome == SlotOutcome.ATTENDED
        candidate.status = CandidateStatus.HIRED if came else CandidateStatus.REJECTED
        if not came:
            candidate.rejected_stage = RejectedStage.INTRO_DAY
            fields.append("rejected_stage")
    elif slot.outcome == SlotOutcome.PASSED:
        attempt_open(candidate=candidate, slot=slot)
        return
    elif slot.outcome == SlotOutcome.FAILED:
        candidate.status, candidate.rejected_stage = CandidateStatus.REJECTED, RejectedStage.INTERVIEW
        fields.append("rejected_stage")
        notifications_save(
            [
                notification_build(
                    kind=NotificationKind.INTERVIEW_FAILED,
                    slot=slot,
                    candidate=candidate,
                    reservation_id=slot.reservation_id,
                )
            ]
        )
    else:
        candidate.status = CandidateStatus.INTERVIEWED
    candidate.save(update_fields=fields)
