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
from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection, transaction
from django.db.models import (
    Case,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDay, TruncWeek

from candidates.models import Candidate, CandidateStatus
from scheduling.models import Actor, Slot, SlotEvent, SlotOutcome, SlotPurpose
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


def _in_cohort(filters: FunnelFilters, prefix: str = "") -> Q:
    """The cohort as a condition on Candidate, or on a row that points at one (prefix «candidate__»)."""
    condition = Q(**{f"{prefix}created_at__gte": filters.start, f"{prefix}created_at__lt": filters.end})
    condition &= Q(**{f"{prefix}is_sandbox": False})
    for name in ("city_id", "vacancy_id", "source_id"):
        if getattr(filters, name):
            condition &= Q(**{f"{prefix}{name}": getattr(filters, name)})
    return condition


def cohort(filters: FunnelFilters) -> QuerySet[Candidate]:
    """The candidates who started in the period (by city, vacancy, source); a recruiter's scope narrows events."""
    return Candidate.objects.filter(_in_cohort(filters))


# How each stage is read from the facts, as SQL over one row per cohort candidate (see _trend): the row's own
# fields, `ev` (the bits of EVENT_BITS their slot events reached) and `sl` (the bits of their slots' outcomes).
_LIVE = [S.PENDING, S.BOOKED, S.CONFIRMED]
EVENT_BITS: dict[str, tuple[int, Q]] = {
    "requested": (1, Q(from_status=S.FREE, to_status=S.PENDING)),
    # An undecided request freed by the system is the expiry (expiry.py).
    "expired": (2, Q(actor=Actor.SYSTEM, from_status=S.PENDING, to_status=S.FREE)),
    # The candidate freeing a slot: cancel (any live status) or «Не смогу» (booked or confirmed).
    "canceled": (4, Q(actor=Actor.CANDIDATE, to_status=S.FREE)),
    "approved": (8, Q(from_status=S.PENDING, to_status=S.BOOKED)),
    "confirmed": (16, Q(from_status=S.BOOKED, to_status=S.CONFIRMED)),
    # The recruiter freeing a booking: reschedule or reject (decisions.py); the candidate's status tells which.
    "released": (32, Q(actor=Actor.RECRUITER, from_status__in=_LIVE, to_status=S.FREE)),
}
SLOT_BITS: dict[str, tuple[int, Q]] = {
    "no_show": (1, Q(outcome=SlotOutcome.NO_SHOW)),
    "attended": (2, Q(outcome__in=ATTENDED_OUTCOMES)),
}
STAGE_SQL: dict[str, str] = {
    "started": "TRUE",
    "consented": "consent_given_at IS NOT NULL",
    "knocked_out": f"status = '{CandidateStatus.KNOCKED_OUT}'",
    "test1": "test1_completed_at IS NOT NULL",
    # A rejected candidate may not book again: the status is final. In a recruiter's scope, released by them.
    "rejected": f"status = '{CandidateStatus.REJECTED}' AND ev & {EVENT_BITS['released'][0]} <> 0",
    **{key: f"ev & {bit} <> 0" for key, (bit, _) in EVENT_BITS.items() if key != "released"},
    **{key: f"sl & {bit} <> 0" for key, (bit, _) in SLOT_BITS.items()},
}


def _bits(rows: QuerySet[Any], bits: dict[str, tuple[int, Q]], group_by: str) -> Coalesce:
    """The OR of the bits the outer candidate's rows reach: SUM(DISTINCT) of powers of two, portable to SQLite."""
    reached = Case(*(When(condition, then=Value(bit)) for bit, condition in bits.values()), default=Value(0))
    mask = rows.values(group_by).annotate(mask=Sum(reached, distinct=True)).values("mask")
    return Coalesce(Subquery(mask, output_field=IntegerField()), Value(0))


def _buckets(filters: FunnelFilters) -> tuple[list[dt.date], bool]:
    """The days (up to two weeks) or Monday-weeks of the period, in the viewer's zone."""
    by_day = filters.end - filters.start <= DAILY_UP_TO
    day = filters.start.astimezone(filters.tz).date()
    if not by_day:
        day -= dt.timedelta(days=day.weekday())
    last = (filters.end - dt.timedelta(microseconds=1)).astimezone(filters.tz).date()
    step = dt.timedelta(days=1 if by_day else 7)
    days = []
    while day <= last:
        days.append(day)
        day += step
    return days, by_day


Waits = tuple[int, dt.timedelta | None, dt.timedelta | None]  # how many requests were decided; median; 90th pct


def _trend(filters: FunnelFilters) -> tuple[list[TrendPoint], bool, Waits]:
    """Every stage's count per day or week of /start, and how long requests waited, in one query.

    The inner query (the ORM's) gives one row per cohort candidate with correlated subqueries that read
    that candidate's events and slots through their candidate_id indexes; the outer SQL counts them per
    bucket (the parts add up to the table). So the work grows with the period's candidates, not with the
    tables: per-stage EXISTS let PostgreSQL hash the whole event table instead. The inner rows are
    materialized once: inlined, each subquery would run again in every FILTER that reads its column.
    """
    days, by_day = _buckets(filters)
    trunc = TruncDay if by_day else TruncWeek
    # Interviews only: an intro day's «Приду» / «Не смогу» / «Пришёл» are not the interview's stages.
    events = SlotEvent.objects.filter(candidate_id=OuterRef("pk"), slot__purpose=SlotPurpose.INTERVIEW)
    slots = Slot.objects.filter(candidate_id=OuterRef("pk"), purpose=SlotPurpose.INTERVIEW)
    if filters.recruiter_id:
        events = events.filter(slot__recruiter_id=filters.recruiter_id)
        slots = slots.filter(recruiter_id=filters.recruiter_id)
    candidates = cohort(filters).annotate(
        bucket=trunc("created_at", tzinfo=filters.tz),
        ev=_bits(events, EVENT_BITS, "candidate_id"),
        sl=_bits(slots, SLOT_BITS, "candidate_id"),
    )
    columns = ["bucket", "consent_given_at", "test1_completed_at", "status", "ev", "sl"]
    postgres = connection.vendor == "postgresql"
    if postgres:
        waited = ExpressionWrapper(F("decided_at") - F("created_at"), output_field=DurationField())
        candidates = candidates.annotate(waits=ArraySubquery(_requests(filters).values(waited=waited)))
        columns.append("waits")
    inner, params = candidates.values(*columns).order_by().query.sql_with_params()
    keys = [key for key, _, _ in STAGES]
    counts = ", ".join(f"COUNT(*) FILTER (WHERE {STAGE_SQL[key]}) AS {key}" for key in keys)
    where = f"WHERE {STAGE_SQL['requested']}" if filters.recruiter_id else ""  # a recruiter's: who asked them
    if postgres:
        # percentile_cont is an ordered-set aggregate Django does not ship.
        sql = (
            f"WITH c AS MATERIALIZED ({inner}), w AS (SELECT COUNT(*) AS n,"
            " percentile_cont(0.5) WITHIN GROUP (ORDER BY waited) AS p50,"
            " percentile_cont(0.9) WITHIN GROUP (ORDER BY waited) AS p90"
            " FROM c CROSS JOIN LATERAL unnest(c.waits) AS waited WHERE waited IS NOT NULL)"
            f" SELECT c.bucket, MAX(w.n), MAX(w.p50), MAX(w.p90), {counts}"
            f" FROM c CROSS JOIN w {where} GROUP BY c.bucket"
        )
    else:
        sql = f"SELECT bucket, 0, NULL, NULL, {counts} FROM ({inner}) AS c {where} GROUP BY bucket"
    found: dict[dt.date, dict[str, int]] = {}
    waits: Waits = (0, None, None)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for bucket, n, p50, p90, *values in cursor:
            found[_as_date(bucket)] = dict(zip(keys, values, strict=True))
            waits = (n, p50, p90)
    if not postgres:
        waits = _decision_times_in_python(filters)
    empty = dict.fromkeys(keys, 0)
    return [TrendPoint(start=day, values=found.get(day, empty)) for day in days], by_day, waits


def _requests(filters: FunnelFilters, candidates: Any = None) -> QuerySet[SlotEvent]:
    """Requests (the outer candidate's, or these candidates'), with when the recruiter first decided each.

    A decision is the recruiter's approve, reschedule or reject; expiry and the candidate's cancel are not.
    """
    decided_at = Subquery(
        SlotEvent.objects.filter(
            reservation_id=OuterRef("reservation_id"), from_status=S.PENDING, actor=Actor.RECRUITER
        )
        .order_by("created_at")
        .values("created_at")[:1]
    )
    whose = Q(candidate_id=OuterRef("pk")) if candidates is None else Q(candidate_id__in=candidates)
    requests = SlotEvent.objects.filter(EVENT_BITS["requested"][1], whose).order_by()
    if filters.recruiter_id:
        requests = requests.filter(slot__recruiter_id=filters.recruiter_id)
    return requests.annotate(decided_at=decided_at)


def _decision_times_in_python(filters: FunnelFilters) -> Waits:
    """The SQLite demo (few rows, no percentile_cont): the same figures, computed here."""
    rows = _requests(filters, cohort(filters).values("pk")).values("created_at", "decided_at")
    seconds = sorted((row["decided_at"] - row["created_at"]).total_seconds() for row in rows if row["decided_at"])
    if not seconds:
        return 0, None, None
    p50, p90 = statistics.quantiles(seconds, n=10, method="inclusive")[4::4] if len(seconds) > 1 else seconds * 2
    return len(seconds), dt.timedelta(seconds=p50), dt.timedelta(seconds=p90)


def _as_date(bucket: dt.datetime | dt.date | str) -> dt.date:
    """PostgreSQL returns the local bucket as a naive timestamp; SQLite (the demo) as text."""
    if isinstance(bucket, str):
        return dt.date.fromisoformat(bucket[:10])
    return bucket.date() if isinstance(bucket, dt.datetime) else bucket


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


def _slots_by_city(filters: FunnelFilters) -> list[CitySlots]:
    """Slots starting in the period (not withdrawn) per city, and how many of them a candidate holds."""
    # Listed rather than «not canceled», so the (status, starts_at) index serves it.
    slots = Slot.objects.filter(
        starts_at__gte=filters.start, starts_at__lt=filters.end, status__in=[S.FREE, S.PENDING, S.BOOKED, S.CONFIRMED]
    ).filter(purpose=SlotPurpose.INTERVIEW)
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
    """The whole report in three queries, each reading the period's rows through indexes, not the whole tables."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # The planner prices the per-candidate subqueries high and would JIT-compile the big query:
            # compiling took longer (70–170 ms) than running it. For this query only.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        trend, by_day, (decisions, p50, p90) = _trend(filters)
    totals = {key: sum(point.values[key] for point in trend) for key, _, _ in STAGES}
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
