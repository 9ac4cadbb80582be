"""The funnel page's response time and query count at 1,000 and 100,000 candidates (~3 slot events each).

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/interview_scheduler .venv/bin/python bench/funnel.py
It creates (and drops) two scratch databases next to the one in DATABASE_URL, one per size, and fills
each with candidates who started over the last year (created_at spread evenly), most of whom reached
a slot: request, then approval (and confirmation, attendance or no-show), rejection, expiry or their own
cancel, written as the services write them (slot rows, SlotEvent rows). Then it requests /admin/funnel/
through Django's test client as a superuser and as a recruiter, switching between the two databases
round after round so that both sizes see the same noise on this shared machine, and takes medians.
Targets (the default page, this week): <= 15 queries at both sizes; time at 100k <= 3 x time at 1k.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BASE_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/interview_scheduler")
SCRATCH = "is_bench_funnel"
SIZES = [1_000, 100_000]
ROUNDS = 5  # alternate the databases this many times
REPEATS = 5  # requests per page per round
MAX_QUERIES = 15
MAX_RATIO = 3.0
PAGES = {
    "this week": {},
    # «This week» holds 1–7 days depending on today; the last full week is the same size every day.
    "last week": {"period": "custom", "date_from": "LAST_MONDAY", "date_to": "LAST_SUNDAY"},
    "4 weeks": {"period": "4weeks"},
    "4 weeks, city": {"period": "4weeks", "city": "CITY"},
}
TARGET_PAGES = ["this week", "last week"]
RECRUITERS = 10
BATCH = 5_000


def database_url(name: str) -> str:
    return urlunsplit(urlsplit(BASE_URL)._replace(path=f"/{name}"))


def recreate_databases(names: list[str], drop_only: bool = False) -> None:
    import psycopg

    with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
        for name in names:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            if not drop_only:
                conn.execute(f"CREATE DATABASE {name}")


def setup_django(first_database: str) -> None:
    os.environ["DATABASE_URL"] = database_url(first_database)
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.test_settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # lets the test client use «testserver» as host


def use_database(name: str) -> None:
    """Point Django's default connection at another scratch database (the next query connects there)."""
    from django.db import connection

    connection.close()
    connection.settings_dict["NAME"] = name


def make_people() -> dict[str, Any]:
    """Cities, recruiters (one with a staff login), a vacancy with two sources, a superuser."""
    from django.contrib.auth import get_user_model

    from candidates.models import Vacancy, VacancySource
    from scheduling.models import City, Recruiter

    User = get_user_model()
    cities = [City.objects.create(name=name) for name in ("Москва", "Казань", "Самара")]
    recruiters = []
    for n in range(RECRUITERS):
        user = User.objects.create_user(f"rec{n}", password="x", is_staff=True) if n == 0 else None
        recruiter = Recruiter.objects.create(name=f"Рекрутёр {n}", user=user)
        recruiter.cities.add(cities[n % len(cities)])
        recruiters.append(recruiter)
    vacancy = Vacancy.objects.create(title="Менеджер по продажам")
    sources = [VacancySource.objects.create(vacancy=vacancy, name=name, code=name) for name in ("hh", "poster")]
    superuser = User.objects.create_superuser("boss", password="x")
    return {"cities": cities, "recruiters": recruiters, "vacancy": vacancy, "sources": sources, "superuser": superuser}


def _created_at(n: int, size: int, now: dt.datetime) -> dt.datetime:
    """Candidate n of size started at an even pace over the last 365 days, the last one a minute ago."""
    return now - dt.timedelta(minutes=1) - dt.timedelta(days=365) * (size - 1 - n) / size


def populate(size: int, people: dict[str, Any], now: dt.datetime) -> int:
    """Insert `size` candidates with their slots and slot events in batches; returns the number of events."""
    from candidates.models import Candidate
    from scheduling.models import Slot, SlotEvent

    # Bulk inserts write the history as it happened: keep the times we give instead of "now".
    for model in (Candidate, SlotEvent):
        model._meta.get_field("created_at").auto_now_add = False
    events = 0
    try:
        for first in range(0, size, BATCH):
            events += _populate_batch(range(first, min(first + BATCH, size)), size, people, now, Slot, SlotEvent)
    finally:
        for model in (Candidate, SlotEvent):
            model._meta.get_field("created_at").auto_now_add = True
    return events


