"""Booking transitions of a slot: reserve, decide, confirm, decline, cancel, expire, outcome.

Each intent runs in one transaction, locks the candidate row (when there is one) and then the
slot row, always in that order so two intents never deadlock, checks the current status
against TRANSITIONS, writes the slot, a SlotEvent and the outbox rows the change implies.
Nothing here talks to Telegram: the outbox rows reach the worker only after commit.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from candidates.models import Candidate, CandidateStatus
from notifications.models import NotificationKind
from notifications.services import notification_build, notifications_cancel, notifications_save, reminders_build
from scheduling.errors import (
    AlreadyHasLiveSlot,
    CandidateNotEligible,
    InvalidInput,
    RecruiterInactive,
    SlotInPast,
    SlotNotFound,
    SlotTaken,
    StaleReservation,
    TransitionNotAllowed,
)
from scheduling.models import Actor, Slot, SlotEvent, SlotOutcome, SlotStatus
from scheduling.services import reservation_sql

logger = logging.getLogger(__name__)

S = SlotStatus
# The one allowed-transitions table: intent -> {from status: to status}.
TRANSITIONS: dict[str, dict[str, str]] = {
    "reserve": {S.FREE: S.PENDING},
    "approve": {S.PENDING: S.BOOKED},
    "reschedule": {S.PENDING: S.FREE, S.BOOKED: S.FREE, S.CONFIRMED: S.FREE},
    "reject": {S.PENDING: S.FREE, S.BOOKED: S.FREE, S.CONFIRMED: S.FREE},
    "confirm": {S.BOOKED: S.CONFIRMED},
    "decline": {S.BOOKED: S.FREE, S.CONFIRMED: S.FREE},
    "candidate_cancel": {S.PENDING: S.FREE, S.BOOKED: S.FREE, S.CONFIRMED: S.FREE},
    "cancel_slot": {S.FREE: S.CANCELED, S.PENDING: S.CANCELED, S.BOOKED: S.CANCELED, S.CONFIRMED: S.CANCELED},
    "expire": {S.PENDING: S.FREE},
}

# Candidates in these stages may not take a slot: not screened yet, screened out, or gone.
_NOT_ELIGIBLE = {
    CandidateStatus.NEW,
    CandidateStatus.CONSENT_DECLINED,
    CandidateStatus.IN_TEST1,
    CandidateStatus.KNOCKED_OUT,
    CandidateStatus.REJECTED,
    CandidateStatus.ERASED,
}

_CANDIDATE_STAGE_AFTER = {
    "reserve": CandidateStatus.WAITING_DECISION,
    "approve": CandidateStatus.SCHEDULED,
    "confirm": CandidateStatus.CONFIRMED,
    "reschedule": CandidateStatus.CHOOSING_SLOT,
    "reject": CandidateStatus.REJECTED,
    "decline": CandidateStatus.CHOOSING_SLOT,
    "candidate_cancel": CandidateStatus.CHOOSING_SLOT,
    "cancel_slot": CandidateStatus.CHOOSING_SLOT,
    "expire": CandidateStatus.CHOOSING_SLOT,
}


_BOOKING_FIELDS = ["status", "candidate", "reservation_id", "reserved_at", "decided_at", "confirmed_at"]


def _target(intent: str, slot: Slot) -> str:
    target = TRANSITIONS[intent].get(slot.status)
    if target is None:
        raise TransitionNotAllowed(
            f"«{intent}» невозможно для слота в статусе «{slot.get_status_display()}».",
            slot_id=slot.pk,
            status=slot.status,
            intent=intent,
        )
    return target


def _lock(*, slot_id: int | None = None, reservation_id: uuid.UUID | None = None) -> tuple[Slot, Candidate | None]:
    """Lock the slot's candidate, then the slot; retry if the slot changed hands in between."""
    lookup = {"pk": slot_id} if slot_id is not None else {"reservation_id": reservation_id}
    for _ in range(3):
        candidate_id = Slot.objects.filter(**lookup).values_list("candidate_id", flat=True).first()
        candidate = Candidate.objects.select_for_update().get(pk=candidate_id) if candidate_id else None
        slot = Slot.objects.select_for_update(of=("self",)).select_related("recruiter", "city").filter(**lookup).first()
        if slot is None:
            if reservation_id is not None:
                raise StaleReservation(reservation_id=reservation_id)
            raise SlotNotFound(slot_id=slot_id)
        if slot.candidate_id == candidate_id:
            return slot, candidate
    raise SlotTaken(slot_id=slot_id)  # it keeps changing hands: someone else is acting on it


