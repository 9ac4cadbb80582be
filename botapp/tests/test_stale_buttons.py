"""Old buttons of the same candidate, and a press Telegram delivers twice: the current booking is what counts."""

from __future__ import annotations

from typing import Any

import pytest

from botapp.models import TelegramCallbackLog
from botapp.tests.conftest import BotDriver, World, db
from notifications.conversation import texts
from notifications.models import NotificationKind, NotificationLog
from scheduling import services
from scheduling.models import Slot, SlotEvent, SlotStatus

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

A = 601


def _booking_of(slot_id: int) -> tuple[str, int | None, Any]:
    slot = Slot.objects.get(pk=slot_id)
    return slot.status, slot.candidate_id, slot.reservation_id


def _event_count() -> int:
    return SlotEvent.objects.count()


async def _old_button_then_a_new_booking(
    bot: BotDriver, world: World, chooser: Any, button: str
) -> tuple[int, str, Slot]:
    """The candidate books, keeps that message's `button`, cancels, and books another time."""
    first = await db(services.slot_reserve)(slot_id=world.slots[0].pk, candidate_id=chooser.pk)
    old_message_id, old_data = bot.find_button(A, button)
    await db(services.booking_cancel)(reservation_id=first.reservation_id, candidate_id=chooser.pk)
    new = await db(services.slot_reserve)(slot_id=world.slots[1].pk, candidate_id=chooser.pk)
    return old_message_id, old_data, new


async def test_an_old_cancel_button_is_stale_and_the_new_booking_stays(
    bot: BotDriver, world: World, chooser: Any
) -> None:
    old_message_id, old_cancel, new = await _old_button_then_a_new_booking(bot, world, chooser, "Отменить запись")
    events_before = await db(_event_count)()

    await bot.press(A, old_cancel, message_id=old_message_id)

    assert bot.fake.answered_callbacks()[-1].get("text") == texts.STALE_BOOKING
    assert await db(_booking_of)(new.pk) == (SlotStatus.PENDING, chooser.pk, new.reservation_id)
    assert await db(_event_count)() == events_before
    recruiter_told = await db(
        lambda: NotificationLog.objects.filter(
            reservation_id=new.reservation_id, kind=NotificationKind.RECRUITER_CANDIDATE_CANCELED
        ).exists()
    )()
    assert recruiter_told is False


async def test_an_old_other_time_button_shows_the_new_booking_and_releases_nothing(
    bot: BotDriver, world: World, chooser: Any
) -> None:
    old_message_id, old_other_time, new = await _old_button_then_a_new_booking(
        bot, world, chooser, "Выбрать другое время"
    )
    events_before = await db(_event_count)()

    await bot.press(A, old_other_time, message_id=old_message_id)

    assert await db(_booking_of)(new.pk) == (SlotStatus.PENDING, chooser.pk, new.reservation_id)
    assert await db(_event_count)() == events_before
    shown = bot.last_text(A)
    assert shown.startswith(texts.ALREADY_BOOKED)
    assert new.starts_at.astimezone(world.city.zone).strftime("%d.%m %H:%M") in shown
    assert [text for text, _ in bot.buttons(A)] == ["Отменить запись", "Выбрать другое время"]


async def test_a_confirm_delivered_twice_confirms_once_and_answers_the_repeat_silently(
    bot: BotDriver, world: World, chooser: Any
) -> None:
    reserved = await db(services.slot_reserve)(slot_id=world.slots[0].pk, candidate_id=chooser.pk)
    slot = await db(services.slot_approve)(slot_id=reserved.pk)
    message_id, confirm = bot.find_button(A, "Подтверждаю")
    update = bot.fake.make_callback_update(A, confirm, message_id=message_id)

    await bot.feed(update)
    await bot.feed(update)  # Telegram redelivers it: the bot died before acknowledging

    # Telegram takes one answer per query; what counts is what the bot tried to say the second time.
    answers = [call.params.get("text") for call in bot.fake.calls_of("answerCallbackQuery")]
    assert answers == [texts.CONFIRMED_ANSWER, None]  # not «неактуальна» about a booking just confirmed
    confirmations = await db(lambda: SlotEvent.objects.filter(slot=slot, to_status=SlotStatus.CONFIRMED).count())()
    assert confirmations == 1
    links = await db(
        lambda: NotificationLog.objects.filter(
            reservation_id=slot.reservation_id, kind=NotificationKind.MEETING_LINK
        ).count()
    )()
    assert links == 1
    logged = await db(lambda: list(TelegramCallbackLog.objects.values_list("result", flat=True)))()
    assert logged == ["confirmed"]
