"""Meeting places in the admin: a recruiter edits only their own, per city they serve; a lead edits all."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from scheduling.models import City, MeetingPlace, Recruiter
from scheduling.tests.factories import UserFactory
from scheduling.tests.personas import client_for

pytestmark = pytest.mark.django_db

ADD = reverse("admin:scheduling_meetingplace_add")
LIST = reverse("admin:scheduling_meetingplace_changelist")
OFFICE = "Москва, ул. Тверская, 7, офис 12"


def test_a_recruiter_adds_a_place_for_their_city_and_it_is_theirs(
    anna_client: Client, anna: Recruiter, moscow: City
) -> None:
    response = anna_client.post(ADD, {"city": moscow.pk, "place": OFFICE})

    assert response.status_code == 302
    place = MeetingPlace.objects.get()
    assert (place.recruiter, place.city, place.place) == (anna, moscow, OFFICE)


def test_a_recruiter_cannot_set_a_place_in_a_city_they_do_not_serve(anna_client: Client, igor: Recruiter) -> None:
    novosibirsk = igor.cities.get()

    page = anna_client.get(ADD).content.decode()
    response = anna_client.post(ADD, {"city": novosibirsk.pk, "place": OFFICE})

    assert "Новосибирск" not in page
    assert response.status_code == 200 and not MeetingPlace.objects.exists()


def test_a_second_place_in_the_same_city_is_refused_with_a_clear_error(
    anna_client: Client, anna: Recruiter, moscow: City
) -> None:
    MeetingPlace.objects.create(recruiter=anna, city=moscow, place=OFFICE)

    response = anna_client.post(ADD, {"city": moscow.pk, "place": "другой офис"})

    assert "В этом городе у вас уже есть место встречи" in response.content.decode()
    assert MeetingPlace.objects.count() == 1


def test_a_recruiter_sees_and_opens_only_their_own_places(
    anna_client: Client, anna: Recruiter, igor: Recruiter, moscow: City
) -> None:
    mine = MeetingPlace.objects.create(recruiter=anna, city=moscow, place=OFFICE)
    his = MeetingPlace.objects.create(recruiter=igor, city=igor.cities.get(), place="Новосибирск, Красный пр., 1")

    page = anna_client.get(LIST).content.decode()

    assert OFFICE in page and "Красный пр." not in page
    assert anna_client.get(reverse("admin:scheduling_meetingplace_change", args=[mine.pk])).status_code == 200
    assert anna_client.get(reverse("admin:scheduling_meetingplace_change", args=[his.pk])).status_code == 404
    anna_client.post(reverse("admin:scheduling_meetingplace_change", args=[his.pk]), {"city": moscow.pk, "place": "x"})
    his.refresh_from_db()
    assert his.recruiter == igor and his.place.startswith("Новосибирск")


def test_a_superuser_sets_a_place_for_any_recruiter(igor: Recruiter) -> None:
    admin = UserFactory(username="boss", is_superuser=True)
    city = igor.cities.get()

    client_for(admin).post(ADD, {"recruiter": igor.pk, "city": city.pk, "place": "Новосибирск, Красный пр., 1"})

    assert MeetingPlace.objects.get().recruiter == igor