def _populate_batch(numbers: range, size: int, people: dict[str, Any], now: dt.datetime, Slot: Any, Event: Any) -> int:
    from candidates.models import Candidate, CandidateStatus
    from scheduling.models import Actor, SlotOutcome, SlotStatus

    S = SlotStatus
    minute = dt.timedelta(minutes=1)
    candidates, plans = [], []
    for n in numbers:
        started = _created_at(n, size, now)
        recruiter = people["recruiters"][n % RECRUITERS]
        # Stages by n: 5 % never consent, 5 % knocked out, 5 % stop in Тест 1, 85 % send a request.
        kind = n % 20
        consented = kind != 0
        knocked = kind == 1
        finished = consented and not knocked and kind != 2
        requested = finished
        candidates.append(
            Candidate(
                telegram_id=1_000_000_000 + n,
                full_name=f"Кандидат {n}",
                city=people["cities"][(n % RECRUITERS) % 3],
                vacancy=people["vacancy"] if n % 3 else None,
                source=people["sources"][n % 2] if n % 3 else None,
                status=(
                    CandidateStatus.NEW
                    if not consented
                    else CandidateStatus.KNOCKED_OUT
                    if knocked
                    else CandidateStatus.IN_TEST1
                    if not finished
                    else CandidateStatus.CHOOSING_SLOT
                ),
                knockout_reason="не готов к гибридному формату" if knocked else "",
                consent_given_at=started + minute if consented else None,
                consent_version="1" if consented else "",
                test1_completed_at=started + 10 * minute if finished else None,
                created_at=started,
            )
        )
        plans.append((n, started, recruiter, requested))
    created = Candidate.objects.bulk_create(candidates)
    slots, stories = [], []
    for candidate, (n, started, recruiter, requested) in zip(created, plans, strict=True):
        if not requested:
            continue
        # Each recruiter's slots are at least 50 minutes apart at 100k (30 minutes long): never overlapping.
        starts_at = (started + dt.timedelta(days=2)).replace(second=0, microsecond=0)
        outcome_kind = n % 10  # 0-5 approved, 6 rejected, 7 expired, 8 canceled by the candidate, 9 still pending
        past = starts_at < now
        reservation = uuid.uuid4()
        approved = outcome_kind <= 5
        live = approved or (outcome_kind == 9 and not past)
        status = (S.CONFIRMED if outcome_kind <= 2 else S.BOOKED) if approved else (S.PENDING if live else S.FREE)
        outcome = ""
        if approved and past:
            outcome = SlotOutcome.NO_SHOW if outcome_kind == 5 else SlotOutcome.ATTENDED
        slots.append(
            Slot(
                recruiter=recruiter,
                city=people["cities"][(n % RECRUITERS) % 3],
                starts_at=starts_at,
                ends_at=starts_at + dt.timedelta(minutes=30),
                duration_min=30,
                status=status,
                candidate=candidate if live else None,
                reservation_id=reservation if live else None,
                outcome=outcome,
            )
        )
        requested_at = started + 15 * minute
        decided_at = requested_at + (n % 7 + 1) * 20 * minute
        story = [(Actor.CANDIDATE, S.FREE, S.PENDING, requested_at)]
        if approved:
            story.append((Actor.RECRUITER, S.PENDING, S.BOOKED, decided_at))
            if outcome_kind <= 2:
                story.append((Actor.CANDIDATE, S.BOOKED, S.CONFIRMED, decided_at + 60 * minute))
            if outcome:
                story.append((Actor.RECRUITER, status, status, starts_at + 30 * minute))
        elif outcome_kind == 6:
            story.append((Actor.RECRUITER, S.PENDING, S.FREE, decided_at))
        elif outcome_kind == 7 or (outcome_kind == 9 and past):  # nobody decided before the start
            story.append((Actor.SYSTEM, S.PENDING, S.FREE, starts_at))
        elif outcome_kind == 8:
            story.append((Actor.CANDIDATE, S.PENDING, S.FREE, decided_at))
        stories.append((candidate, reservation, story))
        if n % 4 == 1:
            # A quarter first asked for a time the recruiter moved and then withdrew (canceled slots never overlap).
            earlier = starts_at - dt.timedelta(hours=12)
            slots.append(
                Slot(
                    recruiter=recruiter,
                    city=people["cities"][(n % RECRUITERS) % 3],
                    starts_at=earlier,
                    ends_at=earlier + dt.timedelta(minutes=30),
                    duration_min=30,
                    status=S.CANCELED,
                )
            )
            moved = [
                (Actor.CANDIDATE, S.FREE, S.PENDING, started + 12 * minute),
                (Actor.RECRUITER, S.PENDING, S.FREE, started + 13 * minute),
                (Actor.RECRUITER, S.FREE, S.CANCELED, started + 14 * minute),
            ]
            stories.append((candidate, uuid.uuid4(), moved))
    Slot.objects.bulk_create(slots)
    events = [
        Event(
            slot=slot,
            actor=actor,
            candidate=candidate,
            from_status=from_status,
            to_status=to_status,
            reservation_id=reservation,
            created_at=at,
        )
        for slot, (candidate, reservation, story) in zip(slots, stories, strict=True)
        for actor, from_status, to_status, at in story
    ]
    Event.objects.bulk_create(events)
    reject = (Actor.RECRUITER, S.PENDING, S.FREE)
    rejected = [candidate.pk for candidate, _, story in stories if story[-1][:3] == reject]
    Candidate.objects.filter(pk__in=rejected).update(status=CandidateStatus.REJECTED)
    return len(events)


