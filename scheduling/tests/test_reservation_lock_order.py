"""The reservation locks the candidate row before the slot row, as every booking path does (no deadlock between
two paths that lock the same pair). Its locks are taken by one statement on PostgreSQL: the order is the statement's."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator

import pytest
from django.db import OperationalError, connection, transaction

from candidates.tests.factories import CandidateFactory
from scheduling.models import Slot, SlotStatus
from scheduling.tests.factories import SlotFactory
from scheduling.tests.helpers import in_background, reserve_in_background

pytestmark = pytest.mark.django_db(transaction=True)
WAIT = 30


@contextlib.contextmanager
def _locked_elsewhere(sql: str, pk: int) -> Iterator[None]:
    """A second connection holds a row lock until the block ends."""
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [pk])
            holding.set()
            release.wait(timeout=WAIT)

    held = in_background(hold, timeout=WAIT)
    assert holding.wait(timeout=WAIT)
    try:
        yield
    finally:
        release.set()
        held()


def _can_lock_now(table: str, pk: int) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SELECT id FROM {table} WHERE id = %s FOR UPDATE NOWAIT", [pk])
        return True
    except OperationalError:
        return False


def _a_reservation_waits_for_a_row_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
        return cursor.fetchone()[0] > 0


def _until(check: Callable[[], bool]) -> bool:
    for _ in range(100):
        if check():
            return True
        threading.Event().wait(0.05)
    return False


def test_waiting_for_the_slot_the_reservation_already_holds_the_candidate() -> None:
    candidate, slot = CandidateFactory(), SlotFactory()
    with _locked_elsewhere("SELECT id FROM scheduling_slot WHERE id = %s FOR UPDATE", slot.pk):
        result = reserve_in_background(slot_id=slot.pk, candidate_id=candidate.pk)
        assert _until(_a_reservation_waits_for_a_row_lock)
        assert not _can_lock_now("candidates_candidate", candidate.pk)
    assert isinstance(result(), Slot)
    assert Slot.objects.get(pk=slot.pk).status == SlotStatus.PENDING


def test_waiting_for_the_candidate_the_reservation_has_not_touched_the_slot() -> None:
    candidate, slot = CandidateFactory(), SlotFactory()
    with _locked_elsewhere("SELECT id FROM candidates_candidate WHERE id = %s FOR UPDATE", candidate.pk):
        result = reserve_in_background(slot_id=slot.pk, candidate_id=candidate.pk)
        assert _until(_a_reservation_waits_for_a_row_lock)
        assert _can_lock_now("scheduling_slot", slot.pk)
    assert isinstance(result(), Slot)
