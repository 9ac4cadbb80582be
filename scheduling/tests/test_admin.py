"""The recruiter admin: counters, decisions through the services, per-recruiter access, bulk creation."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from notifications.models import NotificationKind, NotificationLog
from scheduling.access import LEAD_GROUP
from scheduling.models import City, Recruiter, Slot, SlotEvent, SlotStatus
from scheduling.tests.factories import CityFactory, RecruiterFactory, SlotFactory, UserFactory
from scheduling.tests.helpers import slot_in_status
from scheduling.tests.personas import client_for, recruiter_group

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/scheduling/slot/"
ALL_STATUSES = [s.value for s in SlotStatus]


def messages_of(response: Any) -> list[tuple[str, str]]:
    """(level tag, text) of every admin message the request queued."""
    return [(m.level_tag, m.message) for m in get_messages(response.wsgi_request)]


def sql_counts(where: str = "", params: tuple[Any, ...] = ()) -> dict[str, int]:
    """Slots per status straight from SQL, every status present, plus the total."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT status, count(*) FROM scheduling_slot {where} GROUP BY status", params)
        rows = dict(cursor.fetchall())
    counts = {status: rows.get(status, 0) for status in ALL_STATUSES}
    counts["total"] = sum(rows.values())
    return counts


def shown_counters(response: Any) -> dict[str, int]:
    return {counter["key"]: counter["value"] for counter in response.context["slot_counters"]}


def run_action(client: Client, action: str, slot_ids: list[int], **query: str) -> Any:
    return client.post(
        CHANGELIST, {"action": action, "index": 0, "_selected_action": [str(pk) for pk in slot_ids], **query}
    )


def slots_of(recruiter: Recruiter, city: City | None = None) -> dict[str, Slot]:
    """One slot of the recruiter in each status, reached through the real services."""
    city = city or recruiter.cities.first()
    return {status: slot_in_status(status, slot=SlotFactory(recruiter=recruiter, city=city)) for status in ALL_STATUSES}


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


def test_counters_follow_the_status_filter(admin_client: Client, anna: Recruiter):
    slots_of(anna)
    slots_of(anna)

    response = admin_client.get(CHANGELIST, {"status__exact": SlotStatus.CONFIRMED})

    assert shown_counters(response) == sql_counts("WHERE status = %s", (SlotStatus.CONFIRMED,))
    assert shown_counters(response)[SlotStatus.CONFIRMED] == 2
    assert shown_counters(response)["total"] == 2
    assert len(response.context["cl"].result_list) == 2


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


# ---- actions ----------------------------------------------------------------------------------------

APPROVED_KINDS = {NotificationKind.APPROVED, NotificationKind.CONFIRM_REQUEST, NotificationKind.REMINDER_1H}

# action -> status before -> (status after, message, new outbox kinds for the candidate)
EXPECTED: dict[str, dict[str, tuple[str, str, set[str]]]] = {
    "approve_slots": {
        SlotStatus.PENDING: (SlotStatus.BOOKED, "согласовано", APPROVED_KINDS),
    },
    "reschedule_slots": {
        SlotStatus.PENDING: (SlotStatus.FREE, "выбрать другое время", {NotificationKind.RESCHEDULE_REQUESTED}),
        SlotStatus.BOOKED: (SlotStatus.FREE, "выбрать другое время", {NotificationKind.RESCHEDULE_REQUESTED}),
        SlotStatus.CONFIRMED: (SlotStatus.FREE, "выбрать другое время", {NotificationKind.RESCHEDULE_REQUESTED}),
    },
    "reject_slots": {
        SlotStatus.PENDING: (SlotStatus.FREE, "отказано", {NotificationKind.REJECTED}),
        SlotStatus.BOOKED: (SlotStatus.FREE, "отказано", {NotificationKind.REJECTED}),
        SlotStatus.CONFIRMED: (SlotStatus.FREE, "отказано", {NotificationKind.REJECTED}),
    },
    "cancel_slots": {
        SlotStatus.FREE: (SlotStatus.CANCELED, "слот отменён", set()),
        SlotStatus.PENDING: (SlotStatus.CANCELED, "слот отменён", {NotificationKind.SLOT_CANCELED}),
        SlotStatus.BOOKED: (SlotStatus.CANCELED, "слот отменён", {NotificationKind.SLOT_CANCELED}),
        SlotStatus.CONFIRMED: (SlotStatus.CANCELED, "слот отменён", {NotificationKind.SLOT_CANCELED}),
    },
}