def _record(
    *,
    slot: Slot,
    from_status: str,
    actor: str,
    candidate: Candidate | None,
    reservation_id: uuid.UUID | None,
    actor_user: Any = None,
    reason: str = "",
) -> None:
    SlotEvent.objects.create(
        slot=slot,
        actor=actor,
        actor_user=actor_user,
        candidate=candidate,
        from_status=from_status,
        to_status=slot.status,
        reservation_id=reservation_id,
        reason=reason[:500],
    )
    _log_transition(slot=slot, from_status=from_status, actor=actor, reservation_id=reservation_id)


def _log_transition(*, slot: Slot, from_status: str, actor: str, reservation_id: uuid.UUID | None) -> None:
    logger.info(
        "slot %s %s -> %s by %s reservation_id=%s",
        slot.pk,
        from_status,
        slot.status,
        actor,
        reservation_id,
        extra={"reservation_id": reservation_id},
    )


def _set_candidate_stage(candidate: Candidate | None, intent: str) -> None:
    if candidate is None or candidate.status == CandidateStatus.ERASED:
        return
    candidate.status = _CANDIDATE_STAGE_AFTER[intent]
    candidate.save(update_fields=["status", "last_activity_at"])


def _release(
    *,
    slot: Slot,
    candidate: Candidate | None,
    intent: str,
    actor: str,
    actor_user: Any = None,
    reason: str = "",
    candidate_kind: str | None = None,
    recruiter_kind: str | None = None,
) -> Slot:
    """Free (or cancel) a live slot: cancel its unsent messages, tell whoever must be told."""
    from_status = slot.status
    target = _target(intent, slot)
    reservation_id = slot.reservation_id
    if reservation_id is not None:
        notifications_cancel(reservation_id=reservation_id, reason=f"{intent}: {reason}".strip(": "))
    slot.status = target
    slot.candidate = None
    slot.reservation_id = None
    slot.reserved_at = slot.decided_at = slot.confirmed_at = None
    slot.save(update_fields=[*_BOOKING_FIELDS, "updated_at"])
    _record(
        slot=slot,
        from_status=from_status,
        actor=actor,
        candidate=candidate,
        reservation_id=reservation_id,
        actor_user=actor_user,
        reason=reason or intent,
    )
    if candidate is not None and reservation_id is not None:
        notifications_save(
            notification_build(kind=kind, slot=slot, candidate=candidate, reservation_id=reservation_id)
            for kind in (candidate_kind, recruiter_kind)
            if kind
        )
        _set_candidate_stage(candidate, intent)
    return slot


@transaction.atomic
def slot_reserve(*, slot_id: int, candidate_id: int, now: dt.datetime | None = None) -> Slot:
    """A candidate asks for a free slot: it becomes pending under a new reservation id.

    The hottest transition, so its reads and writes are plain SQL (reservation_sql); the order
    of locks and every check are the same as in the other intents.
    """
    now = now or timezone.now()
    candidate = reservation_sql.candidate_lock(candidate_id)
    if candidate is None or candidate.status in _NOT_ELIGIBLE or candidate.test1_completed_at is None:
        raise CandidateNotEligible(candidate_id=candidate_id)
    any_recruiter = not settings.ALLOW_PARALLEL_RECRUITERS
    slot = reservation_sql.slot_lock(slot_id, candidate_id=candidate.pk, any_recruiter=any_recruiter)
    if slot is None:
        raise SlotNotFound(slot_id=slot_id)
    if slot.candidate_id == candidate.pk and slot.is_live:
        raise AlreadyHasLiveSlot(slot_id=slot.pk, reservation_id=slot.reservation_id)
    if slot.status != SlotStatus.FREE:
        raise SlotTaken(slot_id=slot_id)
    if slot.starts_at <= now:
        raise SlotInPast(slot_id=slot_id)
    if not slot.recruiter.is_active or not slot.city.is_active:
        raise RecruiterInactive(slot_id=slot_id)
    if slot.live_slot_id is not None:
        live_id = slot.live_slot_id
        raise AlreadyHasLiveSlot(slot_id=live_id, reservation_id=reservation_sql.reservation_of(live_id))
    from_status = slot.status
    slot.status = _target("reserve", slot)
    slot.candidate = candidate
    slot.reservation_id = uuid.uuid4()
    slot.reserved_at = now
    slot.decided_at = slot.confirmed_at = None
    candidate.city_id = slot.city_id
    candidate.status = _CANDIDATE_STAGE_AFTER["reserve"]
    reservation_sql.reservation_write(
        slot=slot, from_status=from_status, candidate_stage=candidate.status, actor=Actor.CANDIDATE
    )
    _log_transition(slot=slot, from_status=from_status, actor=Actor.CANDIDATE, reservation_id=slot.reservation_id)
    notifications_save(
        notification_build(kind=kind, slot=slot, candidate=candidate, reservation_id=slot.reservation_id)
        for kind in (NotificationKind.RESERVATION_RECEIVED, NotificationKind.RECRUITER_NEW_REQUEST)
    )
    return slot


