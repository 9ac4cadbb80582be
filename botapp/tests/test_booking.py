"""End to end: slot taken, returning candidate, cancel, confirm/decline, stale and forged buttons, redelivery."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from botapp.models import TelegramCallbackLog
from botapp.tests.conftest import RECRUITER_CHAT_ID, BotDriver, World, db
from notifications.conversation.callbacks import Action, encode
from notifications.models import NotificationKind, NotificationLog
from scheduling import services
from scheduling.models import Recruiter, Slot, SlotEvent, SlotStatus
from scheduling.tests.factories import SlotFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

A = 601
B = 602


def _slot(slot_id: int) -> Slot:
    return Slot.objects.get(pk=slot_id)


def _label(world: World, slot: Slot) -> str:
    return slot.starts_at.astimezone(world.city.zone).strftime("%d.%m %H:%M")


async def _open_slot_list(bot: BotDriver, user_id: int) -> None:
    await bot.send(user_id, "/start")
    await bot.tap(user_id, "Анна Смирнова")


async def test_a_slot_taken_between_listing_and_tap_says_so_and_shows_a_fresh_list(
    bot: BotDriver, world: World, chooser: Any, rival: Any
) -> None:
    await _open_slot_list(bot, A)
    first = world.slots[0]
    await db(services.slot_reserve)(slot_id=first.pk, candidate_id=rival.pk)

    list_message_id = await bot.tap(A, _label(world, first))

    message = bot.message(A, list_message_id)
    assert message["text"].startswith("Это время только что заняли")
    labels = [text for text, _ in bot.buttons(A, message)]
    assert _label(world, first) not in labels and _label(world, world.slots[1]) in labels
    slot = await db(_slot)(first.pk)
    assert slot.candidate_id == rival.pk and slot.status == SlotStatus.PENDING


async def test_a_returning_candidate_sees_the_booking_instead_of_a_reset(
    bot: BotDriver, world: World, chooser: Any
) -> None:
    slot = await db(services.slot_reserve)(slot_id=world.slots[1].pk, candidate_id=chooser.pk)

    await bot.send(A, "/start")

    text = bot.last_text(A)
    assert _label(world, slot) in text and "(по московскому времени)" in text
    assert "ждёт решения рекрутёра" in text
    assert [t for t, _ in bot.buttons(A)] == ["Отменить запись", "Выбрать другое время"]
    await bot.send(A, "привет")
    assert "Ваша запись" in bot.last_text(A)


async def test_cancel_frees_the_slot_and_tells_the_recruiter(bot: BotDriver, world: World, chooser: Any) -> None:
    slot = await db(services.slot_reserve)(slot_id=world.slots[0].pk, candidate_id=chooser.pk)
    reservation_id = slot.reservation_id
    await bot.send(A, "/cancel")
    assert bot.last_text(A).startswith("Отменить запись на ")

    message_id = await bot.tap(A, "Да, отменить")

    assert "reply_markup" not in bot.message(A, message_id)
    assert "отменена" in bot.last_text(A)
    slot = await db(_slot)(slot.pk)
    assert slot.status == SlotStatus.FREE and slot.candidate_id is None
    told = await db(
        lambda: NotificationLog.objects.filter(
            reservation_id=reservation_id, kind=NotificationKind.RECRUITER_CANDIDATE_CANCELED
        ).count()
    )()
    assert told == 1


async def _approved(world: World, candidate: Any, slot_index: int = 0) -> Slot:
    slot = await db(services.slot_reserve)(slot_id=world.slots[slot_index].pk, candidate_id=candidate.pk)
    return await db(services.slot_approve)(slot_id=slot.pk)


async def test_confirm_after_approval_sends_the_link_and_removes_the_keyboard(
    bot: BotDriver, world: World, chooser: Any
) -> None:
    slot = await _approved(world, chooser)
    assert "Собеседование согласовано" in bot.last_text(A)  # delivered by the outbox worker

    message_id = await bot.tap(A, "Подтверждаю")

    assert "reply_markup" not in bot.message(A, message_id)
    slot = await db(_slot)(slot.pk)
    assert slot.status == SlotStatus.CONFIRMED
    kinds = await db(lambda: set(NotificationLog.objects.filter(slot=slot).values_list("kind", flat=True)))()
    assert {NotificationKind.MEETING_LINK, NotificationKind.RECRUITER_CANDIDATE_CONFIRMED} <= kinds
    assert bot.fake.answered_callbacks()[-1].get("text") == "Спасибо! Участие подтверждено."


async def test_the_confirmation_request_takes_over_the_buttons_of_the_approval(
    bot: BotDriver, world: World, chooser: Any
) -> None:
    soon = await db(
        lambda: SlotFactory(
            recruiter=world.recruiter, city=world.city, starts_at=timezone.now() + dt.timedelta(minutes=90)
        )
    )()
    slot = await db(services.slot_reserve)(slot_id=soon.pk, candidate_id=chooser.pk)
    await db(services.slot_approve)(slot_id=slot.pk)  # inside the 2-hour window: approval + confirmation request
    assert bot.fake.wait_for(lambda: len(bot.fake.chat(A)) >= 3), bot.fake.transcript(A)
    texts = [m["text"] for m in bot.fake.chat(A)]
    approval_index = next(i for i, t in enumerate(texts) if "Собеседование согласовано" in t)
    assert approval_index < next(i for i, t in enumerate(texts) if t.startswith("Напоминаем"))  # read in order
    approval = bot.fake.chat(A)[approval_index]
    assert "reply_markup" not in approval  # one live «Подтверждаю» in the chat: the request's

    pressed = await bot.tap(A, "Подтверждаю")

    assert pressed != approval["message_id"]
    assert "reply_markup" not in bot.message(A, pressed)
    assert (await db(_slot)(slot.pk)).status == SlotStatus.CONFIRMED


async def test_decline_after_approval_frees_the_slot_and_offers_other_times(
    bot: BotDriver, world: World, chooser: Any
) -> None:
    slot = await _approved(world, chooser)

    message_id = await bot.tap(A, "Не смогу")

    assert "reply_markup" not in bot.message(A, message_id)
    assert "Выберите другое время" in bot.last_text(A)
    assert any(text == _label(world, slot) for text, _ in bot.buttons(A))
    slot = await db(_slot)(slot.pk)
    assert slot.status == SlotStatus.FREE
    told = await db(
        lambda: NotificationLog.objects.filter(kind=NotificationKind.RECRUITER_CANDIDATE_DECLINED).count()
    )()
    assert told == 1


async def test_a_stale_confirm_of_a_after_the_slot_went_to_b_changes_nothing(
    bot: BotDriver, world: World, chooser: Any, rival: Any
) -> None:
    slot = await _approved(world, chooser)
    old_message_id, old_confirm = bot.find_button(A, "Подтверждаю")
    await db(services.slot_reschedule)(slot_id=slot.pk)
    await _approved(world, rival)
    events_before = await db(lambda: SlotEvent.objects.count())()

    await bot.press(A, old_confirm, message_id=old_message_id)

    slot = await db(_slot)(slot.pk)
    assert slot.candidate_id == rival.pk and slot.status == SlotStatus.BOOKED
    assert await db(lambda: SlotEvent.objects.count())() == events_before
    assert bot.fake.answered_callbacks()[-1].get("text") == "Эта запись уже неактуальна — ничего не изменилось."


async def test_a_forged_callback_with_another_candidates_reservation_changes_nothing(
    bot: BotDriver, world: World, chooser: Any, rival: Any
) -> None:
    theirs = await _approved(world, rival, slot_index=1)
    await bot.send(A, "/start")

    for action in (Action.CONFIRM, Action.DECLINE, Action.CANCEL, Action.OTHER_TIME):
        await bot.press(A, encode(action, theirs.reservation_id))

    slot = await db(_slot)(theirs.pk)
    assert slot.candidate_id == rival.pk and slot.status == SlotStatus.BOOKED
    assert slot.reservation_id == theirs.reservation_id
    assert len(bot.fake.answered_callbacks()) == 4


async def test_the_same_callback_delivered_twice_is_handled_once(bot: BotDriver, world: World, chooser: Any) -> None:
    await _open_slot_list(bot, A)
    message_id, data = bot.find_button(A, _label(world, world.slots[0]))
    update = bot.fake.make_callback_update(A, data, message_id=message_id)
    sent_before = len(bot.fake.calls_of("sendMessage"))

    await bot.feed(update)
    edits = len(bot.fake.calls_of("editMessageText"))
    sends = len(bot.fake.calls_of("sendMessage"))
    await bot.feed(update)

    assert len(bot.fake.calls_of("editMessageText")) == edits
    assert len(bot.fake.calls_of("sendMessage")) == sends > sent_before
    assert len(bot.fake.calls_of("answerCallbackQuery")) == 3  # recruiter tap + the slot tap twice
    # The recruiter tap only showed a list: read-only presses keep no log row (test_read_only_presses).
    rows = await db(lambda: list(TelegramCallbackLog.objects.values_list("result", flat=True)))()
    assert rows == ["reserved"]
    assert await db(lambda: Slot.objects.filter(status=SlotStatus.PENDING).count())() == 1


async def test_a_candidate_with_a_live_slot_tapping_another_slot_sees_the_existing_booking(
    bot: BotDriver, world: World, chooser: Any
) -> None:
    await _open_slot_list(bot, A)
    await bot.tap(A, _label(world, world.slots[0]))

    # The list message was edited, so press the second slot's button as an older client still shows it.
    await bot.press(A, encode(Action.SLOT, world.slots[1].pk))

    text = bot.last_text(A)
    assert text.startswith("У вас уже есть запись") and _label(world, world.slots[0]) in text
    assert "Отменить запись" in [t for t, _ in bot.buttons(A)]
    assert await db(lambda: Slot.objects.filter(status=SlotStatus.PENDING).count())() == 1


async def test_other_time_releases_the_booking_and_shows_the_choice_again(
    bot: BotDriver, world: World, chooser: Any
) -> None:
    slot = await db(services.slot_reserve)(slot_id=world.slots[0].pk, candidate_id=chooser.pk)
    assert "Заявка отправлена" in bot.last_text(A)

    await bot.tap(A, "Выбрать другое время")

    assert "Выберите рекрутёра" in bot.last_text(A)
    assert (await db(_slot)(slot.pk)).status == SlotStatus.FREE


async def test_malformed_callbacks_are_answered_and_change_nothing(bot: BotDriver, world: World, chooser: Any) -> None:
    await bot.send(A, "/start")
    for data in ("zz:1", "sl:abc", "sl:", "cs:1", "an:nokey", "garbage", "cf:-"):
        await bot.press(A, data)
    assert len(bot.fake.answered_callbacks()) == 7
    assert await db(lambda: Slot.objects.filter(status=SlotStatus.FREE).count())() == 5


async def test_a_recruiter_binds_their_chat_with_the_code_from_the_admin(bot: BotDriver, world: World) -> None:
    other = await db(lambda: Recruiter.objects.create(name="Олег Петров"))()
    code = await db(services.recruiter_bind_code_issue)(recruiter_id=other.pk)
    await bot.send(777, "/bind WRONG123")
    assert "Код неверный" in bot.last_text(777)

    await bot.send(777, f"/bind {code}")

    assert "Олег Петров" in bot.last_text(777)
    chat_id = await db(lambda: Recruiter.objects.get(pk=other.pk).telegram_chat_id)()
    assert chat_id == 777
    assert RECRUITER_CHAT_ID != 777