@pytest.mark.parametrize("action", list(EXPECTED))
@pytest.mark.parametrize("status", ALL_STATUSES)
def test_each_action_on_each_status_reports_the_service_result(
    anna_client: Client, anna: Recruiter, action: str, status: str
):
    slot = slot_in_status(status, slot=SlotFactory(recruiter=anna, city=anna.cities.first()))
    candidate_id = slot.candidate_id
    rows_before = set(NotificationLog.objects.values_list("pk", flat=True))
    events_before = SlotEvent.objects.filter(slot=slot).count()

    response = run_action(anna_client, action, [slot.pk])

    assert response.status_code == 302
    slot.refresh_from_db()
    new_rows = NotificationLog.objects.exclude(pk__in=rows_before)
    [(level, text)] = messages_of(response)
    if status in EXPECTED[action]:
        after, said, kinds = EXPECTED[action][status]
        assert (level, slot.status) == ("success", after)
        assert said in text
        assert {row.kind for row in new_rows} == kinds
        assert all(row.candidate_id == candidate_id for row in new_rows)
        assert SlotEvent.objects.filter(slot=slot).count() == events_before + 1
        assert SlotEvent.objects.filter(slot=slot).last().actor_user.username == "anna"
    else:
        assert (level, slot.status) == ("warning", status)
        assert "уже обработано" in text
        assert not new_rows.exists()


def test_an_action_on_several_slots_reports_each_row_on_its_own(anna_client: Client, anna: Recruiter):
    city = anna.cities.first()
    first = slot_in_status(SlotStatus.PENDING, slot=SlotFactory(recruiter=anna, city=city))
    second = slot_in_status(SlotStatus.PENDING, slot=SlotFactory(recruiter=anna, city=city))
    done = slot_in_status(SlotStatus.BOOKED, slot=SlotFactory(recruiter=anna, city=city))

    response = run_action(anna_client, "approve_slots", [first.pk, second.pk, done.pk])

    levels = sorted(level for level, _ in messages_of(response))
    assert levels == ["success", "success", "warning"]
    assert set(Slot.objects.filter(pk__in=[first.pk, second.pk, done.pk]).values_list("status", flat=True)) == {
        SlotStatus.BOOKED
    }


def test_approving_a_request_whose_time_has_passed_is_refused_with_the_reason(anna_client: Client, anna: Recruiter):
    starts_at = timezone.now() + dt.timedelta(hours=3)
    slot = slot_in_status(
        SlotStatus.PENDING, slot=SlotFactory(recruiter=anna, city=anna.cities.first(), starts_at=starts_at)
    )

    with time_machine.travel(slot.starts_at + dt.timedelta(minutes=5)):
        response = run_action(anna_client, "approve_slots", [slot.pk])

    [(level, text)] = messages_of(response)
    assert level == "error"
    assert "уже началось" in text
    slot.refresh_from_db()
    assert slot.status == SlotStatus.PENDING


def test_a_crafted_action_post_with_another_recruiters_ids_changes_nothing(
    anna_client: Client, anna: Recruiter, igor: Recruiter
):
    theirs = slots_of(igor)
    rows_before = NotificationLog.objects.count()

    for action in EXPECTED:
        anna_client.cookies.pop("messages", None)  # only this request's messages
        response = run_action(anna_client, action, [slot.pk for slot in theirs.values()])
        assert [level for level, _ in messages_of(response)] == ["error"]
        assert "нет доступа" in messages_of(response)[0][1]

    assert {slot.pk: slot.status for slot in Slot.objects.filter(recruiter=igor)} == {
        slot.pk: status for status, slot in theirs.items()
    }
    assert NotificationLog.objects.count() == rows_before


