"""/delete_my_data through the real PTB application and the fake Bot API (issue 7)."""

from __future__ import annotations

from typing import Any

import pytest

from botapp.models import TelegramCallbackLog
from botapp.tests.conftest import RECRUITER_CHAT_ID, BotDriver, World, db
from candidates.models import Candidate, CandidateStatus
from notifications.conversation.callbacks import Action, ErasureStep, encode
from notifications.models import NotificationKind, NotificationLog
from ops.fake_telegram import FakeTelegramAPI
from scheduling.models import Slot, SlotStatus

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

USER = 811
NAME = "Иванов Иван Иванович"


def _candidates_of(telegram_id: int) -> list[Candidate]:
    return list(Candidate.objects.filter(telegram_id=telegram_id))


def _state(slot_id: int) -> dict[str, Any]:
    slot = Slot.objects.get(pk=slot_id)
    erased = Candidate.objects.filter(status=CandidateStatus.ERASED).order_by("-pk").first()
    return {
        "slot": (slot.status, slot.candidate_id),
        "erased": erased,
        "texts_with_name": NotificationLog.objects.filter(text__contains="Иванов").count(),
        "notice": NotificationLog.objects.filter(kind=NotificationKind.RECRUITER_CANDIDATE_CANCELED).first(),
    }


async def _book(bot: BotDriver, world: World) -> Slot:
    await bot.consent_and_pass(USER)
    await bot.tap(USER, "Анна Смирнова")
    slot = world.slots[0]
    await bot.tap(USER, slot.starts_at.astimezone(world.city.zone).strftime("%d.%m %H:%M"))
    assert (await db(lambda: Slot.objects.get(pk=slot.pk).status)()) == SlotStatus.PENDING
    return slot


async def test_delete_my_data_after_confirmation_erases_everything_and_tells_both_sides(
    bot: BotDriver, world: World, telegram_api: FakeTelegramAPI
) -> None:
    slot = await _book(bot, world)
    telegram_api.wait_for_message(RECRUITER_CHAT_ID, contains=NAME)

    await bot.send(USER, "/delete_my_data")

    question = bot.last_text(USER)
    assert "Удалить все ваши данные" in question and "будет отменена" in question
    assert [text for text, _ in bot.buttons(USER)] == ["Да, удалить", "Нет, оставить"]

    message_id = await bot.tap(USER, "Да, удалить")

    message = bot.message(USER, message_id)
    assert "ваши данные удалены" in message["text"] and "Запись на собеседование отменена" in message["text"]
    assert "reply_markup" not in message
    assert await db(_candidates_of)(USER) == []
    state = await db(_state)(slot.pk)
    assert state["slot"] == (SlotStatus.FREE, None)
    assert state["erased"].full_name == "" and state["erased"].test1_answers == {}
    assert state["erased"].erased_by == "кандидат (через бота)"
    assert state["texts_with_name"] == 0
    notice = telegram_api.wait_for_message(RECRUITER_CHAT_ID, contains="(данные удалены)")
    assert "отменена" in notice["text"] and NAME not in notice["text"]
    assert state["notice"].status == "sent"


async def test_saying_no_keeps_everything(bot: BotDriver, world: World) -> None:
    slot = await _book(bot, world)
    await bot.send(USER, "/delete_my_data")

    message_id = await bot.tap(USER, "Нет, оставить")

    assert bot.message(USER, message_id)["text"] == "Хорошо, ничего не удаляем."
    kept = await db(_candidates_of)(USER)
    assert len(kept) == 1 and kept[0].full_name == NAME
    assert (await db(_state)(slot.pk))["slot"][0] == SlotStatus.PENDING


async def test_someone_we_know_nothing_about_is_told_so_and_nothing_is_stored(bot: BotDriver, world: World) -> None:
    await bot.send(USER, "/delete_my_data")

    assert "удалять нечего" in bot.last_text(USER)
    assert bot.buttons(USER) == []
    assert await db(_candidates_of)(USER) == []


async def test_the_delete_my_data_button_asks_for_confirmation_and_answers_the_press(
    bot: BotDriver, world: World, telegram_api: FakeTelegramAPI
) -> None:
    await bot.send(USER, "/start")

    await bot.press(USER, encode(Action.PRIVACY, ErasureStep.ASK))

    assert "Удалить все ваши данные" in bot.last_text(USER)
    assert "будет отменена" not in bot.last_text(USER)
    assert len(telegram_api.calls_of("answerCallbackQuery")) == 1


async def test_after_erasure_start_begins_again_with_consent(bot: BotDriver, world: World) -> None:
    await bot.consent_and_pass(USER)
    await bot.send(USER, "/delete_my_data")
    await bot.tap(USER, "Да, удалить")

    await bot.send(USER, "/start", username="ivan_again")

    assert "Вы согласны?" in bot.last_text(USER)
    fresh = await db(_candidates_of)(USER)
    assert len(fresh) == 1 and fresh[0].status == CandidateStatus.NEW and fresh[0].full_name == ""


async def test_a_forged_privacy_button_is_answered_once_and_changes_nothing(
    bot: BotDriver, world: World, telegram_api: FakeTelegramAPI
) -> None:
    await bot.consent_and_pass(USER)
    answered = len(telegram_api.calls_of("answerCallbackQuery"))

    await bot.press(USER, "pd:everything")

    calls = telegram_api.calls_of("answerCallbackQuery")
    assert len(calls) == answered + 1
    assert calls[-1].params.get("text") == "Не получилось разобрать нажатие. Нажмите /start."
    assert (await db(_candidates_of)(USER))[0].full_name == NAME


async def test_a_redelivered_yes_erases_once_and_leaves_the_answer_as_it_was(
    bot: BotDriver, world: World, telegram_api: FakeTelegramAPI
) -> None:
    slot = await _book(bot, world)
    await bot.send(USER, "/delete_my_data")
    message_id, data = bot.find_button(USER, "Да, удалить")
    update = telegram_api.make_callback_update(USER, data, message_id=message_id)
    await bot.feed(update)
    edits = len(telegram_api.calls_of("editMessageText"))

    await bot.feed(update)

    assert len(telegram_api.calls_of("editMessageText")) == edits
    assert "ваши данные удалены" in bot.message(USER, message_id)["text"]
    notices = await db(
        lambda: NotificationLog.objects.filter(kind=NotificationKind.RECRUITER_CANDIDATE_CANCELED, slot=slot).count()
    )()
    assert notices == 1
    logged = await db(lambda: list(TelegramCallbackLog.objects.values_list("data", "telegram_user_id", "result")))()
    assert logged == [(data, None, "erased")]


async def test_a_stranger_pressing_delete_my_data_under_help_is_told_so_and_leaves_nothing_behind(
    bot: BotDriver, world: World, telegram_api: FakeTelegramAPI
) -> None:
    await bot.send(USER, "/help")

    await bot.tap(USER, "Удалить мои данные")

    assert "удалять нечего" in bot.last_text(USER)
    assert len(telegram_api.calls_of("answerCallbackQuery")) == 1
    assert await db(_candidates_of)(USER) == []
    known = await db(lambda: TelegramCallbackLog.objects.filter(telegram_user_id=USER).count())()
    assert known == 0
