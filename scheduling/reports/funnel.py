"""The hiring funnel: how far the candidates who started in a period got, by stage, in a few queries.

Cohort: candidates who pressed /start (Candidate.created_at) inside the period, sandbox ones left out.
Each stage counts the candidates of that cohort who ever reached it, up to now, from stored facts:
the candidate row (consent, Тест 1, status and knockout reason), the slot events (every transition
writes one: see scheduling/services/transitions.py) and the slot's recorded outcome. Counting per
cohort keeps conversions ≤ 100 % and lets the period's parts (days, weeks) add up to its total.

With a recruiter in scope the cohort is the candidates who sent that recruiter a request, and the
slot stages count only events on that recruiter's slots: stages before the request belong to nobody.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Aggregate, Count, DurationField, Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import TruncDay, TruncWeek
from django.db.models.lookups import Exact

from candidates.models import Candidate, CandidateStatus
from scheduling.models import Actor, Slot, SlotEvent, SlotOutcome
from scheduling.models import SlotStatus as S

# Stages in the order a candidate meets them: (key, label, the stage its conversion is taken from).
# The main path runs started → attended; the others are where candidates leave it.
STAGES: list[tuple[str, str, str]] = [
    ("started", "Начали (/start)", ""),
    ("consented", "Дали согласие", "started"),
    ("knocked_out", "Отсеяны в Тесте 1", "consented"),
    ("test1", "Прошли Тест 1", "consented"),
    ("requested", "Отправили заявку", "test1"),
    ("expired", "Заявка истекла без решения", "requested"),
    ("canceled", "Отменили сами", "requested"),
    ("rejected", "Отказ рекрутёра", "requested"),
    ("approved", "Согласовано", "requested"),
    ("confirmed", "Подтвердили участие", "approved"),
    ("no_show", "Не пришли", "approved"),
    ("attended", "Пришли на собеседование", "approved"),
]
MAIN_PATH = ["started", "consented", "test1", "requested", "approved", "confirmed", "attended"]
# Before a request a candidate belongs to no recruiter: these stages are not shown in a recruiter's scope.
BEFORE_REQUEST = {"started", "consented", "knocked_out", "test1"}
TREND_SERIES = ["requested", "approved", "attended"]
ATTENDED_OUTCOMES = [SlotOutcome.ATTENDED, SlotOutcome.PASSED, SlotOutcome.FAILED]
# Up to two weeks the trend is drawn by day, longer periods by week.
DAILY_UP_TO = dt.timedelta(days=14)


@dataclass(frozen=True)
class FunnelFilters:
    """What the report is about: [start, end) in the viewer's zone, and optional narrowing ids."""

    start: dt.datetime
    end: dt.datetime
    tz: dt.tzinfo
    city_id: int | None = None
    recruiter_id: int | None = None
    vacancy_id: int | None = None
    source_id: int | None = None


@dataclass(frozen=True)
class Stage:
    key: str
    label: str
    count: int | None  # None: not defined in this scope (a recruiter's, before the request)
    base_key: str
    base_label: str
    conversion: float | None  # percent of the base stage
    is_main: bool


@dataclass(frozen=True)
class TrendPoint:
    start: dt.date
    values: dict[str, int]


@dataclass(frozen=True)
class CitySlots:
    city: str
    offered: int
    used: int

    @property
    def share(self) -> float | None:
        return 100 * self.used / self.offered if self.offered else None


@dataclass(frozen=True)
class Funnel:
    filters: FunnelFilters
    stages: list[Stage]
    knockouts: list[tuple[str, int]]
    trend: list[TrendPoint]
    trend_by_day: bool
    decisions: int
    decision_p50: dt.timedelta | None
    decision_p90: dt.timedelta | None
    no_show_rate: float | None
    slots_by_city: list[CitySlots] = field(default_factory=list)

    def count(self, key: str) -> int | None:
        return next(stage.count for stage in self.stages if stage.key == key)


