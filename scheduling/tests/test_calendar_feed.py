"""The recruiter's calendar feed: parsed back by icalendar and by ics, UID/SEQUENCE on change, revocation."""

from __future__ import annotations

import datetime as dt

import icalendar
import ics
import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from candidates.privacy import candidate_erase
from candidates.tests.factories import CandidateFactory
from scheduling import services
from scheduling.calendar_feed import feed_path
from scheduling.models import City, MeetingPlace, Recruiter, SlotStatus
from scheduling.tests.admin_pages import messages_of
from scheduling.tests.factories import SlotFactory
from scheduling.tests.helpers import slot_in_status, through_test2

pytestmark = pytest.mark.django_db


def fetch(recruiter: Recruiter) -> tuple[icalendar.Calendar, str]:
    """The feed as a calendar app gets it: no login, the token in the URL."""
    recruiter.refresh_from_db()
    response = Client().get(feed_path(recruiter))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    text = response.content.decode()
    return icalendar.Calendar.from_ical(text), text


def events_by_uid(cal: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(event["UID"]): event for event in cal.walk("VEVENT")}


def test_it_lists_agreed_interviews_that_two_parsers_read_alike(anna: Recruiter, moscow: City):
    booked = slot_in_status(SlotStatus.BOOKED, slot=SlotFactory(recruiter=anna, city=moscow))
    confirmed = slot_in_status(SlotStatus.CONFIRMED, slot=SlotFactory(recruiter=anna, city=moscow))
    slot_in_status(SlotStatus.PENDING, slot=SlotFactory(recruiter=anna, city=moscow))  # undecided: not in the feed
    slot_in_status(SlotStatus.FREE, slot=SlotFactory(recruiter=anna, city=moscow))

    cal, text = fetch(anna)

    assert str(cal["PRODID"]).startswith("-//Interview Scheduler//")
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["X-WR-CALNAME"]) == "Встречи с кандидатами — Анна Смирнова"
    assert str(cal["X-WR-TIMEZONE"]) == "Europe/Moscow"
    events = events_by_uid(cal)
    assert set(events) == {f"{booked.reservation_id}@testserver", f"{confirmed.reservation_id}@testserver"}
    booked_event = events[f"{booked.reservation_id}@testserver"]
    assert str(booked_event["STATUS"]) == "TENTATIVE"
    assert str(events[f"{confirmed.reservation_id}@testserver"]["STATUS"]) == "CONFIRMED"
    start = booked_event.decoded("DTSTART")
    assert start == booked.starts_at and start.utcoffset() == dt.timedelta(0)
    assert booked_event.decoded("DTEND") == booked.ends_at
    assert booked.candidate.full_name in str(booked_event["SUMMARY"])
    description = str(booked_event["DESCRIPTION"])
    assert booked.candidate.full_name in description
    assert anna.meeting_url in description and str(booked_event["URL"]) == anna.meeting_url
    assert "Europe/Moscow" in description
    assert f"/admin/scheduling/slot/{booked.pk}/" in description
    assert "DTSTART:" in text and "Z\r\n" in text  # UTC form, no floating times

    # The second, independent parser: the same events, the same instants and names.
    other = ics.Calendar(text)
    by_uid = {event.uid: event for event in other.events}
    assert set(by_uid) == set(events)
    assert by_uid[f"{booked.reservation_id}@testserver"].begin.datetime == booked.starts_at
    assert by_uid[f"{confirmed.reservation_id}@testserver"].end.datetime == confirmed.ends_at
    assert booked.candidate.full_name in by_uid[f"{booked.reservation_id}@testserver"].name
    assert by_uid[f"{booked.reservation_id}@testserver"].status == "TENTATIVE"


def test_an_event_names_the_office_of_its_city_where_the_recruiter_has_one(anna: Recruiter, moscow: City):
    # The candidate is told the place for the slot's city; the recruiter's calendar must say the same.
    kazan = City.objects.create(name="Казань", tz="Europe/Moscow")
    anna.cities.add(kazan)
    MeetingPlace.objects.create(recruiter=anna, city=kazan, place="Казань, ул. Баумана, 10, офис 5")
    in_moscow = slot_in_status(SlotStatus.BOOKED, slot=SlotFactory(recruiter=anna, city=moscow))
    in_kazan = slot_in_status(SlotStatus.BOOKED, slot=SlotFactory(recruiter=anna, city=kazan))

    events = events_by_uid(fetch(anna)[0])

    kazan_event = events[f"{in_kazan.reservation_id}@testserver"]
    assert str(kazan_event["LOCATION"]) == "Казань, ул. Баумана, 10, офис 5"
    assert "Казань, ул. Баумана, 10, офис 5" in str(kazan_event["DESCRIPTION"])
    assert "URL" not in kazan_event  # an address is not a link
    assert str(events[f"{in_moscow.reservation_id}@testserver"]["LOCATION"]) == anna.meeting_url


