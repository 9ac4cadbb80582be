"""The slot services under real concurrency: threads with their own connections, all released at once."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.db import connection, connections

from candidates.tests.factories import CandidateFactory
from scheduling import services
from scheduling.models import Slot, SlotEvent, SlotStatus
from scheduling.tests.factories import SlotFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _run_concurrently(calls: list) -> list[object]:
    """Run each call in its own thread with its own DB connection, all released at once."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def worker(index: int) -> None:
        try:
            barrier.wait()
            results[index] = calls[index]()
        except Exception as exc:
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _sql_count(where: str, params: list[object]) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM scheduling_slot WHERE {where}", params)
        return cursor.fetchone()[0]


def test_thirty_candidates_racing_for_one_slot_leave_exactly_one_winner() -> None:
    slot = SlotFactory()
    candidates = CandidateFactory.create_batch(30)
    results = _run_concurrently(
        [lambda c=c: services.slot_reserve(slot_id=slot.pk, candidate_id=c.pk) for c in candidates]
    )
    outcomes = Counter(type(r).__name__ for r in results)
    assert outcomes == {"Slot": 1, "SlotTaken": 29}
    assert _sql_count("id = %s AND status = 'pending'", [slot.pk]) == 1
    assert SlotEvent.objects.filter(slot=slot, to_status=SlotStatus.PENDING).count() == 1


def test_thirty_candidates_on_thirty_slots_all_win() -> None:
    slots = SlotFactory.create_batch(30)
    candidates = CandidateFactory.create_batch(30)
    results = _run_concurrently(
        [
            lambda s=s, c=c: services.slot_reserve(slot_id=s.pk, candidate_id=c.pk)
            for s, c in zip(slots, candidates, strict=True)
        ]
    )
    assert all(isinstance(r, Slot) for r in results), results
    assert _sql_count("status = 'pending'", []) == 30


def test_one_candidate_double_tapping_two_slots_at_once_gets_one() -> None:
    slots = SlotFactory.create_batch(2)
    candidate = CandidateFactory()
    results = _run_concurrently(
        [lambda s=s: services.slot_reserve(slot_id=s.pk, candidate_id=candidate.pk) for s in slots]
    )
    assert Counter(type(r).__name__ for r in results) == {"Slot": 1, "AlreadyHasLiveSlot": 1}
    assert _sql_count("status = 'pending' AND candidate_id = %s", [candidate.pk]) == 1
