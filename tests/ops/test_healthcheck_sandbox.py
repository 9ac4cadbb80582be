"""`manage.py healthcheck` without a token, from a second terminal: it finds the sandbox `make run` announced."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django_q.tasks import async_task

from notifications.sweep import periodic_schedules_ensure
from ops.fake_telegram import FakeTelegramAPI
from ops.management.commands.runall import SANDBOX_TOKEN
from ops.sandbox_runtime import sandbox_runtime_path, sandbox_runtime_remove, sandbox_runtime_write

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_terminal(settings: Any, tmp_path: Path) -> Path:
    """No token in the environment (runall gives it only to its children); the runtime file in tmp_path."""
    settings.TELEGRAM_BOT_TOKEN = ""
    settings.SANDBOX_RUNTIME_FILE = str(tmp_path / ".run" / "sandbox.json")
    periodic_schedules_ensure()
    async_task("math.floor", 1.5)  # a worker just finished a task: only the telegram row is in question
    return Path(settings.SANDBOX_RUNTIME_FILE)


@pytest.fixture
def sandbox_fake() -> Iterator[FakeTelegramAPI]:
    with FakeTelegramAPI(token=SANDBOX_TOKEN) as fake:
        yield fake


def _healthcheck(*args: str) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("healthcheck", *args, stdout=out)
    except SystemExit as exited:
        return int(exited.code or 0), out.getvalue()
    return 0, out.getvalue()


def test_without_a_token_the_healthcheck_calls_getme_on_the_sandbox_runall_announced(
    second_terminal: Path, sandbox_fake: FakeTelegramAPI
) -> None:
    sandbox_runtime_write(fake_api_url=sandbox_fake.http_url, token=SANDBOX_TOKEN)
    try:
        code, out = _healthcheck()
    finally:
        sandbox_runtime_remove()

    assert code == 0, out
    [telegram_row] = [line for line in out.splitlines() if " telegram " in line]
    assert telegram_row.startswith("ok")
    assert f"песочница: фейковый Bot API {sandbox_fake.http_url} отвечает (@interview_test_bot)" in telegram_row
    assert len(sandbox_fake.calls_of("getMe")) == 1
    assert out.splitlines()[-1] == "здоров"


def test_without_a_token_and_no_sandbox_the_healthcheck_says_so_and_fails(second_terminal: Path) -> None:
    code, out = _healthcheck("--json")

    assert code == 1
    telegram = json.loads(out)["checks"]["telegram"]
    assert telegram["ok"] is False
    assert telegram["detail"] == "TELEGRAM_BOT_TOKEN не задан, и песочница make run не запущена"


def test_a_file_left_by_a_killed_runall_is_ignored(second_terminal: Path, sandbox_fake: FakeTelegramAPI) -> None:
    gone = subprocess.Popen(["true"])
    gone.wait()
    second_terminal.parent.mkdir(parents=True)
    runtime = {"fake_api_url": sandbox_fake.http_url, "token": SANDBOX_TOKEN, "pid": gone.pid}
    second_terminal.write_text(json.dumps(runtime))

    code, out = _healthcheck("--json")

    assert code == 1
    assert "песочница make run не запущена" in json.loads(out)["checks"]["telegram"]["detail"]
    assert sandbox_fake.calls_of("getMe") == []


def test_an_announced_sandbox_whose_fake_is_down_is_unhealthy(second_terminal: Path) -> None:
    with FakeTelegramAPI(token=SANDBOX_TOKEN) as fake:
        url = fake.http_url
    sandbox_runtime_write(fake_api_url=url, token=SANDBOX_TOKEN)
    try:
        code, out = _healthcheck("--json")
    finally:
        sandbox_runtime_remove()

    assert code == 1
    detail = json.loads(out)["checks"]["telegram"]["detail"]
    assert detail == f"песочница: фейковый Bot API {url} не отвечает: Bot API недоступен (URLError)"


def test_runall_withdraws_only_its_own_announcement(second_terminal: Path) -> None:
    sandbox_runtime_write(fake_api_url="http://127.0.0.1:1", token=SANDBOX_TOKEN)
    assert sandbox_runtime_path() == second_terminal and second_terminal.exists()
    sandbox_runtime_remove()
    assert not second_terminal.exists()

    another_runall = {"fake_api_url": "http://127.0.0.1:1", "token": SANDBOX_TOKEN, "pid": 1}
    second_terminal.write_text(json.dumps(another_runall))
    sandbox_runtime_remove()
    assert second_terminal.exists()
