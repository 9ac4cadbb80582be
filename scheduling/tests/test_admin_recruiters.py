"""Cities and recruiters in the admin: IANA zones, own rows only, the Telegram bind code."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from scheduling.admin.recruiters import bind_code_ttl_label
from scheduling.models import City, Recruiter
from scheduling.tests.admin_pages import messages_of

pytestmark = pytest.mark.django_db


def test_a_recruiter_gets_a_one_time_bind_code_on_their_page(anna_client: Client, anna: Recruiter):
    response = anna_client.post(reverse("admin:scheduling_recruiter_bind_code", args=[anna.pk]))

    anna.refresh_from_db()
    [(level, text)] = messages_of(response)
    assert level == "success"
    assert len(anna.telegram_bind_code) == 8
    assert f"/bind {anna.telegram_bind_code}" in text


def test_the_bind_code_message_and_page_give_the_lifetime_the_service_set(anna_client: Client, anna: Recruiter):
    issued_at = timezone.now().replace(microsecond=0)
    with time_machine.travel(issued_at, tick=False):
        response = anna_client.post(reverse("admin:scheduling_recruiter_bind_code", args=[anna.pk]))
        page = anna_client.get(reverse("admin:scheduling_recruiter_change", args=[anna.pk])).content.decode()

    anna.refresh_from_db()
    lifetime = bind_code_ttl_label(anna.telegram_bind_code_expires_at - issued_at)
    [(_, text)] = messages_of(response)
    assert f"срок действия — {lifetime}" in text
    assert f"Срок действия кода — {lifetime}" in page


def test_the_admin_stays_russian_for_an_english_browser(anna_client: Client, anna: Recruiter):
    page = anna_client.get(
        reverse("admin:scheduling_recruiter_change", args=[anna.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()

    assert 'lang="ru"' in page
    assert "Просмотреть рекрутёра" in page
    assert f"Срок действия кода — {bind_code_ttl_label()}" in page
    assert "minutes" not in page


@pytest.mark.parametrize(
    ("minutes", "said"),
    [
        (1, "1 минута"),
        (2, "2 минуты"),
        (5, "5 минут"),
        (11, "11 минут"),
        (15, "15 минут"),
        (21, "21 минута"),
        (22, "22 минуты"),
        (60, "60 минут"),
    ],
)
def test_a_bind_code_lifetime_is_said_in_minutes_with_the_russian_plural(minutes: int, said: str):
    assert bind_code_ttl_label(dt.timedelta(minutes=minutes)) == said


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
