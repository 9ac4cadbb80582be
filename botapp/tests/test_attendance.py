"""«Кандидат пришёл?» after the interview: sent at its end, never before; answered once, only by its recruiter."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from botapp.tests.conftest import BotDriver, db
from candidates.tests.factories import CandidateFactory
from notifications import telegram
from notifications.conversation import keyboards, texts
from notifications.delivery import deliver_one
from notifications.models import NotificationKind, NotificationLog, NotificationStatus
from scheduling import services
from scheduling.models import Slot, SlotEvent, SlotOutcome
from scheduling.tests.factories import CityFactory, RecruiterFactory, SlotFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

MSK = zoneinfo.ZoneInfo("Europe/Moscow")
# Monday 04.03.2030, 09:00 in Moscow; the interview is at 11:00 for an hour.
NOW = dt.datetime(2030, 3, 4, 9, 0, tzinfo=MSK)
STARTS = dt.datetime(2030, 3, 4, 11, 0, tzinfo=MSK)
ENDS = STARTS + dt.timedelta(hours=1)
ANNA_CHAT = 990_201
BORIS_CHAT = 990_202
QUESTION = "Кандидат пришёл?\nИванов Иван, 04.03.2030 11:00 (по московскому времени)"


@pytest.fixture(autouse=True)
def _monday_morning() -> Iterator[None]:
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def interview(transactional_db: None) -> Slot:
    """Anna's (chat bound) interview with Иванов Иван at 11:00, approved at 09:00; Boris has a chat too."""
    city = CityFactory(name="Москва", tz="Europe/Moscow")
    anna = RecruiterFactory(name="Анна", cities=[city], telegram_chat_id=ANNA_CHAT)
    RecruiterFactory(name="Борис", cities=[city], telegram_chat_id=BORIS_CHAT)
    candidate = CandidateFactory(full_name="Иванов Иван", telegram_id=601, city=city)
    slot = SlotFactory(recruiter=anna, city=city, starts_at=STARTS, duration_min=60)
    services.slot_reserve(slot_id=slot.pk, candidate_id=candidate.pk)
    return services.slot_approve(slot_id=slot.pk)


def _deliver_due() -> None:
    """What the worker does: every due row, in due order."""
    due = NotificationLog.objects.filter(status=NotificationStatus.PENDING, due_at__lte=timezone.now())
    for pk in due.order_by("due_at", "pk").values_list("pk", flat=True):
        deliver_one(pk)


def _question_row(slot: Slot) -> NotificationLog:
    return NotificationLog.objects.get(slot=slot, kind=NotificationKind.RECRUITER_ATTENDANCE)


def _outcome_events(slot: Slot) -> int:
    return SlotEvent.objects.filter(slot=slot, reason__startswith="итог").count()


async def _asked(bot: BotDriver) -> int:
    """Past the end: the worker sends the question; its message id in Anna's chat."""
    with time_machine.travel(ENDS + dt.timedelta(minutes=1), tick=True):
        await db(_deliver_due)()
    message_id, _ = bot.find_button(ANNA_CHAT, texts.BTN_ATTENDED)
    return message_id


def _question_copy(chat_id: int, slot: Slot) -> None:
    """The question with the booking's buttons in some chat: forwarded, crafted, or left from an old booking."""
    telegram.send_message(chat_id=chat_id, text=QUESTION, reply_markup=keyboards.attendance_markup(slot.reservation_id))


def _answer_of(bot: BotDriver, update: dict[str, Any]) -> str | None:
    answer = bot.fake.callback_answer(update["callback_query"]["id"])
    return answer.get("text") if answer else None


async def test_the_question_reaches_the_recruiter_after_the_interview_ends_and_never_before(
    bot: BotDriver, interview: Slot
):
    with time_machine.travel(ENDS - dt.timedelta(minutes=1), tick=True):
        await db(_deliver_due)()
    assert QUESTION not in bot.texts(ANNA_CHAT)
    assert (await db(_question_row)(interview)).status == NotificationStatus.PENDING

    message_id = await _asked(bot)

    assert bot.message(ANNA_CHAT, message_id)["text"] == QUESTION
    assert bot.buttons(ANNA_CHAT, bot.message(ANNA_CHAT, message_id)) == [
        (texts.BTN_ATTENDED, f"at:{interview.reservation_id.hex}"),
        (texts.BTN_NO_SHOW, f"ns:{interview.reservation_id.hex}"),
    ]
    assert (await db(_question_row)(interview)).status == NotificationStatus.SENT


