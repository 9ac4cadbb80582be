"""Vacancies in the bot, end to end through the real PTB application and the fake Bot API.

A start link leads to its vacancy's own Тест 1 and is remembered as the source; plain /start in a city
with two vacancies offers both; a question the lead edits reaches the next candidate, while a candidate
in the middle finishes the version they started.
"""

from __future__ import annotations

import pytest

from botapp.tests.conftest import BotDriver, World, db
from candidates.models import Candidate, CandidateStatus, Vacancy
from candidates.tests.vacancies import COURIER_BANK, COURIER_PATH, SHOP_BANK, make_vacancy
from candidates.vacancies.editing import draft_open, version_publish
from scheduling.tests.factories import CityFactory, RecruiterFactory, SlotFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

USER, OTHER = 811, 812
LINK = "hh_courier_msk"


def _candidate(telegram_id: int = USER) -> Candidate:
    return Candidate.objects.select_related("vacancy", "source", "test1_version", "city").get(telegram_id=telegram_id)


@pytest.fixture
def courier(world: World) -> Vacancy:
    """«Курьер — Москва»: six questions of its own, Anna interviews, a link for the job board."""
    # A flush between transactional tests may or may not have left the seeded default: no other vacancy is open.
    Vacancy.objects.update(is_active=False)
    return make_vacancy(
        "Курьер — Москва",
        COURIER_BANK,
        cities=[world.city],
        recruiters=[world.recruiter],
        sources=[("hh.ru", LINK)],
    )


async def test_a_start_link_opens_its_vacancy_test1_and_stores_the_source(
    bot: BotDriver, world: World, courier: Vacancy
) -> None:
    boris = await db(lambda: RecruiterFactory(name="Борис Орлов", cities=[world.city]))()
    await db(lambda: SlotFactory(recruiter=boris, city=world.city, starts_at=world.slots[0].starts_at))()

    await bot.send(USER, f"/start {LINK}")

    assert "Вакансия: «Курьер — Москва»" in bot.texts(USER)[-2]
    assert "Согласен" in [text for text, _ in bot.buttons(USER)]
    await bot.tap(USER, "Согласен")
    assert bot.last_text(USER).startswith("Вопрос 1 из 6\nКак вас зовут? Фамилия и имя.")
    await bot.send(USER, "Сидоров Пётр")
    assert bot.last_text(USER).startswith("Вопрос 2 из 6\nГде хотите развозить заказы?")
    await bot.tap(USER, "Москва")
    await bot.answer_test1(USER, COURIER_PATH)

    # Only the vacancy's recruiters interview for it: Boris has free time in Moscow but is not among them.
    assert "Выберите рекрутёра" in bot.last_text(USER)
    labels = [text for text, _ in bot.buttons(USER)]
    assert any("Анна Смирнова" in label for label in labels)
    assert not any("Борис" in label for label in labels)
    candidate = await db(_candidate)()
    assert candidate.vacancy == courier and candidate.source is not None and candidate.source.code == LINK
    assert candidate.status == CandidateStatus.CHOOSING_SLOT
    assert candidate.test1_version is not None and candidate.test1_version.vacancy_id == courier.pk
    assert candidate.test1_answers["transport"] == "bike"
    assert candidate.test1_questions["transport"] == "На чём будете развозить заказы?"


async def test_an_unknown_link_falls_back_to_the_plain_start_with_a_clear_line(
    bot: BotDriver, world: World, courier: Vacancy
) -> None:
    await bot.send(USER, "/start no_such_code")

    assert "ссылка больше не действует" in bot.texts(USER)[-2]
    candidate = await db(_candidate)()
    assert candidate.vacancy is None and candidate.source is None
    await bot.tap(USER, "Согласен")
    # The only open vacancy is taken without asking.
    assert bot.last_text(USER).startswith("Вопрос 1 из 6")


async def test_a_link_opened_mid_way_through_another_vacancy_changes_nothing(
    bot: BotDriver, world: World, courier: Vacancy
) -> None:
    await db(lambda: make_vacancy("Продавец — Москва", SHOP_BANK, cities=[world.city], sources=[("плакат", "shop")]))()
    await bot.send(USER, f"/start {LINK}")
    await bot.tap(USER, "Согласен")
    await bot.send(USER, "Сидоров Пётр")

    await bot.send(USER, "/start shop")

    assert "Вы уже откликнулись на вакансию «Курьер — Москва»" in bot.texts(USER)[-2]
    assert bot.last_text(USER).startswith("Вопрос 2 из 6")
    candidate = await db(_candidate)()
    assert candidate.vacancy == courier and candidate.source is not None and candidate.source.code == LINK


