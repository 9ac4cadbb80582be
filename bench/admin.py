"""Slot changelist response time and query count at 1,000 and 100,000 slots, filtered and unfiltered.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/interview_scheduler .venv/bin/python bench/admin.py
It creates (and drops) a scratch database next to the one in DATABASE_URL, bulk-inserts slots
(a mix of every status, live ones with a candidate and an outbox row), then requests
/admin/scheduling/slot/ through Django's test client as a recruiter (own slots) and as a superuser
(every slot), unfiltered and filtered. Baseline: the same pages at 1,000 slots, measured in this run.
Targets: <= 15 queries at both sizes; time at 100,000 <= 2 x time at 1,000.
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BASE_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/interview_scheduler")
SCRATCH = "is_bench_admin"
SIZES = [1_000, 100_000]
REPEATS = 7
MAX_QUERIES = 15
MAX_RATIO = 2.0
PAGES = {
    "unfiltered": {},
    "filtered": {"status__exact": "pending", "date": "upcoming"},
    "filtered-city": {"city__id__exact": "CITY"},
}


def scratch_url() -> str:
    return urlunsplit(urlsplit(BASE_URL)._replace(path=f"/{SCRATCH}"))


def admin_conninfo() -> str:
    return urlunsplit(urlsplit(BASE_URL)._replace(path="/postgres"))


def recreate_database(drop_only: bool = False) -> None:
    import psycopg

    with psycopg.connect(admin_conninfo(), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {SCRATCH} WITH (FORCE)")
        if not drop_only:
            conn.execute(f"CREATE DATABASE {SCRATCH}")


def setup_django() -> None:
    os.environ["DATABASE_URL"] = scratch_url()
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.test_settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()  # lets the test client use «testserver» as host
    call_command("migrate", verbosity=0)


def make_people() -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    from scheduling.models import City, Recruiter

    User = get_user_model()
    city = City.objects.create(name="Москва", tz="Europe/Moscow")
    other_city = City.objects.create(name="Казань", tz="Europe/Moscow")
    superuser = User.objects.create_superuser("boss", password="x")
    recruiters = []
    for n in range(3):
        user = User.objects.create_user(f"rec{n}", password="x", is_staff=True)
        from django.contrib.auth.models import Permission

        user.user_permissions.set(Permission.objects.filter(codename__in=["view_slot", "change_slot", "add_slot"]))
        recruiter = Recruiter.objects.create(name=f"Рекрутёр {n}", tz="Europe/Moscow", user=user)
        recruiter.cities.add(city, other_city)
        recruiters.append(recruiter)
    return {"city": city, "other_city": other_city, "superuser": superuser, "recruiters": recruiters}


def add_slots(people: dict[str, Any], first: int, count: int) -> None:
    """Insert slots #first..first+count: 70% free, 10% each pending/booked/confirmed, rest canceled."""
    from candidates.models import Candidate, CandidateStatus
    from notifications.models import NotificationKind, NotificationLog, Recipient
    from scheduling.models import Slot, SlotStatus

    now = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)
    recruiters = people["recruiters"]
    cycle = [SlotStatus.FREE] * 7 + [SlotStatus.PENDING, SlotStatus.BOOKED, SlotStatus.CONFIRMED]
    batch = 5_000
    for start in range(first, first + count, batch):
        numbers = range(start, min(start + batch, first + count))
        live = [n for n in numbers if cycle[n % 10] != SlotStatus.FREE]
        candidates = Candidate.objects.bulk_create(
            Candidate(telegram_id=10_000_000 + n, full_name=f"Кандидат {n}", status=CandidateStatus.WAITING_DECISION)
            for n in live
        )
        by_number = dict(zip(live, candidates, strict=True))
        slots = []
        for n in numbers:
            recruiter = recruiters[n % len(recruiters)]
            # Each recruiter's slots are 30 minutes apart (never overlapping); the first three days are past.
            starts_at = now - dt.timedelta(days=3) + dt.timedelta(minutes=30 * (n // len(recruiters)))
            status = cycle[n % 10]
            if n % 97 == 0:
                status = SlotStatus.CANCELED
            candidate = (
                by_number.get(n) if status in (SlotStatus.PENDING, SlotStatus.BOOKED, SlotStatus.CONFIRMED) else None
            )
            slots.append(
                Slot(
                    recruiter=recruiter,
                    city=people["city"] if n % 3 else people["other_city"],
                    starts_at=starts_at,
                    ends_at=starts_at + dt.timedelta(minutes=30),
                    duration_min=30,
                    status=status,
                    candidate=candidate,
                    reservation_id=uuid.uuid4() if candidate else None,
                    reserved_at=now - dt.timedelta(hours=2) if candidate else None,
                )
            )
        Slot.objects.bulk_create(slots)
        NotificationLog.objects.bulk_create(
            NotificationLog(
                kind=NotificationKind.RESERVATION_RECEIVED,
                recipient=Recipient.CANDIDATE,
                slot=slot,
                candidate=slot.candidate,
                recruiter=slot.recruiter,
                reservation_id=slot.reservation_id,
                text="…",
                due_at=now,
                status="sent" if slot.pk % 5 else "failed",
                last_error="" if slot.pk % 5 else "Forbidden: bot was blocked by the user",
            )
            for slot in slots
            if slot.candidate is not None
        )
    from django.db import connection

    with connection.cursor() as cursor:
        # What autovacuum does on a live database after a bulk load: statistics and the visibility map.
        cursor.execute("VACUUM ANALYZE")


def measure(client: Any, params: dict[str, str]) -> tuple[float, int, int]:
    """Median response time (ms), query count and rows counted for one changelist URL."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/admin/scheduling/slot/", params)  # warm caches and the connection
    times = []
    queries = 0
    total = 0
    for _ in range(REPEATS):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get("/admin/scheduling/slot/", params)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
        queries = len(ctx.captured_queries)
        total = response.context["cl"].result_count
    return statistics.median(times), queries, total


def main() -> int:
    recreate_database()
    try:
        setup_django()
        from django.test import Client

        people = make_people()
        viewers = {"recruiter": people["recruiters"][0].user, "superuser": people["superuser"]}
        clients = {}
        for name, user in viewers.items():
            clients[name] = Client()
            clients[name].force_login(user)
        results: dict[tuple[int, str, str], tuple[float, int, int]] = {}
        inserted = 0
        for size in SIZES:
            add_slots(people, inserted, size - inserted)
            inserted = size
            for viewer, client in clients.items():
                for page, params in PAGES.items():
                    params = {k: (str(people["other_city"].pk) if v == "CITY" else v) for k, v in params.items()}
                    results[(size, viewer, page)] = measure(client, params)

        print(f"Slot changelist, median of {REPEATS} requests (Django test client, PostgreSQL)")
        print(f"{'viewer':<10} {'page':<14} {'slots':>8} {'rows':>7} {'ms':>8} {'queries':>8}")
        worst_ratio = 0.0
        worst_queries = 0
        for viewer in clients:
            for page in PAGES:
                for size in SIZES:
                    ms, queries, rows = results[(size, viewer, page)]
                    worst_queries = max(worst_queries, queries)
                    print(f"{viewer:<10} {page:<14} {size:>8} {rows:>7} {ms:>8.1f} {queries:>8}")
                small = results[(SIZES[0], viewer, page)]
                big = results[(SIZES[-1], viewer, page)]
                ratio = big[0] / small[0]
                worst_ratio = max(worst_ratio, ratio)
                same = "same" if small[1] == big[1] else "DIFFERENT"
                print(f"{'':<10} {'':<14} ratio {SIZES[-1]:,}/{SIZES[0]:,}: {ratio:.2f}x, query count {same}")
        print()
        print(f"Target: <= {MAX_QUERIES} queries at both sizes — worst {worst_queries}: ", end="")
        print("OK" if worst_queries <= MAX_QUERIES else "MISSED")
        print(
            f"Target: time at {SIZES[-1]:,} <= {MAX_RATIO}x time at {SIZES[0]:,} — worst {worst_ratio:.2f}x: ", end=""
        )
        print("OK" if worst_ratio <= MAX_RATIO else "MISSED")
        return 0 if worst_queries <= MAX_QUERIES and worst_ratio <= MAX_RATIO else 1
    finally:
        from django.db import connections

        connections.close_all()
        recreate_database(drop_only=True)


if __name__ == "__main__":
    raise SystemExit(main())
