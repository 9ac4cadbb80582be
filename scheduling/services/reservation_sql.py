"""The reservation's statements, written out once: the transition candidates hit all at once.

`slot_reserve` runs when a vacancy is posted and everyone taps a slot in the same minute;
`bench/reserve.py` measures it against the same writes done as bare psycopg. Through the ORM it
spent about 8 ms of CPU per reservation, most of it compiling statements. Here they are plain SQL
through Django's connection, inside the service's transaction, in two round trips on PostgreSQL:
the locks (candidate, then slot with its recruiter, city and the candidate's live interview),
then the writes (the outbox rows, notifications.services.outbox_insert; the slot, its event and
the candidate). Both go through psycopg's pipeline as prepared statements (settings.py: server-side
binding and prepare_threshold), so PostgreSQL neither parses nor plans them again.

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
from scheduling.models import LIVE_STATUSES, City, Recruiter, Slot, SlotEvent, SlotPurpose
from scheduling.sql_rows import in_model_order, instance

_CANDIDATE = Candidate._meta.db_table
_SLOT = Slot._meta.db_table
_EVENT = SlotEvent._meta.db_table
_RECRUITER = Recruiter._meta.db_table
_CITY = City._meta.db_table

# Every column the reservation's messages read: vacancy_id and city_id choose the candidate's texts, the
# test1_* columns fill the recruiter's card, the intro_* columns every template's placeholders. One left
# out costs a lazy query per reservation (test_reservation_statements).
_CANDIDATE_COLUMNS = in_model_order(
    Candidate, "id", "status", "test1_completed_at", "full_name", "username", "vacancy_id", "city_id",
    "test1_answers", "test1_version_id", "test1_questions",
)  # fmt: skip
_SLOT_COLUMNS = in_model_order(
    Slot, "id", "recruiter_id", "city_id", "starts_at", "duration_min", "ends_at", "status", "candidate_id",
    "reservation_id", "reserved_at", "decided_at", "confirmed_at", "purpose", "intro_address", "intro_contact",
    "intro_note",
)  # fmt: skip
_RECRUITER_COLUMNS = in_model_order(Recruiter, "id", "name", "tz", "meeting_url", "telegram_chat_id", "is_active")
_CITY_COLUMNS = in_model_order(City, "id", "name", "tz", "is_active")
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


def locks(*, candidate_id: int, slot_id: int) -> tuple[Candidate | None, Slot | None]:
    """The candidate row, then the slot row, locked, the slot with the recruiter and city it is shown with.

    Every booking path locks the candidate before its slot; on PostgreSQL the two statements go in
    one round trip and still run in that order. `slot.live_slot_id` is the candidate's live
    interview, of any recruiter. Either is None when its row does not exist.
    """
    statements = [
        (_CANDIDATE_SELECT + _for_update(), [candidate_id]),
        (_SLOT_SELECT + _for_update(of="s"), [candidate_id, *LIVE_STATUSES, SlotPurpose.INTERVIEW.value, slot_id]),
    ]
    candidate_rows, slot_rows = _results(statements, returning=(0, 1))
    candidate_row, slot_row = candidate_rows[0] if candidate_rows else None, slot_rows[0] if slot_rows else None
    candidate = None if candidate_row is None else instance(Candidate, _CANDIDATE_COLUMNS, candidate_row)
    if slot_row is None:
        return candidate, None
    r, c = len(_SLOT_COLUMNS), len(_SLOT_COLUMNS) + len(_RECRUITER_COLUMNS)
    slot = instance(Slot, _SLOT_COLUMNS, slot_row[:r])
    slot.recruiter = instance(Recruiter, _RECRUITER_COLUMNS, slot_row[r:c])
    slot.city = instance(City, _CITY_COLUMNS, slot_row[c:-1])
    slot.live_slot_id = slot_row[-1]
    return candidate, slot


def _results(statements: list[tuple[str, list[Any]]], *, returning: tuple[int, ...]) -> list[list[Any]]:
    """The rows of the statements at the `returning` positions, all sent in one round trip on PostgreSQL.

    psycopg's pipeline mode sends the statements together and PostgreSQL runs them in order;
    each keeps its own server-side binding, so the connection's prepared statements serve them.
    SQLite (the demo) takes them one at a time.
    """
    if connection.vendor != "postgresql":
        rows = []
        with connection.cursor() as cursor:
            for i, (sql, params) in enumerate(statements):
                cursor.execute(sql, params)
                if i in returning:
                    rows.append(cursor.fetchall())
        return rows
    connection.ensure_connection()
    # Django's cursor wrapper costs a sixth of a reservation's Python (bench/reserve.py); psycopg's own
    # cursors on the same connection and transaction skip it. Where queries are logged (DEBUG,
    # assertNumQueries, the statement test) Django's cursors run them, so that they are seen.
    cursor_of = connection.cursor if connection.queries_logged else connection.connection.cursor
    cursors = [cursor_of() for _ in statements]
    try:
        # A statement's error surfaces when the pipeline syncs, outside the cursors' own execute:
        # translate it to Django's exceptions here (an IntegrityError names its constraint).
        with connection.wrap_database_errors, connection.connection.pipeline():
            for cursor, (sql, params) in zip(cursors, statements, strict=True):
                cursor.execute(sql, params)
        return [cursors[i].fetchall() for i in returning]
    finally:
        for cursor in cursors:
            cursor.close()


def reservation_of(slot_id: int) -> uuid.UUID | None:
    """The reservation id of a slot: names the booking a refused candidate already holds."""
    return Slot.objects.filter(pk=slot_id).values_list("reservation_id", flat=True).first()


def reservation_write(
    *, slot: Slot, from_status: str, candidate_stage: str, actor: str, outbox: tuple[str, list[Any]] | None
) -> list[int]:
    """Write the reserved slot (already set on `slot`), its SlotEvent, the candidate's stage and the outbox rows.

    outbox: the INSERT … RETURNING id of the reservation's messages (notifications.services.outbox_insert);
    returns the ids it gave, in its order. One round trip on PostgreSQL.
    """
    reservation_id, written_at = _uuid(slot.reservation_id), _time(timezone.now())
    statements = [
        (_SLOT_UPDATE, [slot.status, slot.candidate_id, reservation_id, _time(slot.reserved_at), written_at, slot.pk]),
        (_EVENT_INSERT, [slot.pk, actor, slot.candidate_id, from_status, slot.status, reservation_id, written_at]),
        (_CANDIDATE_UPDATE, [slot.city_id, candidate_stage, written_at, slot.candidate_id]),
    ]
    if outbox is None:
        _results(statements, returning=())
        return []
    (ids,) = _results([outbox, *statements], returning=(0,))
    return [row[0] for row in ids]
