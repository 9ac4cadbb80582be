"""The admin's home page: what needs the recruiter now, shown above the app list.

A recruiter sees their undecided requests with how long each has waited, today's interviews, and,
until their Telegram chat is bound, the prompt to bind it: no request reaches them before that.
A lead sees the same for every recruiter, and which recruiters have not bound Telegram yet.
Times are in the viewer's zone; every list is one query (selectors), whatever its length.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from notifications.conversation.time_labels import iana_zone_label, to_local
from scheduling import access
from scheduling.admin.scoping import slot_when, viewer_tz
from scheduling.admin.slots import duration_label
from scheduling.models import Slot, SlotStatus
from scheduling.selectors import (
    recruiter_list_without_telegram,
    slot_list_awaiting_decision,
    slot_list_interviews_between,
)

PENDING_SHOWN = 20


@dataclass(frozen=True)
class HomeRow:
    url: str  # the slot's page, where the decision buttons are
    when: str
    city: str
    candidate: str
    recruiter: str
    note: str  # «ждёт 25 мин» for a request, the status for an interview


@dataclass(frozen=True)
class Home:
    for_all: bool  # a lead's view: every recruiter's rows, with the recruiter named
    bind_url: str | None  # the viewer's recruiter page (where the bind code is issued) while Telegram is unbound
    pending: list[HomeRow]
    pending_more_url: str | None  # the slot list of every request, when more wait than are shown
    today: list[HomeRow]
    today_label: str
    unbound: list[tuple[str, str]]  # (name, page) of recruiters without Telegram, for a lead


def home_for(user: Any, *, now: dt.datetime | None = None) -> Home | None:
    """What the home page shows this user; None for staff who are neither a recruiter nor a lead."""
    for_all = access.is_lead(user)
    own = access.recruiter_for(user)
    if not for_all and own is None:
        return None
    now = now or timezone.now()
    recruiter_id = None if for_all else own.pk  # type: ignore[union-attr]
    tz = viewer_tz(user)
    day_start = to_local(now, tz).replace(hour=0, minute=0, second=0, microsecond=0)
    pending = slot_list_awaiting_decision(recruiter_id=recruiter_id, limit=PENDING_SHOWN + 1)
    today = slot_list_interviews_between(
        start=day_start, end=day_start + dt.timedelta(days=1), recruiter_id=recruiter_id
    )
    changelist = reverse("admin:scheduling_slot_changelist")
    return Home(
        for_all=for_all,
        bind_url=(
            reverse("admin:scheduling_recruiter_change", args=[own.pk])
            if own is not None and own.telegram_chat_id is None
            else None
        ),
        pending=[_row(user, slot, f"ждёт {_waited(slot, now)}") for slot in pending[:PENDING_SHOWN]],
        pending_more_url=(
            f"{changelist}?{urlencode({'status__exact': SlotStatus.PENDING})}" if len(pending) > PENDING_SHOWN else None
        ),
        today=[_row(user, slot, slot.get_status_display()) for slot in today],
        today_label=f"{day_start:%d.%m.%Y}, {iana_zone_label(tz, now)}",
        unbound=(
            [
                (recruiter.name, reverse("admin:scheduling_recruiter_change", args=[recruiter.pk]))
                for recruiter in recruiter_list_without_telegram()
            ]
            if for_all
            else []
        ),
    )


def _waited(slot: Slot, now: dt.datetime) -> str:
    return duration_label(now - (slot.reserved_at or now))


def _row(user: Any, slot: Slot, note: str) -> HomeRow:
    return HomeRow(
        url=reverse("admin:scheduling_slot_change", args=[slot.pk]),
        when=slot_when(user, slot),
        city=slot.city.name,
        candidate=str(slot.candidate) if slot.candidate_id else "—",
        recruiter=slot.recruiter.name,
        note=note,
    )
