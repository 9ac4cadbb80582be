"""The reservation's statements, written out once: the transition candidates hit all at once.

`slot_reserve` runs when a vacancy is posted and everyone taps a slot in the same minute, and
`bench/reserve.py` holds it to a quarter of the bare conditional UPDATE. Through the ORM it spent
about 8 ms of CPU per reservation compiling its statements, several times what PostgreSQL spent
running them. These are the same statements (lock the candidate, lock the slot with its recruiter
and city, look for a live slot, write the slot, its event and the candidate) as plain SQL, still
through Django's connection and still inside the service's transaction; the outbox rows and their
queue hand-over stay with the ORM and django-q2 (notifications.services).

Portable on purpose: PostgreSQL takes the row locks; SQLite (the demo) has none, and its
IMMEDIATE transactions serialize writers instead.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import connection
from django.utils import timezone

from candidates.models import Candidate
from scheduling.models import LIVE_STATUSES, City, Recruiter, Slot, SlotEvent

_CANDIDATE = Candidate._meta.db_table
_SLOT = Slot._meta.db_table
_EVENT = SlotEvent._meta.db_table
_RECRUITER = Recruiter._meta.db_table
_CITY = City._meta.db_table

# Only the candidate's own columns a reservation reads; the rest load lazily if a caller needs them.
_CANDIDATE_SELECT = f"SELECT id, status, test1_completed_at, full_name, username FROM {_CANDIDATE} WHERE id = %s"

_RECRUITER_COLUMNS = ("id", "name", "tz", "meeting_url", "telegram_chat_id", "is_active")
_CITY_COLUMNS = ("id", "name", "tz", "is_active")
# The candidate's earliest live slot (of any recruiter, or of this slot's recruiter only when
# parallel recruiters are allowed) rides along. Its snapshot is safe: the candidate row is locked
# by now, and every path that gives or takes a candidate's slot locks that row first.
_LIVE_SUBQUERY = (
    f"SELECT l.id FROM {_SLOT} l WHERE l.candidate_id = %s AND l.status IN (%s, %s, %s) "
    "AND (%s OR l.recruiter_id = s.recruiter_id) ORDER BY l.starts_at LIMIT 1"
)
_SLOT_SELECT = (
    f"SELECT s.*, {', '.join(f'r.{c} AS r_{c}' for c in _RECRUITER_COLUMNS)}, "
    f"{', '.join(f'c.{c} AS c_{c}' for c in _CITY_COLUMNS)}, ({_LIVE_SUBQUERY}) AS live_slot_id "
    f"FROM {_SLOT} s JOIN {_RECRUITER} r ON r.id = s.recruiter_id JOIN {_CITY} c ON c.id = s.city_id "
    "WHERE s.id = %s"
)
_SLOT_UPDATE = (
    f"UPDATE {_SLOT} SET status = %s, candidate_id = %s, reservation_id = %s, reserved_at = %s, "
    "decided_at = NULL, confirmed_at = NULL, updated_at = %s WHERE id = %s"
)
_EVENT_INSERT = (
    f"INSERT INTO {_EVENT} (slot_id, actor, actor_user_id, candidate_id, from_status, to_status, "
    "reservation_id, reason, created_at) VALUES (%s, %s, NULL, %s, %s, %s, %s, '', %s)"
)
_CANDIDATE_UPDATE = f"UPDATE {_CANDIDATE} SET city_id = %s, status = %s, last_activity_at = %s WHERE id = %s"

_UUID_FIELD = Slot._meta.get_field("reservation_id")
_TIME_FIELD = Slot._meta.get_field("reserved_at")


def _for_update(*, of: str = "") -> str:
    features = connection.features
    if of and features.has_select_for_update_of:
        return f" FOR UPDATE OF {of}"
    return " FOR UPDATE" if features.has_select_for_update else ""


def _uuid(value: uuid.UUID | None) -> Any:
    return _UUID_FIELD.get_db_prep_value(value, connection)


def _time(value: dt.datetime) -> Any:
    return _TIME_FIELD.get_db_prep_value(value, connection)


def candidate_lock(candidate_id: int) -> Candidate | None:
    """The candidate row, locked: every booking path locks the candidate before its slot."""
    rows = list(Candidate.objects.raw(_CANDIDATE_SELECT + _for_update(), [candidate_id]))
    return rows[0] if rows else None


def slot_lock(slot_id: int, *, candidate_id: int, any_recruiter: bool) -> Slot | None:
    """The slot row, locked (not its recruiter or city), with the recruiter and city it is shown with.

    `slot.live_slot_id` is the candidate's earliest live slot: of any recruiter, or only of this
    slot's recruiter when `any_recruiter` is False.
    """
    params = [candidate_id, *LIVE_STATUSES, any_recruiter, slot_id]
    rows = list(Slot.objects.raw(_SLOT_SELECT + _for_update(of="s"), params))
    if not rows:
        return None
    slot = rows[0]
    alias = connection.alias
    recruiter = Recruiter.from_db(alias, _RECRUITER_COLUMNS, [getattr(slot, f"r_{c}") for c in _RECRUITER_COLUMNS])
    city = City.from_db(alias, _CITY_COLUMNS, [getattr(slot, f"c_{c}") for c in _CITY_COLUMNS])
    recruiter.is_active, city.is_active = bool(recruiter.is_active), bool(city.is_active)  # SQLite gives 0/1
    slot.recruiter, slot.city = recruiter, city
    return slot


def reservation_of(slot_id: int) -> uuid.UUID | None:
    """The reservation id of a slot: names the booking a refused candidate already holds."""
    return Slot.objects.filter(pk=slot_id).values_list("reservation_id", flat=True).first()


def reservation_write(*, slot: Slot, from_status: str, candidate_stage: str, actor: str) -> None:
    """Write the reserved slot (already set on `slot`), its SlotEvent and the candidate's stage."""
    reservation_id, written_at = _uuid(slot.reservation_id), _time(timezone.now())
    statements = [
        (_SLOT_UPDATE, [slot.status, slot.candidate_id, reservation_id, _time(slot.reserved_at), written_at, slot.pk]),
        (_EVENT_INSERT, [slot.pk, actor, slot.candidate_id, from_status, slot.status, reservation_id, written_at]),
        (_CANDIDATE_UPDATE, [slot.city_id, candidate_stage, written_at, slot.candidate_id]),
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # psycopg's client-side binding sends the three as one round trip; same statements.
            cursor.execute("; ".join(sql for sql, _ in statements), [p for _, params in statements for p in params])
        else:
            for sql, params in statements:
                cursor.execute(sql, params)
