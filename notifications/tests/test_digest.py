"""The morning digest: who is due by zone, once a day, through the outbox; long agendas split to fit Telegram."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django_q.models import Schedule

from candidates.tests.factories import CandidateFactory
from notifications.agenda import TELEGRAM_TEXT_LIMIT, agenda_messages, split_message
from notifications.conversation import keyboards, texts
from notifications.delivery import deliver_one
from notifications.digest import digest_send_due, recruiters_due_for_digest
from notifications.models import NotificationKind, NotificationLog, NotificationStatus, Recipient
from notifications.sweep import DIGEST_SCHEDULE_NAME, periodic_schedules_ensure
from ops.fake_telegram import FakeTelegramAPI
from scheduling import services
from scheduling.models import Recruiter
from scheduling.tests.factories import CityFactory, RecruiterFactory, SlotFactory
from scheduling.tests.helpers import slot_in_status, through_test2

pytestmark = pytest.mark.django_db

# 01:00 UTC: 08:00 in Novosibirsk, 04:00 in Moscow, 13:00 in Kamchatka.
NSK_EIGHT = dt.datetime(2030, 3, 4, 1, 0, tzinfo=dt.UTC)


def _recruiter(name: str, tz: str, chat_id: int | None) -> Recruiter:
    return RecruiterFactory(name=name, tz=tz, telegram_chat_id=chat_id)


def test_the_digest_is_due_where_it_is_morning_for_bound_active_recruiters_only() -> None:
    nsk = _recruiter("Новосибирск", "Asia/Novosibirsk", 1)
    _recruiter("Москва", "Europe/Moscow", 2)
    _recruiter("Камчатка", "Asia/Kamchatka", 3)
    _recruiter("Без чата", "Asia/Novosibirsk", None)
    RecruiterFactory(name="Уволен", tz="Asia/Novosibirsk", telegram_chat_id=5, is_active=False)

    assert recruiters_due_for_digest(now=NSK_EIGHT) == [nsk]
    assert [r.name for r in recruiters_due_for_digest(now=NSK_EIGHT + dt.timedelta(hours=4))] == ["Москва"]


def test_the_digest_is_written_once_a_day_and_again_the_next_morning() -> None:
    nsk = _recruiter("Новосибирск", "Asia/Novosibirsk", 1)

    assert digest_send_due(now=NSK_EIGHT) == 1
    assert digest_send_due(now=NSK_EIGHT + dt.timedelta(hours=1)) == 0
    assert digest_send_due(now=NSK_EIGHT + dt.timedelta(days=1)) == 1
    rows = NotificationLog.objects.filter(kind=NotificationKind.RECRUITER_DAILY_DIGEST, recruiter=nsk)
    assert [(r.recipient, r.status) for r in rows] == [(Recipient.RECRUITER, NotificationStatus.PENDING)] * 2


def test_the_digest_is_todays_agenda_in_the_recruiters_zone_and_reaches_their_chat(
    telegram_api: FakeTelegramAPI,
) -> None:
    city = CityFactory(name="Новосибирск", tz="Asia/Novosibirsk")
    nsk = RecruiterFactory(name="Ольга", tz="Asia/Novosibirsk", cities=[city])
    starts_at = dt.datetime(2030, 3, 4, 15, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Novosibirsk"))
    slot = SlotFactory(recruiter=nsk, city=city, starts_at=starts_at)
    candidate = CandidateFactory(full_name="Петров Пётр", city=city)
    slot = services.slot_reserve(slot_id=slot.pk, candidate_id=candidate.pk, now=NSK_EIGHT - dt.timedelta(hours=1))
    # Bound after the request: its notice would otherwise queue ahead of the digest in the same chat.
    Recruiter.objects.filter(pk=nsk.pk).update(telegram_chat_id=4242)

    with time_machine.travel(NSK_EIGHT, tick=False) as clock:
        digest_send_due()
        first, second = NotificationLog.objects.filter(kind=NotificationKind.RECRUITER_DAILY_DIGEST).order_by("pk")
        assert deliver_one(first.pk) is True
        clock.shift(dt.timedelta(seconds=5))  # past the pacing of one chat
        assert deliver_one(second.pk) is True

    agenda, card = telegram_api.sent_messages(4242)
    assert agenda["text"] == "\n\n".join(
        [
            "Доброе утро! План на сегодня, 04.03.2030 (по времени Новосибирска, UTC+7)",
            "15:00 — Петров Пётр — ждёт решения",
            texts.AGENDA_PENDING_HINT.format(count=1),
        ]
    )
    assert card["text"] == texts.AGENDA_REQUEST.format(when="04.03 15:00", candidate="Петров Пётр")
    assert card["reply_markup"] == keyboards.request_card_markup(slot.reservation_id)


def test_a_recruiter_who_switched_the_digest_off_in_the_admin_gets_none() -> None:
    RecruiterFactory(name="Без сводки", tz="Asia/Novosibirsk", telegram_chat_id=1, daily_digest=False)

    assert recruiters_due_for_digest(now=NSK_EIGHT) == []
    assert digest_send_due(now=NSK_EIGHT) == 0


def test_no_digest_when_switched_off_in_settings(settings: object) -> None:
    _recruiter("Новосибирск", "Asia/Novosibirsk", 1)
    settings.RECRUITER_DAILY_DIGEST = False  # type: ignore[attr-defined]

    assert digest_send_due(now=NSK_EIGHT) == 0


def test_a_long_agenda_is_split_into_messages_telegram_accepts_losing_no_line() -> None:
    city = CityFactory(name="Новосибирск", tz="Asia/Novosibirsk")
    nsk = RecruiterFactory(name="Ольга", tz="Asia/Novosibirsk", cities=[city])
    day = dt.datetime(2030, 3, 4, tzinfo=zoneinfo.ZoneInfo("Asia/Novosibirsk"))
    for n in range(30):
        slot = SlotFactory(recruiter=nsk, city=city, starts_at=day + dt.timedelta(minutes=30 * n), duration_min=30)
        candidate = CandidateFactory(full_name=f"{n:02d} " + "Ф" * 190, city=city)
        services.slot_reserve(slot_id=slot.pk, candidate_id=candidate.pk, now=day - dt.timedelta(days=1))

    messages = agenda_messages(nsk, first_day=day.date(), days=1, heading=texts.AGENDA_TODAY)
    parts = [m.text for m in messages if m.markup is None]

    assert len(parts) == 2
    assert all(len(part) <= TELEGRAM_TEXT_LIMIT for part in parts)
    lines = "\n".join(parts).split("\n")
    assert [line[:10] for line in lines if "Ф" in line] == [
        f"{(day + dt.timedelta(minutes=30 * n)):%H:%M} — {n:02d}" for n in range(30)
    ]


def test_split_keeps_short_text_whole_and_cuts_between_lines() -> None:
    assert split_message("a\nb\n\nc", limit=100) == ["a\nb\n\nc"]
    assert split_message("aaa\nbbb\n\nccc", limit=7) == ["aaa\nbbb", "ccc"]
    assert split_message("aaaa\nbbbb", limit=5) == ["aaaa", "bbbb"]
    assert split_message("x" * 12, limit=5) == ["xxxxx", "xxxxx", "xx"]


def test_the_digest_runs_hourly_from_its_one_schedule_definition() -> None:
    periodic_schedules_ensure()
    periodic_schedules_ensure()

    schedule = Schedule.objects.get(name=DIGEST_SCHEDULE_NAME)
    assert (schedule.func, schedule.schedule_type, schedule.repeats) == (
        "notifications.tasks.send_daily_digests",
        Schedule.HOURLY,
        -1,
    )


def test_the_digest_lists_the_days_intro_days_with_their_address_beside_interviews(
    telegram_api: FakeTelegramAPI,
) -> None:
    city = CityFactory(name="Новосибирск", tz="Asia/Novosibirsk")
    nsk = RecruiterFactory(name="Ольга", tz="Asia/Novosibirsk", cities=[city])
    nsk_zone = zoneinfo.ZoneInfo("Asia/Novosibirsk")
    interview = SlotFactory(recruiter=nsk, city=city, starts_at=dt.datetime(2030, 3, 4, 15, 0, tzinfo=nsk_zone))
    slot_in_status("booked", slot=interview, candidate=CandidateFactory(full_name="Петров Пётр", city=city))
    # Two of a group at one hour; one answered «Приду». Times given in UTC: the agenda shows the recruiter's zone.
    group_at = dt.datetime(2030, 3, 4, 3, 0, tzinfo=dt.UTC)  # 10:00 in Novosibirsk
    intro_days = [
        services.intro_day_invite(
            candidate_id=through_test2(
                slot=SlotFactory(recruiter=nsk, city=city), candidate=CandidateFactory(full_name=name, city=city)
            ).candidate_id,
            starts_at=group_at,
            address="Новосибирск, Красный проспект, 1",
            contact="Ольга, +7 900 000-00-00",
        )
        for name in ("Иванова Анна", "Сидоров Олег")
    ]
    services.intro_day_confirm(reservation_id=intro_days[1].reservation_id, candidate_id=intro_days[1].candidate_id)
    Recruiter.objects.filter(pk=nsk.pk).update(telegram_chat_id=4343)

    with time_machine.travel(NSK_EIGHT, tick=False):
        digest_send_due()
        [row] = NotificationLog.objects.filter(kind=NotificationKind.RECRUITER_DAILY_DIGEST)
        assert deliver_one(row.pk) is True

    [agenda] = telegram_api.sent_messages(4343)
    assert agenda["text"] == "\n\n".join(
        [
            "Доброе утро! План на сегодня, 04.03.2030 (по времени Новосибирска, UTC+7)",
            "\n".join(
                [
                    "10:00 — ознакомительный день — Иванова Анна — приглашён",
                    "    Новосибирск, Красный проспект, 1",
                    "10:00 — ознакомительный день — Сидоров Олег — придёт",
                    "    Новосибирск, Красный проспект, 1",
                    "15:00 — Петров Пётр — согласовано",
                ]
                + ([f"    {nsk.meeting_url}"] if nsk.meeting_url else [])
            ),
        ]
    )
