"""What the screens say: counted words with Russian plurals, and zones always with their UTC offset."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from botapp import screens
from notifications.conversation import texts
from scheduling.tests.factories import CityFactory, SlotFactory


@pytest.mark.parametrize(
    ("count", "label"),
    [
        (1, "1 слот"),
        (2, "2 слота"),
        (5, "5 слотов"),
        (11, "11 слотов"),
        (21, "21 слот"),
        (22, "22 слота"),
        (25, "25 слотов"),
        (111, "111 слотов"),
    ],
)
def test_slots_count_uses_the_russian_plural_form(count: int, label: str) -> None:
    assert texts.slots_count(count) == label


def test_slots_count_stays_russian_when_a_request_activated_another_language() -> None:
    with translation.override("en"):
        assert texts.slots_count(3) == "3 слота"


@pytest.mark.django_db
def test_the_chosen_slot_names_its_zone_with_the_utc_offset() -> None:
    city = CityFactory(tz="Asia/Yekaterinburg")
    starts_at = (timezone.now() + dt.timedelta(days=2)).replace(hour=5, minute=0, second=0, microsecond=0)
    slot = SlotFactory(city=city, starts_at=starts_at)

    reply = screens.slot_chosen(slot)

    assert "(Asia/Yekaterinburg, UTC+05:00)" in reply.text
    assert starts_at.astimezone(dt.timezone(dt.timedelta(hours=5))).strftime("%d.%m 10:00") in reply.text
