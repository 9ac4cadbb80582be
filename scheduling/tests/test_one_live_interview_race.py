"""One live interview per candidate when another writer skips the candidate lock: never two live interviews.

The writer's slot references the candidate, and its deferred foreign-key check needs a share lock on the
candidate row at commit, which the reservation holds: PostgreSQL ends that cycle by aborting one side. So this
race cannot reach the unique index's IntegrityError (which `slot_reserve` would still turn into the friendly
«already holds» refusal); what it must never reach is a second live interview.
"""

from __future__ import annotations

import threading
import time
import uuid

import pytest
from django.db import OperationalError, connection, transaction

from candidates.tests.factories import CandidateFactory
from scheduling.errors import AlreadyHasLiveSlot
from scheduling.models import Slot, SlotStatus
from scheduling.tests.factories import SlotFactory
from scheduling.tests.helpers import in_background, reserve_in_background

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_writer_skipping_the_candidate_lock_never_leaves_two_live_interviews() -> None:
    candidate = CandidateFactory()
    wanted, elsewhere = SlotFactory(), SlotFactory()
    other_reservation = uuid.uuid4()
    holding = threading.Event()
    release = threading.Event()

    def writer_that_skips_the_candidate_lock() -> None:
        # Some path that gives the candidate a live slot without locking the candidate row (raw SQL, another app).
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "UPDATE scheduling_slot SET status = 'pending', candidate_id = %s, reservation_id = %s WHERE id = %s",
                [candidate.pk, other_reservation, elsewhere.pk],
            )
            holding.set()
            release.wait(timeout=30)

    written = in_background(writer_that_skips_the_candidate_lock)
    assert holding.wait(timeout=30)
    reserved = reserve_in_background(slot_id=wanted.pk, candidate_id=candidate.pk)
    time.sleep(0.5)  # the reservation saw no live slot and now waits on the unique index
    release.set()
    writer_error = written()
    result = reserved()
    live = list(Slot.objects.filter(candidate=candidate, status=SlotStatus.PENDING).values_list("pk", flat=True))
    assert len(live) == 1
    if isinstance(result, Slot):  # the writer was the one aborted
        assert writer_error and live == [wanted.pk]
    else:  # the reservation was refused (by its check) or aborted: the writer's booking stands
        assert not writer_error and live == [elsewhere.pk]
        assert isinstance(result, AlreadyHasLiveSlot | OperationalError), result