def test_a_change_keeps_the_uid_and_bumps_the_sequence_until_the_release_ages_out(anna: Recruiter, moscow: City):
    candidate = CandidateFactory()
    slot = slot_in_status(SlotStatus.BOOKED, slot=SlotFactory(recruiter=anna, city=moscow), candidate=candidate)
    uid = f"{slot.reservation_id}@testserver"

    approved = events_by_uid(fetch(anna)[0])[uid]
    services.booking_confirm(reservation_id=slot.reservation_id, candidate_id=candidate.pk)
    confirmed = events_by_uid(fetch(anna)[0])[uid]
    services.booking_cancel(reservation_id=slot.reservation_id, candidate_id=candidate.pk)
    released_cal, released_text = fetch(anna)
    released = events_by_uid(released_cal)[uid]

    assert int(approved["SEQUENCE"]) < int(confirmed["SEQUENCE"]) < int(released["SEQUENCE"])
    assert [str(e["STATUS"]) for e in (approved, confirmed, released)] == ["TENTATIVE", "CONFIRMED", "CANCELLED"]
    assert released.decoded("DTSTAMP") >= confirmed.decoded("DTSTAMP")
    assert [e.status for e in ics.Calendar(released_text).events] == ["CANCELLED"]
    # The same facts give the same bytes: a calendar sees no change where there was none.
    assert fetch(anna)[1] == released_text

    with time_machine.travel(timezone.now() + dt.timedelta(days=7, minutes=1)):
        assert events_by_uid(fetch(anna)[0]) == {}


def test_a_slot_booked_again_is_a_new_event_beside_the_cancelled_one(anna: Recruiter, moscow: City):
    slot = slot_in_status(SlotStatus.BOOKED, slot=SlotFactory(recruiter=anna, city=moscow))
    first = slot.reservation_id
    services.slot_reschedule(slot_id=slot.pk)
    second = slot_in_status(SlotStatus.BOOKED, slot=slot).reservation_id

    events = events_by_uid(fetch(anna)[0])

    assert str(events[f"{first}@testserver"]["STATUS"]) == "CANCELLED"
    assert str(events[f"{second}@testserver"]["STATUS"]) == "TENTATIVE"


def test_a_request_rejected_before_approval_never_shows(anna: Recruiter, moscow: City):
    slot = slot_in_status(SlotStatus.PENDING, slot=SlotFactory(recruiter=anna, city=moscow))
    services.slot_reject(slot_id=slot.pk)

    assert events_by_uid(fetch(anna)[0]) == {}


def test_a_feed_holds_only_its_recruiters_interviews(anna: Recruiter, igor: Recruiter, moscow: City):
    mine = slot_in_status(SlotStatus.BOOKED, slot=SlotFactory(recruiter=anna, city=moscow))
    slot_in_status(SlotStatus.BOOKED, slot=SlotFactory(recruiter=igor, city=igor.cities.first()))

    assert set(events_by_uid(fetch(anna)[0])) == {f"{mine.reservation_id}@testserver"}


def test_an_erased_candidate_appears_by_number_only(anna: Recruiter, moscow: City):
    slot = slot_in_status(SlotStatus.BOOKED, slot=SlotFactory(recruiter=anna, city=moscow))
    name = slot.candidate.full_name
    candidate_erase(candidate_id=slot.candidate_id, erased_by="test")

    _, text = fetch(anna)

    assert name not in text
    assert "CANCELLED" in text  # erasure released the booking


def test_the_query_count_does_not_grow_with_interviews(anna: Recruiter, moscow: City, django_assert_max_num_queries):
    for _ in range(3):
        slot_in_status(SlotStatus.CONFIRMED, slot=SlotFactory(recruiter=anna, city=moscow))
    anna.refresh_from_db()
    with django_assert_max_num_queries(5) as few:  # recruiter, places, agreed, released, histories
        Client().get(feed_path(anna))
    for _ in range(6):
        slot_in_status(SlotStatus.BOOKED, slot=SlotFactory(recruiter=anna, city=moscow))

    with django_assert_max_num_queries(len(few.captured_queries)):
        Client().get(feed_path(anna))


def test_regenerating_revokes_the_old_url(anna_client: Client, anna: Recruiter, moscow: City):
    slot_in_status(SlotStatus.BOOKED, slot=SlotFactory(recruiter=anna, city=moscow))
    old = feed_path(anna)
    assert Client().get(old).status_code == 200

    response = anna_client.post(reverse("admin:scheduling_recruiter_calendar_token", args=[anna.pk]))

    anna.refresh_from_db()
    [(level, text)] = messages_of(response)
    assert level == "success" and "старая больше не работает" in text
    assert feed_path(anna) != old
    assert Client().get(old).status_code == 404
    assert Client().get(feed_path(anna)).status_code == 200


def test_unknown_tokens_and_inactive_recruiters_answer_404(anna: Recruiter):
    assert Client().get("/calendar/not-a-real-token.ics").status_code == 404
    anna.is_active = False
    anna.save(update_fields=["is_active"])
    assert Client().get(feed_path(anna)).status_code == 404


