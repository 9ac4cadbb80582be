"""Reservations per second through the service versus the same writes as bare psycopg, on PostgreSQL.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/interview_scheduler .venv/bin/python bench/reserve.py
It creates (and drops) a scratch database next to the one in DATABASE_URL, measures 1, 4 and 16
concurrent clients (separate processes, each with its own connection) on distinct slots, and
prints the rates and ratios. "same writes" runs the reservation's own statements (locks, slot,
event, candidate, outbox row, queue row) as bare SQL in one transaction: like with like.
Target (#17): service >= 0.5 x same writes at 4 clients. At 4 clients each kind runs ROUNDS times,
and the target's figure is the median of the rounds' ratios (service over the same writes measured
next to it, in alternating order): a checkpoint, an autovacuum or a slow phase of this VM landing in
one short run moves a single rate by a third or more on this 2-core machine; pairing keeps it out.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import os
import statistics
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# The production settings these benches load require a privacy policy link; any URL serves here.
os.environ.setdefault("PRIVACY_POLICY_URL", "https://example.ru/privacy")

BASE_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/interview_scheduler")
SCRATCH = "is_bench_reserve"
CLIENTS = [1, 4, 16]
TARGET_CLIENTS = 4
ROUNDS = 5
# At 4 clients a run lasts 2-5 s: shorter ones (400 each) were decided by which process the scheduler favoured.
OPS_PER_CLIENT = {1: 600, 4: 1000, 16: 150}
# Reservations each client makes before the clock starts: a long-running bot has its imports done,
# its caches filled and its statements prepared; a fresh process would charge that to the first few.
WARM_UP = 10
RACE_SLOTS = 10
RACERS = 30


def scratch_url() -> str:
    parts = urlsplit(BASE_URL)
    return urlunsplit(parts._replace(path=f"/{SCRATCH}"))


def admin_conninfo() -> str:
    parts = urlsplit(BASE_URL)
    return urlunsplit(parts._replace(path="/postgres"))


def setup_django() -> None:
    os.environ["DATABASE_URL"] = scratch_url()
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def recreate_database() -> None:
    import psycopg

    with psycopg.connect(admin_conninfo(), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {SCRATCH} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {SCRATCH}")


def drop_database() -> None:
    import psycopg

    with psycopg.connect(admin_conninfo(), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {SCRATCH} WITH (FORCE)")


def make_fixtures(n_slots: int) -> tuple[list[int], list[int]]:
    """n free future slots (distinct recruiters so no overlap) and n screened candidates."""
    from django.utils import timezone

    from candidates.models import Candidate, CandidateStatus
    from scheduling.models import City, Recruiter, Slot

    city = City.objects.get_or_create(name="Бенчград", defaults={"tz": "Europe/Moscow"})[0]
    recruiters = Recruiter.objects.bulk_create(
        Recruiter(name=f"bench-{uuid.uuid4().hex[:12]}", tz="Europe/Moscow") for _ in range(20)
    )
    for recruiter in recruiters:
        recruiter.cities.add(city)
    start = timezone.now().replace(minute=0, second=0, microsecond=0) + dt.timedelta(days=1)
    slots = Slot.objects.bulk_create(
        Slot(
            recruiter=recruiters[i % 20],
            city=city,
            starts_at=start + dt.timedelta(hours=i // 20),
            ends_at=start + dt.timedelta(hours=i // 20, minutes=60),
            duration_min=60,
        )
        for i in range(n_slots)
    )
    now = timezone.now()
    candidates = Candidate.objects.bulk_create(
        Candidate(
            telegram_id=10**12 + i + int(time.time_ns() % 10**9) * 1000,
            full_name=f"Бенч {i}",
            status=CandidateStatus.CHOOSING_SLOT,
            test1_completed_at=now,
            consent_given_at=now,
        )
        for i in range(n_slots)
    )
    return [s.pk for s in slots], [c.pk for c in candidates]


Pairs = list[tuple[int, int]]


def service_client(warm: Pairs, pairs: Pairs, barrier: mp.Barrier, out: mp.Queue) -> None:
    setup_django()
    from scheduling.services import slot_reserve

    for slot_id, candidate_id in warm:
        slot_reserve(slot_id=slot_id, candidate_id=candidate_id)
    barrier.wait()
    started = time.perf_counter()
    for slot_id, candidate_id in pairs:
        slot_reserve(slot_id=slot_id, candidate_id=candidate_id)
    out.put((started, time.perf_counter(), len(pairs)))


def sql_client(warm: Pairs, pairs: Pairs, barrier: mp.Barrier, out: mp.Queue) -> None:
    import psycopg

    with psycopg.connect(scratch_url(), autocommit=True) as conn:

        def reserve(slot_id: int, candidate_id: int) -> int:
            return conn.execute(
                "UPDATE scheduling_slot SET status = 'pending', candidate_id = %s, reservation_id = %s,"
                " reserved_at = now() WHERE id = %s AND status = 'free'",
                (candidate_id, uuid.uuid4(), slot_id),
            ).rowcount

        for pair in warm:
            reserve(*pair)
        barrier.wait()
        started = time.perf_counter()
        done = sum(reserve(*pair) for pair in pairs)
        out.put((started, time.perf_counter(), done))


# The reservation's own writes (candidate and slot locks with the live check, slot, event,
# candidate, one outbox row, one queue row) as bare SQL in one transaction: how close any
# implementation could come with these writes, as opposed to the one-statement baseline.
_SAME_WRITES = [
    "SELECT status FROM candidates_candidate WHERE id = %(c)s FOR UPDATE",
    "SELECT s.status, r.is_active, ct.is_active, (SELECT l.id FROM scheduling_slot l WHERE l.candidate_id = %(c)s"
    " AND l.status IN ('pending', 'booked', 'confirmed_by_candidate') LIMIT 1) FROM scheduling_slot s"
    " JOIN scheduling_recruiter r ON r.id = s.recruiter_id JOIN scheduling_city ct ON ct.id = s.city_id"
    " WHERE s.id = %(s)s FOR UPDATE OF s",
    "UPDATE scheduling_slot SET status = 'pending', candidate_id = %(c)s, reservation_id = %(r)s, reserved_at = now(),"
    " updated_at = now() WHERE id = %(s)s AND status = 'free'",
    "INSERT INTO scheduling_slotevent (slot_id, actor, candidate_id, from_status, to_status, reservation_id, reason,"
    " created_at) VALUES (%(s)s, 'candidate', %(c)s, 'free', 'pending', %(r)s, '', now())",
    "UPDATE candidates_candidate SET status = 'waiting_decision', last_activity_at = now() WHERE id = %(c)s",
    "INSERT INTO notifications_notificationlog (kind, recipient, slot_id, candidate_id, recruiter_id, reservation_id,"
    " slot_starts_at, text, reply_markup, due_at, status, attempts, last_error, created_at, updated_at)"
    " SELECT 'reservation_received', 'candidate', id, candidate_id, recruiter_id, reservation_id, starts_at,"
    " 'Заявка получена', NULL, now(), 'pending', 0, '', now(), now() FROM scheduling_slot WHERE id = %(s)s",
    "INSERT INTO django_q_ormq (key, payload, lock) VALUES ('bench', %(r)s, NULL)",
]


def same_writes_client(warm: Pairs, pairs: Pairs, barrier: mp.Barrier, out: mp.Queue) -> None:
    import psycopg

    with psycopg.connect(scratch_url()) as conn:

        def reserve(slot_id: int, candidate_id: int) -> None:
            params = {"s": slot_id, "c": candidate_id, "r": str(uuid.uuid4())}
            with conn.transaction(), conn.cursor() as cur:
                for sql in _SAME_WRITES:
                    cur.execute(sql, params)

        for pair in warm:
            reserve(*pair)
        barrier.wait()
        started = time.perf_counter()
        for pair in pairs:
            reserve(*pair)
        out.put((started, time.perf_counter(), len(pairs)))


CLIENT_OF = {"service": service_client, "bare": sql_client, "same writes": same_writes_client}


def settle() -> None:
    """Fresh statistics for the tables the fixtures just grew, so that autovacuum's ANALYZE does not land in the
    timed window (taking a core from whichever kind runs then) and both kinds plan on the same figures."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE scheduling_slot, candidates_candidate, notifications_notificationlog, django_q_ormq")


