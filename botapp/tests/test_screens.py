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
def test_the_chosen_slot_names_its_zone_in_words_with_the_utc_offset() -> None:
    city = CityFactory(tz="Asia/Yekaterinburg")
    starts_at = (timezone.now() + dt.timedelta(days=2)).replace(hour=5, minute=0, second=0, microsecond=0)
    slot = SlotFactory(city=city, starts_at=starts_at)

    reply = screens.slot_chosen(slot)

    assert "(по времени Екатеринбурга, UTC+5)" in reply.text and "Asia/" not in reply.text
    assert starts_at.astimezone(dt.timezone(dt.timedelta(hours=5))).strftime("%d.%m 10:00") in reply.text


def test_the_erasure_texts_promise_no_notice_a_recruiter_without_telegram_would_never_get() -> None:
    from candidates.privacy import ErasureReport, PersonalDataSummary

    question = screens.erasure_question(PersonalDataSummary(has_data=True, bookings=(("02.12 11:00", "мск"),)))
    done = screens.erasure_done(
        ErasureReport(1, False, bookings_canceled=1, notifications_blanked=0, notifications_canceled=0)
    )

    assert "будет отменена" in question.text and "уведомлени" not in question.text
    assert "отменена" in done.text and "уведомлени" not in done.text
