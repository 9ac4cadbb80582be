"""Reads that more than one caller needs: the bot's lists, the admin's counters."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone

from candidates.models import CandidateStatus
from scheduling.models import (
    LIVE_STATUSES,
    Actor,
    City,
    Recruiter,
    Slot,
    SlotEvent,
    SlotOutcome,
    SlotPurpose,
    SlotStatus,
)
from scheduling.sql_rows import converted, fetch


def city_list_active() -> QuerySet[City]:
    """Active cities that have at least one active recruiter: the candidate's city buttons."""
    return City.objects.filter(is_active=True, recruiters__is_active=True).distinct().order_by("name")


@dataclass(frozen=True)
class FreeSlot:
    """A free slot as the bot lists it: plain values, no model instances to build."""

    slot_id: int
    starts_at: dt.datetime
    recruiter_name: str


# Every tap on a recruiter and every «Обновить» runs this; written out once (scheduling.sql_rows says why).
_FREE_SLOTS = (
    f"SELECT s.id, s.starts_at, r.name FROM {Slot._meta.db_table} s "
    f"JOIN {Recruiter._meta.db_table} r ON r.id = s.recruiter_id JOIN {City._meta.db_table} c ON c.id = s.city_id "
    "WHERE s.recruiter_id = %s AND s.city_id = %s AND s.status = %s AND s.purpose = %s AND s.starts_at > %s "
    "AND r.is_active AND c.is_active ORDER BY s.starts_at LIMIT %s"
)
_FREE_SLOT_COLUMNS = ("id", "starts_at")
_STARTS_AT = Slot._meta.get_field("starts_at")


def slot_list_free(
    *, recruiter_id: int, city_id: int, now: dt.datetime | None = None, limit: int = 24
) -> list[FreeSlot]:
    """A recruiter's free future slots in a city, soonest first."""
    now = _STARTS_AT.get_db_prep_value(now or timezone.now(), connection)
    rows = fetch(_FREE_SLOTS, [recruiter_id, city_id, SlotStatus.FREE, SlotPurpose.INTERVIEW, now, limit])
    free = []
    for *slot_values, name in rows:
        pk, starts_at = converted(Slot, _FREE_SLOT_COLUMNS, slot_values)  # SQLite returns the time as text
        free.append(FreeSlot(slot_id=pk, starts_at=starts_at, recruiter_name=name))
    return free


@dataclass(frozen=True)
class RecruiterOffer:
    """A recruiter serving the city, with the nearest free slot and how many are free."""

    recruiter_id: int
    name: str
    nearest_at: dt.datetime
    free_count: int


def recruiter_list_with_free_slots(*, city_id: int, now: dt.datetime | None = None) -> list[RecruiterOffer]:
    """Active recruiters with free future slots in the city, nearest first, in one query."""
    now = now or timezone.now()
    free = Q(
        slots__status=SlotStatus.FREE,
        slots__purpose=SlotPurpose.INTERVIEW,
        slots__starts_at__gt=now,
        slots__city_id=city_id,
    )
    rows = (
        Recruiter.objects.filter(is_active=True, cities__id=city_id, cities__is_active=True)
        .annotate(nearest_at=Min("slots__starts_at", filter=free), free_count=Count("slots", filter=free))
        .filter(free_count__gt=0)
        .order_by("nearest_at", "name")
        .values_list("pk", "name", "nearest_at", "free_count")
    )
    return [RecruiterOffer(recruiter_id=pk, name=name, nearest_at=at, free_count=n) for pk, name, at, n in rows]


def upcoming_live(now: dt.datetime) -> Q:
    """Live bookings that are not over: an undecided request, or an interview that has not ended."""
    return Q(status=SlotStatus.PENDING) | Q(status__in=LIVE_STATUSES, ends_at__gt=now)


def slot_get_live_by_reservation(*, candidate_id: int, reservation_id: uuid.UUID) -> Slot | None:
    """The candidate's own live booking under this reservation id, or None (someone else's, or over)."""
    return (
        Slot.objects.filter(reservation_id=reservation_id, candidate_id=candidate_id, status__in=LIVE_STATUSES)
        .select_related("recruiter", "city")
        .first()
    )


def slot_get_by_reservation(*, reservation_id: uuid.UUID) -> Slot | None:
    """The slot that holds this reservation now, with its recruiter and candidate, or None (released since)."""
    return Slot.objects.filter(reservation_id=reservation_id).select_related("recruiter", "candidate").first()


