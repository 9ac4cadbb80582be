"""The recruiter's chat: /today and /week in their zone, /help, /unbind, /start; candidates never see any of it."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine

from botapp.tests.conftest import BotDriver, db
from candidates.models import Candidate
from candidates.tests.factories import CandidateFactory
from notifications.conversation import texts
from scheduling import services
from scheduling.models import City, Recruiter, Slot, SlotStatus
from scheduling.tests.factories import CityFactory, RecruiterFactory, SlotFactory
from scheduling.tests.helpers import through_test2

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

NSK = zoneinfo.ZoneInfo("Asia/Novosibirsk")
# Monday 04.03.2030, 09:00 in Novosibirsk (UTC+7), 05:00 in Moscow.
NOW = dt.datetime(2030, 3, 4, 9, 0, tzinfo=NSK)
OLGA_CHAT = 990_101
BORIS_CHAT = 990_102
CANDIDATE = 601
MEET = "https://meet.example.com/olga"
HEADING = "План на сегодня, 04.03.2030 (по времени Новосибирска, UTC+7)"


@pytest.fixture(autouse=True)
def _monday_morning() -> Iterator[None]:
    with time_machine.travel(NOW, tick=True):
        yield


@dataclass
class Agenda:
    city: City
    olga: Recruiter
    boris: Recruiter


def _at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2030, 3, day, hour, minute, tzinfo=NSK)


def _booked(recruiter: Recruiter, city: City, starts_at: dt.datetime, name: str, *, decide: str = "") -> None:
    """A slot reserved by a new candidate called name; decide: "" (pending), "approve" or "confirm"."""
    slot = SlotFactory(recruiter=recruiter, city=city, starts_at=starts_at)
    candidate = CandidateFactory(full_name=name, city=city)
    slot = services.slot_reserve(slot_id=slot.pk, candidate_id=candidate.pk)
    if decide:
        services.slot_approve(slot_id=slot.pk)
    if decide == "confirm":
        services.booking_confirm(reservation_id=slot.reservation_id, candidate_id=candidate.pk)


@pytest.fixture
def agenda(transactional_db: None, settings: Any) -> Agenda:
    """Olga in Novosibirsk: today an agreed, an undecided and a confirmed interview, a free slot, one request
    tomorrow; Boris (same city) has his own request today."""
    # The bookings' cards are delivered as they commit; paced at one a second per chat they took nine seconds
    # of each test's setup, and the agenda does not read them.
    settings.TELEGRAM_PER_CHAT_INTERVAL_MS = 0
    city = CityFactory(name="Новосибирск", tz="Asia/Novosibirsk")
    olga = RecruiterFactory(name="Ольга", tz="Asia/Novosibirsk", meeting_url=MEET, telegram_chat_id=OLGA_CHAT)
    boris = RecruiterFactory(name="Борис", tz="Asia/Novosibirsk", telegram_chat_id=BORIS_CHAT)
    olga.cities.add(city)
    boris.cities.add(city)
    _booked(olga, city, _at(4, 23, 30), "Смирнова Вера", decide="confirm")
    _booked(olga, city, _at(4, 10), "Петров Пётр", decide="approve")
    _booked(olga, city, _at(4, 16, 30), "Кузнецов Илья")
    SlotFactory(recruiter=olga, city=city, starts_at=_at(4, 12))
    _booked(olga, city, _at(5, 11), "Орлова Нина")
    _booked(boris, city, _at(4, 14), "Чужой Кандидат")
    return Agenda(city=city, olga=olga, boris=boris)


async def _command(bot: BotDriver, chat_id: int, text: str) -> list[str]:
    """Send a command and return the texts of the bot's new messages in that chat."""
    before = len(bot.fake.chat(chat_id))
    await bot.send(chat_id, text)
    return [m.get("text", "") for m in bot.fake.chat(chat_id)[before:]]


async def test_today_lists_exactly_the_recruiters_own_bookings_in_order_in_their_zone(
    bot: BotDriver, agenda: Agenda
) -> None:
    replies = await _command(bot, OLGA_CHAT, "/today")

    assert replies == [
        "\n\n".join(
            [
                HEADING,
                f"10:00 — Петров Пётр — согласовано\n    {MEET}\n"
                "16:30 — Кузнецов Илья — ждёт решения\n"
                f"23:30 — Смирнова Вера — подтвердил\n    {MEET}",
                texts.AGENDA_PENDING_HINT.format(count=1),
            ]
        ),
        texts.AGENDA_REQUEST.format(when="04.03 16:30", candidate="Кузнецов Илья"),
    ]


async def test_an_undecided_request_in_the_agenda_is_decided_from_its_buttons(bot: BotDriver, agenda: Agenda) -> None:
    await _command(bot, OLGA_CHAT, "/today")
    assert [text for text, _ in bot.buttons(OLGA_CHAT)] == [
        texts.BTN_CARD_APPROVE,
        texts.BTN_CARD_OTHER_TIME,
        texts.BTN_CARD_REJECT,
    ]

    await bot.tap(OLGA_CHAT, texts.BTN_CARD_APPROVE)

    status = await db(lambda: Slot.objects.get(candidate__full_name="Кузнецов Илья").status)()
    assert status == SlotStatus.BOOKED


