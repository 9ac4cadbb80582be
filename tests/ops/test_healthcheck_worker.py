"""`manage.py healthcheck` against a real `qcluster` process: unhealthy without it, healthy with it, unhealthy after."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from notifications.sweep import periodic_schedules_ensure
from ops.health import check_worker

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
# django-q2 runs its scheduler about every 30 s; the first sweep follows shortly after.
WORKER_START_DEADLINE = 90.0


def _env(**extra: str) -> dict[str, str]:
    db = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "TELEGRAM_", "REDIS_URL", "PYTEST"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_SECRET_KEY="ops-healthcheck-test",
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        Q_WORKERS="1",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def _healthcheck(**extra: str) -> tuple[int, dict[str, Any]]:
    result = subprocess.run(
        [sys.executable, "manage.py", "healthcheck", "--json", "--no-telegram"],
        cwd=ROOT,
        env=_env(**extra),
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result.returncode, json.loads(result.stdout)


@pytest.fixture
def qcluster(tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A real worker on the test database; stopped the way an operator stops it (SIGTERM to the main process)."""
    log = open(tmp_path / "qcluster.log", "wb")
    process = subprocess.Popen(
        [sys.executable, "manage.py", "qcluster"],
        cwd=ROOT,
        env=_env(),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log.close()


def _poll(predicate: Any, deadline_seconds: float, interval: float = 1.0) -> bool:
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)  # polling with a deadline
    return predicate()


def _last_task_finished() -> bool:
    return check_worker().data.get("last_task_finished_at") is not None


def test_healthcheck_follows_a_real_worker_starting_and_stopping(qcluster: subprocess.Popen[bytes]) -> None:
    # Running migrations created the sweep schedule; transactional tests flush it between tests.
    periodic_schedules_ensure()
    assert _poll(lambda: _last_task_finished(), WORKER_START_DEADLINE), "the worker never finished a task"
    code, report = _healthcheck()
    assert code == 0, report
    assert report["status"] == "ok"
    assert report["checks"]["worker"]["data"]["last_task_age_seconds"] < WORKER_START_DEADLINE

    qcluster.send_signal(signal.SIGTERM)
    assert qcluster.wait(timeout=20) == 0
    # With the worker gone nothing finishes any more: once the last task is older than the limit, unhealthy.
    assert _poll(lambda: _healthcheck(HEALTH_WORKER_MAX_AGE_SECONDS="3")[0] == 1, 30)
    code, report = _healthcheck(HEALTH_WORKER_MAX_AGE_SECONDS="3")
    assert "qcluster" in report["checks"]["worker"]["detail"]


def test_healthz_is_healthy_while_a_fresh_worker_has_not_finished_its_first_task(tmp_path: Path, live_server) -> None:
    """/healthz answered 503 for the first minute after start: a visible cluster younger than 90 s is starting."""
    import urllib.error
    import urllib.request

    periodic_schedules_ensure()

    def healthz() -> tuple[int, dict[str, Any]]:
        try:
            with urllib.request.urlopen(f"{live_server.url}/healthz?checks=worker", timeout=10) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read())

    status, report = healthz()
    assert status == 503 and "qcluster" in report["checks"]["worker"]["detail"]  # no worker at all
    log = open(tmp_path / "qcluster.log", "wb")
    # Clusters sign their published status with the secret key: every process of one deployment shares it.
    env = _env(DJANGO_SECRET_KEY=settings.SECRET_KEY)
    process = subprocess.Popen(
        [sys.executable, "manage.py", "qcluster"], cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True
    )
    try:
        assert _poll(lambda: healthz()[0] == 200, 20, interval=0.5), healthz()
        status, report = healthz()
        worker = report["checks"]["worker"]
        assert status == 200 and worker["data"]["visible_clusters"] == 1
        # Seen as healthy before any task finished, which takes the scheduler about half a minute.
        assert worker["data"]["last_task_finished_at"] is None and "запускается" in worker["detail"]
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()
