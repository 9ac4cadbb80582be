"""The decision card's text: who, when in both zones when they differ, Тест 1 in one line per answer."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from candidates.tests.factories import CandidateFactory
from notifications.card import request_card_text, result_line
from scheduling.tests.factories import CityFactory, RecruiterFactory, SlotFactory

pytestmark = pytest.mark.django_db

MSK = zoneinfo.ZoneInfo("Europe/Moscow")


def _card(city_tz: str, answers: dict[str, object]) -> str:
    city = CityFactory(name="Город", tz=city_tz)
    recruiter = RecruiterFactory(name="Анна", tz="Europe/Moscow", cities=[city])
    slot = SlotFactory(
        recruiter=recruiter,
        city=city,
        starts_at=dt.datetime(2030, 3, 4, 10, 0, tzinfo=MSK),
        reserved_at=dt.datetime(2030, 3, 1, 12, 3, tzinfo=MSK),
    )
    candidate = CandidateFactory(full_name="Петров Пётр", city=city, test1_answers=answers)
    return request_card_text(slot=slot, candidate=candidate)


def test_a_city_in_another_zone_shows_the_time_in_both_zones() -> None:
    text = _card("Asia/Novosibirsk", {"age": 30})

    assert "📝 Новая заявка от 01.03 12:03" in text
    assert "📅 04.03.2030 10:00 (по московскому времени)" in text
    assert "у кандидата: 04.03.2030 14:00 (по времени Новосибирска, UTC+7)" in text


def test_a_city_in_the_recruiters_zone_shows_the_time_once() -> None:
    assert "у кандидата" not in _card("Europe/Moscow", {"age": 30})


def test_answers_are_one_line_each_with_long_free_text_cut_and_the_person_above_them() -> None:
    story = "Продавал телефоны в салоне связи три года, потом руководил небольшой командой продавцов в торговом центре"
    text = _card("Europe/Moscow", {"full_name": "Петров Пётр", "age": 30, "income": "60_90", "sales_experience": story})

    assert "👤 Петров Пётр, возраст 30, Город" in text
    answers = text.split("Тест 1:\n")[1].splitlines()
    assert answers[0] == "• Ожидаемый доход: 60 000–90 000 ₽"
    assert answers[1].startswith("• Опыт продаж: Продавал телефоны") and answers[1].endswith("…")
    assert len(answers) == 2 and len(answers[1]) < len(story)


def test_the_result_names_where_and_who_decided_and_the_reason_only_for_the_recruiter() -> None:
    at = dt.datetime(2030, 3, 1, 9, 3, tzinfo=dt.UTC)

    line = result_line(intent="reject", at=at, tz="Europe/Moscow", via="telegram", who="Анна", reason="Набор закрыт")

    assert line == "\n\n⛔️ Отказано 01.03 12:03 · в Telegram, Анна\nПричина: Набор закрыт"
    assert result_line(intent="expire", at=at, tz="Europe/Moscow") == "\n\n⌛️ Заявка истекла без решения 01.03 12:03"
