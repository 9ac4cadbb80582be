"""The intro day (ознакомительный день): the recruiter invites a candidate who passed Тест 2; «Приду» / «Не смогу».

An intro day is a slot with purpose `intro_day`, created live (booked = invited) for one candidate, so it
shares the slot's machinery: the one transitions table, the lock order (candidate, then recruiter, then
slot), event rows, reservation-keyed buttons and outbox rows. The database holds the rules: one live
intro day per candidate, and an intro day never overlaps the recruiter's interviews (intro days may
overlap each other: a group comes at once). A freed intro day of the same time is given to the next
invited candidate under a new reservation id, so they get fresh messages.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from candidates.models import Candidate, CandidateStatus, Test2Attempt
from notifications.conversation.time_labels import date_time_label
from notifications.models import NotificationKind, NotificationStatus
from notifications.services import notification_build, notifications_save
from scheduling.errors import AlreadyHasLiveSlot, CandidateNotEligible, InvalidInput, SlotInPast, SlotOverlap
from scheduling.models import LIVE_STATUSES, Actor, Slot, SlotPurpose, SlotStatus
from scheduling.services.booking import lock_own_booking
from scheduling.services.transitions import candidate_stage_set, event_record, slot_release, target_status

INTRO_REMINDER_BEFORE = dt.timedelta(hours=3)
ONE_LIVE_INTRO = "slot_one_live_intro_day_per_candidate"
NO_OVERLAP_WITH_INTERVIEWS = "slot_recruiter_no_overlap_purposes"


def _already_invited(candidate_id: int) -> AlreadyHasLiveSlot:
    live = (
        Slot.objects.filter(candidate_id=candidate_id, purpose=SlotPurpose.INTRO_DAY, status__in=LIVE_STATUSES)
        .select_related("city")
        .first()
    )
    when = f" на {date_time_label(live.starts_at, live.city.tz)} ({live.city.tz})" if live else ""
    return AlreadyHasLiveSlot(
        f"Кандидат уже приглашён на ознакомительный день{when}.",
        slot_id=live.pk if live else None,
        reservation_id=live.reservation_id if live else None,
    )


def _interview_in_the_way(recruiter_id: int, starts_at: dt.datetime, ends_at: dt.datetime) -> Slot | None:
    return (
        Slot.objects.filter(
            recruiter_id=recruiter_id, purpose=SlotPurpose.INTERVIEW, starts_at__lt=ends_at, ends_at__gt=starts_at
        )
        .exclude(status=SlotStatus.CANCELED)
        .select_related("city")
        .order_by("starts_at")
        .first()
    )


@transaction.atomic
def intro_day_invite(
    *,
    candidate_id: int,
    starts_at: dt.datetime,
    address: str,
    contact: str,
    note: str = "",
    duration_min: int | None = None,
    actor_user: Any = None,
    now: dt.datetime | None = None,
) -> Slot:
    """Invite a candidate who passed Тест 2 to an intro day with the recruiter who interviewed them."""
    now = now or timezone.now()
    address, contact, note = address.strip(), contact.strip(), note.strip()
    if not address or not contact:
        raise InvalidInput("Укажите адрес и контактное лицо.")
    if timezone.is_naive(starts_at):
        raise InvalidInput("Время должно быть с часовым поясом.")
    if starts_at <= now:
        raise SlotInPast("Время ознакомительного дня уже прошло.")
    candidate = Candidate.objects.select_for_update().get(pk=candidate_id)
    if candidate.status in (CandidateStatus.INTRO_DAY_INVITED, CandidateStatus.INTRO_DAY_CONFIRMED):
        raise _already_invited(candidate_id)
    attempt = (
        Test2Attempt.objects.filter(candidate_id=candidate_id, passed=True)
        .select_related("slot__recruiter", "slot__city")
        .order_by("-finished_at")
        .first()
    )
    if attempt is None or candidate.status != CandidateStatus.TEST2_PASSED:
        raise CandidateNotEligible("Пригласить на ознакомительный день можно только прошедшего Тест 2.")
    recruiter, city = attempt.slot.recruiter, attempt.slot.city
    type(recruiter).objects.select_for_update().filter(pk=recruiter.pk).first()  # serialises slot creation
    ends_at = starts_at + dt.timedelta(minutes=duration_min or settings.DEFAULT_SLOT_DURATION_MIN)
    blocking = _interview_in_the_way(recruiter.pk, starts_at, ends_at)
    if blocking is not None:
        raise SlotOverlap(
            f"В это время у рекрутёра собеседование ({date_time_label(blocking.starts_at, city.tz)}, {city.tz}).",
            slot_id=blocking.pk,
        )
    slot = (
        Slot.objects.select_for_update()
        .filter(
            purpose=SlotPurpose.INTRO_DAY,
            recruiter=recruiter,
            city=city,
            starts_at=starts_at,
            ends_at=ends_at,
            status=SlotStatus.FREE,
        )
        .first()
    )
    if slot is None:
        slot = Slot(recruiter=recruiter, city=city, purpose=SlotPurpose.INTRO_DAY, starts_at=starts_at)
        slot.duration_min, slot.ends_at = int((ends_at - starts_at).total_seconds() // 60), ends_at
    slot.recruiter, slot.city = recruiter, city
    from_status = slot.status
    slot.status = target_status("intro_invite", slot)
    slot.candidate, slot.reservation_id = candidate, uuid.uuid4()
    slot.reserved_at = slot.decided_at = now
    slot.confirmed_at, slot.outcome, slot.outcome_note = None, "", ""
    slot.intro_address, slot.intro_contact, slot.intro_note = address, contact, note
    try:
        with transaction.atomic():
            slot.save()
    except IntegrityError as exc:
        raise _refusal(exc, candidate_id=candidate_id) from exc
    event_record(
        slot=slot,
        from_status=from_status,
        actor=Actor.RECRUITER,
        candidate=candidate,
        reservation_id=slot.reservation_id,
        actor_user=actor_user,
        reason="приглашение на ознакомительный день",
    )
    candidate_stage_set(candidate, "intro_invite")
    notifications_save(_invitation_rows(slot, candidate, now=now))
    return slot


def _refusal(exc: IntegrityError, *, candidate_id: int) -> Exception:
    """A race the checks above could not see, told in the same words as the check (the DB is the last word)."""
    constraint = getattr(getattr(exc.__cause__, "diag", None), "constraint_name", "") or ""
    if constraint == ONE_LIVE_INTRO:
        return _already_invited(candidate_id)
    if constraint.startswith("slot_recruiter_no_overlap"):
        return SlotOverlap("В это время у рекрутёра собеседование.")
    return exc


def _invitation_rows(slot: Slot, candidate: Candidate, *, now: dt.datetime) -> list[Any]:
    remind_at = slot.starts_at - INTRO_REMINDER_BEFORE
    rid = slot.reservation_id
    return [
        notification_build(
            kind=NotificationKind.INTRO_DAY_INVITATION, slot=slot, candidate=candidate, reservation_id=rid, due_at=now
        ),
        # Invited inside the last three hours: the invitation itself is the reminder.
        notification_build(
            kind=NotificationKind.INTRO_DAY_REMINDER,
            slot=slot,
            candidate=candidate,
            reservation_id=rid,
            due_at=remind_at,
            status=NotificationStatus.SKIPPED if now >= remind_at else NotificationStatus.PENDING,
        ),
        notification_build(
            kind=NotificationKind.RECRUITER_INTRO_ATTENDANCE,
            slot=slot,
            candidate=candidate,
            reservation_id=rid,
            due_at=slot.ends_at,
        ),
    ]


@transaction.atomic
def intro_day_confirm(*, reservation_id: uuid.UUID, candidate_id: int, now: dt.datetime | None = None) -> Slot:
    """«Приду»: the candidate confirms the intro day; the recruiter is told."""
    now = now or timezone.now()
    slot, candidate = lock_own_booking(reservation_id=reservation_id, candidate_id=candidate_id)
    target = target_status("intro_confirm", slot)
    if slot.starts_at <= now:
        raise SlotInPast("Ознакомительный день уже начался.", slot_id=slot.pk)
    from_status = slot.status
    slot.status, slot.confirmed_at = target, now
    slot.save(update_fields=["status", "confirmed_at", "updated_at"])
    event_record(
        slot=slot, from_status=from_status, actor=Actor.CANDIDATE, candidate=candidate, reservation_id=reservation_id
    )
    candidate_stage_set(candidate, "intro_confirm")
    notifications_save(
        [
            notification_build(
                kind=NotificationKind.RECRUITER_INTRO_CONFIRMED,
                slot=slot,
                candidate=candidate,
                reservation_id=reservation_id,
            )
        ]
    )
    return slot


@transaction.atomic
def intro_day_decline(*, reservation_id: uuid.UUID, candidate_id: int) -> Slot:
    """«Не смогу»: the intro day is released (its reminder canceled) and the recruiter told; they may invite again."""
    slot, candidate = lock_own_booking(reservation_id=reservation_id, candidate_id=candidate_id)
    return slot_release(
        slot=slot, candidate=candidate, intent="intro_decline", actor=Actor.CANDIDATE, reason="кандидат не сможет"
    )