def test_select_across_acts_only_on_the_recruiters_own_slots(anna_client: Client, anna: Recruiter, igor: Recruiter):
    mine = slot_in_status(SlotStatus.PENDING, slot=SlotFactory(recruiter=anna, city=anna.cities.first()))
    theirs = slot_in_status(SlotStatus.PENDING, slot=SlotFactory(recruiter=igor, city=igor.cities.first()))

    anna_client.post(
        CHANGELIST, {"action": "approve_slots", "index": 0, "select_across": "1", "_selected_action": [str(mine.pk)]}
    )

    assert Slot.objects.get(pk=mine.pk).status == SlotStatus.BOOKED
    assert Slot.objects.get(pk=theirs.pk).status == SlotStatus.PENDING


# ---- object pages --------------------------------------------------------------------------------------


def test_a_recruiter_gets_404_on_another_recruiters_slot_page(anna_client: Client, igor: Recruiter):
    theirs = slot_in_status(SlotStatus.PENDING, slot=SlotFactory(recruiter=igor, city=igor.cities.first()))

    page = anna_client.get(reverse("admin:scheduling_slot_change", args=[theirs.pk]))
    history = anna_client.get(reverse("admin:scheduling_slot_history", args=[theirs.pk]))
    button = anna_client.post(reverse("admin:scheduling_slot_decide", args=[theirs.pk, "approve"]))

    assert (page.status_code, history.status_code, button.status_code) == (404, 404, 404)
    theirs.refresh_from_db()
    assert theirs.status == SlotStatus.PENDING


def test_the_slot_page_shows_the_allowed_buttons_and_history(anna_client: Client, anna: Recruiter):
    slot = slot_in_status(SlotStatus.PENDING, slot=SlotFactory(recruiter=anna, city=anna.cities.first()))

    html = anna_client.get(reverse("admin:scheduling_slot_change", args=[slot.pk])).content.decode()

    for label in ("Согласовать", "Попросить другое время", "Отказать", "Отменить слот"):
        assert label in html
    assert "История слота" in html
    assert "заявка принята (кандидату)" in html


def test_the_approve_button_on_the_slot_page_calls_the_service(anna_client: Client, anna: Recruiter):
    slot = slot_in_status(SlotStatus.PENDING, slot=SlotFactory(recruiter=anna, city=anna.cities.first()))

    response = anna_client.post(reverse("admin:scheduling_slot_decide", args=[slot.pk, "approve"]))

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:scheduling_slot_change", args=[slot.pk])
    slot.refresh_from_db()
    assert slot.status == SlotStatus.BOOKED
    assert NotificationLog.objects.filter(slot=slot, kind=NotificationKind.APPROVED).exists()
    assert messages_of(response)[0][0] == "success"


def test_a_booked_slot_page_offers_no_approve_button(anna_client: Client, anna: Recruiter):
    slot = slot_in_status(SlotStatus.BOOKED, slot=SlotFactory(recruiter=anna, city=anna.cities.first()))

    html = anna_client.get(reverse("admin:scheduling_slot_change", args=[slot.pk])).content.decode()

    assert 'name="decision-approve"' not in html
    assert 'name="decision-reject"' in html


def test_posting_a_status_to_the_slot_page_changes_nothing(admin_client: Client, anna: Recruiter):
    slot = slot_in_status(SlotStatus.PENDING, slot=SlotFactory(recruiter=anna, city=anna.cities.first()))

    admin_client.post(
        reverse("admin:scheduling_slot_change", args=[slot.pk]),
        {"status": SlotStatus.BOOKED, "candidate": "", "starts_at": "2000-01-01 10:00", "_save": "1"},
    )

    slot.refresh_from_db()
    assert slot.status == SlotStatus.PENDING
    assert slot.candidate_id is not None


