"""The reservation's statements, written out once: the transition candidates hit all at once.

`slot_reserve` runs when a vacancy is posted and everyone taps a slot in the same minute;
`bench/reserve.py` measures it against the same writes done as bare psycopg. Through the ORM it
spent about 8 ms of CPU per reservation, most of it compiling statements. Here they are plain SQL
through Django's connection, inside the service's transaction: on PostgreSQL two statements, one
round trip each. The first takes the locks (candidate, then slot with its recruiter, city and the
candidate's live interview) and draws the ids of the outbox rows to come; the second writes the
outbox rows and their queue rows (notifications.services.outbox_writes), the slot, its event and
the candidate. Every round trip and every statement cost as much CPU on each side as the Python
around them (bench/reserve.py: 6 statements in 3 round trips to 2 in 2 took a third off the client's
CPU per reservation and a fifth off PostgreSQL's).

SQLite (the demo) has no row locks, no LATERAL and no writes in WITH: it runs the same reads and
writes one statement at a time, and its IMMEDIATE transactions let one writer in at a time.
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from typing import Any

from django.db import connection
from django.utils import timezone

from candidates.models import Candidate
from notifications.services import outbox_ids_draw
from scheduling.models import LIVE_STATUSES, City, Recruiter, Slot, SlotEvent, SlotPurpose
from scheduling.sql_rows import fetch, in_model_order, instance, qualified

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
_CANDIDATE_SELECT = f"SELECT {qualified('cand', _CANDIDATE_COLUMNS)} FROM {_CANDIDATE} cand WHERE cand.id = %s"


def _slot_select(candidate_id: str) -> str:
    """The slot with its recruiter and city, and the candidate's live interview (one overall:
    slot_one_live_interview_per_candidate), which rides along.

    The live interview's snapshot is safe: the candidate row is locked by now, and every path that
    gives or takes a candidate's slot locks that row first. An intro day is not an interview.
    """
    live = (
        f"SELECT l.id FROM {_SLOT} l WHERE l.candidate_id = {candidate_id} AND l.status IN (%s, %s, %s) "
        "AND l.purpose = %s ORDER BY l.starts_at LIMIT 1"
    )
    return (
        f"SELECT {qualified('s', _SLOT_COLUMNS)}, {qualified('r', _RECRUITER_COLUMNS)}, "
        f"{qualified('c', _CITY_COLUMNS)}, ({live}) "
        f"FROM {_SLOT} s JOIN {_RECRUITER} r ON r.id = s.recruiter_id JOIN {_CITY} c ON c.id = s.city_id "
        "WHERE s.id = %s"
    )


@functools.cache
def _locks(draw_ids: str) -> str:
    """PostgreSQL takes both locks in one statement, drawing the outbox ids with them.

    The slot's part is LATERAL to the candidate's (its live interview names cand.id), so PostgreSQL
    must read, and lock, the candidate row before it touches the slot: the order every booking path
    keeps. A missing candidate gives no row (nothing locked, no id drawn); a missing slot, NULLs.
    """
    return (
        f"SELECT cand.*, sl.*, ARRAY({draw_ids}) FROM ({_CANDIDATE_SELECT} FOR UPDATE) cand "
        f"LEFT JOIN LATERAL ({_slot_select('cand.id')} FOR UPDATE OF s) sl ON true"
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


def _uuid(value: uuid.UUID | None) -> Any:
    return _UUID_FIELD.get_db_prep_value(value, connection)


def _time(value: dt.datetime) -> Any:
    return _TIME_FIELD.get_db_prep_value(value, connection)


def locks(*, candidate_id: int, slot_id: int, outbox_ids: int) -> tuple[Candidate | None, Slot | None, list[int]]:
    """The candidate row, then the slot row, locked, the slot with the recruiter and city it is shown with, and
    `outbox_ids` ids for the outbox rows the reservation may write (notifications.services.outbox_ids_draw).

    Every booking path locks the candidate before its slot. `slot.live_slot_id` is the candidate's
    live interview, of any recruiter. The slot is None when it does not exist, both when the candidate does not.
    """
    row = _locked_row(candidate_id=candidate_id, slot_id=slot_id, outbox_ids=outbox_ids)
    if row is None:
        return None, None, []
    s = len(_CANDIDATE_COLUMNS)
    r = s + len(_SLOT_COLUMNS)
    c = r + len(_RECRUITER_COLUMNS)
    live = c + len(_CITY_COLUMNS)
    candidate, ids = instance(Candidate, _CANDIDATE_COLUMNS, row[:s]), list(row[-1])
    if row[s] is None:
        return candidate, None, ids
    slot = instance(Slot, _SLOT_COLUMNS, row[s:r])
    slot.recruiter = instance(Recruiter, _RECRUITER_COLUMNS, row[r:c])
    slot.city = instance(City, _CITY_COLUMNS, row[c:live])
    slot.live_slot_id = row[live]
    return candidate, slot, ids


def _locked_row(*, candidate_id: int, slot_id: int, outbox_ids: int) -> list[Any] | None:
    """The candidate's columns, the slot's (NULLs when there is none) and the drawn ids; None without a candidate."""
    live = [*LIVE_STATUSES, SlotPurpose.INTERVIEW.value]
    ids_sql, ids_params = outbox_ids_draw(outbox_ids)
    if connection.vendor == "postgresql":
        rows = fetch(_locks(ids_sql), [*ids_params, candidate_id, *live, slot_id])
        return rows[0] if rows else None
    # SQLite (the demo) has neither row locks nor LATERAL; its IMMEDIATE transaction lets one writer in at a time.
    candidate_rows = fetch(_CANDIDATE_SELECT, [candidate_id])
    if not candidate_rows:
        return None
    slot_rows = fetch(_slot_select("%s"), [candidate_id, *live, slot_id])
    no_slot = [None] * (len(_SLOT_COLUMNS) + len(_RECRUITER_COLUMNS) + len(_CITY_COLUMNS) + 1)
    ids = [row[0] for row in fetch(ids_sql, ids_params)]
    return [*candidate_rows[0], *(slot_rows[0] if slot_rows else no_slot), ids]


def _write(statements: list[tuple[str, list[Any]]]) -> None:
    """Run writes that do not read each other's effects, in one round trip.

    On PostgreSQL they become one statement, each a data-modifying WITH query: PostgreSQL runs every
    one exactly once, all in one snapshot (Django's foreign keys are checked at commit), and both
    sides of the connection bind and execute one statement instead of six (bench/reserve.py).
    SQLite (the demo) has no writes in WITH and runs them in turn.
    """
    if connection.vendor != "postgresql":
        for sql, params in statements:
            fetch(sql, params)
        return
    parts = ", ".join(f"w{i} AS ({sql})" for i, (sql, _) in enumerate(statements))
    fetch(f"WITH {parts} SELECT 1", [value for _, params in statements for value in params])


def reservation_of(slot_id: int) -> uuid.UUID | None:
    """The reservation id of a slot: names the booking a refused candidate already holds."""
    return Slot.objects.filter(pk=slot_id).values_list("reservation_id", flat=True).first()


def reservation_write(
    *, slot: Slot, from_status: str, candidate_stage: str, actor: str, outbox: list[tuple[str, list[Any]]]
) -> None:
    """Write the reserved slot (already set on `slot`), its SlotEvent, the candidate's stage and the outbox rows.

    outbox: the statements of the reservation's messages (notifications.services.outbox_writes).
    """
    reservation_id, written_at = _uuid(slot.reservation_id), _time(timezone.now())
    statements = [
        *outbox,
        (_SLOT_UPDATE, [slot.status, slot.candidate_id, reservation_id, _time(slot.reserved_at), written_at, slot.pk]),
        (_EVENT_INSERT, [slot.pk, actor, slot.candidate_id, from_status, slot.status, reservation_id, written_at]),
        (_CANDIDATE_UPDATE, [slot.city_id, candidate_stage, written_at, slot.candidate_id]),
    ]
    _write(statements)
