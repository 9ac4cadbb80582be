"""sql_rows.fetch on a connection the server has dropped: checked first, as every Django cursor is."""

from __future__ import annotations

import psycopg
import pytest
from django.db import close_old_connections, connection

from scheduling.sql_rows import fetch

pytestmark = pytest.mark.django_db(transaction=True)


def _drop_this_connection_on_the_server() -> None:
    settings = connection.settings_dict
    pid = fetch("SELECT pg_backend_pid()", [])[0][0]
    with psycopg.connect(
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
        user=settings["USER"],
        dbname=settings["NAME"],
        password=settings["PASSWORD"] or None,
        autocommit=True,
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


def test_a_statement_after_the_server_dropped_the_connection_reconnects_where_health_checks_are_on() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the server drops connections on PostgreSQL")
    assert connection.health_check_enabled  # DB_CONN_HEALTH_CHECKS, on by default
    # As the bot runs: connections kept between calls (the tests' own setting closes them after each).
    max_age = connection.settings_dict["CONN_MAX_AGE"]
    connection.settings_dict["CONN_MAX_AGE"] = 600
    connection.close()
    try:
        _drop_this_connection_on_the_server()
        close_old_connections()  # what the bot does before every call into Django

        assert fetch("SELECT 1", []) == [(1,)]
    finally:
        connection.settings_dict["CONN_MAX_AGE"] = max_age
        connection.close()
