"""Showing UTC instants in a person's zone: candidates see the city's, recruiters their own."""

import datetime as dt
import zoneinfo

# The zones we serve, named the way people say them: «по времени Новосибирска».
_CITY_OF_ZONE = {
    "Europe/Kaliningrad": "Калининграда",
    "Europe/Samara": "Самары",
    "Asia/Yekaterinburg": "Екатеринбурга",
    "Asia/Omsk": "Омска",
    "Asia/Novosibirsk": "Новосибирска",
    "Asia/Krasnoyarsk": "Красноярска",
    "Asia/Irkutsk": "Иркутска",
    "Asia/Yakutsk": "Якутска",
    "Asia/Vladivostok": "Владивостока",
    "Asia/Magadan": "Магадана",
    "Asia/Kamchatka": "Камчатки",
}
MOSCOW = "Europe/Moscow"


def to_local(moment: dt.datetime, tz: str) -> dt.datetime:
    """Convert an aware instant to the zone named tz."""
    return moment.astimezone(zoneinfo.ZoneInfo(tz))


def slot_label(moment: dt.datetime, tz: str) -> str:
    """«01.12 10:00» in the zone tz: the slot button text."""
    return to_local(moment, tz).strftime("%d.%m %H:%M")


def date_time_label(moment: dt.datetime, tz: str) -> str:
    """«01.12.2026 10:00» in the zone tz."""
    return to_local(moment, tz).strftime("%d.%m.%Y %H:%M")


def _offset_minutes(tz: str, moment: dt.datetime | None) -> int:
    # The offset at the moment shown, not today's: a zone may change it (DST) in between.
    local = to_local(moment or dt.datetime.now(dt.UTC), tz)
    return int((local.utcoffset() or dt.timedelta(0)).total_seconds() // 60)


def utc_offset_label(tz: str, moment: dt.datetime | None = None) -> str:
    """«UTC+7», «UTC+5:30», «UTC-4», «UTC»: the zone's offset at that moment, as people write it."""
    total = _offset_minutes(tz, moment)
    if total == 0:
        return "UTC"
    hours, minutes = divmod(abs(total), 60)
    sign = "+" if total > 0 else "-"
    return f"UTC{sign}{hours}" + (f":{minutes:02d}" if minutes else "")


def zone_label(tz: str, moment: dt.datetime | None = None) -> str:
    """«по московскому времени», «по времени Новосибирска, UTC+7», else «по времени UTC+N»: for every Telegram text.

    No brackets of its own: the texts put it in brackets after a time, «02.12 11:00 (по времени Омска, UTC+6)».
    """
    if tz == MOSCOW:
        return "по московскому времени"
    offset = utc_offset_label(tz, moment)
    city = _CITY_OF_ZONE.get(tz)
    return f"по времени {city}, {offset}" if city else f"по времени {offset}"


def iana_zone_label(tz: str, moment: dt.datetime | None = None) -> str:
    """«Europe/Moscow, UTC+03:00»: the zone's code name with its offset, for the admin only."""
    total = _offset_minutes(tz, moment)
    sign = "+" if total >= 0 else "-"
    hours, minutes = divmod(abs(total), 60)
    return f"{tz}, UTC{sign}{hours:02d}:{minutes:02d}"