async def test_week_shows_seven_days_each_empty_one_saying_so(bot: BotDriver, agenda: Agenda) -> None:
    reply, *cards = await _command(bot, OLGA_CHAT, "/week")
    blocks = reply.split("\n\n")

    assert blocks[0] == "План на неделю, 04.03 – 10.03 (по времени Новосибирска, UTC+7)"
    days = ["04.03, пн", "05.03, вт", "06.03, ср", "07.03, чт", "08.03, пт", "09.03, сб", "10.03, вс"]
    assert [block.split("\n")[0] for block in blocks[1:8]] == days
    assert blocks[2] == "05.03, вт\n11:00 — Орлова Нина — ждёт решения"
    assert blocks[3:8] == [f"{day}\n{texts.AGENDA_EMPTY_DAY}" for day in days[2:]]
    assert blocks[8] == texts.AGENDA_PENDING_HINT.format(count=2)
    assert cards == [
        texts.AGENDA_REQUEST.format(when="04.03 16:30", candidate="Кузнецов Илья"),
        texts.AGENDA_REQUEST.format(when="05.03 11:00", candidate="Орлова Нина"),
    ]


async def test_an_empty_day_says_so(bot: BotDriver, agenda: Agenda) -> None:
    await db(Recruiter.objects.filter(pk=agenda.olga.pk).update)(telegram_chat_id=None)
    await db(Recruiter.objects.filter(pk=agenda.boris.pk).update)(telegram_chat_id=None)
    await db(RecruiterFactory)(name="Нина", tz="Asia/Novosibirsk", telegram_chat_id=OLGA_CHAT)

    replies = await _command(bot, OLGA_CHAT, "/today")

    assert replies == [f"{HEADING}\n\n{texts.AGENDA_EMPTY_DAY}"]


async def test_help_shows_recruiter_commands_only_in_a_recruiters_chat(bot: BotDriver, agenda: Agenda) -> None:
    assert await _command(bot, OLGA_CHAT, "/help") == [texts.RECRUITER_HELP]
    assert await _command(bot, CANDIDATE, "/help") == [texts.HELP]


async def test_unbind_releases_the_chat_and_logs_it(bot: BotDriver, agenda: Agenda) -> None:
    replies = await _command(bot, OLGA_CHAT, "/unbind")

    assert replies == [texts.UNBIND_DONE.format(name="Ольга")]
    assert await db(lambda: Recruiter.objects.get(pk=agenda.olga.pk).telegram_chat_id)() is None
    assert any(f"recruiter {agenda.olga.pk} unbound" in r.getMessage() for r in bot.caplog.records)
    # The chat is nobody's now: /today there is what any stranger gets, the consent.
    [after] = await _command(bot, OLGA_CHAT, "/today")
    assert after.startswith(texts.CONSENT.split("\n", 1)[0])


async def test_start_in_a_bound_chat_is_the_recruiters_home_not_the_candidate_journey(
    bot: BotDriver, agenda: Agenda
) -> None:
    replies = await _command(bot, OLGA_CHAT, "/start")
    typed = await _command(bot, OLGA_CHAT, "Здравствуйте")

    assert replies[0] == texts.RECRUITER_HELP
    assert replies[1].startswith(HEADING)
    assert replies[2] == texts.AGENDA_REQUEST.format(when="04.03 16:30", candidate="Кузнецов Илья")
    assert typed == [texts.RECRUITER_HELP]
    assert await db(Candidate.objects.filter(telegram_id=OLGA_CHAT).exists)() is False


async def test_cancel_in_a_bound_chat_is_the_recruiters_home_and_creates_no_candidate(
    bot: BotDriver, agenda: Agenda
) -> None:
    replies = await _command(bot, OLGA_CHAT, "/cancel")

    assert replies[0] == texts.RECRUITER_HELP
    assert await db(Candidate.objects.filter(telegram_id=OLGA_CHAT).exists)() is False


async def test_a_candidate_typing_today_gets_their_own_step_and_no_recruiter_text(
    bot: BotDriver, agenda: Agenda
) -> None:
    await db(CandidateFactory)(telegram_id=CANDIDATE, city=agenda.city)

    for command in ("/today", "/week", "/unbind"):
        [reply] = await _command(bot, CANDIDATE, command)
        assert reply.startswith(texts.CHOOSE_RECRUITER.split("{", 1)[0]), reply

    assert await db(Recruiter.objects.filter(telegram_chat_id__isnull=False).count)() == 2


async def test_binding_a_second_chat_moves_the_recruiter_there(bot: BotDriver, agenda: Agenda) -> None:
    code = await db(services.recruiter_bind_code_issue)(recruiter_id=agenda.olga.pk)

    await _command(bot, 990_199, f"/bind {code}")

    assert (await _command(bot, 990_199, "/today"))[0].startswith(HEADING)
    [old_chat] = await _command(bot, OLGA_CHAT, "/today")
    assert not old_chat.startswith(HEADING)


def _intro_day(agenda: Agenda, name: str, starts_at: dt.datetime) -> None:
    interview = SlotFactory(recruiter=agenda.olga, city=agenda.city, starts_at=_at(6, 9))
    candidate = through_test2(slot=interview, candidate=CandidateFactory(full_name=name, city=agenda.city)).candidate
    services.intro_day_invite(
        candidate_id=candidate.pk, starts_at=starts_at, address="Новосибирск, Красный проспект, 1", contact="Ольга"
    )


async def test_week_lists_an_intro_day_with_its_address_in_the_recruiters_zone(bot: BotDriver, agenda: Agenda) -> None:
    # Invited at 12:00 UTC, which is 19:00 in Novosibirsk.
    await db(_intro_day)(agenda, "Лебедева Мария", dt.datetime(2030, 3, 7, 12, 0, tzinfo=dt.UTC))

    reply, *_ = await _command(bot, OLGA_CHAT, "/week")

    assert reply.split("\n\n")[4] == (
        "07.03, чт\n19:00 — ознакомительный день — Лебедева Мария — приглашён\n    Новосибирск, Красный проспект, 1"
    )
