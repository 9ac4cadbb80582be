"""The reservation is the hottest transition: its statements are fixed, and nothing it renders loads lazily."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from candidates.models import Vacancy
from candidates.tests.factories import CandidateFactory
from notifications.models import NotificationLog
from scheduling.services import slot_reserve
from scheduling.tests.factories import CityFactory, RecruiterFactory, SlotFactory

pytestmark = pytest.mark.django_db


def test_a_reservation_runs_its_own_statements_and_loads_nothing_lazily(settings: Any) -> None:
    """Locks (2), then the outbox rows with the slot, event and candidate writes (4).

    (With the ORM broker a queue row follows; the tests' sync queue hands rows over at commit instead.)

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
    assert len(statements) == 6, "\n".join(statements)
    assert NotificationLog.objects.filter(slot=slot).count() == 2