def measure(kind: str, clients: int) -> float:
    """Reservations per second for that many concurrent clients."""
    n = clients * OPS_PER_CLIENT[clients]
    slot_ids, candidate_ids = make_fixtures(n + clients * WARM_UP)
    settle()
    pairs = list(zip(slot_ids, candidate_ids, strict=True))
    warm, pairs = pairs[: clients * WARM_UP], pairs[clients * WARM_UP :]
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(clients)
    out: mp.Queue = ctx.Queue()
    target = CLIENT_OF[kind]
    procs = [
        ctx.Process(target=target, args=(warm[i::clients], pairs[i::clients], barrier, out)) for i in range(clients)
    ]
    for proc in procs:
        proc.start()
    results = [out.get(timeout=600) for _ in procs]
    for proc in procs:
        proc.join()
    started = min(r[0] for r in results)
    finished = max(r[1] for r in results)
    done = sum(r[2] for r in results)
    if done != n:
        raise SystemExit(f"{kind}: expected {n} reservations, got {done}")
    return done / (finished - started)


def race() -> Counter[int]:
    """RACERS threads per slot reserve the same slot at once; count the winners per slot."""
    from django.db import connections

    from scheduling.errors import SlotTaken
    from scheduling.services import slot_reserve

    slot_ids, candidate_ids = make_fixtures(RACE_SLOTS * RACERS)
    winners: Counter[int] = Counter()
    lock = threading.Lock()
    for slot_id in slot_ids[:RACE_SLOTS]:
        barrier = threading.Barrier(RACERS)
        racers = [candidate_ids.pop() for _ in range(RACERS)]

        def run(candidate_id: int, slot_id: int = slot_id, barrier: threading.Barrier = barrier) -> None:
            barrier.wait()
            try:
                slot_reserve(slot_id=slot_id, candidate_id=candidate_id)
                with lock:
                    winners[slot_id] += 1
            except SlotTaken:
                pass
            finally:
                connections.close_all()

        threads = [threading.Thread(target=run, args=(c,)) for c in racers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return winners


def _rates(values: list[float]) -> str:
    return "/".join(f"{v:.0f}" for v in values)


def main() -> None:
    recreate_database()
    try:
        setup_django()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        print(f"PostgreSQL reservations/s on distinct slots ({SCRATCH}); service = slot_reserve with its")
        print("locks, audit event and outbox rows; bare = one conditional UPDATE per reservation.")
        print("same writes = the reservation's statements as bare SQL (the floor for any implementation);")
        print("the first ratio is service / bare, the second service / same writes (the target's; with several")
        print("rounds, the median of each round's ratio).")
        print(f"{'clients':>8} {'service/s':>10} {'bare/s':>10} {'ratio':>7} {'same writes/s':>14} {'ratio':>7}")
        ratios = {}
        for clients in CLIENTS:
            rounds = ROUNDS if clients == TARGET_CLIENTS else 1
            service, bare, floor = [], [], []
            for i in range(rounds):
                # Each round measures the pair back to back, in alternating order, so drift cancels out.
                for kind in ("service", "same writes")[:: 1 if i % 2 == 0 else -1]:
                    (service if kind == "service" else floor).append(measure(kind, clients))
                bare.append(measure("bare", clients))
            service_rate, bare_rate, floor_rate = (statistics.median(x) for x in (service, bare, floor))
            paired = [s / f for s, f in zip(service, floor, strict=True)]
            ratios[clients] = statistics.median(paired)
            print(
                f"{clients:>8} {service_rate:>10.0f} {bare_rate:>10.0f} {service_rate / bare_rate:>7.2f}"
                f" {floor_rate:>14.0f} {ratios[clients]:>7.2f}"
                + (
                    f"   (medians of {rounds} rounds; service {_rates(service)}, same writes {_rates(floor)},"
                    f" ratios {'/'.join(f'{r:.2f}' for r in paired)})"
                    if rounds > 1
                    else ""
                )
            )
        winners = race()
        print(
            f"race: {RACERS} clients per slot on {RACE_SLOTS} slots -> winners per slot: "
            f"{sorted(set(winners.values()))} (slots with a winner: {len(winners)})"
        )
        verdict = "met" if ratios[TARGET_CLIENTS] >= 0.5 else "NOT met"
        ratio = ratios[TARGET_CLIENTS]
        print(f"target service >= 0.5 x same writes at {TARGET_CLIENTS} clients: {ratio:.2f} -> {verdict}")
    finally:
        from django.db import connections

        connections.close_all()
        drop_database()


if __name__ == "__main__":
    main()
