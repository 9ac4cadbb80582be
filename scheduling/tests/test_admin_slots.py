"""The slot list: status counters that match SQL, per-recruiter scope, columns, order, a flat query count."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from notifications.models import NotificationLog
from scheduling.access import LEAD_GROUP
from scheduling.models import City, Recruiter, Slot, SlotStatus
from scheduling.tests.admin_pages import CHANGELIST, shown_counters, slots_of, sql_counts
from scheduling.tests.factories import CityFactory, RecruiterFactory, SlotFactory, UserFactory
from scheduling.tests.helpers import slot_in_status
from scheduling.tests.personas import client_for, recruiter_group

pytestmark = pytest.mark.django_db


# ---- counters -------------------------------------------------------------------------------------


def test_counters_equal_a_direct_sql_count_for_every_status(admin_client: Client, anna: Recruiter, igor: Recruiter):
    slots_of(anna)
    slots_of(anna)
    slots_of(igor)
    slot_in_status(SlotStatus.CONFIRMED, slot=SlotFactory(recruiter=igor, city=igor.cities.first()))

    response = admin_client.get(CHANGELIST)

    assert response.status_code == 200
    assert shown_counters(response) == sql_counts()
    assert shown_counters(response)[SlotStatus.CONFIRMED] == 4
    assert shown_counters(response)[SlotStatus.CANCELED] == 3
    for label in ("свободные", "ожидают решения", "согласованы", "подтверждены кандидатом", "отменены", "всего"):
        assert label in response.content.decode()


def test_counters_follow_the_recruiter_filter(admin_client: Client, anna: Recruiter, igor: Recruiter):
    slots_of(anna)
    slots_of(igor)
    slots_of(igor)

    response = admin_client.get(CHANGELIST, {"recruiter__id__exact": igor.pk})

    assert shown_counters(response) == sql_counts("WHERE recruiter_id = %s", (igor.pk,))
    assert shown_counters(response)["total"] == 10


def test_the_status_filter_never_zeroes_the_counters_and_highlights_the_chosen_one(
    anna_client: Client, anna: Recruiter
):
    slots_of(anna)
    slots_of(anna)

    response = anna_client.get(CHANGELIST, {"status__exact": SlotStatus.PENDING})

    assert shown_counters(response) == sql_counts("WHERE recruiter_id = %s", (anna.pk,))
    assert shown_counters(response)["total"] == 10
    assert [c["key"] for c in response.context["slot_counters"] if c["selected"]] == [SlotStatus.PENDING]
    assert len(response.context["cl"].result_list) == 2
    assert response.context["cl"].result_count == 2


def test_a_counter_links_to_the_status_filter_keeping_the_other_filters(anna_client: Client, anna: Recruiter):
    slots_of(anna)

    response = anna_client.get(CHANGELIST, {"status__exact": SlotStatus.PENDING, "date": "upcoming"})

    links = {c["key"]: c["url"] for c in response.context["slot_counters"]}
    assert links[SlotStatus.FREE] == "?date=upcoming&status__exact=free"
    assert links["total"] == "?date=upcoming"


def test_counters_follow_the_city_and_date_filters(admin_client: Client, anna: Recruiter, moscow: City):
    kazan = CityFactory(name="Казань", tz="Europe/Moscow")
    anna.cities.add(kazan)
    slots_of(anna, moscow)
    slots_of(anna, kazan)
    tomorrow = (timezone.now().astimezone(zoneinfo.ZoneInfo("Europe/Moscow")) + dt.timedelta(days=1)).date()
    start = dt.datetime.combine(tomorrow, dt.time.min, tzinfo=zoneinfo.ZoneInfo("Europe/Moscow"))
    for hour, status in ((0, SlotStatus.PENDING), (12, SlotStatus.CONFIRMED), (23, SlotStatus.FREE)):
        slot = SlotFactory(recruiter=anna, city=moscow, starts_at=start + dt.timedelta(hours=hour), duration_min=30)
        slot_in_status(status, slot=slot)
    SlotFactory(recruiter=anna, city=moscow, starts_at=start + dt.timedelta(days=1))  # the day after: outside

    by_city = admin_client.get(CHANGELIST, {"city__id__exact": kazan.pk})
    by_day = admin_client.get(CHANGELIST, {"date": "tomorrow"})
    by_range = admin_client.get(CHANGELIST, {"date_from": tomorrow.isoformat(), "date_to": tomorrow.isoformat()})

    assert shown_counters(by_city) == sql_counts("WHERE city_id = %s", (kazan.pk,))
    day_where = ("WHERE starts_at >= %s AND starts_at < %s", (start, start + dt.timedelta(days=1)))
    assert shown_counters(by_day) == sql_counts(*day_where)
    assert shown_counters(by_range) == sql_counts(*day_where)
    assert shown_counters(by_day)["total"] >= 3


def test_a_recruiter_sees_only_their_own_slots_in_the_list_and_the_counters(
    anna_client: Client, anna: Recruiter, igor: Recruiter
):
    own = slots_of(anna)
    slots_of(igor)
    slots_of(igor)

    response = anna_client.get(CHANGELIST)

    assert response.status_code == 200
    assert shown_counters(response) == sql_counts("WHERE recruiter_id = %s", (anna.pk,))
    assert {slot.pk for slot in response.context["cl"].result_list} == {slot.pk for slot in own.values()}
    assert "Игорь Петров" not in response.content.decode()


def test_a_lead_group_member_sees_every_recruiter(anna: Recruiter, igor: Recruiter):
    slots_of(anna)
    slots_of(igor)
    lead = UserFactory(username="lead")
    lead.groups.add(recruiter_group(), Group.objects.get_or_create(name=LEAD_GROUP)[0])

    response = client_for(lead).get(CHANGELIST)

    assert shown_counters(response) == sql_counts()
    assert shown_counters(response)["total"] == 10


def test_a_staff_user_without_a_recruiter_profile_sees_no_slots(anna: Recruiter):
    slots_of(anna)
    stranger = UserFactory(username="stranger")
    stranger.groups.add(recruiter_group())

    response = client_for(stranger).get(CHANGELIST)

    assert shown_counters(response)["total"] == 0


def test_the_list_shows_local_time_with_zone_candidate_link_and_pending_age(anna_client: Client, anna: Recruiter):
    slot = slot_in_status(SlotStatus.PENDING, slot=SlotFactory(recruiter=anna, city=anna.cities.first()))

    html = anna_client.get(CHANGELIST).content.decode()

    local = slot.starts_at.astimezone(zoneinfo.ZoneInfo("Europe/Moscow")).strftime("%d.%m.%Y %H:%M")
    assert local in html
    assert "Europe/Moscow, UTC+03:00" in html
    assert reverse("admin:candidates_candidate_change", args=[slot.candidate_id]) in html
    assert "ожидает решения" in html
    assert "мин" in html  # age of the pending request
    assert "ожидает отправки" in html  # delivery state of the latest message to the candidate


def test_the_list_shows_a_failed_delivery_with_its_reason(anna_client: Client, anna: Recruiter):
    slot = slot_in_status(SlotStatus.PENDING, slot=SlotFactory(recruiter=anna, city=anna.cities.first()))
    NotificationLog.objects.filter(slot=slot).update(
        status="failed", last_error="Forbidden: bot was blocked by the user"
    )

    html = anna_client.get(CHANGELIST).content.decode()

    assert "ошибка: Forbidden: bot was blocked by the user" in html


def test_upcoming_slots_come_first_then_past_ones(admin_client: Client, anna: Recruiter, moscow: City):
    now = timezone.now().replace(microsecond=0)
    past = SlotFactory(recruiter=anna, city=moscow, starts_at=now - dt.timedelta(days=1))
    later = SlotFactory(recruiter=anna, city=moscow, starts_at=now + dt.timedelta(days=3))
    soon = SlotFactory(recruiter=anna, city=moscow, starts_at=now + dt.timedelta(hours=3))

    response = admin_client.get(CHANGELIST)

    assert [slot.pk for slot in response.context["cl"].result_list] == [soon.pk, later.pk, past.pk]


# ---- query count ----------------------------------------------------------------------------------------


def _fill(recruiter: Recruiter, city: City, count: int) -> None:
    start = timezone.now().replace(second=0, microsecond=0) + dt.timedelta(days=1)
    Slot.objects.bulk_create(
        Slot(
            recruiter=recruiter,
            city=city,
            starts_at=start + dt.timedelta(minutes=30 * i),
            ends_at=start + dt.timedelta(minutes=30 * i + 30),
            duration_min=30,
        )
        for i in range(count)
    )


def _queries_for_list(client: Client, **params: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(CHANGELIST, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_slot_list_uses_the_same_number_of_queries_for_10_and_2000_slots(anna_client: Client, anna: Recruiter):
    city = anna.cities.first()
    for hours, status in enumerate((SlotStatus.PENDING, SlotStatus.BOOKED, SlotStatus.CONFIRMED), start=5):
        slot_in_status(
            status, slot=SlotFactory(recruiter=anna, city=city, starts_at=timezone.now() + dt.timedelta(hours=hours))
        )
    _fill(anna, city, 7)
    small = _queries_for_list(anna_client)
    small_filtered = _queries_for_list(anna_client, status__exact="pending", date="upcoming")

    big_recruiter_slots = 2000 - Slot.objects.filter(recruiter=anna).count()
    start_later = timezone.now() + dt.timedelta(days=400)
    Slot.objects.bulk_create(
        Slot(
            recruiter=anna,
            city=city,
            starts_at=start_later + dt.timedelta(minutes=30 * i),
            ends_at=start_later + dt.timedelta(minutes=30 * i + 30),
            duration_min=30,
        )
        for i in range(big_recruiter_slots)
    )
    assert Slot.objects.filter(recruiter=anna).count() == 2000
    big = _queries_for_list(anna_client)
    big_filtered = _queries_for_list(anna_client, status__exact="pending", date="upcoming")

    assert small == big
    assert small_filtered == big_filtered
    assert big <= 15


def test_the_lead_slot_list_query_count_does_not_grow_with_recruiters(admin_client: Client, moscow: City):
    for _ in range(2):
        recruiter = RecruiterFactory(cities=[moscow])
        slot_in_status(SlotStatus.PENDING, slot=SlotFactory(recruiter=recruiter, city=moscow))
    small = _queries_for_list(admin_client)
    for _ in range(20):
        recruiter = RecruiterFactory(cities=[moscow])
        slot_in_status(SlotStatus.PENDING, slot=SlotFactory(recruiter=recruiter, city=moscow))
        _fill(recruiter, moscow, 5)

    big = _queries_for_list(admin_client)

    assert small == big <= 15
