"""The reservation's statements, written out once: the transition candidates hit all at once.

`slot_reserve` runs when a vacancy is posted and everyone taps a slot in the same minute;
`bench/reserve.py` measures it against the bare conditional UPDATE. Through the ORM it spent
about 8 ms of CPU per reservation, most of it compiling statements, several times what
PostgreSQL spent running them. These are the same statements (lock the candidate, lock the slot with its recruiter
and city, look for a live slot, write the slot, its event and the candidate) as plain SQL, still
through Django's connection and still inside the service's transaction; the outbox rows and their
queue hand-over stay with the ORM and django-q2 (notifications.services).

Portable on purpose: PostgreSQL takes the row locks; SQLite (the demo) has none, and its
IMMEDIATE transactions serialize writers instead.
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections.abc import Sequence
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Model
from django.utils import timezone

from candidates.models import Candidate
from scheduling.models import LIVE_STATUSES, City, Recruiter, Slot, SlotEvent, SlotPurpose

_CANDIDATE = Candidate._meta.db_table
_SLOT = Slot._meta.db_table
_EVENT = SlotEvent._meta.db_table
_RECRUITER = Recruiter._meta.db_table
_CITY = City._meta.db_table

M = TypeVar("M", bound=Model)


def _in_model_order(model: type[Model], *names: str) -> tuple[str, ...]:
    """Column names in the model's field order, the order Model.from_db expects."""
    return tuple(f.attname for f in model._meta.concrete_fields if f.attname in names)


# Only the columns a reservation reads; the rest of each row loads lazily if a caller needs it.
# vacancy_id and city_id choose the candidate's texts; the intro_* columns fill every template's placeholders:
# leaving any out costs a lazy query per reservation.
_CANDIDATE_COLUMNS = _in_model_order(
    Candidate, "id", "status", "test1_completed_at", "full_name", "username", "vacancy_id", "city_id"
)
_SLOT_COLUMNS = _in_model_order(
    Slot, "id", "recruiter_id", "city_id", "starts_at", "duration_min", "ends_at", "status", "candidate_id",
    "reservation_id", "reserved_at", "decided_at", "confirmed_at", "purpose", "intro_address", "intro_contact",
    "intro_note",
)  # fmt: skip
_RECRUITER_COLUMNS = _in_model_order(Recruiter, "id", "name", "tz", "meeting_url", "telegram_chat_id", "is_active")
_CITY_COLUMNS = _in_model_order(City, "id", "name", "tz", "is_active")
_CANDIDATE_SELECT = f"SELECT {', '.join(_CANDIDATE_COLUMNS)} FROM {_CANDIDATE} WHERE id = %s"
# The candidate's live interview (one overall: slot_one_live_interview_per_candidate) rides along.
# Its snapshot is safe: the candidate row is locked by now, and every path that gives or takes a
# candidate's slot locks that row first. An intro day is not an interview and does not count.
_LIVE_SUBQUERY = (
    f"SELECT l.id FROM {_SLOT} l WHERE l.candidate_id = %s AND l.status IN (%s, %s, %s) "
    "AND l.purpose = %s ORDER BY l.starts_at LIMIT 1"
)
_SLOT_SELECT = (
    f"SELECT {', '.join(f's.{c}' for c in _SLOT_COLUMNS)}, {', '.join(f'r.{c}' for c in _RECRUITER_COLUMNS)}, "
    f"{', '.join(f'c.{c}' for c in _CITY_COLUMNS)}, ({_LIVE_SUBQUERY}) "
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


@functools.cache
def _converters(model: type[Model], columns: tuple[str, ...], vendor: str) -> list[tuple[int, list[Any], Any]]:
    """Django's converters of these columns on this backend (SQLite's dates, booleans, uuids)."""
    found = []
    for i, name in enumerate(columns):
        field = next(f for f in model._meta.concrete_fields if f.attname == name)
        col = field.get_col(model._meta.db_table)
        functions = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
        if functions:
            found.append((i, functions, col))
    return found


def _instance(model: type[M], columns: tuple[str, ...], values: Sequence[Any]) -> M:
    """A model instance loaded from these columns, as the ORM would load it."""
    values = list(values)
    for i, functions, col in _converters(model, columns, connection.vendor):
        for convert in functions:
            values[i] = convert(values[i], col, connection)
    return model.from_db(connection.alias, columns, values)


def candidate_lock(candidate_id: int) -> Candidate | None:
    """The candidate row, locked: every booking path locks the candidate before its slot."""
    with connection.cursor() as cursor:
        cursor.execute(_CANDIDATE_SELECT + _for_update(), [candidate_id])
        row = cursor.fetchone()
    return None if row is None else _instance(Candidate, _CANDIDATE_COLUMNS, row)


def slot_lock(slot_id: int, *, candidate_id: int) -> Slot | None:
    """The slot row, locked (not its recruiter or city), with the recruiter and city it is shown with.

    `slot.live_slot_id` is the candidate's live interview, of any recruiter.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            _SLOT_SELECT + _for_update(of="s"), [candidate_id, *LIVE_STATUSES, SlotPurpose.INTERVIEW.value, slot_id]
        )
        row = cursor.fetchone()
    if row is None:
        return None
    r, c = len(_SLOT_COLUMNS), len(_SLOT_COLUMNS) + len(_RECRUITER_COLUMNS)
    slot = _instance(Slot, _SLOT_COLUMNS, row[:r])
    slot.recruiter = _instance(Recruiter, _RECRUITER_COLUMNS, row[r:c])
    slot.city = _instance(City, _CITY_COLUMNS, row[c:-1])
    slot.live_slot_id = row[-1]
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