async def test_pressing_attended_records_it_once_and_the_question_becomes_the_answer(bot: BotDriver, interview: Slot):
    message_id = await _asked(bot)
    _, attended = bot.find_button(ANNA_CHAT, texts.BTN_ATTENDED)
    _, no_show = bot.find_button(ANNA_CHAT, texts.BTN_NO_SHOW)

    with time_machine.travel(ENDS + dt.timedelta(minutes=2), tick=True):
        first = await bot.press(ANNA_CHAT, attended, message_id=message_id)
        await bot.feed(first)  # Telegram delivers the same press again
        # A client that still shows the buttons: another press, the other answer.
        second = await bot.press(ANNA_CHAT, no_show, message_id=message_id)

    await db(interview.refresh_from_db)()
    assert interview.outcome == SlotOutcome.ATTENDED
    assert await db(_outcome_events)(interview) == 1
    answered = bot.message(ANNA_CHAT, message_id)
    # Came: the same message asks the interview's result next, keyed by the booking.
    assert answered["text"] == "Иванов Иван, 04.03.2030 11:00 (по московскому времени)\nПришёл ✓\n\nИтог собеседования?"
    assert bot.buttons(ANNA_CHAT, answered) == [
        ("Прошёл собеседование", f"ip:{interview.reservation_id.hex}"),
        ("Не прошёл", f"if:{interview.reservation_id.hex}"),
    ]
    assert _answer_of(bot, first) == "Записано: Пришёл ✓."
    assert _answer_of(bot, second) == "Итог уже записан: Пришёл ✓. Ничего не изменилось."


async def test_a_press_from_another_recruiters_chat_changes_nothing(bot: BotDriver, interview: Slot):
    await _asked(bot)
    _, no_show = bot.find_button(ANNA_CHAT, texts.BTN_NO_SHOW)

    await db(_question_copy)(BORIS_CHAT, interview)

    with time_machine.travel(ENDS + dt.timedelta(minutes=2), tick=True):
        # Boris got the question forwarded (or crafted the data): his chat is not Anna's.
        update = await bot.press(BORIS_CHAT, no_show)

    await db(interview.refresh_from_db)()
    assert interview.outcome == SlotOutcome.NONE
    assert await db(_outcome_events)(interview) == 0
    assert _answer_of(bot, update) == texts.RECRUITER_NOT_YOURS
    assert bot.buttons(ANNA_CHAT) == [
        (texts.BTN_ATTENDED, f"at:{interview.reservation_id.hex}"),
        (texts.BTN_NO_SHOW, f"ns:{interview.reservation_id.hex}"),
    ]


async def test_a_press_after_the_admin_recorded_the_outcome_shows_it_and_changes_nothing(
    bot: BotDriver, interview: Slot
):
    message_id = await _asked(bot)
    _, attended = bot.find_button(ANNA_CHAT, texts.BTN_ATTENDED)

    with time_machine.travel(ENDS + dt.timedelta(minutes=2), tick=True):
        await db(services.slot_record_outcome)(slot_id=interview.pk, outcome=SlotOutcome.NO_SHOW)
        update = await bot.press(ANNA_CHAT, attended, message_id=message_id)

    await db(interview.refresh_from_db)()
    assert interview.outcome == SlotOutcome.NO_SHOW
    assert await db(_outcome_events)(interview) == 1
    assert bot.message(ANNA_CHAT, message_id)["text"].endswith("\nНе пришёл")
    assert _answer_of(bot, update) == "Итог уже записан: Не пришёл. Ничего не изменилось."


async def test_an_outcome_recorded_before_the_end_cancels_the_question(bot: BotDriver, interview: Slot):
    with time_machine.travel(STARTS + dt.timedelta(minutes=30), tick=True):
        await db(services.slot_record_outcome)(slot_id=interview.pk, outcome=SlotOutcome.ATTENDED)

    with time_machine.travel(ENDS + dt.timedelta(minutes=1), tick=True):
        await db(_deliver_due)()

    assert (await db(_question_row)(interview)).status == NotificationStatus.CANCELED
    assert not any(text.startswith("Кандидат пришёл?") for text in bot.texts(ANNA_CHAT))


async def test_a_released_booking_cancels_the_question_and_its_old_buttons_act_on_nothing(
    bot: BotDriver, interview: Slot
):
    await db(_question_copy)(ANNA_CHAT, interview)
    await db(services.slot_reschedule)(slot_id=interview.pk)

    assert (await db(_question_row)(interview)).status == NotificationStatus.CANCELED
    message_id, attended = bot.find_button(ANNA_CHAT, texts.BTN_ATTENDED)
    with time_machine.travel(ENDS + dt.timedelta(minutes=1), tick=True):
        update = await bot.press(ANNA_CHAT, attended, message_id=message_id)
    await db(interview.refresh_from_db)()
    assert interview.outcome == SlotOutcome.NONE
    assert _answer_of(bot, update) == texts.STALE_BOOKING


async def test_a_recruiter_without_a_bound_chat_gets_no_question(bot: BotDriver, transactional_db: None):
    def approve() -> bool:
        city = CityFactory(tz="Europe/Moscow")
        slot = SlotFactory(recruiter=RecruiterFactory(cities=[city]), city=city, starts_at=STARTS)
        services.slot_reserve(slot_id=slot.pk, candidate_id=CandidateFactory(city=city).pk)
        services.slot_approve(slot_id=slot.pk)
        return NotificationLog.objects.filter(slot=slot, kind=NotificationKind.RECRUITER_ATTENDANCE).exists()

    assert await db(approve)() is False
