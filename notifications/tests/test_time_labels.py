"""Zones in people's words for every Telegram text; the code name only for the admin."""

from __future__ import annotations

import datetime as dt

import pytest

from notifications.conversation.time_labels import iana_zone_label, zone_label

WINTER = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)
SUMMER = dt.datetime(2026, 7, 2, 9, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("tz", "label"),
    [
        ("Europe/Moscow", "по московскому времени"),
        ("Europe/Kaliningrad", "по времени Калининграда, UTC+2"),
        ("Europe/Samara", "по времени Самары, UTC+4"),
        ("Asia/Yekaterinburg", "по времени Екатеринбурга, UTC+5"),
        ("Asia/Omsk", "по времени Омска, UTC+6"),
        ("Asia/Novosibirsk", "по времени Новосибирска, UTC+7"),
        ("Asia/Krasnoyarsk", "по времени Красноярска, UTC+7"),
        ("Asia/Irkutsk", "по времени Иркутска, UTC+8"),
        ("Asia/Yakutsk", "по времени Якутска, UTC+9"),
        ("Asia/Vladivostok", "по времени Владивостока, UTC+10"),
        ("Asia/Magadan", "по времени Магадана, UTC+11"),
        ("Asia/Kamchatka", "по времени Камчатки, UTC+12"),
    ],
)
def test_the_zones_we_serve_are_named_after_their_city(tz: str, label: str) -> None:
    assert zone_label(tz, WINTER) == label


@pytest.mark.parametrize(
    ("tz", "moment", "label"),
    [
        ("Asia/Kolkata", WINTER, "по времени UTC+5:30"),
        ("UTC", WINTER, "по времени UTC"),
        ("America/New_York", WINTER, "по времени UTC-5"),
        ("America/New_York", SUMMER, "по времени UTC-4"),
        ("Europe/London", SUMMER, "по времени UTC+1"),
    ],
)
def test_any_other_zone_reads_as_its_offset_at_the_moment_shown(tz: str, moment: dt.datetime, label: str) -> None:
    assert zone_label(tz, moment) == label


def test_no_telegram_zone_label_carries_the_code_name() -> None:
    for tz in ("Europe/Moscow", "Asia/Novosibirsk", "America/New_York"):
        assert "/" not in zone_label(tz, WINTER)


def test_the_admin_keeps_the_code_name_with_its_offset() -> None:
    assert iana_zone_label("Europe/Moscow", WINTER) == "Europe/Moscow, UTC+03:00"
    assert iana_zone_label("America/New_York", SUMMER) == "America/New_York, UTC-04:00"
