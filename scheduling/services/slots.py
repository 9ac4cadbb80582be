"""Creating free slots: one at a time or from a working pattern, never overlapping, never in the past."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from scheduling.errors import CityNotServed, InvalidInput, SlotInPast, SlotOverlap
from scheduling.models import Recruiter, Slot, SlotStatus
from scheduling.slot_planning import SlotPattern, slot_starts


def _overlapping(recruiter_id: int, starts_at: dt.datetime, ends_at: dt.datetime) -> Any:
    return Slot.objects.filter(recruiter_id=recruiter_id, starts_at__lt=ends_at, ends_at__gt=starts_at).exclude(
        status=SlotStatus.CANCELED
    )


@transaction.atomic
def slot_create(
    *,
    recruiter_id: int,
    city_id: int,
    starts_at: dt.datetime,
    duration_min: int | None = None,
    now: dt.datetime | None = None,
) -> Slot:
    """Create one free slot; refuses the past, a city the recruiter does not serve, and overlaps."""
    now = now or timezone.now()
    duration = duration_min or settings.DEFAULT_SLOT_DURATION_MIN
    if timezone.is_naive(starts_at):
        raise InvalidInput("Время слота должно быть с часовым поясом.")
    if duration <= 0:
        raise InvalidInput("Длительность должна быть положительной.")
    recruiter = Recruiter.objects.select_for_update().get(pk=recruiter_id)
    if not recruiter.cities.filter(pk=city_id).exists():
        raise CityNotServed(recruiter_id=recruiter_id, city_id=city_id)
    if starts_at <= now:
        raise SlotInPast(starts_at=starts_at)
    ends_at = starts_at + dt.timedelta(minutes=duration)
    if _overlapping(recruiter_id, starts_at, ends_at).exists():
        raise SlotOverlap(starts_at=starts_at)
    return Slot.objects.create(
        recruiter=recruiter, city_id=city_id, starts_at=starts_at, duration_min=duration, ends_at=ends_at
    )


@dataclass(frozen=True)
class BulkCreateReport:
    """What a bulk creation did: created starts, and the ones skipped with why."""

    created: list[dt.datetime]
    skipped_overlap: list[dt.datetime]
    skipped_past: list[dt.datetime]


@transaction.atomic
def slots_create_bulk(
    *, recruiter_id: int, city_id: int, pattern: SlotPattern, dry_run: bool = False, now: dt.datetime | None = None
) -> BulkCreateReport:
    """Create the free slots a pattern describes, skipping past and overlapping times (dry_run: only count)."""
    now = now or timezone.now()
    starts = slot_starts(pattern)
    # The recruiter row lock serialises slot creation per recruiter, so the overlap check holds.
    recruiter = Recruiter.objects.select_for_update().get(pk=recruiter_id)
    if not recruiter.cities.filter(pk=city_id).exists():
        raise CityNotServed(recruiter_id=recruiter_id, city_id=city_id)
    length = dt.timedelta(minutes=pattern.duration)
    busy: list[tuple[dt.datetime, dt.datetime]] = []
    if starts:
        busy = list(_overlapping(recruiter_id, starts[0], starts[-1] + length).values_list("starts_at", "ends_at"))
    created: list[dt.datetime] = []
    skipped_overlap: list[dt.datetime] = []
    skipped_past: list[dt.datetime] = []
    for start in starts:
        end = start + length
        if start <= now:
            skipped_past.append(start)
        elif any(b_start < end and b_end > start for b_start, b_end in busy):
            skipped_overlap.append(start)
        else:
            created.append(start)
            busy.append((start, end))
    if not dry_run:
        Slot.objects.bulk_create(
            Slot(
                recruiter=recruiter,
                city_id=city_id,
                starts_at=start,
                duration_min=pattern.duration,
                ends_at=start + length,
            )
            for start in created
        )
    return BulkCreateReport(created=created, skipped_overlap=skipped_overlap, skipped_past=skipped_past)