@transaction.atomic
def slot_approve(*, slot_id: int, actor_user: Any = None, now: dt.datetime | None = None) -> Slot:
    """The recruiter approves a pending request: booked, the candidate is told, reminders planned."""
    now = now or timezone.now()
    slot, candidate = _lock(slot_id=slot_id)
    target = _target("approve", slot)
    if slot.starts_at <= now:
        raise SlotInPast("Собеседование уже началось: согласовать нельзя.", slot_id=slot_id)
    from_status = slot.status
    slot.status = target
    slot.decided_at = now
    slot.save(update_fields=["status", "decided_at", "updated_at"])
    _record(
        slot=slot,
        from_status=from_status,
        actor=Actor.RECRUITER,
        candidate=candidate,
        reservation_id=slot.reservation_id,
        actor_user=actor_user,
    )
    _set_candidate_stage(candidate, "approve")
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


@transaction.atomic
def slot_reschedule(*, slot_id: int, actor_user: Any = None, reason: str = "") -> Slot:
    """The recruiter asks for another time: the slot is freed and the candidate asked to choose again."""
    slot, candidate = _lock(slot_id=slot_id)
    return _release(
        slot=slot,
        candidate=candidate,
        intent="reschedule",
        actor=Actor.RECRUITER,
        actor_user=actor_user,
        reason=reason,
        candidate_kind=NotificationKind.RESCHEDULE_REQUESTED,
    )


@transaction.atomic
def slot_reject(*, slot_id: int, actor_user: Any = None, reason: str = "") -> Slot:
    """The recruiter rejects the candidate: the slot is freed, the candidate politely refused."""
    slot, candidate = _lock(slot_id=slot_id)
    return _release(
        slot=slot,
        candidate=candidate,
        intent="reject",
        actor=Actor.RECRUITER,
        actor_user=actor_user,
        reason=reason,
        candidate_kind=NotificationKind.REJECTED,
    )


@transaction.atomic
def slot_cancel(*, slot_id: int, actor_user: Any = None, reason: str = "") -> Slot:
    """The recruiter withdraws a slot; a candidate holding it is told and may choose again."""
    slot, candidate = _lock(slot_id=slot_id)
    return _release(
        slot=slot,
        candidate=candidate,
        intent="cancel_slot",
        actor=Actor.RECRUITER,
        actor_user=actor_user,
        reason=reason,
        candidate_kind=NotificationKind.SLOT_CANCELED,
    )


def _lock_own_booking(*, reservation_id: uuid.UUID, candidate_id: int) -> tuple[Slot, Candidate]:
    slot, candidate = _lock(reservation_id=reservation_id)
    if candidate is None or candidate.pk != candidate_id:
        # Someone else's booking, or a button of a booking that is over: change nothing.
        raise StaleReservation(reservation_id=reservation_id)
    return slot, candidate


