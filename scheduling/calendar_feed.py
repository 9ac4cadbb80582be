"""A recruiter's interviews as an iCalendar feed (RFC 5545) that Google Calendar and Outlook subscribe to.

Every fact in an event comes from stored rows, so the same database gives the same bytes:
- one event per reservation (UID = reservation id @ host): the booking, not the slot, is what a calendar
  shows; a slot freed and booked again is a new event, the old one cancelled;
- SEQUENCE = the reservation's SlotEvent count minus one (plus one once its candidate is erased): every
  transition (approve, confirm, release) adds a row, so the number grows with every change and nobody
  has to maintain a counter;
- DTSTAMP = the reservation's last transition; DTSTART/DTEND in UTC, the recruiter's zone named in
  X-WR-TIMEZONE and in the description;
- agreed (TENTATIVE until the candidate confirms, then CONFIRMED) interviews from CALENDAR_FEED_PAST_DAYS
  ago on; a booking released after approval stays CANCELLED for CALENDAR_FEED_CANCELED_DAYS, so a
  subscribed calendar removes it instead of keeping a ghost.
Intro days (slots with purpose intro_day) share all of this: invited = booked → TENTATIVE, «Приду» =
confirmed → CONFIRMED, released → CANCELLED; only the summary, place and description differ (their own
address, contact and note are stored on the slot, so no extra query).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import icalendar
from django.conf import settings
from django.db.models import Count, Max
from django.urls import reverse
from django.utils import timezone

from candidates.labels import candidate_label
from notifications.conversation.time_labels import date_time_label, iana_zone_label
from scheduling.meeting_places import meeting_places_of
from scheduling.models import Recruiter, Slot, SlotEvent, SlotStatus

PRODID = "-//Interview Scheduler//Календарь рекрутёра//RU"
# RFC 7986 REFRESH-INTERVAL and Outlook's X-PUBLISHED-TTL: a hint; Google refreshes on its own schedule.
REFRESH = dt.timedelta(minutes=15)
AGREED = (SlotStatus.BOOKED, SlotStatus.CONFIRMED)
STATUS_TEXT = {
    "TENTATIVE": "согласовано, кандидат ещё не подтвердил участие",
    "CONFIRMED": "кандидат подтвердил участие",
    "CANCELLED": "отменено",
}


@dataclass(frozen=True)
class FeedEvent:
    reservation_id: uuid.UUID
    slot: Slot
    candidate: Any
    status: str  # TENTATIVE / CONFIRMED / CANCELLED
    sequence: int
    stamp: dt.datetime


def feed_path(recruiter: Recruiter) -> str:
    return reverse("calendar-feed", args=[recruiter.calendar_token])


def absolute_url(request: Any, path: str) -> str:
    """On SITE_URL's host when it names one (the address people use), else on this request's."""
    if urlsplit(settings.SITE_URL).netloc:
        return urljoin(settings.SITE_URL, path)
    return request.build_absolute_uri(path)


def feed_url(recruiter: Recruiter, request: Any) -> str:
    """The absolute URL to paste into a calendar."""
    return absolute_url(request, feed_path(recruiter))


def uid_host(request: Any) -> str:
    """The UID's domain part: SITE_URL's host, else the host the calendar asked (the same for one subscription)."""
    return urlsplit(settings.SITE_URL).hostname or request.get_host().split(":")[0]


def feed_events(recruiter: Recruiter, *, now: dt.datetime | None = None) -> list[FeedEvent]:
    """The recruiter's agreed interviews and recently released ones, newest facts first resolved, by start."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=settings.CALENDAR_FEED_PAST_DAYS)
    agreed = list(
        Slot.objects.filter(recruiter=recruiter, status__in=AGREED, starts_at__gte=since).select_related(
            "city", "candidate"
        )
    )
    released = list(
        SlotEvent.objects.filter(
            slot__recruiter=recruiter,
            slot__starts_at__gte=since,
            from_status__in=AGREED,
            to_status__in=(SlotStatus.FREE, SlotStatus.CANCELED),
            reservation_id__isnull=False,
            created_at__gte=now - dt.timedelta(days=settings.CALENDAR_FEED_CANCELED_DAYS),
        ).select_related("slot__city", "candidate")
    )
    # One aggregate over the slots' own histories (slot_id is indexed): the count and the last change.
    slot_ids = {slot.pk for slot in agreed} | {event.slot_id for event in released}
    history = {
        row["reservation_id"]: row
        for row in SlotEvent.objects.filter(slot_id__in=slot_ids, reservation_id__isnull=False)
        .values("reservation_id")
        .annotate(count=Count("id"), last=Max("created_at"))
    }

    def event(reservation_id: uuid.UUID, slot: Slot, candidate: Any, status: str) -> FeedEvent:
        facts = history.get(reservation_id, {"count": 1, "last": slot.updated_at})
        sequence, stamp = max(facts["count"] - 1, 0), facts["last"]
        # Erasing a past interview's candidate renames the event without a transition: one more change.
        if candidate is not None and candidate.erased_at is not None:
            sequence, stamp = sequence + 1, max(stamp, candidate.erased_at)
        return FeedEvent(reservation_id, slot, candidate, status, sequence, stamp)

    events = [
        event(
            slot.reservation_id,
            slot,
            slot.candidate,
            "CONFIRMED" if slot.status == SlotStatus.CONFIRMED else "TENTATIVE",
        )
        for slot in agreed
    ]
    events += [event(row.reservation_id, row.slot, row.candidate, "CANCELLED") for row in released]
    return sorted(events, key=lambda e: (e.slot.starts_at, str(e.reservation_id)))


