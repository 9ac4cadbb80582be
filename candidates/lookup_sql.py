"""The presser's candidate row with their city, by Telegram id: one prepared statement on every press.

Every button press and message starts by finding who sent it. Through the ORM (`select_related("city")`)
compiling that query cost more CPU than the rest of a read-only press (bench/bot.py), so it is
written out once here; the columns come from the models (scheduling.sql_rows).
"""

from __future__ import annotations

from django.db import connection

from candidates.models import Candidate
from scheduling.models import City
from scheduling.sql_rows import fetch, in_model_order, instance, qualified

_CANDIDATE_COLUMNS = in_model_order(Candidate)
_CITY_COLUMNS = in_model_order(City)
_SELECT = (
    f"SELECT {qualified('p', _CANDIDATE_COLUMNS)}, {qualified('c', _CITY_COLUMNS)} "
    f"FROM {Candidate._meta.db_table} p LEFT JOIN {City._meta.db_table} c ON c.id = p.city_id "
    "WHERE p.telegram_id = %s"
)


def candidate_with_city(telegram_id: int, *, lock: bool = False) -> Candidate | None:
    """The candidate with this Telegram id and their city, or None; lock: the candidate's row (not the city's)."""
    locking = " FOR UPDATE OF p" if lock and connection.features.has_select_for_update_of else ""
    rows = fetch(_SELECT + locking, [telegram_id])
    if not rows:
        return None
    (row,) = rows
    n = len(_CANDIDATE_COLUMNS)
    candidate = instance(Candidate, _CANDIDATE_COLUMNS, row[:n])
    if candidate.city_id is not None:
        candidate.city = instance(City, _CITY_COLUMNS, row[n:])
    return candidate
