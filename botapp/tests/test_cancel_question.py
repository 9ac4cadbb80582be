"""Cancelling an agreed booking asks first, and every booking press answers at the bottom of the chat (issue 12)."""

from __future__ import annotations

from typing import Any

import pytest

from botapp.tests.conftest import BotDriver, World, db
from notifications.conversation import texts
from notifications.conversation.callbacks import Action, encode
from scheduling import services
from scheduling.models import Recruiter, Slot, SlotStatus

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

A = 601
B = 602
PROMISE = "Рекрутёр получит уведомление"


def _status(slot_id: int) -> str:
    return Slot.objects.get(pk=slot_id).status


def _unbind_recruiter(recruiter_id: int) -> None:
    Recruiter.objects.filter(pk=recruiter_id).update(telegram_chat_id=None)


async def _approved(world: World, candidate: Any) -> Slot:
    slot = await db(services.slot_reserve)(slot_id=world.slots[0].pk, candidate_id=candidate.pk)
    return await db(services.slot_approve)(slot_id=slot.pk)


async def test_cancel_on_an_agreed_booking_asks_first_at_the_bottom_and_changes_nothing(
    bot: BotDriver, world: World, chooser: Any
) -> None:
    slot = await _approved(world, chooser)
    await bot.send(A, "/start")
    booking_message_id, cancel = bot.find_button(A, "Отменить запись")
    await bot.send(A, "привет")  # the booking message is no longer the last one
    booking_text = bot.message(A, booking_message_id)["text"]

    await bot.press(A, cancel, message_id=booking_message_id)

    question = bot.fake.last_message(A)
    assert question["message_id"] > booking_message_id
    assert question["text"].startswith("Отменить запись на ") and PROMISE in question["text"]
    assert [text for text, _ in bot.buttons(A, question)] == ["Да, отменить", "Нет"]
    assert bot.message(A, booking_message_id)["text"] == booking_text
    assert await db(_status)(slot.pk) == SlotStatus.BOOKED


async def test_yes_cancels_and_says_so_in_a_new_message(bot: BotDriver, world: World, chooser: Any) -> None:
    slot = await _approved(world, chooser)
    await bot.send(A, "/start")
    await bot.tap(A, "Отменить запись")

    question_id = await bot.tap(A, "Да, отменить")

    assert await db(_status)(slot.pk) == SlotStatus.FREE
    last = bot.fake.last_message(A)
    assert last["message_id"] > question_id
    assert "отменена" in last["text"] and PROMISE in last["text"]
    assert "reply_markup" not in bot.message(A, question_id)
    assert bot.fake.answered_callbacks()[-1].get("text") == texts.CANCELED_ANSWER


async def test_no_keeps_the_booking(bot: BotDriver, world: World, chooser: Any) -> None:
    slot = await _approved(world, chooser)
    await bot.send(A, "/start")
    await bot.tap(A, "Отменить запись")

    question_id = await bot.tap(A, "Нет")

    assert await db(_status)(slot.pk) == SlotStatus.BOOKED
    assert "reply_markup" not in bot.message(A, question_id)
    assert bot.last_text(A) == texts.CANCEL_KEPT


async def test_another_candidate_pressing_yes_on_my_booking_changes_nothing_and_is_told(
    bot: BotDriver, world: World, chooser: Any, rival: Any
) -> None:
    slot = await _approved(world, chooser)
    await bot.send(B, "/start")

    await bot.press(B, encode(Action.CANCEL_YES, slot.reservation_id))

    assert await db(_status)(slot.pk) == SlotStatus.BOOKED
    assert bot.fake.answered_callbacks()[-1].get("text") == texts.STALE_BOOKING


async def test_a_second_yes_on_the_same_question_is_answered_as_stale(
    bot: BotDriver, world: World, chooser: Any
) -> None:
    slot = await _approved(world, chooser)
    await bot.send(A, "/start")
    await bot.tap(A, "Отменить запись")
    question_id, yes = bot.find_button(A, "Да, отменить")
    await bot.press(A, yes, message_id=question_id)

    await bot.press(A, yes, message_id=question_id)  # an old client still shows the buttons

    assert bot.fake.answered_callbacks()[-1].get("text") == texts.STALE_BOOKING
    assert await db(_status)(slot.pk) == SlotStatus.FREE


async def test_a_pending_request_is_canceled_at_once_with_the_answer_at_the_bottom(
    bot: BotDriver, world: World, chooser: Any
) -> None:
    slot = await db(services.slot_reserve)(slot_id=world.slots[0].pk, candidate_id=chooser.pk)
    request_id, cancel = bot.find_button(A, "Отменить запись")
    await bot.send(A, "/help")

    await bot.press(A, cancel, message_id=request_id)

    assert await db(_status)(slot.pk) == SlotStatus.FREE
    last = bot.fake.last_message(A)
    assert last["message_id"] > request_id and "отменена" in last["text"]
    assert "reply_markup" not in bot.message(A, request_id)


async def test_without_a_bound_recruiter_chat_no_text_promises_a_notice(
    bot: BotDriver, world: World, chooser: Any
) -> None:
    await db(_unbind_recruiter)(world.recruiter.pk)
    await _approved(world, chooser)
    await bot.send(A, "/start")

    await bot.tap(A, "Отменить запись")
    assert bot.last_text(A).startswith("Отменить запись на ") and PROMISE not in bot.last_text(A)
    await bot.tap(A, "Да, отменить")
    assert "отменена" in bot.last_text(A) and PROMISE not in bot.last_text(A)


async def test_declining_promises_the_notice_only_to_a_bound_recruiter(
    bot: BotDriver, world: World, chooser: Any
) -> None:
    await _approved(world, chooser)
    await bot.tap(A, "Не смогу")
    assert bot.last_text(A).startswith("Жаль!") and "рекрутёр получит уведомление" in bot.last_text(A).lower()

    await db(_unbind_recruiter)(world.recruiter.pk)
    await db(services.slot_reserve)(slot_id=world.slots[1].pk, candidate_id=chooser.pk)
    await db(services.slot_approve)(slot_id=world.slots[1].pk)
    await bot.tap(A, "Не смогу")
    assert bot.last_text(A).startswith("Жаль!") and "уведомление" not in bot.last_text(A)
