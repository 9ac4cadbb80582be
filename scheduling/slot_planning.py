"""Turning a working pattern (dates, weekdays, daily window, step, break) into slot start times."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from scheduling.errors import InvalidInput


@dataclass(frozen=True)
class SlotPattern:
    """What a recruiter types: dates and times in their own zone."""

    tz: str
    date_from: dt.date
    date_to: dt.date
    start: dt.time
    end: dt.time
    step_min: int
    duration_min: int | None = None
    weekdays: frozenset[int] = frozenset({1, 2, 3, 4, 5, 6, 7})  # ISO: 1 = Monday
    break_start: dt.time | None = None
    break_end: dt.time | None = None

    @property
    def duration(self) -> int:
        return self.duration_min or self.step_min


MAX_DAYS = 366


def parse_weekdays(text: str) -> frozenset[int]:
    """«1-5», «1,3,5» or «1-3,6» → ISO weekday numbers; anything else is an error."""
    days: set[int] = set()
    for part in text.replace(" ", "").split(","):
        if not part:
            continue
        try:
            if "-" in part:
                lo, hi = (int(x) for x in part.split("-", 1))
                days.update(range(lo, hi + 1))
            else:
                days.add(int(part))
        except ValueError:
            raise InvalidInput(f"Дни недели: «{text}» — ожидается, например, 1-5 или 1,3,5.") from None
    if not days or not days <= set(range(1, 8)):
        raise InvalidInput(f"Дни недели: «{text}» — номера от 1 (пн) до 7 (вс).")
    return frozenset(days)


def validate(pattern: SlotPattern) -> None:
    """Refuse patterns that cannot mean anything sensible, with the reason."""
    if pattern.tz not in zoneinfo.available_timezones():
        raise InvalidInput(f"Неизвестный часовой пояс: {pattern.tz}.")
    if pattern.date_to < pattern.date_from:
        raise InvalidInput("Дата «по» раньше даты «с».")
    if (pattern.date_to - pattern.date_from).days > MAX_DAYS:
        raise InvalidInput(f"Слишком длинный период: не больше {MAX_DAYS} дней.")
    if pattern.end <= pattern.start:
        raise InvalidInput("Конец дня должен быть позже начала.")
    if pattern.step_min < 5 or pattern.duration < 5:
        raise InvalidInput("Шаг и длительность — не меньше 5 минут.")
    if (pattern.break_start is None) != (pattern.break_end is None):
        raise InvalidInput("Перерыв задаётся началом и концом.")
    if pattern.break_start and pattern.break_end and pattern.break_end <= pattern.break_start:
        raise InvalidInput("Конец перерыва должен быть позже начала.")


def slot_starts(pattern: SlotPattern) -> list[dt.datetime]:
    """Every start (aware, UTC) the pattern describes; slots never cross the window end or the break."""
    validate(pattern)
    zone = zoneinfo.ZoneInfo(pattern.tz)
    step = dt.timedelta(minutes=pattern.step_min)
    length = dt.timedelta(minutes=pattern.duration)
    starts: list[dt.datetime] = []
    day = pattern.date_from
    while day <= pattern.date_to:
        if day.isoweekday() in pattern.weekdays:
            cursor = dt.datetime.combine(day, pattern.start)
            day_end = dt.datetime.combine(day, pattern.end)
            while cursor + length <= day_end:
                if not _in_break(pattern, day, cursor, cursor + length):
                    local = cursor.replace(tzinfo=zone)
                    # Skip wall times that do not exist on a DST jump (they round-trip differently).
                    if local.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) == cursor:
                        starts.append(local.astimezone(dt.UTC))
                cursor += step
        day += dt.timedelta(days=1)
    return starts


def _in_break(pattern: SlotPattern, day: dt.date, start: dt.datetime, end: dt.datetime) -> bool:
    if pattern.break_start is None or pattern.break_end is None:
        return False
    b_start = dt.datetime.combine(day, pattern.break_start)
    b_end = dt.datetime.combine(day, pattern.break_end)
    return start < b_end and end > b_start
