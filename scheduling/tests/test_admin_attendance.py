"""Attendance in the admin: «Пришёл» / «Не пришёл» on the slot list, the filter, the counters, the candidate's page."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scheduling import services
from scheduling.models import Recruiter, Slot, SlotEvent, SlotOutcome, SlotStatus
from scheduling.tests.admin_pages import CHANGELIST, messages_of, run_action, shown_counters
from scheduling.tests.factories import SlotFactory
from scheduling.tests.helpers import slot_in_status

pytestmark = pytest.mark.django_db

MSK = zoneinfo.ZoneInfo("Europe/Moscow")
# Tomorrow (the admin session logged in today must still hold): the interviews are in the morning,
# booked at 08:00, and the list is opened at 15:00.
DAY = dt.datetime.now(MSK).date() + dt.timedelta(days=1)
BOOKED_AT = dt.datetime.combine(DAY, dt.time(8), tzinfo=MSK)
AFTERNOON = dt.datetime.combine(DAY, dt.time(15), tzinfo=MSK)
DATE = DAY.strftime("%d.%m.%Y")
ZONE = "(Europe/Moscow, UTC+03:00)"


def _interview(anna: Recruiter, hour: int, status: str = SlotStatus.BOOKED) -> Slot:
    """Anna's interview at hour:00 tomorrow, reached through the services at 08:00."""
    with time_machine.travel(BOOKED_AT):
        slot = SlotFactory(recruiter=anna, city=anna.cities.first(), starts_at=BOOKED_AT.replace(hour=hour))
        return slot_in_status(status, slot=slot)


def _recorded(slot: Slot, outcome: str) -> Slot:
    with time_machine.travel(AFTERNOON):
        if outcome in (SlotOutcome.PASSED, SlotOutcome.FAILED):  # a result follows a recorded «Пришёл»
            services.slot_record_outcome(slot_id=slot.pk, outcome=SlotOutcome.ATTENDED)
        return services.slot_record_outcome(slot_id=slot.pk, outcome=outcome)


def test_the_no_show_action_records_each_agreed_interview_and_refuses_the_rest(anna_client: Client, anna: Recruiter):
    booked = _interview(anna, 10)
    confirmed = _interview(anna, 11, SlotStatus.CONFIRMED)
    free = _interview(anna, 12, SlotStatus.FREE)

    with time_machine.travel(AFTERNOON):
        response = run_action(anna_client, "no_show_slots", [booked.pk, confirmed.pk, free.pk])

    assert response.status_code == 302
    assert dict(Slot.objects.filter(pk__in=[booked.pk, confirmed.pk, free.pk]).values_list("pk", "outcome")) == {
        booked.pk: SlotOutcome.NO_SHOW,
        confirmed.pk: SlotOutcome.NO_SHOW,
        free.pk: SlotOutcome.NONE,
    }
    assert messages_of(response) == [
        ("success", f"{DATE} 10:00 {ZONE} — {booked.candidate}: записано «не пришёл»."),
        ("success", f"{DATE} 11:00 {ZONE} — {confirmed.candidate}: записано «не пришёл»."),
        (
            "error",
            f"{DATE} 12:00 {ZONE}: Итог можно записать только для согласованного собеседования.",
        ),
    ]
    assert SlotEvent.objects.filter(slot=booked, reason="итог: не пришёл", actor_user__isnull=False).count() == 1


def test_the_attended_action_corrects_an_outcome_the_bot_recorded(anna_client: Client, anna: Recruiter):
    slot = _recorded(_interview(anna, 10), SlotOutcome.NO_SHOW)

    with time_machine.travel(AFTERNOON):
        response = run_action(anna_client, "attended_slots", [slot.pk])

    slot.refresh_from_db()
    assert slot.outcome == SlotOutcome.ATTENDED
    assert [level for level, _ in messages_of(response)] == ["success"]


def test_an_interview_that_has_not_started_gets_no_outcome(anna_client: Client, anna: Recruiter):
    later = _interview(anna, 18)

    with time_machine.travel(AFTERNOON):
        response = run_action(anna_client, "attended_slots", [later.pk])

    later.refresh_from_db()
    assert later.outcome == SlotOutcome.NONE
    assert messages_of(response)[0][0] == "error"


def test_the_attendance_filter_and_counters_match_the_database_in_one_aggregate(anna_client: Client, anna: Recruiter):
    came = _recorded(_interview(anna, 9), SlotOutcome.ATTENDED)
    passed = _recorded(_interview(anna, 10), SlotOutcome.PASSED)
    missed = _recorded(_interview(anna, 11), SlotOutcome.NO_SHOW)
    _interview(anna, 12)  # agreed, nothing recorded yet
    # Another day: outside the chosen period, so in no counter.
    with time_machine.travel(BOOKED_AT - dt.timedelta(days=3)):
        yesterday = SlotFactory(recruiter=anna, city=anna.cities.first(), starts_at=BOOKED_AT - dt.timedelta(days=1))
        slot_in_status(SlotStatus.BOOKED, slot=yesterday)
    _recorded(yesterday, SlotOutcome.NO_SHOW)
    period = {"date_from": DAY.isoformat(), "date_to": DAY.isoformat()}

    with time_machine.travel(AFTERNOON), CaptureQueriesContext(connection) as queries:
        response = anna_client.get(CHANGELIST, period)
        came_list = anna_client.get(CHANGELIST, {**period, "attendance": "attended"})
        missed_list = anna_client.get(CHANGELIST, {**period, "attendance": "no_show"})

    day = Slot.objects.filter(recruiter=anna, starts_at__date=DAY)
    counters = shown_counters(response)
    assert counters["attended"] == day.filter(outcome__in=["attended", "passed", "failed"]).count() == 2
    assert counters["no_show"] == day.filter(outcome="no_show").count() == 1
    assert counters["total"] == day.count() == 4
    assert {row.pk for row in came_list.context["cl"].result_list} == {came.pk, passed.pk}
    assert [row.pk for row in missed_list.context["cl"].result_list] == [missed.pk]
    # Statuses, attendance and the total of each page come from one aggregate over the slots.
    aggregates = [q["sql"] for q in queries.captured_queries if "FILTER (WHERE" in q["sql"]]
    assert len(aggregates) == 3
    assert all('"outcome"' in sql and '"status"' in sql for sql in aggregates)


def test_the_candidates_page_shows_a_no_show(anna_client: Client, anna: Recruiter):
    slot = _recorded(_interview(anna, 11), SlotOutcome.NO_SHOW)

    with time_machine.travel(AFTERNOON):
        page = anna_client.get(reverse("admin:candidates_candidate_change", args=[slot.candidate_id]))

    assert page.status_code == 200
    assert f"Не пришёл на собеседование {DATE} 11:00 {ZONE}" in page.content.decode()
