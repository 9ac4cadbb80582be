"""The recruiter's decision card end to end: the fake Bot API over HTTP, the real bot, services and outbox."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from botapp.models import TelegramCallbackLog
from botapp.tests.conftest import RECRUITER_CHAT_ID, BotDriver, World, db
from notifications.models import NotificationKind, NotificationLog
from scheduling import services
from scheduling.models import Slot, SlotEvent, SlotStatus
from scheduling.tests.factories import RecruiterFactory, SlotFactory
from scheduling.tests.personas import client_for, staff_user_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

A = 601
R = RECRUITER_CHAT_ID


async def _reserved(world: World, candidate: Any, slot_index: int = 0) -> Slot:
    return await db(services.slot_reserve)(slot_id=world.slots[slot_index].pk, candidate_id=candidate.pk)


def _slot(slot_id: int) -> Slot:
    return Slot.objects.get(pk=slot_id)


def _kinds(reservation_id: Any) -> set[str]:
    return set(NotificationLog.objects.filter(reservation_id=reservation_id).values_list("kind", flat=True))


def _events(slot_id: int) -> list[tuple[str, str, str]]:
    return list(SlotEvent.objects.filter(slot_id=slot_id).values_list("from_status", "to_status", "reason"))


def _card(bot: BotDriver) -> dict[str, Any]:
    card = next(m for m in reversed(bot.fake.chat(R)) if m.get("text", "").startswith("📝 Новая заявка"))
    return card


async def test_the_card_shows_who_when_and_the_answers_with_three_buttons(
    bot: BotDriver, world: World, chooser: Any
) -> None:
    await db(
        lambda: (
            type(chooser)
            .objects.filter(pk=chooser.pk)
            .update(
                full_name="Иванов Иван Иванович",
                test1_answers={
                    "full_name": "Иванов Иван Иванович",
                    "age": 25,
                    "status": "work",
                    "motivation": "х" * 200,
                },
            )
        )
    )()
    await _reserved(world, chooser)

    card = _card(bot)
    text = card["text"]
    assert "Иванов Иван Иванович, возраст 25, Москва" in text
    assert "(по московскому времени)" in text
    assert "• Занятость: Работаю" in text
    assert "• Мотивация: " + "х" * 79 + "…" in text
    assert [label for label, _ in bot.buttons(R, card)] == ["✅ Согласовать", "🔁 Другое время", "⛔️ Отказать"]


async def test_approve_from_the_card_tells_the_candidate_and_turns_the_card_into_its_result(
    bot: BotDriver, world: World, chooser: Any
) -> None:
    slot = await _reserved(world, chooser)

    message_id = await bot.tap(R, "Согласовать")

    assert (await db(_slot)(slot.pk)).status == SlotStatus.BOOKED
    assert NotificationKind.APPROVED in await db(_kinds)(slot.reservation_id)
    assert "Собеседование согласовано" in bot.last_text(A)
    card = bot.message(R, message_id)
    assert "reply_markup" not in card
    assert "✅ Согласовано" in card["text"] and "· в Telegram, Анна Смирнова" in card["text"]


async def test_another_time_from_the_card_frees_the_slot_and_asks_the_candidate_to_choose(
    bot: BotDriver, world: World, chooser: Any
) -> None:
    slot = await _reserved(world, chooser)

    message_id = await bot.tap(R, "Другое время")

    refreshed = await db(_slot)(slot.pk)
    assert refreshed.status == SlotStatus.FREE and refreshed.candidate_id is None
    assert NotificationKind.RESCHEDULE_REQUESTED in await db(_kinds)(slot.reservation_id)
    assert "просит выбрать другое время" in bot.last_text(A)
    assert "🔁 Попросили выбрать другое время" in bot.message(R, message_id)["text"]


async def test_reject_asks_a_reason_keeps_it_on_the_history_and_never_shows_it_to_the_candidate(
    bot: BotDriver, world: World, chooser: Any
) -> None:
    slot = await _reserved(world, chooser)

    message_id = await bot.tap(R, "Отказать")
    assert (await db(_slot)(slot.pk)).status == SlotStatus.PENDING  # the question alone changes nothing
    asked = bot.message(R, message_id)
    assert "Причина отказа?" in asked["text"]
    assert "Без причины" in [label for label, _ in bot.buttons(R, asked)]
    await bot.tap(R, "Нет нужного опыта")

    assert (await db(_slot)(slot.pk)).status == SlotStatus.FREE
    assert (SlotStatus.PENDING, SlotStatus.FREE, "Нет нужного опыта") in await db(_events)(slot.pk)
    assert NotificationKind.REJECTED in await db(_kinds)(slot.reservation_id)
    assert "не готовы пригласить" in bot.last_text(A) and "опыт" not in bot.last_text(A)
    card = bot.message(R, message_id)
    assert "⛔️ Отказано" in card["text"] and "Причина: Нет нужного опыта" in card["text"]
    assert "reply_markup" not in card


async def test_back_from_the_reasons_restores_the_three_buttons(bot: BotDriver, world: World, chooser: Any) -> None:
    await _reserved(world, chooser)

    message_id = await bot.tap(R, "Отказать")
    await bot.tap(R, "Назад")

    card = bot.message(R, message_id)
    assert "Причина отказа?" not in card["text"]
    assert [label for label, _ in bot.buttons(R, card)] == ["✅ Согласовать", "🔁 Другое время", "⛔️ Отказать"]


async def test_a_press_from_another_chat_or_a_forwarded_card_changes_nothing(
    bot: BotDriver, world: World, chooser: Any, rival: Any
) -> None:
    other_chat = R + 1
    other_slot = await db(lambda: _other_recruiters_slot(world, chat_id=other_chat))()
    await db(services.slot_reserve)(slot_id=other_slot.pk, candidate_id=rival.pk)  # their chat has a card too
    slot = await _reserved(world, chooser)
    _, approve = bot.find_button(R, "Согласовать")
    _, other_time = bot.find_button(R, "Другое время")

    # Another recruiter's chat (a forwarded card: the same data, not the card's chat) and the candidate's own chat.
    for chat_id, data in ((other_chat, approve), (other_chat, other_time), (A, approve)):
        await bot.press(chat_id, data)
        assert bot.fake.answered_callbacks()[-1].get("text") == "Эта заявка не ваша."

    refreshed = await db(_slot)(slot.pk)
    assert refreshed.status == SlotStatus.PENDING and refreshed.reservation_id == slot.reservation_id
    assert await db(_kinds)(slot.reservation_id) == {
        NotificationKind.RESERVATION_RECEIVED,
        NotificationKind.RECRUITER_NEW_REQUEST,
    }
    assert [label for label, _ in bot.buttons(R, _card(bot))] == ["✅ Согласовать", "🔁 Другое время", "⛔️ Отказать"]


def _other_recruiters_slot(world: World, *, chat_id: int) -> Slot:
    other = RecruiterFactory(name="Игорь Петров", cities=[world.city], telegram_chat_id=chat_id)
    return SlotFactory(recruiter=other, city=world.city, starts_at=world.slots[0].starts_at)


async def test_a_double_press_acts_once(bot: BotDriver, world: World, chooser: Any) -> None:
    slot = await _reserved(world, chooser)
    message_id, data = bot.find_button(R, "Согласовать")
    update = bot.fake.make_callback_update(R, data, message_id=message_id)

    await bot.feed(update)
    await bot.feed(update)  # Telegram delivers the same press again

    # Recognised as a redelivery by its callback id, not merely refused by the booking's new state.
    logged = await db(
        lambda: list(
            TelegramCallbackLog.objects.filter(callback_query_id=update["callback_query"]["id"]).values_list(
                "result", flat=True
            )
        )
    )()
    assert logged == ["approve"]

    approvals = await db(
        lambda: NotificationLog.objects.filter(
            reservation_id=slot.reservation_id, kind=NotificationKind.APPROVED
        ).count()
    )()
    assert approvals == 1
    booked = [e for e in await db(_events)(slot.pk) if e[1] == SlotStatus.BOOKED]
    assert len(booked) == 1


async def test_a_decision_in_the_admin_takes_the_buttons_off_the_card(
    bot: BotDriver, world: World, chooser: Any
) -> None:
    slot = await _reserved(world, chooser)
    card_id = _card(bot)["message_id"]

    def approve_in_admin() -> int:
        client = client_for(staff_user_for(world.recruiter, "anna"))
        return client.post(reverse("admin:scheduling_slot_decide", args=[slot.pk, "approve"])).status_code

    assert await db(approve_in_admin)() == 302

    card = bot.message(R, card_id)
    assert "reply_markup" not in card
    assert "✅ Согласовано" in card["text"] and "· в админке" in card["text"]
    assert (await db(_slot)(slot.pk)).status == SlotStatus.BOOKED


async def test_a_stale_card_acts_on_nothing_after_a_reschedule_and_a_new_booking(
    bot: BotDriver, world: World, chooser: Any, rival: Any
) -> None:
    first = await _reserved(world, chooser)
    old_card_id, old_approve = bot.find_button(R, "Согласовать")
    await db(services.slot_reschedule)(slot_id=first.pk)
    second = await _reserved(world, rival)  # the same slot, another candidate's request
    assert second.pk == first.pk and second.reservation_id != first.reservation_id

    await bot.press(R, old_approve, message_id=old_card_id)

    assert "ничего не изменилось" in bot.fake.answered_callbacks()[-1].get("text", "")
    refreshed = await db(_slot)(second.pk)
    assert refreshed.status == SlotStatus.PENDING and refreshed.reservation_id == second.reservation_id
    assert NotificationKind.APPROVED not in await db(_kinds)(second.reservation_id)