def slot_get_live_for_candidate(*, candidate_id: int) -> Slot | None:
    """The candidate's live interview booking (an intro day is not one: it has its own messages)."""
    return (
        Slot.objects.filter(candidate_id=candidate_id, status__in=LIVE_STATUSES, purpose=SlotPurpose.INTERVIEW)
        .select_related("recruiter", "city")
        .order_by("starts_at")
        .first()
    )


STATUS_COUNTER_KEYS = [s.value for s in SlotStatus]
# Outcomes that mean the candidate came: «прошёл» and «не прошёл» are recorded only for someone who did.
CAME_OUTCOMES = (SlotOutcome.ATTENDED, SlotOutcome.PASSED, SlotOutcome.FAILED)


def slot_counters(queryset: QuerySet[Slot] | None = None) -> dict[str, int]:
    """Slots per status (confirmed and canceled included), attended, no-show and the total, in one query."""
    qs = Slot.objects.all() if queryset is None else queryset
    aggregates = {key: Count("pk", filter=Q(status=key)) for key in STATUS_COUNTER_KEYS}
    aggregates["attended"] = Count("pk", filter=Q(outcome__in=CAME_OUTCOMES))
    aggregates["no_show"] = Count("pk", filter=Q(outcome=SlotOutcome.NO_SHOW))
    aggregates["total"] = Count("pk")
    return qs.order_by().aggregate(**aggregates)


# The recruiter's home page: what needs them now. Each list is one query, whatever its length.


def slot_list_awaiting_decision(*, recruiter_id: int | None = None, limit: int = 50) -> list[Slot]:
    """Undecided requests, the longest-waiting first: one recruiter's, or everyone's when recruiter_id is None."""
    qs = Slot.objects.filter(status=SlotStatus.PENDING)
    if recruiter_id is not None:
        qs = qs.filter(recruiter_id=recruiter_id)
    return list(qs.select_related("recruiter", "city", "candidate").order_by("reserved_at", "starts_at")[:limit])


def slot_list_interviews_between(
    *, start: dt.datetime, end: dt.datetime, recruiter_id: int | None = None
) -> list[Slot]:
    """Approved or confirmed interviews that start in [start, end), soonest first."""
    qs = Slot.objects.filter(
        status__in=(SlotStatus.BOOKED, SlotStatus.CONFIRMED),
        purpose=SlotPurpose.INTERVIEW,
        starts_at__gte=start,
        starts_at__lt=end,
    )
    if recruiter_id is not None:
        qs = qs.filter(recruiter_id=recruiter_id)
    return list(qs.select_related("recruiter", "city", "candidate").order_by("starts_at"))


def recruiter_list_without_telegram() -> list[Recruiter]:
    """Active recruiters who have not bound a Telegram chat: no request reaches them until they do."""
    return list(Recruiter.objects.filter(is_active=True, telegram_chat_id__isnull=True).order_by("name"))


def candidate_rejection_reason(*, candidate_id: int) -> str:
    """«Причина отсева»: what the recruiter wrote when rejecting the candidate; empty if not rejected or unsaid.

    A rejection frees the slot and leaves the candidate rejected (no later booking is possible), so
    the rejecting event is the candidate's latest release by a recruiter.
    """
    reason = (
        SlotEvent.objects.filter(
            candidate_id=candidate_id,
            candidate__status=CandidateStatus.REJECTED,
            actor=Actor.RECRUITER,
            to_status=SlotStatus.FREE,
        )
        .order_by("-created_at", "-id")
        .values_list("reason", flat=True)
        .first()
    )
    return reason or ""


# The recruiter's agenda in Telegram (/today, /week, the morning digest).


def recruiter_get_by_chat(*, chat_id: int) -> Recruiter | None:
    """The recruiter whose Telegram chat this is, or None (a candidate, or nobody we know).

    A deactivated recruiter's chat is still theirs: it must not turn into a candidate's on /start.
    """
    return Recruiter.objects.filter(telegram_chat_id=chat_id).first()


def slot_list_agenda(*, recruiter_id: int, start: dt.datetime, end: dt.datetime) -> list[Slot]:
    """A recruiter's live bookings (undecided, agreed, confirmed), intro days included, starting in [start, end)."""
    return list(
        Slot.objects.filter(
            recruiter_id=recruiter_id,
            status__in=LIVE_STATUSES,
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .select_related("candidate", "recruiter")
        .order_by("starts_at", "pk")
    )
