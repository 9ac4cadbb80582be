"""The reservation is the hottest transition: its statements are fixed, and nothing it renders loads lazily."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_q.conf import Conf
from django_q.models import OrmQ
from django_q.signing import SignedPackage

from candidates.models import Candidate, Vacancy
from candidates.tests.factories import CandidateFactory
from notifications.dispatch import DELIVER_TASK, schedule_name
from notifications.models import NotificationLog
from scheduling.errors import SlotTaken
from scheduling.models import Slot, SlotEvent
from scheduling.services import slot_reserve
from scheduling.tests.factories import CityFactory, RecruiterFactory, SlotFactory

pytestmark = pytest.mark.django_db


def test_a_reservation_runs_its_own_statements_and_loads_nothing_lazily(settings: Any) -> None:
    """The locks with the outbox ids, then the outbox rows, the slot, its event and the candidate: two statements.

    (With the ORM broker the queue rows join the writes, below; the tests' sync queue hands rows over at commit.)

    A field the messages read but the locks did not select would show up here as one more
    SELECT per reservation (it happened: the candidate's vacancy and the slot's intro fields).
    """
    settings.TEXT_OVERRIDES_CHECK_SECONDS = 3600  # as in production: the overrides' stamp is not asked each time
    city = CityFactory()
    recruiter = RecruiterFactory(cities=[city], telegram_chat_id=4242)  # bound: a second outbox row
    first, slot = SlotFactory(recruiter=recruiter, city=city), SlotFactory(recruiter=recruiter, city=city)
    vacancy = Vacancy.objects.first()
    earlier, candidate = CandidateFactory(city=city, vacancy=vacancy), CandidateFactory(city=city, vacancy=vacancy)
    # The first reservation of a process loads what every process caches (text overrides, the questionnaire).
    slot_reserve(slot_id=first.pk, candidate_id=earlier.pk)

    with CaptureQueriesContext(connection) as queries:
        slot_reserve(slot_id=slot.pk, candidate_id=candidate.pk)

    statements = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(statements) == 2, "\n".join(statements)
    for table in (NotificationLog, Slot, SlotEvent, Candidate):
        assert table._meta.db_table in statements[-1]
    assert NotificationLog.objects.filter(slot=slot).count() == 2


@pytest.fixture
def database_queue(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The production queue: django-q2's ORM broker, tasks run by a cluster (the tests run them inline)."""
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "sync": False}
    monkeypatch.setattr(Conf, "SYNC", False)


@pytest.mark.usefixtures("database_queue")
def test_with_the_database_queue_the_queue_rows_go_with_the_writes_and_name_the_rows_written() -> None:
    """What a worker dequeues is django-q2's own package for each outbox row, written in the reservation's
    transaction (so a rollback takes it back too)."""
    city = CityFactory()
    slot = SlotFactory(recruiter=RecruiterFactory(cities=[city], telegram_chat_id=4242), city=city)
    candidate = CandidateFactory(city=slot.city)

    with CaptureQueriesContext(connection) as queries:
        slot_reserve(slot_id=slot.pk, candidate_id=candidate.pk)

    rows = NotificationLog.objects.filter(slot=slot).order_by("pk")
    queued = [SignedPackage.loads(payload) for payload in OrmQ.objects.values_list("payload", flat=True)]
    assert sorted((task["func"], task["args"], task["name"]) for task in queued) == [
        (DELIVER_TASK, (row.pk,), schedule_name(row.pk)) for row in rows
    ]
    assert len(rows) == 2
    (writes,) = [q["sql"] for q in queries.captured_queries if SlotEvent._meta.db_table in q["sql"]]
    assert writes.count(f"INSERT INTO {OrmQ._meta.db_table}") == 2


@pytest.mark.usefixtures("database_queue")
def test_a_refused_reservation_queues_nothing() -> None:
    city = CityFactory()
    slot = SlotFactory(recruiter=RecruiterFactory(cities=[city], telegram_chat_id=4242), city=city)
    slot_reserve(slot_id=slot.pk, candidate_id=CandidateFactory(city=slot.city).pk)

    with pytest.raises(SlotTaken):
        slot_reserve(slot_id=slot.pk, candidate_id=CandidateFactory(city=slot.city).pk)

    assert OrmQ.objects.count() == 2
    assert NotificationLog.objects.count() == 2
