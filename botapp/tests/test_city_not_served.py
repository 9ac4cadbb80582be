"""Тест 1 for a city we do not serve, through the real PTB application (issue 12, item 3)."""

from __future__ import annotations

import pytest

from botapp.tests.conftest import BotDriver, World, db
from candidates.models import Candidate, CandidateStatus
from notifications.conversation.callbacks import MAX_BYTES

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

USER = 511
NOT_LISTED = "Моего города нет в списке"


def _candidate() -> Candidate:
    return Candidate.objects.get(telegram_id=USER)


async def _at_the_city_question(bot: BotDriver) -> None:
    await bot.send(USER, "/start")
    await bot.tap(USER, "Согласен")
    await bot.send(USER, "Петрова Анна")


async def test_the_city_question_offers_a_way_out_for_a_city_not_listed(bot: BotDriver, world: World) -> None:
    await _at_the_city_question(bot)

    buttons = dict(bot.buttons(USER))
    assert list(buttons) == ["Москва", NOT_LISTED]
    assert len(buttons[NOT_LISTED].encode()) <= MAX_BYTES


async def test_not_listed_asks_for_the_city_and_ends_politely_naming_it(bot: BotDriver, world: World) -> None:
    await _at_the_city_question(bot)

    await bot.tap(USER, NOT_LISTED)
    assert f"Ваш ответ: {NOT_LISTED}" in bot.texts(USER)[-2]
    assert bot.last_text(USER).startswith("Вопрос 2а из 10\nНапишите, пожалуйста, в каком городе")
    await bot.send(USER, "Казань")

    assert bot.last_text(USER).startswith("Спасибо! Пока мы не набираем в городе Казань.")
    candidate = await db(_candidate)()
    assert candidate.status == CandidateStatus.KNOCKED_OUT
    assert candidate.knockout_reason == "город не обслуживается: Казань"
    await bot.send(USER, "/start")
    assert "не набираем в городе Казань" in bot.last_text(USER)


async def test_a_typed_city_we_do_not_serve_ends_test1_instead_of_asking_for_a_button(
    bot: BotDriver, world: World
) -> None:
    await _at_the_city_question(bot)

    await bot.send(USER, "казань")

    assert "кнопкой" not in bot.last_text(USER)
    assert "не набираем в городе Казань" in bot.last_text(USER)
    candidate = await db(_candidate)()
    assert candidate.test1_answers["city_requested"] == "Казань"
