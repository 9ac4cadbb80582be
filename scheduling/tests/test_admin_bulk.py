"""Bulk slot creation in the admin: preview, create, skipped slots, and whose slots one may create."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from scheduling.models import City, Recruiter, Slot, SlotStatus
from scheduling.tests.admin_pages import messages_of
from scheduling.tests.factories import CityFactory, SlotFactory

pytestmark = pytest.mark.django_db


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
