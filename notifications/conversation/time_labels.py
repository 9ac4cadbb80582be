"""Showing UTC instants in a person's zone: candidates see the city's, recruiters their own."""

import datetime as dt
import zoneinfo


def to_local(moment: dt.datetime, tz: str) -> dt.datetime:
    """Convert an aware instant to the zone named tz."""
    return moment.astimezone(zoneinfo.ZoneInfo(tz))


def slot_label(moment: dt.datetime, tz: str) -> str:
    """«01.12 10:00» in the zone tz: the slot button text."""
    return to_local(moment, tz).strftime("%d.%m %H:%M")


def date_time_label(moment: dt.datetime, tz: str) -> str:
    """«01.12.2026 10:00» in the zone tz."""
    return to_local(moment, tz).strftime("%d.%m.%Y %H:%M")


def zone_label(tz: str, moment: dt.datetime | None = None) -> str:
    """«Europe/Moscow, UTC+03:00»: the zone name with its offset at that moment."""
    local = to_local(moment or dt.datetime.now(dt.UTC), tz)
    offset = local.utcoffset() or dt.timedelta(0)
    total = int(offset.total_seconds() // 60)
    sign = "+" if total >= 0 else "-"
    hours, minutes = divmod(abs(total), 60)
    return f"{tz}, UTC{sign}{hours:02d}:{minutes:02d}"
