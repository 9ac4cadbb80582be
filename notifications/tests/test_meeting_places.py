"""The meeting place per recruiter and city goes into the meeting link, the reminder and the agenda (issue 14.5)."""

from __future__ import annotations

import pytest

from notifications.agenda import agenda_messages
from notifications.conversation import texts
from notifications.models import NotificationKind
from notifications.tests.helpers import approved_booking, row_of
from scheduling import services
from scheduling.models import MeetingPlace, Recruiter
from scheduling.services.meeting_places import meeting_place_delete, meeting_place_save

pytestmark = pytest.mark.django_db

OFFICE = "Тверь, ул. Советская, 10, офис 5 (вход со двора)"


def test_the_place_for_the_slots_city_goes_into_the_meeting_link_and_the_reminder() -> None:
    slot, candidate = approved_booking()
    MeetingPlace.objects.create(recruiter=slot.recruiter, city=slot.city, place=OFFICE)

    services.booking_confirm(reservation_id=slot.reservation_id, candidate_id=candidate.pk)

    assert OFFICE in row_of(slot, NotificationKind.MEETING_LINK).text
    assert OFFICE in row_of(slot, NotificationKind.REMINDER_1H).text
    assert "meet.example.com" not in row_of(slot, NotificationKind.MEETING_LINK).text


def test_a_place_of_another_city_does_not_leak_and_the_general_link_is_used() -> None:
    slot, candidate = approved_booking()
    other, _ = approved_booking()
    MeetingPlace.objects.create(recruiter=slot.recruiter, city=other.city, place=OFFICE)

    services.booking_confirm(reservation_id=slot.reservation_id, candidate_id=candidate.pk)

    text = row_of(slot, NotificationKind.MEETING_LINK).text
    assert OFFICE not in text and "https://meet.example.com/room" in text


def test_without_any_place_the_candidate_is_told_it_comes_separately() -> None:
    slot, candidate = approved_booking()
    Recruiter.objects.filter(pk=slot.recruiter_id).update(meeting_url="")

    services.booking_confirm(reservation_id=slot.reservation_id, candidate_id=candidate.pk)

    assert texts.MEETING_LINK_MISSING in row_of(slot, NotificationKind.MEETING_LINK).text


def test_the_agenda_shows_each_interview_with_its_citys_place() -> None:
    slot, _ = approved_booking()
    MeetingPlace.objects.create(recruiter=slot.recruiter, city=slot.city, place=OFFICE)
    recruiter = Recruiter.objects.get(pk=slot.recruiter_id)
    day = slot.starts_at.astimezone(recruiter.zone).date()

    messages = agenda_messages(recruiter, first_day=day, days=1, heading=texts.AGENDA_TODAY)

    assert OFFICE in messages[0].text


def test_changing_the_place_rewrites_the_planned_reminder_of_a_confirmed_booking() -> None:
    slot, candidate = approved_booking()
    services.booking_confirm(reservation_id=slot.reservation_id, candidate_id=candidate.pk)
    place = MeetingPlace(recruiter=slot.recruiter, city=slot.city, place=OFFICE)

    meeting_place_save(place=place)
    reminder_with_office = row_of(slot, NotificationKind.REMINDER_1H).text
    meeting_place_delete(place=place)

    assert OFFICE in reminder_with_office
    assert "https://meet.example.com/room" in row_of(slot, NotificationKind.REMINDER_1H).text
