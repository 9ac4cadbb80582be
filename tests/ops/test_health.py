"""`/healthz` and `manage.py healthcheck`: what they report, their status codes, and that they leak no secrets."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_q.models import Schedule
from django_q.tasks import async_task

from notifications.models import NotificationLog, NotificationStatus
from notifications.sweep import periodic_schedules_ensure
from ops.fake_telegram import FakeTelegramAPI
from ops.health import SWEEP_SCHEDULE_NAME
from scheduling.models import SlotStatus
from scheduling.tests.helpers import slot_in_status

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker_alive() -> None:
    """The sweep is scheduled and a worker just finished a task (Q_CLUSTER sync runs it in this process)."""
    periodic_schedules_ensure()
    async_task("math.floor", 1.5)


def _get(client: Client, url: str) -> tuple[int, dict[str, Any]]:
    response = client.get(url)
    return response.status_code, json.loads(response.content)


def test_healthz_answers_200_with_every_cheap_check_when_all_is_well(client: Client, worker_alive: None) -> None:
    status, body = _get(client, "/healthz")

    assert status == 200, body
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "migrations", "worker", "notifications"}
    assert body["checks"]["migrations"]["data"]["pending"] == []
    assert body["checks"]["worker"]["data"]["last_task_age_seconds"] < 60


def test_healthz_answers_503_when_no_worker_has_finished_a_task_lately(client: Client, worker_alive: None) -> None:
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=10)):
        status, body = _get(client, "/healthz")

    assert status == 503
    assert body["status"] == "fail"
    assert body["checks"]["worker"]["ok"] is False
    assert "qcluster" in body["checks"]["worker"]["detail"]


def test_healthz_says_the_sweep_is_missing_after_a_restore_without_rebuild(client: Client) -> None:
    Schedule.objects.filter(name=SWEEP_SCHEDULE_NAME).delete()
    async_task("math.floor", 1.5)

    status, body = _get(client, "/healthz")

    assert status == 503
    assert "rebuild_schedules" in body["checks"]["worker"]["detail"]


def test_a_load_balancer_probe_can_ask_only_for_the_web_checks(client: Client) -> None:
    status, body = _get(client, "/healthz?checks=database,migrations")

    assert status == 200
    assert set(body["checks"]) == {"database", "migrations"}


def test_overdue_notifications_make_the_system_unhealthy_and_are_counted(client: Client, worker_alive: None) -> None:
    slot_in_status(SlotStatus.PENDING)  # writes outbox rows due now; delivery fails: Telegram is a dead port here
    open_rows = NotificationLog.objects.filter(status=NotificationStatus.PENDING).count()
    assert open_rows > 0

    with time_machine.travel(timezone.now() + dt.timedelta(hours=2)):
        async_task("math.floor", 1.5)  # the worker is alive then, so only the outbox is to blame
        status, body = _get(client, "/healthz")

    assert status == 503
    notifications = body["checks"]["notifications"]
    assert notifications["ok"] is False
    assert notifications["data"]["overdue"] == open_rows
    assert body["checks"]["worker"]["ok"] is True


def test_healthz_calls_telegram_only_when_asked_for_a_deep_check(
    client: Client, telegram_api: FakeTelegramAPI, worker_alive: None
) -> None:
    _get(client, "/healthz")
    assert telegram_api.calls_of("getMe") == []

    status, body = _get(client, "/healthz?deep=1")

    assert status == 200, body
    assert len(telegram_api.calls_of("getMe")) == 1
    assert body["checks"]["telegram"] == {
        "ok": True,
        "detail": "getMe ok: @interview_test_bot",
        "data": {"bot": "interview_test_bot", "latency_ms": body["checks"]["telegram"]["data"]["latency_ms"]},
    }


def test_healthz_never_shows_the_token_even_when_telegram_refuses_it(
    client: Client, telegram_api: FakeTelegramAPI, worker_alive: None
) -> None:
    telegram_api.fail_next("getMe", status=401)

    response = client.get("/healthz?deep=1")

    assert response.status_code == 503
    assert json.loads(response.content)["checks"]["telegram"]["detail"] == "getMe: HTTP 401"
    assert telegram_api.token not in response.content.decode()
    assert "Unauthorized" not in response.content.decode()


def test_healthz_is_read_only(client: Client) -> None:
    assert client.post("/healthz").status_code == 405


def test_healthcheck_command_prints_each_check_and_exits_0_when_healthy(
    telegram_api: FakeTelegramAPI, worker_alive: None
) -> None:
    out = StringIO()

    call_command("healthcheck", stdout=out)

    lines = out.getvalue().splitlines()
    assert [line.split()[1] for line in lines[:-1]] == ["database", "migrations", "worker", "notifications", "telegram"]
    assert all(line.startswith("ok") for line in lines[:-1]), out.getvalue()
    assert lines[-1] == "здоров"


def test_healthcheck_command_exits_1_with_a_json_report_when_telegram_is_unreachable(worker_alive: None) -> None:
    out = StringIO()

    with pytest.raises(SystemExit) as exited:
        call_command("healthcheck", "--json", stdout=out)

    assert exited.value.code == 1
    report = json.loads(out.getvalue())
    assert report["status"] == "fail"
    assert report["checks"]["telegram"]["ok"] is False
    assert report["checks"]["database"]["ok"] is True


def test_healthcheck_command_can_skip_telegram(worker_alive: None) -> None:
    out = StringIO()

    call_command("healthcheck", "--json", "--no-telegram", stdout=out)

    assert json.loads(out.getvalue())["status"] == "ok"