@pytest.mark.parametrize("status", [SlotStatus.PENDING, SlotStatus.BOOKED, SlotStatus.CONFIRMED])
def test_a_live_slot_cannot_be_deleted(admin_client: Client, anna: Recruiter, status: str):
    slot = slot_in_status(status, slot=SlotFactory(recruiter=anna, city=anna.cities.first()))

    response = admin_client.post(reverse("admin:scheduling_slot_delete", args=[slot.pk]), {"post": "yes"})

    assert response.status_code == 403
    assert Slot.objects.filter(pk=slot.pk).exists()


def test_bulk_delete_is_not_offered_for_slots(admin_client: Client, anna: Recruiter):
    SlotFactory(recruiter=anna, city=anna.cities.first())

    response = admin_client.get(CHANGELIST)

    actions = [name for name, _ in response.context["action_form"].fields["action"].choices]
    assert "delete_selected" not in actions
    assert {"approve_slots", "reschedule_slots", "reject_slots", "cancel_slots"} <= set(actions)


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


# ---- bulk creation ---------------------------------------------------------------------------------------

BULK = "/admin/scheduling/slot/bulk/"
MSK = zoneinfo.ZoneInfo("Europe/Moscow")


def _next_monday() -> dt.date:
    # A Monday one to two weeks ahead: close enough that the test login session is still valid.
    today = timezone.now().astimezone(MSK).date() + dt.timedelta(days=7)
    return today + dt.timedelta(days=(7 - today.weekday()) % 7)


MONDAY = _next_monday()
TUESDAY = MONDAY + dt.timedelta(days=1)
MONDAY_NOON_MSK = dt.datetime.combine(MONDAY, dt.time(12, 0), tzinfo=MSK)


def bulk_data(recruiter: Recruiter, city: City, **overrides: Any) -> dict[str, Any]:
    data = {
        "recruiter": recruiter.pk,
        "city": city.pk,
        "date_from": MONDAY.isoformat(),
        "date_to": TUESDAY.isoformat(),
        "weekdays": ["1", "2", "3", "4", "5"],
        "start": "10:00",
        "end": "16:00",
        "step_min": "60",
        "duration_min": "",
        "break_start": "",
        "break_end": "",
    }
    data.update(overrides)
    return data


def test_the_bulk_page_previews_the_count_without_creating(anna_client: Client, anna: Recruiter, moscow: City):
    with time_machine.travel(MONDAY_NOON_MSK, tick=False):
        response = anna_client.post(BULK, {**bulk_data(anna, moscow), "_preview": "1"})

    assert response.status_code == 200
    report = response.context["report"]
    # Monday 10..15 and Tuesday 10..15: Monday 10, 11 and 12 have started or passed at noon.
    assert (len(report.created), len(report.skipped_past), len(report.skipped_overlap)) == (9, 3, 0)
    assert "Будет создано слотов" in response.content.decode()
    assert not Slot.objects.exists()


def test_the_bulk_page_creates_slots_and_reports_skipped_ones(anna_client: Client, anna: Recruiter, moscow: City):
    existing = SlotFactory(
        recruiter=anna,
        city=moscow,
        starts_at=dt.datetime.combine(TUESDAY, dt.time(14, 30), tzinfo=MSK),
        duration_min=30,
    )

    with time_machine.travel(MONDAY_NOON_MSK, tick=False):
        response = anna_client.post(
            BULK, {**bulk_data(anna, moscow, break_start="13:00", break_end="14:00"), "_create": "1"}
        )

    assert response.status_code == 302
    created = Slot.objects.exclude(pk=existing.pk)
    local_hours = sorted(s.starts_at.astimezone(MSK).strftime("%a %H:%M") for s in created)
    assert local_hours == ["Mon 14:00", "Mon 15:00", "Tue 10:00", "Tue 11:00", "Tue 12:00", "Tue 15:00"]
    assert all(s.status == SlotStatus.FREE for s in created)
    all_text = " ".join(text for _, text in messages_of(response))
    assert "Создано слотов: 6" in all_text
    assert f"пересечения с существующими слотами: 1 — {TUESDAY:%d.%m.%Y} 14:00" in all_text
    assert "время уже прошло: 3" in all_text