async def test_plain_start_in_a_city_with_two_vacancies_offers_both(
    bot: BotDriver, world: World, courier: Vacancy
) -> None:
    def more_vacancies() -> None:
        kazan = CityFactory(name="Казань", tz="Europe/Moscow")
        RecruiterFactory(name="Ильдар", cities=[kazan])
        make_vacancy("Продавец — Москва", SHOP_BANK, cities=[world.city])
        make_vacancy("Сборщик — Казань", SHOP_BANK, cities=[kazan])

    await db(more_vacancies)()
    await bot.send(USER, "/start")
    await bot.tap(USER, "Согласен")

    assert "В каком городе вы ищете работу?" in bot.last_text(USER)
    assert {text for text, _ in bot.buttons(USER)} == {"Москва", "Казань"}
    await bot.send(USER, "Москва")  # typed, not tapped: the same question again
    assert "В каком городе вы ищете работу?" in bot.last_text(USER)
    await bot.tap(USER, "Москва")

    offered = [text for text, _ in bot.buttons(USER)]
    assert offered == ["Курьер — Москва", "Продавец — Москва", "Другой город"]

    choice_id, courier_data = bot.find_button(USER, "Курьер — Москва")
    await bot.tap(USER, "Продавец — Москва")

    # The city is known from the choice: the vacancy's city question is not asked again, nor counted.
    assert bot.last_text(USER).startswith("Вопрос 1 из 2\nВаши фамилия и имя?")
    await bot.send(USER, "Сидорова Анна")
    assert bot.last_text(USER).startswith("Вопрос 2 из 2\nРаботали на кассе?")
    candidate = await db(_candidate)()
    assert candidate.vacancy is not None and candidate.vacancy.title == "Продавец — Москва"
    assert candidate.source is None and candidate.city == world.city

    # The choice is made: the other vacancy's button, pressed again, changes nothing.
    await bot.press(USER, courier_data, message_id=choice_id)
    assert bot.fake.calls_of("answerCallbackQuery")[-1].params.get("text")

    # «Другой город» goes back; a city with one vacancy takes it at once.
    await bot.send(OTHER, "/start")
    await bot.tap(OTHER, "Согласен")
    await bot.tap(OTHER, "Москва")
    await bot.tap(OTHER, "Другой город")
    await bot.tap(OTHER, "Казань")
    assert bot.last_text(OTHER).startswith("Вопрос 1 из 2")
    other = await db(_candidate)(OTHER)
    assert other.vacancy is not None and other.vacancy.title == "Сборщик — Казань"
    candidate = await db(_candidate)()
    assert candidate.vacancy is not None and candidate.vacancy.title == "Продавец — Москва"


async def test_an_edited_question_reaches_the_next_candidate_and_a_started_one_finishes_their_version(
    bot: BotDriver, world: World, courier: Vacancy
) -> None:
    await bot.send(USER, f"/start {LINK}")
    await bot.tap(USER, "Согласен")
    await bot.send(USER, "Сидоров Пётр")

    def lead_edits() -> None:
        draft = draft_open(vacancy_id=courier.pk)
        draft.questions.filter(key="shifts").update(text="Сколько дней в неделю готовы выходить?")
        version_publish(version_id=draft.pk)

    await db(lead_edits)()

    await bot.send(OTHER, f"/start {LINK}")
    await bot.tap(OTHER, "Согласен")
    await bot.send(OTHER, "Орлова Мария")
    await bot.tap(OTHER, "Москва")
    await bot.answer_test1(OTHER, COURIER_PATH[:2])
    assert "Сколько дней в неделю готовы выходить?" in bot.last_text(OTHER)

    await bot.tap(USER, "Москва")
    await bot.answer_test1(USER, COURIER_PATH[:2])
    assert "Сколько смен в неделю готовы брать?" in bot.last_text(USER)
    await bot.answer_test1(USER, COURIER_PATH[2:])

    started, newcomer = await db(_candidate)(), await db(_candidate)(OTHER)
    assert started.test1_version is not None and newcomer.test1_version is not None
    assert (started.test1_version.number, newcomer.test1_version.number) == (1, 2)
    assert started.status == CandidateStatus.CHOOSING_SLOT
    assert started.test1_questions["shifts"] == "Сколько смен в неделю готовы брать?"
