"""The funnel page counts each stage from stored facts; hand-counted fixtures for every stage and filter."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from candidates.models import Candidate, CandidateStatus, Vacancy, VacancySource
from candidates.tests.factories import CandidateFactory, NewCandidateFactory
from scheduling import services
from scheduling.access import LEAD_GROUP
from scheduling.models import Recruiter, Slot, SlotOutcome
from scheduling.tests.factories import SlotFactory, UserFactory
from scheduling.tests.personas import client_for, staff_user_for

pytestmark = pytest.mark.django_db

URL = "/admin/funnel/"
# Wednesday 02.12.2026 09:00 in Moscow: "this week" is 30.11–06.12.
NOW = dt.datetime(2026, 12, 2, 6, 0, tzinfo=dt.UTC)
STAGE_KEYS = [
    "started",
    "consented",
    "knocked_out",
    "test1",
    "requested",
    "expired",
    "canceled",
    "rejected",
    "approved",
    "confirmed",
    "no_show",
    "attended",
]


def at(minutes: float) -> Any:
    return time_machine.travel(NOW + dt.timedelta(minutes=minutes), tick=False)


def slot_for(recruiter: Recruiter, hours: float) -> Slot:
    return SlotFactory(recruiter=recruiter, city=recruiter.cities.first(), starts_at=NOW + dt.timedelta(hours=hours))


def request(candidate: Candidate, recruiter: Recruiter, hours: float) -> Slot:
    return services.slot_reserve(slot_id=slot_for(recruiter, hours).pk, candidate_id=candidate.pk)


@pytest.fixture
def world(anna: Recruiter, igor: Recruiter) -> dict[str, Any]:
    """Nine candidates who started this week, each stopping at a different stage, and one from last month.

    Requests wait 10, 20, 30 and 60 minutes for the recruiter's decision (approve d, e, i; reject f).
    """
    moscow, novosibirsk = anna.cities.first(), igor.cities.first()
    vacancy = Vacancy.objects.create(title="Менеджер по продажам")
    board = VacancySource.objects.create(vacancy=vacancy, name="hh.ru", code="hh")
    poster = VacancySource.objects.create(vacancy=vacancy, name="Плакат", code="poster")
    with at(-60 * 24 * 10):  # 22.11: outside this week, inside the last four
        old = CandidateFactory(city=moscow)
        request(old, anna, 24)
    with at(0):
        c = {"a": NewCandidateFactory()}
        c["b"] = CandidateFactory(
            city=moscow,
            status=CandidateStatus.KNOCKED_OUT,
            knockout_reason="не готов к гибридному формату",
            test1_completed_at=None,
        )
        for key in "cdefgh":
            c[key] = CandidateFactory(city=moscow)
        c["i"] = CandidateFactory(city=novosibirsk)
        Candidate.objects.filter(pk__in=[c["d"].pk, c["e"].pk]).update(vacancy=vacancy, source=board)
        Candidate.objects.filter(pk=c["f"].pk).update(vacancy=vacancy, source=poster)
        request(c["c"], anna, 30)
        d = request(c["d"], anna, 3)
        e = request(c["e"], anna, 4)
        f = request(c["f"], anna, 5)
        g = request(c["g"], anna, 6)
        h = request(c["h"], anna, 1)
        i = request(c["i"], igor, 7)
        services.booking_cancel(reservation_id=g.reservation_id, candidate_id=c["g"].pk)
        services.slot_expire_pending(slot_id=h.pk, now=NOW + dt.timedelta(hours=1))
    with at(10):
        services.slot_approve(slot_id=d.pk)
        services.booking_confirm(reservation_id=d.reservation_id, candidate_id=c["d"].pk)
    with at(20):
        services.slot_approve(slot_id=e.pk)
    with at(30):
        services.slot_reject(slot_id=f.pk, reason="нет опыта")
    with at(60):
        services.slot_approve(slot_id=i.pk)
    with at(60 * 6):
        services.slot_record_outcome(slot_id=d.pk, outcome=SlotOutcome.ATTENDED)
        services.slot_record_outcome(slot_id=e.pk, outcome=SlotOutcome.NO_SHOW)
    SlotFactory(recruiter=anna, city=moscow, starts_at=NOW + dt.timedelta(days=2))  # offered, nobody took it
    return {"c": c, "old": old, "vacancy": vacancy, "board": board, "poster": poster, "moscow": moscow}


def stages(client: Client, **params: Any) -> dict[str, int | None]:
    """Stage → count as the page's table shows it (None for «—»)."""
    with at(60 * 24 * 2):  # Friday of the same week
        html = client.get(URL, params).content.decode()
    rows = dict(re.findall(r'data-stage="(\w+)">\s*<td>[^<]*</td>\s*<td class="num value">([^<]*)</td>', html))
    assert list(rows) == STAGE_KEYS, html
    return {key: (None if value == "—" else int(value)) for key, value in rows.items()}