def analyze() -> None:
    """What autovacuum does on a live database after a bulk load: statistics and the visibility map."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def measure(client: Any, params: dict[str, str], repeats: int) -> tuple[list[float], int]:
    """Response times (ms) of `repeats` requests after one warm-up, and the query count of the last."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/admin/funnel/", params)
    times = []
    queries = 0
    for _ in range(repeats):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get("/admin/funnel/", params)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
        assert response.context["report"] is not None, response.context["form"].errors
        queries = len(ctx.captured_queries)
    return times, queries


def prepare(size: int, database: str, now: dt.datetime) -> dict[str, Any]:
    """Migrate and fill one scratch database; logged-in clients for a superuser and a recruiter."""
    from django.core.management import call_command
    from django.test import Client

    use_database(database)
    call_command("migrate", verbosity=0)
    people = make_people()
    started = time.perf_counter()
    events = populate(size, people, now)
    analyze()
    print(f"{size:>8,} candidates, {events:>8,} slot events: inserted in {time.perf_counter() - started:.1f} s")
    clients = {}
    for viewer, user in (("superuser", people["superuser"]), ("recruiter", people["recruiters"][0].user)):
        clients[viewer] = Client()
        clients[viewer].force_login(user)
    return {"database": database, "clients": clients, "city": str(people["cities"][0].pk)}


def main() -> int:
    databases = [f"{SCRATCH}_{size}" for size in SIZES]
    recreate_databases(databases)
    try:
        setup_django(databases[0])
        now = dt.datetime.now(dt.UTC)
        worlds = {size: prepare(size, database, now) for size, database in zip(SIZES, databases, strict=True)}
        today = now.astimezone(ZoneInfo("Europe/Moscow")).date()  # both viewers' zone
        last_monday = today - dt.timedelta(days=today.weekday() + 7)
        last_sunday = last_monday + dt.timedelta(days=6)
        fill = {"LAST_MONDAY": f"{last_monday:%d.%m.%Y}", "LAST_SUNDAY": f"{last_sunday:%d.%m.%Y}"}
        times: dict[tuple[int, str, str], list[float]] = {}
        queries: dict[tuple[int, str, str], int] = {}
        for _ in range(ROUNDS):
            for size, world in worlds.items():
                use_database(world["database"])
                for viewer, client in world["clients"].items():
                    for page, params in PAGES.items():
                        params = {k: fill.get(v, world["city"] if v == "CITY" else v) for k, v in params.items()}
                        measured, count = measure(client, params, REPEATS)
                        times.setdefault((size, viewer, page), []).extend(measured)
                        queries[(size, viewer, page)] = count
        return report(times, queries)
    finally:
        from django.db import connections

        connections.close_all()
        recreate_databases(databases, drop_only=True)


def report(times: dict[tuple[int, str, str], list[float]], queries: dict[tuple[int, str, str], int]) -> int:
    small, big = SIZES[0], SIZES[-1]
    print(f"\n/admin/funnel/, median of {ROUNDS} x {REPEATS} requests per page (Django test client, PostgreSQL)")
    print(f"{'viewer':<10} {'page':<15} {'ms ' + format(small, ','):>10} {'ms ' + format(big, ','):>10} ratio  queries")
    worst_queries, target_ratio = 0, 0.0
    for viewer in ("superuser", "recruiter"):
        for page in PAGES:
            a, b = (statistics.median(times[(size, viewer, page)]) for size in (small, big))
            counts = {queries[(size, viewer, page)] for size in SIZES}
            worst_queries = max(worst_queries, *counts)
            if page in TARGET_PAGES:
                target_ratio = max(target_ratio, b / a)
            print(f"{viewer:<10} {page:<15} {a:>10.1f} {b:>10.1f} {b / a:>5.2f}x {'/'.join(map(str, sorted(counts)))}")
    ok_queries = worst_queries <= MAX_QUERIES
    ok_ratio = target_ratio <= MAX_RATIO
    print(f"\nTarget: <= {MAX_QUERIES} queries on every page at both sizes — worst {worst_queries}: ", end="")
    print("OK" if ok_queries else "MISSED")
    pages = " and ".join(f"«{page}»" for page in TARGET_PAGES)
    print(f"Target: {pages} at {big:,} <= {MAX_RATIO}x the time at {small:,} — worst {target_ratio:.2f}x: ", end="")
    print("OK" if ok_ratio else "MISSED")
    return 0 if ok_queries and ok_ratio else 1


if __name__ == "__main__":
    raise SystemExit(main())
