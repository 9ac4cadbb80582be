"""The candidate's side of a booking: reserve a slot, confirm, decline, cancel, and release them all at once."""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone

from candidates.models import Candidate
from notifications.models import NotificationKind
from notifications.services import (
    notification_build,
    notifications_cancel,
    notifications_rerender,
    notifications_save,
    outbox_writes,
)
from scheduling.errors import (
    AlreadyHasLiveSlot,
    CandidateNotEligible,
    RecruiterInactive,
    SlotInPast,
    SlotNotFound,
    SlotTaken,
    StaleReservation,
)
from scheduling.models import LIVE_STATUSES, Actor, Slot, SlotPurpose, SlotStatus
from scheduling.selectors import upcoming_live
from scheduling.services import reservation_sql
from scheduling.services.transitions import (
    CANDIDATE_STAGE_AFTER,
    NOT_ELIGIBLE,
    candidate_stage_set,
    event_record,
    slot_lock,
    slot_release,
    target_status,
    transition_log,
)

logger = logging.getLogger(__name__)
ONE_LIVE_INTERVIEW = "slot_one_live_interview_per_candidate"
# What a reservation tells: the candidate that the request is in, the recruiter (when bound) the request.
RESERVATION_MESSAGES = (NotificationKind.RESERVATION_RECEIVED, NotificationKind.RECRUITER_NEW_REQUEST)


def slot_reserve(*, slot_id: int, candidate_id: int, now: dt.datetime | None = None) -> Slot:
    """A candidate asks for a free slot: it becomes pending under a new reservation id.

    The hottest transition, so its reads and writes are plain SQL (reservation_sql); the order
    of locks and every check are the same as in the other intents. One live interview per
    candidate is checked under the candidate lock and held by the database; a race the check
    could not see (a path that skipped the lock) gets the same friendly refusal.
    """
    try:
        return _slot_reserve(slot_id=slot_id, candidate_id=candidate_id, now=now)
    except IntegrityError as exc:
        constraint = getattr(getattr(exc.__cause__, "diag", None), "constraint_name", "")
        if constraint != ONE_LIVE_INTERVIEW:
            raise
        live = Slot.objects.filter(candidate_id=candidate_id, purpose=SlotPurpose.INTERVIEW, status__in=LIVE_STATUSES)
        held = live.values_list("pk", "reservation_id").first() or (None, None)
        raise AlreadyHasLiveSlot(slot_id=held[0], reservation_id=held[1]) from exc


@transaction.atomic
def _slot_reserve(*, slot_id: int, candidate_id: int, now: dt.datetime | None) -> Slot:
    now = now or timezone.now()
    candidate, slot, outbox_ids = reservation_sql.locks(
        candidate_id=candidate_id, slot_id=slot_id, outbox_ids=len(RESERVATION_MESSAGES)
    )
    if candidate is None or candidate.status in NOT_ELIGIBLE or candidate.test1_completed_at is None:
        raise CandidateNotEligible(candidate_id=candidate_id)
    if slot is None or slot.purpose != SlotPurpose.INTERVIEW:
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
    slot.status = target_status("reserve", slot)
    slot.candidate = candidate
    slot.reservation_id = uuid.uuid4()
    slot.reserved_at = now
    slot.decided_at = slot.confirmed_at = None
    candidate.city_id = slot.city_id
    candidate.status = CANDIDATE_STAGE_AFTER["reserve"]
    messages = [
        row
        for kind in RESERVATION_MESSAGES
        if (row := notification_build(kind=kind, slot=slot, candidate=candidate, reservation_id=slot.reservation_id))
    ]
    reservation_sql.reservation_write(
        slot=slot,
        from_status=from_status,
        candidate_stage=candidate.status,
        actor=Actor.CANDIDATE,
        outbox=outbox_writes(messages, outbox_ids),
    )
    transition_log(slot=slot, from_status=from_status, actor=Actor.CANDIDATE, reservation_id=slot.reservation_id)
    return slot


