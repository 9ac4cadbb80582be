"""The admin as a whole: Russian titles and counts, every time in the viewer's zone, the site root and favicon."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.conf import settings
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from candidates.tests.factories import CandidateFactory
from scheduling.models import City, Recruiter, Slot, SlotStatus
from scheduling.tests.factories import CityFactory, SlotFactory
from scheduling.tests.helpers import slot_in_status

pytestmark = pytest.mark.django_db

NOON_IN_MOSCOW = dt.datetime(2030, 12, 2, 12, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Moscow"))


# ---- item 13: the site root, the favicon, «Открыть сайт» ---------------------------------------


def test_the_site_root_redirects_to_the_admin(client: Client):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_the_favicon_answers_with_an_icon(client: Client):
    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # the ICO signature


def test_open_site_leads_to_the_configured_site_url(anna_client: Client):
    page = anna_client.get(reverse("admin:index")).content.decode()

    assert admin.site.site_url == settings.SITE_URL == "/admin/"
    assert f'href="{settings.SITE_URL}"' in page


# ---- item 11: Russian titles, counts and captions -----------------------------------------------


def test_list_titles_use_the_accusative_for_people(admin_client: Client):
    candidates = admin_client.get(reverse("admin:candidates_candidate_changelist")).content.decode()
    recruiters = admin_client.get(reverse("admin:scheduling_recruiter_changelist")).content.decode()

    assert "Выберите кандидата для изменения" in candidates
    assert "Выберите рекрутёра для изменения" in recruiters
    assert "Добавить рекрутёра" in recruiters
    assert "Выберите кандидат " not in candidates


@pytest.mark.parametrize(("count", "said"), [(1, "1 слот"), (3, "3 слота"), (5, "5 слотов"), (21, "21 слот")])
def test_the_slot_list_counts_slots_with_russian_plural_forms(anna_client: Client, anna: Recruiter, count, said):
    for hour in range(count):
        SlotFactory(recruiter=anna, city=anna.cities.first(), starts_at=NOON_IN_MOSCOW + dt.timedelta(hours=hour))

    page = anna_client.get(reverse("admin:scheduling_slot_changelist")).content.decode()

    assert f"\n{said}\n" in page


def test_the_slot_history_reads_as_russian_words(anna_client: Client, anna: Recruiter):
    slot = slot_in_status(SlotStatus.PENDING, slot=SlotFactory(recruiter=anna, city=anna.cities.first()))

    page = anna_client.get(reverse("admin:scheduling_slot_change", args=[slot.pk])).content.decode()

    assert "свободен → ожидает решения (кандидат)" in page
    assert "free → pending" not in page
    assert "actor user" not in page.lower()
    assert "Сотрудник" in page


def test_every_model_field_has_a_russian_verbose_name():
    from django.apps import apps

    english = [
        f"{model.__name__}.{field.name}: {field.verbose_name}"
        for app in ("scheduling", "candidates", "notifications", "botapp")
        for model in apps.get_app_config(app).get_models()
        for field in model._meta.get_fields()
        if getattr(field, "verbose_name", None)
        and not any("а" <= ch <= "я" for ch in str(field.verbose_name).lower())
        and field.name != "id"
    ]
    assert english == []


# ---- item 10: times in the viewer's zone, named ---------------------------------------------------


def test_a_slot_title_names_its_city_zone_instead_of_utc(anna: Recruiter):
    slot = SlotFactory(recruiter=anna, city=anna.cities.first(), starts_at=NOON_IN_MOSCOW)

    assert str(slot) == "Анна Смирнова, 02.12.2030 12:00 (Europe/Moscow), свободен"


def test_the_slot_page_shows_its_title_and_times_in_the_recruiters_zone(anna_client: Client, anna: Recruiter):
    novosibirsk = CityFactory(name="Новосибирск", tz="Asia/Novosibirsk")
    anna.cities.add(novosibirsk)
    slot = slot_in_status(
        SlotStatus.PENDING, slot=SlotFactory(recruiter=anna, city=novosibirsk, starts_at=NOON_IN_MOSCOW)
    )

    page = anna_client.get(reverse("admin:scheduling_slot_change", args=[slot.pk])).content.decode()

    assert "02.12.2030 12:00 (Europe/Moscow, UTC+03:00)" in page  # title and breadcrumbs: Anna's zone
    assert "16:00" not in page  # not the city's wall clock
    assert "09:00 UTC" not in page
    assert "часовой пояс Europe/Moscow" in page


def test_a_lead_sees_a_slot_in_its_city_zone(admin_client: Client, igor: Recruiter):
    slot = SlotFactory(recruiter=igor, city=igor.cities.first(), starts_at=NOON_IN_MOSCOW)

    page = admin_client.get(reverse("admin:scheduling_slot_change", args=[slot.pk])).content.decode()
    listing = admin_client.get(reverse("admin:scheduling_slot_changelist")).content.decode()

    assert "02.12.2030 16:00 (Asia/Novosibirsk, UTC+07:00)" in page
    assert "02.12.2030 16:00" in listing


def test_the_candidate_page_shows_history_times_in_the_viewers_zone(anna_client: Client, anna: Recruiter):
    candidate = CandidateFactory()
    slot = SlotFactory(recruiter=anna, city=anna.cities.first(), starts_at=NOON_IN_MOSCOW)
    slot_in_status(SlotStatus.PENDING, slot=slot, candidate=candidate)

    page = anna_client.get(reverse("admin:candidates_candidate_change", args=[candidate.pk])).content.decode()

    assert "02.12.2030 12:00 (Europe/Moscow, UTC+03:00)" in page
    assert "UTC)" not in page


def test_notification_rows_show_the_slot_time_in_the_viewers_zone(anna_client: Client, anna: Recruiter):
    slot = slot_in_status(
        SlotStatus.PENDING, slot=SlotFactory(recruiter=anna, city=anna.cities.first(), starts_at=NOON_IN_MOSCOW)
    )
    assert slot.notifications.exists()

    page = anna_client.get(reverse("admin:notifications_notificationlog_changelist")).content.decode()

    assert "02.12.2030 12:00 (Europe/Moscow, UTC+03:00)" in page
    assert "Выберите уведомление для изменения" in page


def test_datetimes_on_admin_pages_are_in_the_viewers_zone(anna_client: Client, anna: Recruiter, moscow: City):
    slot: Slot = slot_in_status(SlotStatus.PENDING, slot=SlotFactory(recruiter=anna, city=moscow))
    # Five past midnight in Moscow is still the day before in UTC: the date and the hour both tell the zones apart.
    # A fixed instant, because the reservation's own time made this test depend on the hour it ran at.
    Slot.objects.filter(pk=slot.pk).update(reserved_at=dt.datetime(2026, 12, 1, 21, 5, tzinfo=dt.UTC))

    page = anna_client.get(reverse("admin:scheduling_slot_change", args=[slot.pk])).content.decode()

    assert "2 декабря 2026 г. 0:05" in page
    assert "1 декабря 2026 г. 21:05" not in page
