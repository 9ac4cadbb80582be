"""The recruiter's agenda as Telegram texts: /today, /week and the morning digest show the same view."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from django.utils import timezone

from notifications.conversation import keyboards, texts
from notifications.conversation.time_labels import to_local, zone_label
from scheduling.meeting_places import meeting_places_of
from scheduling.models import Recruiter, Slot, SlotStatus
from scheduling.selectors import slot_list_agenda

# Telegram refuses a longer message text.
TELEGRAM_TEXT_LIMIT = 4096
WEEK_DAYS = 7
# Each undecided request also comes as its own small message with the decision buttons; more than this
# many in one go is a flood, and the admin lists them all.
REQUEST_CARDS_LIMIT = 10


@dataclass(frozen=True)
class AgendaMessage:
    """One message of the agenda: text, and the decision buttons when it is an undecided request."""

    text: str
    markup: keyboards.Markup | None = None


def recruiter_today(recruiter: Recruiter, now: dt.datetime | None = None) -> dt.date:
    """Today's date where the recruiter is."""
    return to_local(now or timezone.now(), recruiter.tz).date()


def _midnight(day: dt.date, recruiter: Recruiter) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=recruiter.zone)


def _local_day(slot: Slot, recruiter: Recruiter) -> dt.date:
    return to_local(slot.starts_at, recruiter.tz).date()


def _intro_day_lines(slot: Slot, recruiter: Recruiter) -> list[str]:
    # An intro day is held at its own address, not at the recruiter's interview place.
    line = texts.AGENDA_INTRO_LINE.format(
        time=to_local(slot.starts_at, recruiter.tz).strftime("%H:%M"),
        candidate=str(slot.candidate),
        status=texts.AGENDA_INTRO_STATUS[slot.status],
    )
    return [line, texts.AGENDA_INTRO_ADDRESS.format(address=slot.intro_address)]


def _slot_lines(slot: Slot, recruiter: Recruiter, places: dict[int, str]) -> list[str]:
    if slot.is_intro_day:
        return _intro_day_lines(slot, recruiter)
    line = texts.AGENDA_LINE.format(
        time=to_local(slot.starts_at, recruiter.tz).strftime("%H:%M"),
        candidate=str(slot.candidate),
        status=texts.AGENDA_STATUS[slot.status],
    )
    # An undecided request has no meeting yet: the link matters once it is agreed.
    meeting = places.get(slot.city_id) or recruiter.meeting_url
    if slot.status == SlotStatus.PENDING or not meeting:
        return [line]
    return [line, texts.AGENDA_MEETING.format(meeting=meeting)]


def _day_block(
    day: dt.date, slots: list[Slot], recruiter: Recruiter, places: dict[int, str], *, with_header: bool
) -> str:
    lines = [line for slot in slots for line in _slot_lines(slot, recruiter, places)] or [texts.AGENDA_EMPTY_DAY]
    if with_header:
        lines.insert(0, texts.AGENDA_DAY.format(date=f"{day:%d.%m}", weekday=texts.WEEKDAYS[day.weekday()]))
    return "\n".join(lines)


def agenda_messages(recruiter: Recruiter, *, first_day: dt.date, days: int, heading: str) -> list[AgendaMessage]:
    """The recruiter's live bookings day by day in their zone, each day saying so when empty, split to fit
    Telegram; then each undecided request with its decision buttons.

    heading is a template with {date}, {start}, {end} and {zone}: AGENDA_TODAY, AGENDA_WEEK or AGENDA_DIGEST.
    """
    start = _midnight(first_day, recruiter)
    last_day = first_day + dt.timedelta(days=days - 1)
    slots = slot_list_agenda(
        recruiter_id=recruiter.pk, start=start, end=_midnight(last_day + dt.timedelta(days=1), recruiter)
    )
    by_day = {day: list(group) for day, group in itertools.groupby(slots, lambda s: _local_day(s, recruiter))}
    title = heading.format(
        date=f"{first_day:%d.%m.%Y}",
        start=f"{first_day:%d.%m}",
        end=f"{last_day:%d.%m}",
        zone=zone_label(recruiter.tz, start),
    )
    blocks = [title]
    places = meeting_places_of(recruiter)
    for offset in range(days):
        day = first_day + dt.timedelta(days=offset)
        blocks.append(_day_block(day, by_day.get(day, []), recruiter, places, with_header=days > 1))
    pending = [slot for slot in slots if slot.status == SlotStatus.PENDING]
    if pending:
        blocks.append(texts.AGENDA_PENDING_HINT.format(count=len(pending)))
    return [AgendaMessage(text) for text in split_message("\n\n".join(blocks))] + [
        _request_card(slot, recruiter) for slot in pending[:REQUEST_CARDS_LIMIT]
    ]


def _request_card(slot: Slot, recruiter: Recruiter) -> AgendaMessage:
    assert slot.reservation_id is not None  # a pending slot always holds its reservation
    text = texts.AGENDA_REQUEST.format(
        when=to_local(slot.starts_at, recruiter.tz).strftime("%d.%m %H:%M"), candidate=str(slot.candidate)
    )
    return AgendaMessage(text, keyboards.request_card_markup(slot.reservation_id))


def split_message(text: str, limit: int = TELEGRAM_TEXT_LIMIT) -> list[str]:
    """The text in parts of at most limit characters, cut between lines; a day that fits one message stays whole."""
    parts: list[str] = []
    current = ""
    for block in text.split("\n\n"):
        joined = f"{current}\n\n{block}" if current else block
        if len(joined) <= limit:
            current = joined
            continue
        if len(block) <= limit:
            parts.append(current)
            current = block
            continue
        # A day longer than a message: fill this message line by line and go on in the next.
        separator = "\n\n"
        for line in block.split("\n"):
            while len(line) > limit:  # no line we build is this long; cut hard rather than lose the message
                parts.extend([current] if current else [])
                current, line = line[:limit], line[limit:]
            joined = f"{current}{separator}{line}" if current else line
            if len(joined) <= limit:
                current = joined
            else:
                parts.append(current)
                current = line
            separator = "\n"
    if current:
        parts.append(current)
    return parts
