"""Model instances from plain SQL rows, loaded as the ORM would load them.

For the few statements written out by hand because they run on every press or reservation
(scheduling.services.reservation_sql, scheduling.selectors.slot_list_free, candidates.lookup_sql):
compiling them through the ORM cost more CPU than PostgreSQL spent running them (bench/bot.py,
bench/reserve.py). The columns come from the models, so a new field cannot be forgotten in
a column list; Django's own converters turn the values into what the fields hold; `fetch` runs them.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Model

M = TypeVar("M", bound=Model)


def fetch(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """The rows of one of these statements ([] when it returns none), in the thread's current transaction.

    On PostgreSQL it runs on psycopg's own cursor, kept per connection: Django's cursor wrapper cost
    a sixth of a reservation's Python (bench/reserve.py), and each new psycopg cursor looks every
    parameter's and column's adapter up again (it caches them per cursor). Where queries are logged
    (DEBUG, assertNumQueries, the statement tests) and on SQLite, Django's cursor runs it. Errors come
    out as Django's either way (an IntegrityError still names its constraint). The connection is
    health-checked first, as Django's cursor does (CONN_HEALTH_CHECKS): the bot keeps connections
    for a minute, and one the server dropped meanwhile is replaced, not failed on.
    """
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    if connection.vendor != "postgresql" or connection.queries_logged:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall() if cursor.description else []
    cursor = _kept_cursor()
    with connection.wrap_database_errors:
        cursor.execute(sql, params)
    return cursor.fetchall() if cursor.description else []


def _kept_cursor() -> Any:
    """psycopg's cursor of this thread's connection, made again after a reconnect."""
    raw = connection.connection
    cursor = getattr(connection, "_hot_path_cursor", None)
    if cursor is None or cursor.closed or cursor.connection is not raw:
        cursor = connection._hot_path_cursor = raw.cursor()
    return cursor


def in_model_order(model: type[Model], *names: str) -> tuple[str, ...]:
    """These column names in the model's field order (the order Model.from_db expects); all when none given."""
    return tuple(f.attname for f in model._meta.concrete_fields if not names or f.attname in names)


def qualified(alias: str, columns: tuple[str, ...]) -> str:
    """`a.x, a.y` for a select list."""
    return ", ".join(f"{alias}.{c}" for c in columns)


@functools.cache
def _converters(model: type[Model], columns: tuple[str, ...], vendor: str) -> list[tuple[int, list[Any], Any]]:
    """Django's converters of these columns on this backend (SQLite's dates, booleans, uuids; JSON)."""
    found = []
    for i, name in enumerate(columns):
        field = next(f for f in model._meta.concrete_fields if f.attname == name)
        col = field.get_col(model._meta.db_table)
        functions = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
        if functions:
            found.append((i, functions, col))
    return found


def converted(model: type[Model], columns: tuple[str, ...], values: Sequence[Any]) -> list[Any]:
    """The values of these columns as the model's fields hold them."""
    values = list(values)
    for i, functions, col in _converters(model, columns, connection.vendor):
        for convert in functions:
            values[i] = convert(values[i], col, connection)
    return values


def instance(model: type[M], columns: tuple[str, ...], values: Sequence[Any]) -> M:
    """A model instance loaded from these columns, as the ORM would load it."""
    return model.from_db(connection.alias, columns, converted(model, columns, values))