def test_the_recruiter_page_shows_their_own_feed_url_only(anna_client: Client, anna: Recruiter, igor: Recruiter):
    page = anna_client.get(reverse("admin:scheduling_recruiter_change", args=[anna.pk])).content.decode()

    assert f"http://testserver/calendar/{anna.calendar_token}.ics" in page
    assert "Google Календарь" in page and "Outlook" in page
    assert anna_client.get(reverse("admin:scheduling_recruiter_change", args=[igor.pk])).status_code == 404
    assert anna_client.post(reverse("admin:scheduling_recruiter_calendar_token", args=[igor.pk])).status_code == 404
    igor_token = igor.calendar_token
    igor.refresh_from_db()
    assert igor.calendar_token == igor_token


def test_the_url_is_on_the_site_url_host_when_one_is_set(anna_client: Client, anna: Recruiter, settings):
    settings.SITE_URL = "https://hr.example.ru/admin/"

    page = anna_client.get(reverse("admin:scheduling_recruiter_change", args=[anna.pk])).content.decode()
    slot = slot_in_status(SlotStatus.BOOKED, slot=SlotFactory(recruiter=anna, city=anna.cities.first()))

    assert f"https://hr.example.ru/calendar/{anna.calendar_token}.ics" in page
    assert f"{slot.reservation_id}@hr.example.ru" in events_by_uid(fetch(anna)[0])


def test_a_lead_finds_every_recruiters_feed_in_the_recruiter_list(admin_client: Client, anna: Recruiter, igor):
    page = admin_client.get(reverse("admin:scheduling_recruiter_changelist")).content.decode()

    assert feed_path(anna) in page and feed_path(igor) in page


def test_erasing_a_past_interviews_candidate_renames_it_with_a_new_sequence(anna: Recruiter, moscow: City):
    soon = timezone.now().replace(second=0, microsecond=0) + dt.timedelta(hours=3)
    slot = slot_in_status(SlotStatus.CONFIRMED, slot=SlotFactory(recruiter=anna, city=moscow, starts_at=soon))
    uid, name = f"{slot.reservation_id}@testserver", slot.candidate.full_name

    with time_machine.travel(slot.ends_at + dt.timedelta(hours=1)):
        before = events_by_uid(fetch(anna)[0])[uid]
        candidate_erase(candidate_id=slot.candidate_id, erased_by="test")
        after = events_by_uid(fetch(anna)[0])[uid]

    assert name in str(before["SUMMARY"]) and name not in str(after["SUMMARY"])
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert str(after["STATUS"]) == "CONFIRMED"  # the interview happened; only the name is gone


def test_intro_days_are_their_own_events_with_address_contact_and_state(
    anna: Recruiter, moscow: City, django_assert_max_num_queries
):
    # A group of one time: one invited, one who said «Приду», one who said «Не смогу» (released).
    starts_at = (timezone.now() + dt.timedelta(days=5)).replace(hour=10, minute=0, second=0, microsecond=0)
    invited, coming, declined = (
        services.intro_day_invite(
            candidate_id=through_test2(slot=SlotFactory(recruiter=anna, city=moscow)).candidate_id,
            starts_at=starts_at,
            address="Москва, ул. Тверская, 1, офис 5",
            contact="Ольга, +7 900 000-00-00",
            note="Возьмите паспорт",
        )
        for _ in range(3)
    )
    services.intro_day_confirm(reservation_id=coming.reservation_id, candidate_id=coming.candidate_id)
    services.intro_day_decline(reservation_id=declined.reservation_id, candidate_id=declined.candidate_id)
    anna.refresh_from_db()
    with django_assert_max_num_queries(5):  # the same five queries as for interviews only
        Client().get(feed_path(anna))
    cal, text = fetch(anna)

    events = events_by_uid(cal)
    uid = {slot: f"{slot.reservation_id}@testserver" for slot in (invited, coming, declined)}
    assert [str(events[uid[s]]["STATUS"]) for s in (invited, coming, declined)] == [
        "TENTATIVE",
        "CONFIRMED",
        "CANCELLED",
    ]
    event = events[uid[invited]]
    assert str(event["SUMMARY"]) == f"Ознакомительный день — {invited.candidate.full_name}"
    assert str(event["LOCATION"]) == "Москва, ул. Тверская, 1, офис 5"
    description = str(event["DESCRIPTION"])
    assert "Контактное лицо: Ольга, +7 900 000-00-00" in description
    assert "Примечание: Возьмите паспорт" in description
    assert "Собеседование" not in str(event["SUMMARY"]) and "URL" not in event
    assert event.decoded("DTSTART") == starts_at
    assert str(events[uid[declined]]["SUMMARY"]).startswith("Отменено: ознакомительный день — ")
    # Invite + confirm: one change after the first version, as for an interview.
    assert int(events[uid[coming]]["SEQUENCE"]) == int(event["SEQUENCE"]) + 1

    by_uid = {e.uid: e for e in ics.Calendar(text).events}
    assert by_uid[uid[coming]].name == f"Ознакомительный день — {coming.candidate.full_name}"
    assert by_uid[uid[coming]].location == "Москва, ул. Тверская, 1, офис 5"
    assert by_uid[uid[coming]].status == "CONFIRMED"
    assert by_uid[uid[coming]].begin.datetime == by_uid[uid[invited]].begin.datetime == starts_at
