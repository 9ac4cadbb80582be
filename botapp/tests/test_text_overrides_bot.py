"""Through the real bot: a vacancy's own intro, thanks and refusal; an override shows in the next message, a bad
one changes nothing (issue 14.4)."""

from __future__ import annotations

from typing import Any

import pytest

from botapp.tests.conftest import WORKER_PATH, BotDriver, World, db
from candidates.models import Candidate, Vacancy
from candidates.tests.factories import NewCandidateFactory
from candidates.tests.vacancies import COURIER_BANK, make_vacancy
from notifications.copy.services import text_override_save
from scheduling.errors import InvalidInput

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

A = 601
NEW = 501


def _vacancy_for(telegram_id: int, *, new: bool = False) -> Vacancy:
    vacancy = Vacancy.objects.create(title=f"Вакансия {telegram_id}")
    if new:
        NewCandidateFactory(telegram_id=telegram_id, vacancy=vacancy)
    else:
        Candidate.objects.filter(telegram_id=telegram_id).update(vacancy=vacancy)
    return vacancy


def _override(key: str, text: str, vacancy: Vacancy) -> None:
    text_override_save(key=key, vacancy_id=vacancy.pk, city_id=None, text=text, is_active=True, user=None)


async def test_an_override_appears_in_the_next_message_without_a_restart(
    bot: BotDriver, world: World, chooser: Any
) -> None:
    vacancy = await db(_vacancy_for)(A)
    await bot.send(A, "/start")
    assert bot.last_text(A).startswith("Выберите рекрутёра")

    await db(_override)("CHOOSE_RECRUITER", "Кто будет вас собеседовать? Время — {zone}.", vacancy)
    await db(_override)("BTN_REFRESH", "🔄 Обновить список", vacancy)
    await bot.send(A, "/start")

    assert bot.last_text(A) == "Кто будет вас собеседовать? Время — по московскому времени."
    assert "🔄 Обновить список" in [text for text, _ in bot.buttons(A)]


async def test_a_bad_override_is_refused_and_the_bot_keeps_the_last_good_text(
    bot: BotDriver, world: World, chooser: Any
) -> None:
    vacancy = await db(_vacancy_for)(A)
    await db(_override)("CHOOSE_RECRUITER", "Выберите, с кем встретиться ({zone}).", vacancy)

    with pytest.raises(InvalidInput):
        await db(_override)("CHOOSE_RECRUITER", "Выберите рекрутёра {foo}", vacancy)
    with pytest.raises(InvalidInput):
        await db(_override)("BTN_REFRESH", "Ещё раз", vacancy)  # «Обновить» must stay on the button
    await bot.send(A, "/start")

    assert bot.last_text(A) == "Выберите, с кем встретиться (по московскому времени)."
    assert "🔄 Обновить" in [text for text, _ in bot.buttons(A)]


async def test_a_vacancy_has_its_own_intro_thanks_and_refusal(bot: BotDriver, world: World) -> None:
    vacancy = await db(_vacancy_for)(NEW, new=True)
    await db(_override)("CONSENT_THANKS", "Пять минут вопросов о продажах — и выберем время.", vacancy)
    await db(_override)("KNOCKED_OUT", "Спасибо! Для этой вакансии нужен гибридный формат — удачи!", vacancy)

    await bot.consent_and_pass(NEW, [*WORKER_PATH[:6], ("button", "Не готов")])

    assert any("Пять минут вопросов о продажах" in text for text in bot.texts(NEW))
    assert bot.last_text(NEW) == "Спасибо! Для этой вакансии нужен гибридный формат — удачи!"


async def test_a_vacancy_has_its_own_thanks_after_test1(bot: BotDriver, world: World) -> None:
    vacancy = await db(_vacancy_for)(NEW, new=True)
    await db(_override)("TEST1_DONE", "Готово! Теперь — время встречи.", vacancy)

    await bot.consent_and_pass(NEW)

    assert "Готово! Теперь — время встречи." in bot.texts(NEW)


async def test_a_start_link_greets_with_the_vacancys_own_intro(bot: BotDriver, world: World) -> None:
    def courier() -> Vacancy:
        Vacancy.objects.update(is_active=False)  # only this vacancy is open
        return make_vacancy("Курьер — Москва", COURIER_BANK, cities=[world.city], sources=[("hh.ru", "hh_courier")])

    vacancy = await db(courier)()
    await db(_override)("VACANCY_APPLIED", "Вы откликнулись: «{title}». Пара вопросов о доставке — и к делу!", vacancy)

    await bot.send(NEW, "/start hh_courier")

    assert "Вы откликнулись: «Курьер — Москва». Пара вопросов о доставке — и к делу!" in bot.texts(NEW)
