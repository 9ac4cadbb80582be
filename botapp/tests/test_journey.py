"""End to end through the real PTB application: /start → consent → Тест 1 → recruiter → slot → pending."""

from __future__ import annotations

import pytest

from botapp.application import build_application
from botapp.tests.conftest import WORKER_PATH, BotDriver, World, db
from candidates.models import Candidate, CandidateStatus
from notifications.models import NotificationKind, NotificationLog
from scheduling.models import Slot, SlotStatus

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

USER = 501


def _candidate(telegram_id: int = USER) -> Candidate:
    return Candidate.objects.select_related("city").get(telegram_id=telegram_id)


async def test_happy_path_from_start_to_a_pending_slot(bot: BotDriver, world: World) -> None:
    await bot.consent_and_pass(USER)
    assert "Выберите рекрутёра" in bot.last_text(USER)
    assert "по московскому времени" in bot.last_text(USER)
    await bot.tap(USER, "Анна Смирнова")
    slot_list = bot.last_text(USER)
    assert "по московскому времени" in slot_list and "Europe/" not in slot_list
    labels = [text for text, _ in bot.buttons(USER)]
    assert "🔄 Обновить" in labels and "Другой рекрутёр" in labels
    first = world.slots[0]
    label = first.starts_at.astimezone(world.city.zone).strftime("%d.%m %H:%M")
    assert labels[0] == label

    list_message_id = await bot.tap(USER, label)

    edited = bot.message(USER, list_message_id)
    assert edited["text"].startswith(f"Вы выбрали {label} (по московскому времени)")
    assert "reply_markup" not in edited
    assert sum("Заявка отправлена" in text for text in bot.texts(USER)) == 1  # the outbox's, not a second one
    slot = await db(lambda: Slot.objects.get(pk=first.pk))()
    candidate = await db(_candidate)()
    assert slot.status == SlotStatus.PENDING and slot.candidate_id == candidate.pk
    assert candidate.status == CandidateStatus.WAITING_DECISION
    assert candidate.full_name == "Иванов Иван Иванович" and candidate.city_id == world.city.pk
    kinds = await db(lambda: set(NotificationLog.objects.filter(slot=slot).values_list("kind", flat=True)))()
    assert kinds == {NotificationKind.RESERVATION_RECEIVED, NotificationKind.RECRUITER_NEW_REQUEST}
    answered = [c.params.get("callback_query_id") for c in bot.fake.calls_of("answerCallbackQuery")]
    assert len(answered) == len(bot.fake.calls_of("answerCallbackQuery")) >= 6


async def test_questions_show_their_number_and_are_saved_one_by_one(bot: BotDriver, world: World) -> None:
    await bot.send(USER, "/start")
    await bot.tap(USER, "Согласен")
    assert bot.last_text(USER).startswith("Вопрос 1 из 10")
    await bot.send(USER, "Петрова Анна")
    assert bot.last_text(USER).startswith("Вопрос 2 из 10")
    candidate = await db(_candidate)()
    assert candidate.test1_answers == {"full_name": "Петрова Анна"} and candidate.test1_step == "city"
    await bot.tap(USER, "Москва")
    assert "Ваш ответ: Москва" in bot.texts(USER)[-2]


async def test_invalid_answers_get_a_hint_and_the_same_question(bot: BotDriver, world: World) -> None:
    await bot.send(USER, "/start")
    await bot.tap(USER, "Согласен")
    await bot.send(USER, "john")
    assert "кириллицей" in bot.last_text(USER) and "Вопрос 1 из 10" in bot.last_text(USER)
    await bot.send(USER, "Иванов Иван")
    await bot.send(USER, "123")
    assert "название города" in bot.last_text(USER) and "Вопрос 2 из 10" in bot.last_text(USER)
    assert any("Москва" in text for text, _ in bot.buttons(USER))
    await bot.send(USER, "москва")  # typed instead of tapped: an active city is taken
    await bot.send(USER, "семнадцать")
    assert "числом" in bot.last_text(USER)
    await bot.send(USER, "17")
    assert "от 18 до 60" in bot.last_text(USER) and "Вопрос 3 из 10" in bot.last_text(USER)
    candidate = await db(_candidate)()
    assert candidate.test1_step == "age" and "age" not in candidate.test1_answers


async def test_not_ready_for_the_hybrid_format_is_a_stored_knockout(bot: BotDriver, world: World) -> None:
    answers = [*WORKER_PATH[:6], ("button", "Не готов")]
    await bot.consent_and_pass(USER, answers)
    assert "не можем предложить" in bot.last_text(USER)
    candidate = await db(_candidate)()
    assert candidate.status == CandidateStatus.KNOCKED_OUT
    assert "гибридному" in candidate.knockout_reason
    await bot.send(USER, "/start")
    assert "не можем предложить" in bot.last_text(USER)