def test_the_bulk_page_refuses_a_city_the_recruiter_does_not_serve(anna_client: Client, anna: Recruiter):
    elsewhere = CityFactory(name="Омск", tz="Asia/Omsk")

    response = anna_client.post(BULK, {**bulk_data(anna, elsewhere), "_create": "1"})

    assert response.status_code == 200
    assert "не работает в городе" in response.content.decode()
    assert not Slot.objects.exists()


def test_the_bulk_page_offers_a_recruiter_only_themselves(anna_client: Client, anna: Recruiter, igor: Recruiter):
    response = anna_client.post(BULK, {**bulk_data(igor, igor.cities.first()), "_create": "1"})

    assert response.status_code == 200
    assert list(response.context["form"].fields["recruiter"].queryset) == [anna]
    assert not Slot.objects.exists()


def test_the_add_button_leads_to_the_bulk_page(anna_client: Client):
    response = anna_client.get(reverse("admin:scheduling_slot_add"))

    assert response.status_code == 302
    assert response["Location"] == BULK


# ---- recruiters and cities -------------------------------------------------------------------------------


def test_a_recruiter_gets_a_one_time_bind_code_on_their_page(anna_client: Client, anna: Recruiter):
    response = anna_client.post(reverse("admin:scheduling_recruiter_bind_code", args=[anna.pk]))

    anna.refresh_from_db()
    [(level, text)] = messages_of(response)
    assert level == "success"
    assert len(anna.telegram_bind_code) == 8
    assert f"/bind {anna.telegram_bind_code}" in text


def test_a_recruiter_cannot_get_a_bind_code_for_someone_else(anna_client: Client, igor: Recruiter):
    response = anna_client.post(reverse("admin:scheduling_recruiter_bind_code", args=[igor.pk]))

    igor.refresh_from_db()
    assert response.status_code == 404
    assert igor.telegram_bind_code == ""


def test_a_recruiter_sees_only_their_own_recruiter_row(anna_client: Client, anna: Recruiter, igor: Recruiter):
    response = anna_client.get(reverse("admin:scheduling_recruiter_changelist"))

    assert list(response.context["cl"].result_list) == [anna]
    assert anna_client.get(reverse("admin:scheduling_recruiter_change", args=[igor.pk])).status_code == 404


@pytest.mark.parametrize("tz", ["Moscow", "UTC+3", "Europe/Mordor"])
def test_a_city_needs_an_iana_time_zone(admin_client: Client, tz: str):
    response = admin_client.post(reverse("admin:scheduling_city_add"), {"name": "Тверь", "tz": tz, "is_active": "on"})

    assert response.status_code == 200
    assert "не часовой пояс IANA" in response.content.decode()
    assert not City.objects.filter(name="Тверь").exists()


def test_a_city_with_an_iana_zone_is_saved(admin_client: Client):
    response = admin_client.post(
        reverse("admin:scheduling_city_add"), {"name": "Тверь", "tz": "Europe/Moscow", "is_active": "on"}
    )

    assert response.status_code == 302
    assert City.objects.get(name="Тверь").tz == "Europe/Moscow"


def test_a_recruiter_needs_an_iana_time_zone(admin_client: Client, moscow: City):
    response = admin_client.post(
        reverse("admin:scheduling_recruiter_add"),
        {"name": "Ольга", "tz": "MSK", "meeting_url": "", "cities": [moscow.pk], "is_active": "on"},
    )

    assert response.status_code == 200
    assert "не часовой пояс IANA" in response.content.decode()
    assert not Recruiter.objects.filter(name="Ольга").exists()