class PercentileCont(Aggregate):
    """PostgreSQL's percentile_cont (an ordered-set aggregate Django does not ship); works on intervals."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(self, expression: F, fraction: float, **extra: object) -> None:
        super().__init__(expression, fraction=float(fraction), output_field=DurationField(), **extra)


def _events(filters: FunnelFilters) -> QuerySet[SlotEvent]:
    """The slot events of the outer candidate (of the recruiter in scope)."""
    events = SlotEvent.objects.filter(candidate_id=OuterRef("pk"))
    return events.filter(slot__recruiter_id=filters.recruiter_id) if filters.recruiter_id else events


def _slots(filters: FunnelFilters) -> QuerySet[Slot]:
    slots = Slot.objects.filter(candidate_id=OuterRef("pk"))
    return slots.filter(recruiter_id=filters.recruiter_id) if filters.recruiter_id else slots


def _stage_conditions(filters: FunnelFilters) -> dict[str, Q]:
    """Stage key → the condition a cohort candidate meets once they reached it (how each fact is read)."""
    events = _events(filters)
    rejected = Q(status=CandidateStatus.REJECTED)
    if filters.recruiter_id:
        # A rejected candidate may not book again, so the rejection is their last slot event: whose slot it was.
        last_recruiter = Subquery(
            SlotEvent.objects.filter(candidate_id=OuterRef("pk"))
            .order_by("-created_at", "-id")
            .values("slot__recruiter_id")[:1]
        )
        rejected &= Q(Exact(last_recruiter, Value(filters.recruiter_id)))
    return {
        "started": Q(pk__isnull=False),
        "consented": Q(consent_given_at__isnull=False),
        "knocked_out": Q(status=CandidateStatus.KNOCKED_OUT),
        "test1": Q(test1_completed_at__isnull=False),
        "requested": Q(Exists(events.filter(from_status=S.FREE, to_status=S.PENDING))),
        # An undecided request freed by the system is the expiry (expiry.py); the recruiter's own
        # releases are reschedule or reject, told apart by the candidate's status (reject is final).
        "expired": Q(Exists(events.filter(actor=Actor.SYSTEM, from_status=S.PENDING, to_status=S.FREE))),
        # The candidate freeing a slot: cancel (any live status) or «Не смогу» (booked or confirmed).
        "canceled": Q(Exists(events.filter(actor=Actor.CANDIDATE, to_status=S.FREE))),
        "rejected": rejected,
        "approved": Q(Exists(events.filter(from_status=S.PENDING, to_status=S.BOOKED))),
        "confirmed": Q(Exists(events.filter(from_status=S.BOOKED, to_status=S.CONFIRMED))),
        "no_show": Q(Exists(_slots(filters).filter(outcome=SlotOutcome.NO_SHOW))),
        "attended": Q(Exists(_slots(filters).filter(outcome__in=ATTENDED_OUTCOMES))),
    }


def cohort(filters: FunnelFilters) -> QuerySet[Candidate]:
    """The candidates the report is about (see the module's docstring)."""
    candidates = Candidate.objects.filter(created_at__gte=filters.start, created_at__lt=filters.end, is_sandbox=False)
    if filters.city_id:
        candidates = candidates.filter(city_id=filters.city_id)
    if filters.vacancy_id:
        candidates = candidates.filter(vacancy_id=filters.vacancy_id)
    if filters.source_id:
        candidates = candidates.filter(source_id=filters.source_id)
    if filters.recruiter_id:
        requested = _events(filters).filter(from_status=S.FREE, to_status=S.PENDING)
        candidates = candidates.filter(Exists(requested))
    return candidates


def _trend(filters: FunnelFilters) -> tuple[list[TrendPoint], bool]:
    """One query: every stage's count per day or week of /start; the parts add up to the table."""
    by_day = filters.end - filters.start <= DAILY_UP_TO
    trunc = TruncDay if by_day else TruncWeek
    conditions = _stage_conditions(filters)
    rows = (
        cohort(filters)
        .annotate(bucket=trunc("created_at", tzinfo=filters.tz))
        .values("bucket")
        .annotate(**{key: Count("pk", filter=condition) for key, condition in conditions.items()})
        .order_by("bucket")
    )
    found = {row.pop("bucket").date(): row for row in rows}
    points = []
    day = filters.start.astimezone(filters.tz).date()
    if not by_day:
        day -= dt.timedelta(days=day.weekday())
    last = (filters.end - dt.timedelta(microseconds=1)).astimezone(filters.tz).date()
    step = dt.timedelta(days=1 if by_day else 7)
    while day <= last:
        points.append(TrendPoint(start=day, values=found.get(day, dict.fromkeys(conditions, 0))))
        day += step
    return points, by_day


def _stages(totals: dict[str, int], filters: FunnelFilters) -> list[Stage]:
    labels = {key: label for key, label, _ in STAGES}
    stages = []
    for key, label, base in STAGES:
        hidden = filters.recruiter_id is not None and key in BEFORE_REQUEST
        count = None if hidden else totals[key]
        base_count = None if (not base or (filters.recruiter_id and base in BEFORE_REQUEST)) else totals[base]
        stages.append(
            Stage(
                key=key,
                label=label,
                count=count,
                base_key=base,
                base_label=labels.get(base, ""),
                conversion=100 * count / base_count if count is not None and base_count else None,
                is_main=key in MAIN_PATH,
            )
        )
    return stages


def _knockouts(filters: FunnelFilters) -> list[tuple[str, int]]:
    if filters.recruiter_id:
        return []
    rows = (
        cohort(filters)
        .filter(status=CandidateStatus.KNOCKED_OUT)
        .values_list("knockout_reason")
        .annotate(n=Count("pk"))
        .order_by("-n", "knockout_reason")
    )
    return [(reason or "причина не записана", n) for reason, n in rows]


def _decision_times(filters: FunnelFilters) -> tuple[int, dt.timedelta | None, dt.timedelta | None]:
    """How long the cohort's requests waited for the recruiter's first decision (approve, reschedule, reject)."""
    decided_at = Subquery(
        SlotEvent.objects.filter(
            reservation_id=OuterRef("reservation_id"), from_status=S.PENDING, actor=Actor.RECRUITER
        )
        .order_by("created_at")
        .values("created_at")[:1]
    )
    requests = SlotEvent.objects.filter(
        from_status=S.FREE, to_status=S.PENDING, candidate__in=cohort(filters).values("pk")
    )
    if filters.recruiter_id:
        requests = requests.filter(slot__recruiter_id=filters.recruiter_id)
    waits = requests.annotate(decided_at=decided_at).filter(decided_at__isnull=False)
    waited = F("decided_at") - F("created_at")
    if connection.vendor != "postgresql":  # the SQLite demo: few rows, counted in Python
        values = sorted(row.decided_at - row.created_at for row in waits)
        if not values:
            return 0, None, None
        seconds = [value.total_seconds() for value in values]
        p50, p90 = statistics.quantiles(seconds, n=10, method="inclusive")[4::4] if len(seconds) > 1 else seconds * 2
        return len(values), dt.timedelta(seconds=p50), dt.timedelta(seconds=p90)
    result = waits.aggregate(n=Count("pk"), p50=PercentileCont(waited, 0.5), p90=PercentileCont(waited, 0.9))
    return result["n"], result["p50"], result["p90"]


def _slots_by_city(filters: FunnelFilters) -> list[CitySlots]:
    """Slots starting in the period (not withdrawn) per city, and how many of them a candidate holds."""
    slots = Slot.objects.filter(starts_at__gte=filters.start, starts_at__lt=filters.end).exclude(status=S.CANCELED)
    if filters.recruiter_id:
        slots = slots.filter(recruiter_id=filters.recruiter_id)
    if filters.city_id:
        slots = slots.filter(city_id=filters.city_id)
    rows = (
        slots.values_list("city__name")
        .annotate(offered=Count("pk"), used=Count("pk", filter=Q(status__in=[S.BOOKED, S.CONFIRMED])))
        .order_by("city__name")
    )
    return [CitySlots(city=name, offered=offered, used=used) for name, offered, used in rows]


def funnel_get(filters: FunnelFilters) -> Funnel:
    """The whole report in four queries, whatever the number of candidates and events."""
    trend, by_day = _trend(filters)
    totals = {key: sum(point.values[key] for point in trend) for key, _, _ in STAGES}
    decisions, p50, p90 = _decision_times(filters)
    came = totals["attended"] + totals["no_show"]
    return Funnel(
        filters=filters,
        stages=_stages(totals, filters),
        knockouts=_knockouts(filters),
        trend=trend,
        trend_by_day=by_day,
        decisions=decisions,
        decision_p50=p50,
        decision_p90=p90,
        no_show_rate=100 * totals["no_show"] / came if came else None,
        slots_by_city=_slots_by_city(filters),
    )
