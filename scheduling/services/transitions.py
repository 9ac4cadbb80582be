"""The machinery every slot transition shares: the one transitions table, the lock order, the audit event, release.

Lock order is always the candidate row, then the slot row, so two intents never deadlock. Each
intent (decisions.py, booking.py, expiry.py) runs in one transaction, checks the current status
against TRANSITIONS, writes the slot, a SlotEvent and the outbox rows the change implies.
Nothing here talks to Telegram: the outbox rows reach the worker only after commit.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from django.utils import timezone

from candidates.models import Candidate, CandidateStatus, RejectedStage
from notifications.card import decider_name, result_line
from notifications.models import NotificationKind
from notifications.services import (
    notification_build,
    notifications_cancel,
    notifications_save,
    request_card_close,
)
from scheduling.errors import (
    SlotNotFound,
    SlotTaken,
    StaleReservation,
    TransitionNotAllowed,
)
from scheduling.models import Slot, SlotEvent, SlotStatus

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
    # The intro day (intro_day.py): created for an invited candidate, «Приду», «Не смогу»; cancel_slot serves both.
    "intro_invite": {S.FREE: S.BOOKED},
    "intro_confirm": {S.BOOKED: S.CONFIRMED},
    "intro_decline": {S.BOOKED: S.FREE, S.CONFIRMED: S.FREE},
}
INTRO_INTENTS = frozenset({"intro_invite", "intro_confirm", "intro_decline"})
EITHER_PURPOSE_INTENTS = frozenset({"cancel_slot"})

# Candidates in these stages may not take a slot: not screened yet, screened out, or gone.
NOT_ELIGIBLE = {
    CandidateStatus.NEW,
    CandidateStatus.CONSENT_DECLINED,
    CandidateStatus.IN_TEST1,
    CandidateStatus.KNOCKED_OUT,
    CandidateStatus.REJECTED,
    CandidateStatus.ERASED,
}

CANDIDATE_STAGE_AFTER = {
    "reserve": CandidateStatus.WAITING_DECISION,
    "approve": CandidateStatus.SCHEDULED,
    "confirm": CandidateStatus.CONFIRMED,
    "reschedule": CandidateStatus.CHOOSING_SLOT,
    "reject": CandidateStatus.REJECTED,
    "decline": CandidateStatus.CHOOSING_SLOT,
    "candidate_cancel": CandidateStatus.CHOOSING_SLOT,
    "cancel_slot": CandidateStatus.CHOOSING_SLOT,
    "expire": CandidateStatus.CHOOSING_SLOT,
    "intro_invite": CandidateStatus.INTRO_DAY_INVITED,
    "intro_confirm": CandidateStatus.INTRO_DAY_CONFIRMED,
    "intro_decline": CandidateStatus.TEST2_PASSED,
}
# An intro day that ends early leaves the candidate where Тест 2 left them: ready for another invitation.
INTRO_STAGE_AFTER = {"cancel_slot": CandidateStatus.TEST2_PASSED}

# Who is told when a booking ends, by the intent that ended it.
K = NotificationKind
RELEASE_NOTICES: dict[str, tuple[str, ...]] = {
    "reschedule": (K.RESCHEDULE_REQUESTED,),
    "reject": (K.REJECTED,),
    "cancel_slot": (K.SLOT_CANCELED,),
    "decline": (K.RECRUITER_CANDIDATE_DECLINED,),
    "candidate_cancel": (K.RECRUITER_CANDIDATE_CANCELED,),
    "expire": (K.PENDING_EXPIRED, K.RECRUITER_PENDING_EXPIRED),
    "intro_decline": (K.RECRUITER_INTRO_DECLINED,),
}
# An intro day's release never reuses an interview's words (no «выберите другое время»).
INTRO_RELEASE_NOTICES: dict[str, tuple[str, ...]] = {"cancel_slot": (K.INTRO_DAY_CANCELED,)}

BOOKING_FIELDS = ["status", "candidate", "reservation_id", "reserved_at", "decided_at", "confirmed_at"]


def target_status(intent: str, slot: Slot) -> str:
    target = TRANSITIONS[intent].get(slot.status)
    if intent not in EITHER_PURPOSE_INTENTS and (intent in INTRO_INTENTS) != slot.is_intro_day:
        target = None  # an interview's intent on an intro day, or the other way round
    if target is None:
        raise TransitionNotAllowed(
            f"«{intent}» невозможно для слота в статусе «{slot.get_status_display()}».",
            slot_id=slot.pk,
            status=slot.status,
            intent=intent,
        )
    return target


def slot_lock(*, slot_id: int | None = None, reservation_id: uuid.UUID | None = None) -> tuple[Slot, Candidate | None]:
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


def booking_lock(
    *, slot_id: int | None = None, reservation_id: uuid.UUID | None = None, pending_only: bool = False
) -> tuple[Slot, Candidate | None]:
    """Lock a slot by id, or by the booking it must still hold (a button names the booking it was sent for).

    pending_only: act only while the booking is still an undecided request (the recruiter's card).
    """
    if slot_id is None and reservation_id is None:
        raise ValueError("booking_lock needs a slot id or a reservation id")
    slot, candidate = slot_lock(slot_id=slot_id, reservation_id=reservation_id)
    if reservation_id is not None and slot.reservation_id != reservation_id:
        raise StaleReservation(reservation_id=reservation_id)
    if pending_only and slot.status != SlotStatus.PENDING:
        raise TransitionNotAllowed("Заявка уже рассмотрена.", slot_id=slot.pk, status=slot.status)
    return slot, candidate


def request_closed(
    *, slot: Slot, reservation_id: uuid.UUID, intent: str, via: str = "", actor_user: Any = None, reason: str = ""
) -> None:
    """A request left `pending`: its decision card (if sent) is edited into the result after commit."""
    who = decider_name(via=via, recruiter=slot.recruiter, actor_user=actor_user) if via else ""
    request_card_close(
        reservation_id=reservation_id,
        result=result_line(
            intent=intent, at=timezone.now(), tz=slot.recruiter.tz, via=via, who=who, reason=reason if via else ""
        ),
    )


def event_record(
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
    transition_log(slot=slot, from_status=from_status, actor=actor, reservation_id=reservation_id)


def transition_log(*, slot: Slot, from_status: str, actor: str, reservation_id: uuid.UUID | None) -> None:
    logger.info(
        "slot %s %s -> %s by %s reservation_id=%s",
        slot.pk,
        from_status,
        slot.status,
        actor,
        reservation_id,
        extra={"reservation_id": reservation_id},
    )


def candidate_stage_set(candidate: Candidate | None, intent: str, *, intro_day: bool = False) -> None:
    if candidate is None or candidate.status == CandidateStatus.ERASED:
        return
    candidate.status = (intro_day and INTRO_STAGE_AFTER.get(intent)) or CANDIDATE_STAGE_AFTER[intent]
    if candidate.status == CandidateStatus.REJECTED:
        candidate.rejected_stage = RejectedStage.INTERVIEW  # a recruiter's «Отказать» on a request or booking
    candidate.save(update_fields=["status", "rejected_stage", "last_activity_at"])


def slot_release(
    *,
    slot: Slot,
    candidate: Candidate | None,
    intent: str,
    actor: str,
    actor_user: Any = None,
    reason: str = "",
    via: str = "",
) -> Slot:
    """Free (or cancel) a live slot: cancel its unsent messages, tell whoever must be told.

    via: where a recruiter decided (Telegram or the admin), for the request's card.
    """
    from_status = slot.status
    target = target_status(intent, slot)
    if slot.outcome:
        # The meeting happened and its outcome is recorded (Тест 2 may be under way): an old «Отменить запись»
        # or a late cancel must not rewind the candidate to choosing a slot.
        raise TransitionNotAllowed(
            f"Итог уже записан: {slot.get_outcome_display()}.", slot_id=slot.pk, status=slot.status, intent=intent
        )
    reservation_id = slot.reservation_id
    if reservation_id is not None:
        notifications_cancel(reservation_id=reservation_id, reason=f"{intent}: {reason}".strip(": "))
    slot.status = target
    slot.candidate = None
    slot.reservation_id = None
    slot.reserved_at = slot.decided_at = slot.confirmed_at = None
    slot.save(update_fields=[*BOOKING_FIELDS, "updated_at"])
    event_record(
        slot=slot,
        from_status=from_status,
        actor=actor,
        candidate=candidate,
        reservation_id=reservation_id,
        actor_user=actor_user,
        reason=reason,  # only what a person wrote: an empty reason means none was given
    )
    if from_status == SlotStatus.PENDING and reservation_id is not None:
        request_closed(
            slot=slot, reservation_id=reservation_id, intent=intent, via=via, actor_user=actor_user, reason=reason
        )
    if candidate is not None and reservation_id is not None:
        notices = (slot.is_intro_day and INTRO_RELEASE_NOTICES.get(intent)) or RELEASE_NOTICES[intent]
        notifications_save(
            notification_build(kind=kind, slot=slot, candidate=candidate, reservation_id=reservation_id)
            for kind in notices
        )
        candidate_stage_set(candidate, intent, intro_day=slot.is_intro_day)
    return slot
