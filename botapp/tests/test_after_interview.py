"""After the interview, in the bot through the fake Bot API: «Пришёл» → result → Тест 2 → intro day → «Пришёл».

The recruiter answers in her bound chat, the candidate in theirs; the worker's part is `_deliver_due`, run at
the moments time would reach. Every message the candidate reads came through the outbox.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from botapp.tests.conftest import BotDriver, db
from candidates import test2
from candidates.models import Candidate, CandidateStatus, Test2Attempt, Vacancy
from candidates.tests.factories import CandidateFactory
from notifications.conversation import after_texts, texts
from notifications.copy.services import text_override_save
from notifications.delivery import deliver_one
from notifications.models import NotificationLog, NotificationStatus
from scheduling import services
from scheduling.models import Slot, SlotOutcome, SlotPurpose, SlotStatus
from scheduling.tests.factories import CityFactory, RecruiterFactory, SlotFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

MSK = zoneinfo.ZoneInfo("Europe/Moscow")
NOW = dt.datetime(2030, 3, 4, 9, 0, tzinfo=MSK)  # Monday morning
STARTS = dt.datetime(2030, 3, 4, 11, 0, tzinfo=MSK)
ENDS = STARTS + dt.timedelta(hours=1)
INTRO = dt.datetime(2030, 3, 6, 12, 0, tzinfo=MSK)  # Wednesday noon
ANNA_CHAT = 990_301
CANDIDATE = 611


@pytest.fixture(autouse=True)
def _monday_morning() -> Iterator[None]:
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def interview(transactional_db: None) -> Slot:
    city = CityFactory(name="Москва", tz="Europe/Moscow")
    anna = RecruiterFactory(name="Анна", cities=[city], telegram_chat_id=ANNA_CHAT)
    candidate = CandidateFactory(full_name="Петров Пётр", telegram_id=CANDIDATE, city=city)
    slot = SlotFactory(recruiter=anna, city=city, starts_at=STARTS, duration_min=60)
    services.slot_reserve(slot_id=slot.pk, candidate_id=candidate.pk)
    return services.slot_approve(slot_id=slot.pk)


def _deliver_due() -> None:
    """The worker: every due row in due order, until none is left (the pace re-queues a chat's second message)."""
    for _ in range(20):
        due = NotificationLog.objects.filter(status=NotificationStatus.PENDING, due_at__lte=timezone.now())
        ids = list(due.order_by("due_at", "pk").values_list("pk", flat=True))
        if not ids:
            return
        for pk in ids:
            deliver_one(pk)


async def _at(moment: dt.datetime) -> None:
    with time_machine.travel(moment, tick=True):
        await db(_deliver_due)()


def _candidate() -> Candidate:
    return Candidate.objects.get(telegram_id=CANDIDATE)


def _answer_of(bot: BotDriver, update: dict[str, Any]) -> str | None:
    answer = bot.fake.callback_answer(update["callback_query"]["id"])
    return answer.get("text") if answer else None


async def _interview_passed(bot: BotDriver) -> None:
    """Anna answers «Пришёл», then «Прошёл собеседование», under the question sent at the interview's end."""
    await _at(ENDS + dt.timedelta(minutes=1))
    with time_machine.travel(ENDS + dt.timedelta(minutes=2), tick=True):
        message_id = await bot.tap(ANNA_CHAT, texts.BTN_ATTENDED)
        assert bot.message(ANNA_CHAT, message_id)["text"].endswith("Итог собеседования?")
        await bot.tap(ANNA_CHAT, after_texts.BTN_RESULT_PASSED)
    await _at(ENDS + dt.timedelta(minutes=3))


async def _through_test2(bot: BotDriver) -> None:
    await _interview_passed(bot)
    with time_machine.travel(ENDS + dt.timedelta(minutes=10), tick=True):
        await bot.tap(CANDIDATE, after_texts.BTN_TEST2_START)
        for question in test2.QUESTIONS:
            await bot.tap(CANDIDATE, question.option_text(question.correct) or "")
    await _at(ENDS + dt.timedelta(minutes=11))


async def test_a_candidate_goes_from_the_interview_to_the_intro_day_and_the_recruiter_steers_each_step(
    bot: BotDriver, interview: Slot
):
    await _interview_passed(bot)
    assert bot.last_text(CANDIDATE).startswith("Спасибо за собеседование! Следующий шаг — короткий Тест 2")

    with time_machine.travel(ENDS + dt.timedelta(minutes=10), tick=True):
        await bot.tap(CANDIDATE, after_texts.BTN_TEST2_START)
        assert bot.last_text(CANDIDATE).startswith("Тест 2 · Вопрос 1/4\n")
        first, second = test2.QUESTIONS[:2]
        await bot.tap(CANDIDATE, first.option_text(first.correct) or "")
        assert bot.last_text(CANDIDATE).startswith("Тест 2 · Вопрос 2/4\n")
        await bot.tap(CANDIDATE, second.option_text(second.correct) or "")
        # The bot restarted and the candidate lost the chat's place: /test2 resumes at question 3.
        await bot.send(CANDIDATE, "/test2")
        assert bot.last_text(CANDIDATE).startswith("Тест 2 · Вопрос 3/4\n")
        for question in test2.QUESTIONS[2:]:
            await bot.tap(CANDIDATE, question.option_text(question.correct) or "")
    await _at(ENDS + dt.timedelta(minutes=11))
    assert bot.texts(CANDIDATE)[-2].endswith(
        f"Ваш ответ: {test2.QUESTIONS[-1].option_text(test2.QUESTIONS[-1].correct)}\n\n{after_texts.TEST2_FINISHED}"
    )

    assert bot.last_text(CANDIDATE).startswith("Тест 2 пройден! Рекрутёр Анна пригласит вас")
    assert "Тест 2: Петров Пётр — прошёл, 4 из 4." in bot.texts(ANNA_CHAT)[-1]
    attempt = await db(Test2Attempt.objects.get)(candidate__telegram_id=CANDIDATE)
    assert (attempt.score, attempt.passed, len(attempt.answers)) == (4, True, 4)

    with time_machine.travel(ENDS + dt.timedelta(hours=1), tick=True):
        candidate = await db(_candidate)()
        intro = await db(services.intro_day_invite)(
            candidate_id=candidate.pk, starts_at=INTRO, address="Москва, ул. Тверская, 1", contact="Ольга"
        )
        await db(_deliver_due)()
        invitation = bot.last_text(CANDIDATE)
        assert invitation.startswith("Приглашаем вас на ознакомительный день!\n📅 06.03.2030 12:00")
        assert [text for text, _ in bot.buttons(CANDIDATE)] == ["✅ Приду", "❌ Не смогу"]
        message_id, come = bot.find_button(CANDIDATE, "Приду")
        await bot.tap(CANDIDATE, "Приду")
        assert bot.last_text(CANDIDATE).startswith("Отлично, ждём вас 06.03.2030 12:00")
        assert not bot.buttons(CANDIDATE, bot.message(CANDIDATE, message_id))
        again = await bot.press(CANDIDATE, come, message_id=message_id)  # an old client still shows the button
        assert _answer_of(bot, again) == after_texts.INTRO_ALREADY_CONFIRMED
        await db(_deliver_due)()
    assert "Ознакомительный день: Петров Пётр придёт 06.03.2030 12:00" in bot.texts(ANNA_CHAT)[-1]

    await _at(INTRO - dt.timedelta(hours=3, minutes=1))
    assert not any(t.startswith("Через 3 часа") for t in bot.texts(CANDIDATE))
    await _at(INTRO - dt.timedelta(hours=3) + dt.timedelta(seconds=5))
    assert bot.last_text(CANDIDATE).startswith("Через 3 часа ознакомительный день: 06.03.2030 12:00")

    await _at(intro.ends_at + dt.timedelta(minutes=1))
    assert bot.texts(ANNA_CHAT)[-1].startswith("Кандидат пришёл на ознакомительный день?")
    with time_machine.travel(intro.ends_at + dt.timedelta(minutes=2), tick=True):
        message_id = await bot.tap(ANNA_CHAT, texts.BTN_ATTENDED)
    assert bot.message(ANNA_CHAT, message_id)["text"].endswith("Пришёл ✓")
    assert not bot.buttons(ANNA_CHAT, bot.message(ANNA_CHAT, message_id))
    candidate = await db(_candidate)()
    assert candidate.status == CandidateStatus.HIRED
    await db(intro.refresh_from_db)()
    assert (intro.purpose, intro.outcome) == (SlotPurpose.INTRO_DAY, SlotOutcome.ATTENDED)


async def test_test2_typed_by_someone_who_was_not_invited_changes_nothing(bot: BotDriver, interview: Slot):
    await bot.send(777_001, "/test2")  # a stranger
    await bot.send(CANDIDATE, "/test2")  # booked, interview not held yet

    assert bot.last_text(777_001) == after_texts.TEST2_NOTHING
    assert bot.last_text(CANDIDATE) == after_texts.TEST2_NOTHING
    assert not await db(Candidate.objects.filter(telegram_id=777_001).exists)()
    assert not await db(Test2Attempt.objects.exists)()
    assert (await db(_candidate)()).status == CandidateStatus.SCHEDULED


async def test_a_failed_interview_gets_a_polite_refusal_and_no_test2(bot: BotDriver, interview: Slot):
    await _at(ENDS + dt.timedelta(minutes=1))
    with time_machine.travel(ENDS + dt.timedelta(minutes=2), tick=True):
        await bot.tap(ANNA_CHAT, texts.BTN_ATTENDED)
        update = await bot.press(ANNA_CHAT, bot.find_button(ANNA_CHAT, after_texts.BTN_RESULT_FAILED)[1])
        await bot.feed(update)  # redelivered: acts once
    await _at(ENDS + dt.timedelta(minutes=3))

    assert bot.last_text(CANDIDATE) == after_texts.INTERVIEW_FAILED
    assert not any(after_texts.BTN_TEST2_START in text for text, _ in bot.buttons(CANDIDATE))
    assert _answer_of(bot, update) == "Записано: не прошёл собеседование."
    candidate = await db(_candidate)()
    assert (candidate.status, candidate.rejected_stage) == (CandidateStatus.REJECTED, "interview")


async def test_a_failed_test2_is_a_polite_refusal(bot: BotDriver, interview: Slot):
    await _interview_passed(bot)
    with time_machine.travel(ENDS + dt.timedelta(minutes=10), tick=True):
        await bot.tap(CANDIDATE, after_texts.BTN_TEST2_START)
        for question in test2.QUESTIONS:
            wrong = next(text for code, text in question.options if code != question.correct)
            await bot.tap(CANDIDATE, wrong)
    await _at(ENDS + dt.timedelta(minutes=11))

    assert bot.last_text(CANDIDATE) == after_texts.TEST2_FAILED
    assert "не прошёл, 0 из 4" in bot.texts(ANNA_CHAT)[-1]
    assert (await db(_candidate)()).rejected_stage == "test2"


async def test_an_old_test2_button_changes_nothing(bot: BotDriver, interview: Slot):
    await _interview_passed(bot)
    with time_machine.travel(ENDS + dt.timedelta(minutes=10), tick=True):
        await bot.tap(CANDIDATE, after_texts.BTN_TEST2_START)
        message_id, old = bot.find_button(CANDIDATE, test2.QUESTIONS[0].option_text("a") or "")
        await bot.tap(CANDIDATE, test2.QUESTIONS[0].option_text(test2.QUESTIONS[0].correct) or "")
        update = await bot.press(CANDIDATE, old, message_id=message_id)

    assert _answer_of(bot, update) == after_texts.TEST2_STALE
    attempt = await db(Test2Attempt.objects.get)()
    assert attempt.answers == {test2.QUESTIONS[0].key: test2.QUESTIONS[0].correct}


async def test_cant_come_releases_the_intro_day_tells_the_recruiter_and_its_buttons_go_stale(
    bot: BotDriver, interview: Slot
):
    await _through_test2(bot)
    with time_machine.travel(ENDS + dt.timedelta(hours=1), tick=True):
        candidate = await db(_candidate)()
        intro = await db(services.intro_day_invite)(
            candidate_id=candidate.pk, starts_at=INTRO, address="Москва, ул. Тверская, 1", contact="Ольга"
        )
        await db(_deliver_due)()
        message_id, come = bot.find_button(CANDIDATE, "Приду")
        await bot.tap(CANDIDATE, "Не смогу")
        assert bot.last_text(CANDIDATE) == after_texts.INTRO_DECLINED
        stale = await bot.press(CANDIDATE, come, message_id=message_id)
        await db(_deliver_due)()

    assert _answer_of(bot, stale) == texts.STALE_BOOKING
    assert "Петров Пётр не сможет 06.03.2030 12:00" in bot.texts(ANNA_CHAT)[-1]
    await db(intro.refresh_from_db)()
    assert (intro.status, intro.candidate_id) == (SlotStatus.FREE, None)
    assert (await db(_candidate)()).status == CandidateStatus.TEST2_PASSED
    await _at(INTRO - dt.timedelta(hours=3) + dt.timedelta(seconds=5))
    assert not any(t.startswith("Через 3 часа") for t in bot.texts(CANDIDATE))


def _vacancy_with(**overrides: str) -> None:
    """The candidate's vacancy, with these texts of its own (the lead's overrides, notifications.copy)."""
    vacancy = Vacancy.objects.create(title="Курьер")
    Candidate.objects.filter(telegram_id=CANDIDATE).update(vacancy=vacancy)
    for key, text in overrides.items():
        text_override_save(key=key, vacancy_id=vacancy.pk, city_id=None, text=text, is_active=True, user=None)


async def test_the_vacancys_own_intro_day_texts_and_buttons_reach_the_candidate(bot: BotDriver, interview: Slot):
    await _through_test2(bot)
    await db(_vacancy_with)(
        INTRO_DAY_INVITATION="Курьеров ждём в офисе: {when} ({zone}), {address}, спросить {contact}.{note}",
        BTN_INTRO_CONFIRM="🚲 Приду обязательно",
        INTRO_CONFIRMED="До встречи в офисе {when} ({zone}), {address}!",
    )
    with time_machine.travel(ENDS + dt.timedelta(hours=1), tick=True):
        candidate = await db(_candidate)()
        await db(services.intro_day_invite)(
            candidate_id=candidate.pk, starts_at=INTRO, address="Москва, ул. Тверская, 1", contact="Ольга"
        )
        await db(_deliver_due)()
        assert bot.last_text(CANDIDATE) == (
            "Курьеров ждём в офисе: 06.03.2030 12:00 (по московскому времени), Москва, ул. Тверская, 1, спросить Ольга."
        )
        assert [text for text, _ in bot.buttons(CANDIDATE)] == ["🚲 Приду обязательно", after_texts.BTN_INTRO_DECLINE]
        await bot.tap(CANDIDATE, "Приду обязательно")
        assert bot.last_text(CANDIDATE).startswith("До встречи в офисе 06.03.2030 12:00")
        # /start shows the same day in the same words.
        await bot.send(CANDIDATE, "/start")
        assert bot.last_text(CANDIDATE).startswith("До встречи в офисе")
    assert (await db(_candidate)()).status == CandidateStatus.INTRO_DAY_CONFIRMED


async def test_the_vacancys_own_test2_texts_and_refusal_reach_the_candidate(bot: BotDriver, interview: Slot):
    await db(_vacancy_with)(
        TEST2_INVITATION="Курьерский Тест 2: {total} вопроса.",
        BTN_TEST2_START="Поехали",
        TEST2_QUESTION="Вопрос {n} из {total}: {text}",
        TEST2_FAILED="Курьером сейчас не возьмём, спасибо за время.",
    )
    await _interview_passed(bot)
    assert bot.last_text(CANDIDATE) == "Курьерский Тест 2: 4 вопроса."
    with time_machine.travel(ENDS + dt.timedelta(minutes=10), tick=True):
        await bot.tap(CANDIDATE, "Поехали")
        assert bot.last_text(CANDIDATE) == f"Вопрос 1 из 4: {test2.QUESTIONS[0].text}"
        for question in test2.QUESTIONS:
            wrong = next(text for code, text in question.options if code != question.correct)
            await bot.tap(CANDIDATE, wrong)
    await _at(ENDS + dt.timedelta(minutes=11))

    assert bot.last_text(CANDIDATE) == "Курьером сейчас не возьмём, спасибо за время."
    assert "не прошёл, 0 из 4" in bot.texts(ANNA_CHAT)[-1]  # the recruiter's text is not overridable
