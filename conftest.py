"""Root pytest fixtures shared by every app's tests."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

logger = logging.getLogger(__name__)

if TYPE_CHECKING:
    from ops.fake_telegram import FakeTelegramAPI


@pytest.fixture
def telegram_api(settings: object) -> Iterator[FakeTelegramAPI]:
    """A fake Bot API over real HTTP on 127.0.0.1; the project's Telegram settings point at it."""
    from ops.fake_telegram import FakeTelegramAPI

    fake = FakeTelegramAPI(token="123456:TEST-TOKEN").start()
    settings.TELEGRAM_BOT_TOKEN = fake.token  # type: ignore[attr-defined]
    settings.TELEGRAM_API_BASE_URL = fake.base_url  # type: ignore[attr-defined]
    try:
        yield fake
    finally:
        fake.stop()


@pytest.fixture(scope="session", autouse=True)
def _close_stray_database_sessions(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """Before the test database is dropped, end sessions that threads of finished tests left open.

    Live servers, bot executor threads and subprocesses each hold their own connection; one left
    idle would make DROP DATABASE fail at the very end of an otherwise green run.
    """
    yield
    from django.db import connection

    with django_db_blocker.unblock():
        # pytest-django sets up the test database only when a collected test needs it.
        if connection.vendor != "postgresql" or not str(connection.settings_dict["NAME"]).startswith("test_"):
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid, application_name, state, left(query, 200) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            stray = cursor.fetchall()
            for pid, *details in stray:
                logger.warning("ending stray test database session %s: %s", pid, details)
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])


# Personas of the admin tests (scheduling/tests/personas.py): Anna in Moscow, Igor in Novosibirsk.
@pytest.fixture
def moscow() -> Any:
    from scheduling.tests.personas import make_moscow

    return make_moscow()


@pytest.fixture
def anna(moscow: Any) -> Any:
    from scheduling.tests.personas import make_anna

    return make_anna(moscow)


@pytest.fixture
def igor() -> Any:
    from scheduling.tests.personas import make_igor

    return make_igor()


@pytest.fixture
def anna_client(anna: Any) -> Any:
    """Anna logged in to the admin."""
    from scheduling.tests.personas import client_for, staff_user_for

    return client_for(staff_user_for(anna, "anna"))