def expected(**counts: int | None) -> dict[str, int | None]:
    return {key: counts.get(key, 0) for key in STAGE_KEYS}


def test_this_weeks_funnel_counts_every_stage_as_counted_by_hand(admin_client: Client, world: dict[str, Any]):
    assert stages(admin_client) == expected(
        started=9,
        consented=8,
        knocked_out=1,
        test1=7,
        requested=7,
        expired=1,
        canceled=1,
        rejected=1,
        approved=3,
        confirmed=1,
        no_show=1,
        attended=1,
    )


def test_the_last_four_weeks_include_last_months_newcomer(admin_client: Client, world: dict[str, Any]):
    assert stages(admin_client, period="4weeks") == expected(
        started=10,
        consented=9,
        knocked_out=1,
        test1=8,
        requested=8,
        expired=1,
        canceled=1,
        rejected=1,
        approved=3,
        confirmed=1,
        no_show=1,
        attended=1,
    )


def test_the_week_begins_on_monday_midnight_in_the_viewers_zone(admin_client: Client, world: dict[str, Any]):
    with time_machine.travel(dt.datetime(2026, 11, 29, 21, 30, tzinfo=dt.UTC), tick=False):  # Mon 00:30 in Moscow
        CandidateFactory()
    with time_machine.travel(dt.datetime(2026, 11, 29, 20, 30, tzinfo=dt.UTC), tick=False):  # Sun 23:30 in Moscow
        CandidateFactory()

    assert stages(admin_client)["started"] == 10


def test_custom_dates_count_only_who_started_between_them(admin_client: Client, world: dict[str, Any]):
    counts = stages(admin_client, period="custom", date_from="16.11.2026", date_to="2026-11-29")

    assert counts == expected(started=1, consented=1, test1=1, requested=1, expired=0)


def test_a_city_filter_counts_the_candidates_of_that_city(admin_client: Client, world: dict[str, Any], igor: Recruiter):
    counts = stages(admin_client, city=igor.cities.first().pk)

    assert counts == expected(started=1, consented=1, test1=1, requested=1, approved=1)


def test_a_vacancy_and_a_source_narrow_to_their_candidates(admin_client: Client, world: dict[str, Any]):
    by_vacancy = stages(admin_client, vacancy=world["vacancy"].pk)
    by_source = stages(admin_client, source=world["poster"].pk)

    assert by_vacancy == expected(
        started=3, consented=3, test1=3, requested=3, rejected=1, approved=2, confirmed=1, no_show=1, attended=1
    )
    assert by_source == expected(started=1, consented=1, test1=1, requested=1, rejected=1)


def test_a_recruiter_filter_counts_from_the_request_on(admin_client: Client, world: dict[str, Any], anna: Recruiter):
    counts = stages(admin_client, recruiter=anna.pk)

    assert counts == expected(
        started=None,
        consented=None,
        knocked_out=None,
        test1=None,
        requested=6,
        expired=1,
        canceled=1,
        rejected=1,
        approved=2,
        confirmed=1,
        no_show=1,
        attended=1,
    )