@transaction.atomic
def booking_confirm(*, reservation_id: uuid.UUID, candidate_id: int, now: dt.datetime | None = None) -> Slot:
    """«Подтверждаю»: the candidate confirms; they get the meeting details, the recruiter is told."""
    now = now or timezone.now()
    slot, candidate = _lock_own_booking(reservation_id=reservation_id, candidate_id=candidate_id)
    target = _target("confirm", slot)
    if slot.starts_at <= now:
        raise SlotInPast("Собеседование уже началось.", slot_id=slot.pk)
    from_status = slot.status
    slot.status = target
    slot.confirmed_at = now
    slot.save(update_fields=["status", "confirmed_at", "updated_at"])
    _record(
        slot=slot, from_status=from_status, actor=Actor.CANDIDATE, candidate=candidate, reservation_id=reservation_id
    )
    _set_candidate_stage(candidate, "confirm")
    notifications_cancel(
        reservation_id=reservation_id, kinds=[NotificationKind.CONFIRM_REQUEST], reason="confirmed by candidate"
    )
    notifications_save(
        notification_build(kind=kind, slot=slot, candidate=candidate, reservation_id=reservation_id)
        for kind in (NotificationKind.MEETING_LINK, NotificationKind.RECRUITER_CANDIDATE_CONFIRMED)
    )
    return slot


@transaction.atomic
def booking_decline(*, reservation_id: uuid.UUID, candidate_id: int) -> Slot:
    """«Не смогу»: the slot is freed and the recruiter told; the bot offers other times."""
    slot, candidate = _lock_own_booking(reservation_id=reservation_id, candidate_id=candidate_id)
    return _release(
        slot=slot,
        candidate=candidate,
        intent="decline",
        actor=Actor.CANDIDATE,
        reason="кандидат не сможет",
        recruiter_kind=NotificationKind.RECRUITER_CANDIDATE_DECLINED,
    )


@transaction.atomic
def booking_cancel(*, reservation_id: uuid.UUID, candidate_id: int, reason: str = "") -> Slot:
    """«Отменить запись»: the candidate withdraws; the slot is freed and the recruiter told."""
    slot, candidate = _lock_own_booking(reservation_id=reservation_id, candidate_id=candidate_id)
    return _release(
        slot=slot,
        candidate=candidate,
        intent="candidate_cancel",
        actor=Actor.CANDIDATE,
        reason=reason or "кандидат отменил запись",
        recruiter_kind=NotificationKind.RECRUITER_CANDIDATE_CANCELED,
    )


def pending_expiry_cutoff(now: dt.datetime) -> dt.datetime:
    """Pending requests of slots starting before this instant have expired."""
    return now + dt.timedelta(minutes=settings.PENDING_EXPIRY_MINUTES_BEFORE_START)


@transaction.atomic
def slot_expire_pending(*, slot_id: int, now: dt.datetime | None = None) -> Slot:
    """An undecided request whose time has come is freed; both sides are told."""
    now = now or timezone.now()
    slot, candidate = _lock(slot_id=slot_id)
    if slot.status == SlotStatus.PENDING and slot.starts_at > pending_expiry_cutoff(now):
        raise TransitionNotAllowed("Заявка ещё не истекла.", slot_id=slot_id)
    return _release(
        slot=slot,
        candidate=candidate,
        intent="expire",
        actor=Actor.SYSTEM,
        reason="заявка истекла без решения",
        candidate_kind=NotificationKind.PENDING_EXPIRED,
        recruiter_kind=NotificationKind.RECRUITER_PENDING_EXPIRED,
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


@transaction.atomic
def slot_record_outcome(*, slot_id: int, outcome: str, note: str = "", actor_user: Any = None) -> Slot:
    """After the interview: record whether the candidate came and how it went."""
    if outcome not in SlotOutcome.values or not outcome:
        raise InvalidInput(f"Неизвестный итог: {outcome!r}.")
    slot, candidate = _lock(slot_id=slot_id)
    if slot.status not in (SlotStatus.BOOKED, SlotStatus.CONFIRMED):
        raise TransitionNotAllowed("Итог можно записать только для согласованного собеседования.", slot_id=slot_id)
    if slot.starts_at > timezone.now():
        raise TransitionNotAllowed("Собеседование ещё не началось.", slot_id=slot_id)
    slot.outcome = outcome
    slot.outcome_note = note
    slot.save(update_fields=["outcome", "outcome_note", "updated_at"])
    _record(
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
