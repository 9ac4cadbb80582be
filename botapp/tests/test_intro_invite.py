"""The recruiter invites to an intro day from the Тест 2 result in her chat, through the fake Bot API.

Anna interviewed the candidate; the candidate passes Тест 2; the result in Anna's chat carries «Пригласить на
ознакомительный день», and a few questions later the candidate gets the same invitation the admin sends.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from botapp.application import build_application
from botapp.tests.conftest import BotDriver, db
from candidates import test2
from candidates.models import CandidateStatus
from candidates.tests.factories import CandidateFactory
from notifications.conversation import after_texts, texts
from notifications.delivery import deliver_one
from notifications.models import NotificationLog, NotificationStatus
from scheduling import services
from scheduling.models import MeetingPlace, Recruiter, Slot, SlotPurpose, SlotStatus
from scheduling.tests.factories import CityFactory, RecruiterFactory, SlotFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

MSK = zoneinfo.ZoneInfo("Europe/Moscow")
NOW = dt.datetime(2030, 3, 4, 9, 0, tzinfo=MSK)
STARTS = dt.datetime(2030, 3, 4, 11, 0, tzinfo=MSK)
ENDS = STARTS + dt.timedelta(hours=1)
LATER = ENDS + dt.timedelta(minutes=30)
ANNA_CHAT = 990_401
BORIS_CHAT = 990_402
CANDIDATE = 621
OFFICE = "Москва, ул. Тверская, 1, офис 5"


@pytest.fixture(autouse=True)
def _monday_morning() -> Iterator[None]:
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def interview(transactional_db: None) -> Slot:
    city = CityFactory(name="Москва", tz="Europe/Moscow")
    anna = RecruiterFactory(name="Анна", cities=[city], telegram_chat_id=ANNA_CHAT)
    RecruiterFactory(name="Борис", cities=[city], telegram_chat_id=BORIS_CHAT)
    MeetingPlace.objects.create(recruiter=anna, city=city, place=OFFICE)
    candidate = CandidateFactory(full_name="Петров Пётр", telegram_id=CANDIDATE, city=city)
    slot = SlotFactory(recruiter=anna, city=city, starts_at=STARTS, duration_min=60)
    services.slot_reserve(slot_id=slot.pk, candidate_id=candidate.pk)
    return services.slot_approve(slot_id=slot.pk)


def _deliver_due() -> None:
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


async def _passed_test2(bot: BotDriver) -> None:
    """«Пришёл», «Прошёл собеседование», then the candidate answers Тест 2 right: the result reaches Anna."""
    await _at(ENDS + dt.timedelta(minutes=1))
    with time_machine.travel(ENDS + dt.timedelta(minutes=2), tick=True):
        await bot.tap(ANNA_CHAT, texts.BTN_ATTENDED)
        await bot.tap(ANNA_CHAT, after_texts.BTN_RESULT_PASSED)
    await _at(ENDS + dt.timedelta(minutes=3))
    with time_machine.travel(ENDS + dt.timedelta(minutes=10), tick=True):
        await bot.tap(CANDIDATE, after_texts.BTN_TEST2_START)
        for question in test2.QUESTIONS:
            await bot.tap(CANDIDATE, question.option_text(question.correct) or "")
    await _at(ENDS + dt.timedelta(minutes=11))


def _answer_of(bot: BotDriver, update: dict[str, Any]) -> str:
    answer = bot.fake.callback_answer(update["callback_query"]["id"])
    return (answer or {}).get("text") or ""


def _intro_days() -> list[Slot]:
    return list(
        Slot.objects.filter(purpose=SlotPurpose.INTRO_DAY).exclude(status=SlotStatus.FREE).select_related("recruiter")
    )


def _draft() -> dict[str, Any]:
    return Recruiter.objects.get(telegram_chat_id=ANNA_CHAT).intro_draft


async def _up_to_summary(bot: BotDriver, when: str = "06.03 12:00") -> None:
    await bot.tap(ANNA_CHAT, texts.BTN_INTRO_INVITE)
    await bot.send(ANNA_CHAT, when)
    await bot.tap(ANNA_CHAT, "Моё место встречи")
    await bot.tap(ANNA_CHAT, texts.BTN_INTRO_ME)
    await bot.tap(ANNA_CHAT, texts.BTN_INTRO_NO_NOTE)


async def test_the_recruiter_invites_from_the_test2_result_and_the_candidate_gets_the_invitation(
    bot: BotDriver, interview: Slot
):
    await _passed_test2(bot)
    assert "Тест 2: Петров Пётр — прошёл, 4 из 4." in bot.last_text(ANNA_CHAT)
    assert [text for text, _ in bot.buttons(ANNA_CHAT)] == [texts.BTN_INTRO_INVITE]

    with time_machine.travel(LATER, tick=True):
        await bot.tap(ANNA_CHAT, texts.BTN_INTRO_INVITE)
        assert "Петров Пётр" in bot.last_text(ANNA_CHAT)
        assert "по времени города Москва (Europe/Moscow)" in bot.last_text(ANNA_CHAT)
        await bot.send(ANNA_CHAT, "06.03 12:00")
        assert bot.last_text(ANNA_CHAT) == texts.INTRO_ASK_ADDRESS_PLACE
        # The answers live in the database: a restarted bot (a new application) asks on from here.
        assert (await db(_draft)())["step"] == "address"
        restarted = build_application(token=bot.fake.token, base_url=bot.fake.base_url)
        async with restarted:
            bot.app = restarted
            await bot.tap(ANNA_CHAT, "Моё место встречи")
            await bot.tap(ANNA_CHAT, texts.BTN_INTRO_ME)
            await bot.send(ANNA_CHAT, "Возьмите паспорт")
            summary = bot.last_text(ANNA_CHAT)
            await bot.send(ANNA_CHAT, "ок")  # not an answer: the summary and its buttons again
            assert bot.last_text(ANNA_CHAT) == summary
            assert [text for text, _ in bot.buttons(ANNA_CHAT)] == [texts.BTN_INTRO_SEND, texts.BTN_INTRO_CANCEL]
            assert "📅 06.03.2030 12:00 (Europe/Moscow)" in summary
            assert f"📍 {OFFICE}" in summary and "👤 Анна" in summary and "📝 Возьмите паспорт" in summary
            await bot.tap(ANNA_CHAT, texts.BTN_INTRO_SEND)
            assert bot.last_text(ANNA_CHAT).startswith("Приглашение отправлено: Петров Пётр, 06.03.2030 12:00")
            await db(_deliver_due)()

    invitation = bot.last_text(CANDIDATE)
    assert invitation.startswith("Приглашаем вас на ознакомительный день!\n📅 06.03.2030 12:00")
    assert OFFICE in invitation and "Анна" in invitation and "Возьмите паспорт" in invitation
    assert [text for text, _ in bot.buttons(CANDIDATE)] == ["✅ Приду", "❌ Не смогу"]
    (intro,) = await db(_intro_days)()
    assert (intro.recruiter.name, intro.intro_address, intro.intro_contact) == ("Анна", OFFICE, "Анна")
    assert intro.starts_at == dt.datetime(2030, 3, 6, 12, 0, tzinfo=MSK)
    assert (await db(_draft)()) == {}
    candidate = await db(lambda: interview.candidate.__class__.objects.get(telegram_id=CANDIDATE))()
    assert candidate.status == CandidateStatus.INTRO_DAY_INVITED


async def test_another_recruiters_press_is_refused_and_changes_nothing(bot: BotDriver, interview: Slot):
    await _passed_test2(bot)
    _, data = bot.find_button(ANNA_CHAT, texts.BTN_INTRO_INVITE)
    await bot.send(BORIS_CHAT, "/help")
    update = await bot.press(BORIS_CHAT, data)
    assert "не ваша" in _answer_of(bot, update)
    assert (await db(_draft)()) == {}
    assert (await db(lambda: Recruiter.objects.get(telegram_chat_id=BORIS_CHAT).intro_draft)()) == {}
    # Anna's own press later still works: the stranger took nothing from her.
    await bot.tap(ANNA_CHAT, texts.BTN_INTRO_INVITE)
    assert (await db(_draft)())["step"] == "when"


async def test_a_bad_or_past_date_gets_a_hint_and_the_same_question(bot: BotDriver, interview: Slot):
    await _passed_test2(bot)
    with time_machine.travel(LATER, tick=True):
        await bot.tap(ANNA_CHAT, texts.BTN_INTRO_INVITE)
        await bot.send(ANNA_CHAT, "в среду в обед")
        assert bot.texts(ANNA_CHAT)[-2] == texts.INTRO_BAD_WHEN.format(tz="Europe/Moscow")
        assert "дд.мм чч:мм" in bot.last_text(ANNA_CHAT) and "Петров Пётр" in bot.last_text(ANNA_CHAT)
        await bot.send(ANNA_CHAT, "04.03 08:00")  # earlier today
        assert bot.texts(ANNA_CHAT)[-2] == texts.INTRO_PAST_WHEN.format(tz="Europe/Moscow")
        assert (await db(_draft)())["step"] == "when"
        await bot.send(ANNA_CHAT, "06.03 12:00")
        assert (await db(_draft)())["step"] == "address"
    assert await db(_intro_days)() == []


async def test_an_overlap_with_an_interview_is_refused_plainly_and_nothing_is_created(bot: BotDriver, interview: Slot):
    await _passed_test2(bot)
    await db(SlotFactory)(
        recruiter=interview.recruiter,
        city=interview.city,
        starts_at=dt.datetime(2030, 3, 6, 12, 30, tzinfo=MSK),
        duration_min=60,
    )
    with time_machine.travel(LATER, tick=True):
        await _up_to_summary(bot)
        await bot.tap(ANNA_CHAT, texts.BTN_INTRO_SEND)
        assert bot.last_text(ANNA_CHAT) == (
            "Приглашение не отправлено: В это время у рекрутёра собеседование (06.03.2030 12:30, Europe/Moscow)."
        )
        await db(_deliver_due)()
    assert await db(_intro_days)() == []
    assert not bot.last_text(CANDIDATE).startswith("Приглашаем вас на ознакомительный день")
    assert (await db(_draft)()) == {}


async def test_a_double_send_and_a_redelivered_send_invite_once(bot: BotDriver, interview: Slot):
    await _passed_test2(bot)
    with time_machine.travel(LATER, tick=True):
        await _up_to_summary(bot)
        message_id, data = bot.find_button(ANNA_CHAT, texts.BTN_INTRO_SEND)
        first = bot.fake.make_callback_update(ANNA_CHAT, data, message_id=message_id)
        await bot.feed(first)
        await bot.feed(first)  # Telegram delivers the same press again
        second = await bot.press(ANNA_CHAT, data, message_id=message_id)  # a double tap: a new press
        assert _answer_of(bot, second) == texts.INTRO_STALE
        await db(_deliver_due)()
    assert len(await db(_intro_days)()) == 1
    invitations = [t for t in bot.texts(CANDIDATE) if t.startswith("Приглашаем вас на ознакомительный день")]
    assert len(invitations) == 1