def test_a_recruiter_sees_only_their_own_numbers_whatever_they_ask_for(world: dict[str, Any], igor: Recruiter):
    igor_client = client_for(staff_user_for(igor, "igor"))

    counts = stages(igor_client, recruiter=world["c"]["d"].pk)

    assert counts == expected(started=None, consented=None, knocked_out=None, test1=None, requested=1, approved=1)
    with at(60 * 24 * 2):
        html = igor_client.get(URL).content.decode()
    assert 'name="recruiter"' not in html
    assert "не готов к гибридному формату" not in html


def test_a_member_of_the_lead_group_sees_everything(world: dict[str, Any]):
    lead = UserFactory(username="lead")
    lead.groups.add(Group.objects.get(name=LEAD_GROUP))  # the group comes from a migration

    assert stages(client_for(lead))["started"] == 9


def test_staff_who_are_neither_lead_nor_recruiter_are_refused(world: dict[str, Any]):
    assert client_for(UserFactory(username="clerk")).get(URL).status_code == 403


def test_decision_times_no_show_rate_and_knockout_reasons_are_shown(admin_client: Client, world: dict[str, Any]):
    with at(60 * 24 * 2):
        html = admin_client.get(URL).content.decode()

    # 10, 20, 30, 60 minutes: the median is 25, the 90th percentile 30 + 0.7 × 30 = 51.
    assert re.search(r'id="decision-p50">25 мин<', html)
    assert re.search(r'id="decision-p90">51 мин<', html)
    assert "по 4 заявкам" in html
    assert re.search(r'id="no-show-rate">50 %<', html)
    assert "не готов к гибридному формату" in html
    assert "9 кандидатов" in html


def test_slots_offered_and_used_are_counted_per_city(admin_client: Client, world: dict[str, Any]):
    with at(60 * 24 * 2):
        html = admin_client.get(URL).content.decode()

    # Anna's Moscow slots this week: the old newcomer's and c's (pending: not used yet), d and e (approved: used),
    # f, g, h (released: free again, still offered) and one nobody took. Igor's slot is in Novosibirsk.
    moscow = re.search(r'data-city="Москва"><td>Москва</td><td class="num">(\d+)</td><td class="num">(\d+)</td>', html)
    assert moscow and moscow.groups() == ("8", "2")


def test_the_charts_print_the_same_numbers_as_the_table(admin_client: Client, world: dict[str, Any]):
    with at(60 * 24 * 2):
        html = admin_client.get(URL).content.decode()

    bars = re.search(r'<svg id="funnel-bars".*?</svg>', html, re.S).group(0)
    drawn = [int(value) for value in re.findall(r'font-weight="bold">(\d+)', bars)]
    table = [value for value in stages(admin_client).values()]
    assert drawn == table
    trend = re.search(r'<svg id="funnel-trend-chart".*?</svg>', html, re.S).group(0)
    # Everyone started on Wednesday 02.12: its requests, approvals and attendance, as in the table.
    assert re.search(r"<title>02\.12: 7</title>", trend)
    assert re.search(r"<title>02\.12: 3</title>", trend)
    assert "день прихода" in trend


def test_a_bad_date_gets_a_clear_message_not_an_error(admin_client: Client, world: dict[str, Any]):
    response = admin_client.get(URL, {"period": "custom", "date_from": "31.02.2026", "date_to": "01.03.2026"})
    html = response.content.decode()

    assert response.status_code == 200
    assert "Дата в поле «с» не распознана: нужна дата вида 01.12.2026." in html
    assert 'id="funnel-table"' not in html


def test_dates_in_the_wrong_order_are_refused_with_a_message(admin_client: Client, world: dict[str, Any]):
    html = admin_client.get(URL, {"period": "custom", "date_from": "10.11.2026", "date_to": "01.11.2026"}).content
    assert "Дата «с» позже даты «по»." in html.decode()


def test_the_page_takes_few_queries_and_is_linked_from_the_home_page(admin_client: Client, world: dict[str, Any]):
    with CaptureQueriesContext(connection) as ctx:
        admin_client.get(URL, {"city": world["moscow"].pk, "vacancy": world["vacancy"].pk, "source": world["board"].pk})

    assert len(ctx.captured_queries) <= 15
    assert 'href="/admin/funnel/"' in admin_client.get("/admin/").content.decode()