INTRO_STATUS_TEXT = {
    "TENTATIVE": "кандидат приглашён, ещё не ответил",
    "CONFIRMED": "кандидат ответил «Приду»",
    "CANCELLED": "отменено",
}


def _intro_description(recruiter: Recruiter, event: FeedEvent, admin_url: str) -> str:
    slot = event.slot
    lines = [
        "Ознакомительный день",
        f"Кандидат: {candidate_label(event.candidate) or '—'}",
        f"Город: {slot.city.name}",
        f"Время: {date_time_label(slot.starts_at, recruiter.tz)} ({iana_zone_label(recruiter.tz, slot.starts_at)})",
        f"Статус: {INTRO_STATUS_TEXT[event.status]}",
        f"Адрес: {slot.intro_address}",
        f"Контактное лицо: {slot.intro_contact}",
    ]
    if slot.intro_note:
        lines.append(f"Примечание: {slot.intro_note}")
    lines.append(f"Слот в админке: {admin_url}")
    return "\n".join(lines)


def _description(recruiter: Recruiter, event: FeedEvent, admin_url: str, place: str) -> str:
    slot = event.slot
    if slot.is_intro_day:
        return _intro_description(recruiter, event, admin_url)
    lines = [
        f"Кандидат: {candidate_label(event.candidate) or '—'}",
        f"Город: {slot.city.name}",
        f"Время: {date_time_label(slot.starts_at, recruiter.tz)} ({iana_zone_label(recruiter.tz, slot.starts_at)})",
        f"Статус: {STATUS_TEXT[event.status]}",
    ]
    if place:
        lines.append(f"Ссылка на встречу или адрес: {place}")
    lines.append(f"Слот в админке: {admin_url}")
    return "\n".join(lines)


def feed_calendar(recruiter: Recruiter, request: Any, *, now: dt.datetime | None = None) -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"Встречи с кандидатами — {recruiter.name}")  # interviews and intro days
    cal.add("x-wr-timezone", recruiter.tz)
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", icalendar.vDuration(REFRESH).to_ical().decode())
    host = uid_host(request)
    # The place the candidate is told: the recruiter's office in the slot's city, else their general link.
    places = meeting_places_of(recruiter)
    for event in feed_events(recruiter, now=now):
        slot = event.slot
        # An intro day is held at its own address, not at the recruiter's interview place.
        place = slot.intro_address if slot.is_intro_day else places.get(slot.city_id) or recruiter.meeting_url
        cancelled = event.status == "CANCELLED"
        name = candidate_label(event.candidate) or "кандидат"
        vevent = icalendar.Event()
        vevent.add("uid", f"{event.reservation_id}@{host}")
        vevent.add("dtstamp", event.stamp.astimezone(dt.UTC))
        vevent.add("last-modified", event.stamp.astimezone(dt.UTC))
        vevent.add("dtstart", slot.starts_at.astimezone(dt.UTC))
        vevent.add("dtend", slot.ends_at.astimezone(dt.UTC))
        vevent.add("sequence", event.sequence)
        vevent.add("status", event.status)
        what = "Ознакомительный день" if slot.is_intro_day else "Собеседование"
        vevent.add("summary", f"Отменено: {what.lower()} — {name}" if cancelled else f"{what} — {name}")
        admin_url = absolute_url(request, reverse("admin:scheduling_slot_change", args=[slot.pk]))
        vevent.add("description", _description(recruiter, event, admin_url, place))
        vevent.add("location", place or slot.city.name)
        if place.startswith(("https://", "http://")):
            vevent.add("url", place)
        vevent.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
        cal.add_component(vevent)
    return cal
