"""bench/funnel.py's generator and measurement, at a small size: the benchmark stays runnable."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from bench import funnel as bench
from candidates.models import Candidate
from scheduling.models import SlotEvent

pytestmark = pytest.mark.django_db


def test_the_generator_writes_candidates_with_about_three_events_each_and_the_page_measures():
    now = dt.datetime.now(dt.UTC)
    people = bench.make_people()

    events = bench.populate(200, people, now)

    assert Candidate.objects.count() == 200
    assert SlotEvent.objects.count() == events
    assert 2.5 <= events / 200 <= 3.5
    oldest = Candidate.objects.order_by("created_at").first().created_at
    assert dt.timedelta(days=360) < now - oldest < dt.timedelta(days=366)  # spread over the year, as stated
    client = Client()
    client.force_login(people["superuser"])
    times, queries = bench.measure(client, {"period": "4weeks"}, repeats=2)
    assert len(times) == 2
    assert queries <= bench.MAX_QUERIES