def lock_own_booking(*, reservation_id: uuid.UUID, candidate_id: int) -> tuple[Slot, Candidate]:
    slot, candidate = slot_lock(reservation_id=reservation_id)
    if candidate is None or candidate.pk != candidate_id:
        # Someone else's booking, or a button of a booking that is over: change nothing.
        raise StaleReservation(reservation_id=reservation_id)
    return slot, candidate


@transaction.atomic
def booking_confirm(*, reservation_id: uuid.UUID, candidate_id: int, now: dt.datetime | None = None) -> Slot:
    """«Подтверждаю»: the candidate confirms; they get the meeting details, the recruiter is told."""
    now = now or timezone.now()
    slot, candidate = lock_own_booking(reservation_id=reservation_id, candidate_id=candidate_id)
    target = target_status("confirm", slot)
    if slot.starts_at <= now:
        raise SlotInPast("Собеседование уже началось.", slot_id=slot.pk)
    from_status = slot.status
    slot.status = target
    slot.confirmed_at = now
    slot.save(update_fields=["status", "confirmed_at", "updated_at"])
    event_record(
        slot=slot, from_status=from_status, actor=Actor.CANDIDATE, candidate=candidate, reservation_id=reservation_id
    )
    candidate_stage_set(candidate, "confirm")
    notifications_cancel(
        reservation_id=reservation_id,
        kinds=[NotificationKind.CONFIRM_REQUEST],
        reason="кандидат уже подтвердил участие",
    )
    # The reminder was written at approval; now it can carry the meeting link or address.
    notifications_rerender(slot=slot, candidate=candidate, reservation_id=reservation_id)
    notifications_save(
        notification_build(kind=kind, slot=slot, candidate=candidate, reservation_id=reservation_id)
        for kind in (NotificationKind.MEETING_LINK, NotificationKind.RECRUITER_CANDIDATE_CONFIRMED)
    )
    return slot


def _candidate_release(intent: str, *, reservation_id: uuid.UUID, candidate_id: int, reason: str) -> Slot:
    slot, candidate = lock_own_booking(reservation_id=reservation_id, candidate_id=candidate_id)
    return slot_release(slot=slot, candidate=candidate, intent=intent, actor=Actor.CANDIDATE, reason=reason)


@transaction.atomic
def booking_decline(*, reservation_id: uuid.UUID, candidate_id: int) -> Slot:
    """«Не смогу»: the slot is freed and the recruiter told; the bot offers other times."""
    return _candidate_release(
        "decline", reservation_id=reservation_id, candidate_id=candidate_id, reason="кандидат не сможет"
    )


@transaction.atomic
def booking_cancel(*, reservation_id: uuid.UUID, candidate_id: int, reason: str = "") -> Slot:
    """«Отменить запись»: the candidate withdraws; the slot is freed and the recruiter told."""
    return _candidate_release(
        "candidate_cancel",
        reservation_id=reservation_id,
        candidate_id=candidate_id,
        reason=reason or "кандидат отменил запись",
    )


def candidate_bookings_release(
    *, candidate_id: int, reason: str, upcoming_only: bool = False, now: dt.datetime | None = None
) -> list[uuid.UUID]:
    """Release the candidate's live bookings as their own cancellation (the recruiter is told); their ids.

    Called under the caller's lock on the candidate (consent withdrawn, erasure). upcoming_only
    keeps bookings whose interview is already over, waiting for the recruiter's outcome.
    """
    # A meeting whose outcome is recorded is history, not a booking to release.
    slots = Slot.objects.filter(candidate_id=candidate_id, status__in=LIVE_STATUSES, outcome="")
    if upcoming_only:
        slots = slots.filter(upcoming_live(now or timezone.now()))
    bookings = list(slots.order_by("starts_at").values_list("reservation_id", "purpose"))
    for reservation_id, purpose in bookings:
        # An intro day ends as the candidate's «Не смогу»: the interview's cancel does not apply to it.
        intent = "intro_decline" if purpose == SlotPurpose.INTRO_DAY else "candidate_cancel"
        with transaction.atomic():
            _candidate_release(intent, reservation_id=reservation_id, candidate_id=candidate_id, reason=reason)
    return [reservation_id for reservation_id, _ in bookings]