@pytest.mark.parametrize("choice", ["Нет", "Будет сложно"])
async def test_study_that_does_not_fit_the_schedule_is_a_stored_knockout(
    bot: BotDriver, world: World, choice: str
) -> None:
    answers = [*WORKER_PATH[:3], ("button", "Учусь"), ("button", "Очная")]
    await bot.consent_and_pass(USER, answers)
    assert "Вопрос 4б из 10" in bot.last_text(USER)
    await bot.tap(USER, choice)
    candidate = await db(_candidate)()
    assert candidate.status == CandidateStatus.KNOCKED_OUT
    assert "5/2" in candidate.knockout_reason
    assert candidate.test1_answers["study_mode"] == "full_time"


async def test_a_student_who_fits_is_asked_about_a_flexible_plan(bot: BotDriver, world: World) -> None:
    answers = [*WORKER_PATH[:3], ("button", "Учусь"), ("button", "Заочная"), ("button", "Да")]
    await bot.consent_and_pass(USER, answers)
    assert "гибкий план" in bot.last_text(USER) and "Вопрос 4в из 10" in bot.last_text(USER)


async def test_no_free_slots_lets_the_candidate_leave_a_preferred_time(bot: BotDriver, world: World) -> None:
    await db(lambda: Slot.objects.update(status=SlotStatus.CANCELED))()
    await bot.consent_and_pass(USER)
    assert "нет свободного времени" in bot.last_text(USER)
    await bot.tap(USER, "Оставить удобное время")
    await bot.send(USER, "будни после 18:00")
    assert "будни после 18:00" in bot.last_text(USER)
    candidate = await db(_candidate)()
    assert candidate.preferred_time_note == "будни после 18:00" and candidate.preferred_time_at is not None
    assert candidate.bot_state == ""


async def test_start_in_the_middle_of_test1_resumes_at_the_current_question(bot: BotDriver, world: World) -> None:
    await bot.send(USER, "/start")
    await bot.tap(USER, "Согласен")
    await bot.answer_test1(USER, WORKER_PATH[:3])
    await bot.send(USER, "/start")
    assert bot.last_text(USER).startswith("Вопрос 4 из 10\nЧем вы сейчас занимаетесь?")


async def test_a_restarted_bot_continues_test1_where_the_candidate_was(bot: BotDriver, world: World) -> None:
    await bot.send(USER, "/start")
    await bot.tap(USER, "Согласен")
    await bot.answer_test1(USER, WORKER_PATH[:4])
    await bot.app.shutdown()

    restarted = build_application(token=bot.fake.token, base_url=bot.fake.base_url)
    async with restarted:
        bot.app = restarted
        await bot.answer_test1(USER, WORKER_PATH[4:])
        assert "Выберите рекрутёра" in bot.last_text(USER)
    await bot.app.initialize()  # the fixture shuts its app down once more on exit
    candidate = await db(_candidate)()
    assert candidate.status == CandidateStatus.CHOOSING_SLOT and candidate.test1_completed_at is not None
    assert candidate.test1_answers["expectations"] == "Дружная команда и честный доход"


async def test_help_lists_the_commands(bot: BotDriver, world: World) -> None:
    await bot.send(USER, "/help")
    assert "/delete_my_data" in bot.last_text(USER) and "/cancel" in bot.last_text(USER)


async def test_a_redelivered_answer_is_taken_once_not_as_the_answer_to_the_next_question(
    bot: BotDriver, world: World
) -> None:
    # Telegram delivers an update again when the bot died before confirming it (getUpdates offset
    # or webhook): four free-text questions in a row would take the same text twice.
    await bot.send(USER, "/start")
    await bot.tap(USER, "Согласен")
    for kind, value in WORKER_PATH:
        if (await db(_candidate)()).test1_step == "sales_experience":
            break
        await (bot.send(USER, value) if kind == "text" else bot.tap(USER, value))
    update = bot.fake.make_message_update(USER, "Два года продавал технику")

    await bot.feed(update)
    question = bot.last_text(USER)
    await bot.feed(update)

    candidate = await db(_candidate)()
    assert candidate.test1_answers["sales_experience"] == "Два года продавал технику"
    assert "motivation" not in candidate.test1_answers
    assert candidate.test1_step == "motivation"
    assert bot.last_text(USER) == question  # the redelivery shows the current question again, nothing more
