"""`manage.py runbot` as a real process against the fake: polling to a pending slot, webhook secret, no token."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from botapp.tests.conftest import WORKER_PATH, World
from candidates.models import Candidate, CandidateStatus
from notifications.conversation import texts
from ops.fake_telegram import FakeTelegramAPI
from scheduling.models import Slot, SlotStatus

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
USER = 901


def _env(fake: FakeTelegramAPI, **extra: str) -> dict[str, str]:
    settings = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_SECRET_KEY="runbot-test-secret",
        DATABASE_URL=f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}",
        TELEGRAM_BOT_TOKEN=fake.token,
        TELEGRAM_API_BASE_URL=fake.base_url,
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def _runbot(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "manage.py", "runbot", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@pytest.fixture
def stop_on_exit() -> Iterator[list[subprocess.Popen[str]]]:
    """Processes a test started; killed if the test left them running."""
    procs: list[subprocess.Popen[str]] = []
    yield procs
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)


def _tap(fake: FakeTelegramAPI, user_id: int, contains: str) -> None:
    for message in reversed(fake.chat(user_id)):
        for row in message.get("reply_markup", {}).get("inline_keyboard", []):
            for button in row:
                if contains in button["text"]:
                    fake.push_callback(user_id, button["callback_data"], message_id=message["message_id"])
                    return
    raise AssertionError(f"no button {contains!r}:\n{fake.transcript(user_id)}")


def _step(fake: FakeTelegramAPI, action: Any, expect: str, timeout: float = 15.0) -> None:
    before = len(fake.calls)
    action()
    ok = fake.wait_for(lambda: any(expect in _text(c.params) for c in fake.calls[before:]), timeout=timeout)
    assert ok, f"bot did not answer with {expect!r}:\n{fake.transcript(USER)}"


def _text(params: dict[str, Any]) -> str:
    return str(params.get("text", ""))


def test_runbot_polls_the_fake_to_a_pending_slot_and_stops_cleanly_on_sigterm(
    telegram_api: FakeTelegramAPI, world: World, stop_on_exit: list[subprocess.Popen[str]]
) -> None:
    fake = telegram_api
    proc = _runbot(_env(fake))
    stop_on_exit.append(proc)

    _step(fake, lambda: fake.push_message(USER, "/start", username="runbot_user"), "Вы согласны?", timeout=30)
    _step(fake, lambda: _tap(fake, USER, "Согласен"), "Вопрос 1 из 10")
    for kind, value in WORKER_PATH[:-1]:
        if kind == "text":
            _step(fake, lambda value=value: fake.push_message(USER, value), "Вопрос")
        else:
            _step(fake, lambda value=value: _tap(fake, USER, value), "Вопрос")
    _step(fake, lambda: fake.push_message(USER, WORKER_PATH[-1][1]), "Выберите рекрутёра")
    _step(fake, lambda: _tap(fake, USER, "Анна Смирнова"), "Свободное время")
    label = world.slots[0].starts_at.astimezone(world.city.zone).strftime("%d.%m %H:%M")
    _step(fake, lambda: _tap(fake, USER, label), "Вы выбрали")

    slot = Slot.objects.get(pk=world.slots[0].pk)
    assert slot.status == SlotStatus.PENDING
    assert Candidate.objects.get(telegram_id=USER).status == CandidateStatus.WAITING_DECISION
    assert fake.allowed_updates == ["message", "callback_query"]

    proc.send_signal(signal.SIGTERM)
    output, _ = proc.communicate(timeout=20)
    assert proc.returncode == 0, output
    assert "Traceback" not in output
    assert fake.token not in output


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _post(url: str, payload: dict[str, Any], secret: str | None) -> int:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    request = urllib.request.Request(url, data=json.dumps(payload).encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)
    except urllib.error.URLError:
        return 0  # not listening yet


def test_webhook_mode_refuses_requests_without_the_right_secret(
    telegram_api: FakeTelegramAPI, world: World, stop_on_exit: list[subprocess.Popen[str]]
) -> None:
    fake = telegram_api
    port = _free_port()
    # Telegram (and the fake) want https; TLS ends at the load balancer, which forwards to our port.
    public_url = "https://bot.example.com/telegram-hook"
    url = f"http://127.0.0.1:{port}/telegram-hook"
    env = _env(fake, TELEGRAM_WEBHOOK_URL=public_url, TELEGRAM_WEBHOOK_SECRET="s3cret-token")
    proc = _runbot(env, "--webhook", "--listen", "127.0.0.1", "--port", str(port))
    stop_on_exit.append(proc)
    assert fake.wait_for(lambda: bool(fake.calls_of("setWebhook")), timeout=30), proc.stdout
    set_webhook = fake.calls_of("setWebhook")[-1].params
    assert set_webhook["url"] == public_url and set_webhook["secret_token"] == "s3cret-token"
    deadline = time.monotonic() + 10
    while _post(url, {}, "s3cret-token") not in (200, 400) and time.monotonic() < deadline:
        time.sleep(0.1)  # polling with a deadline until the server listens

    update = fake.make_message_update(USER, "/start")
    assert _post(url, update, None) == 403
    assert _post(url, update, "wrong") == 403
    assert not fake.wait_for(lambda: bool(fake.calls_of("sendMessage")), timeout=0.5)

    assert _post(url, update, "s3cret-token") == 200
    assert fake.wait_for(lambda: bool(fake.calls_of("sendMessage")), timeout=10)

    proc.send_signal(signal.SIGTERM)
    output, _ = proc.communicate(timeout=20)
    assert proc.returncode == 0, output


def test_runbot_without_a_token_prints_one_clear_line_and_exits_1(telegram_api: FakeTelegramAPI) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "runbot"],
        cwd=ROOT,
        env=_env(telegram_api, TELEGRAM_BOT_TOKEN=""),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.strip() == "CommandError: TELEGRAM_BOT_TOKEN is not set: the bot cannot start."


def _drop_other_database_sessions() -> int:
    """What a PostgreSQL restart does to the bot: every connection it holds dies under it."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return int(cursor.fetchone()[0])


def _start_eight_chats_then_drop_the_database_sessions(fake: FakeTelegramAPI, proc: subprocess.Popen[str]) -> list[str]:
    """Eight chats /start (so the bot's worker threads hold connections), the connections die, /start again."""
    users = [USER + i for i in range(8)]
    for user in users:
        fake.push_message(user, "/start")
    assert fake.wait_for(lambda: all("Вы согласны?" in fake.transcript(u) for u in users), timeout=30)

    assert _drop_other_database_sessions() >= 1
    before = len(fake.calls)
    for user in users:
        fake.push_message(user, "/start")

    def replies() -> list[str]:
        return [_text(c.params) for c in fake.calls[before:] if c.method == "sendMessage"]

    answered = fake.wait_for(lambda: len(replies()) >= len(users), timeout=30)
    proc.send_signal(signal.SIGTERM)
    output, _ = proc.communicate(timeout=20)
    assert answered, f"{replies()}\n{output[-3000:]}"
    assert proc.returncode == 0, output
    return replies()


def test_runbot_answers_normally_after_its_database_connections_die(
    telegram_api: FakeTelegramAPI, world: World, stop_on_exit: list[subprocess.Popen[str]]
) -> None:
    proc = _runbot(_env(telegram_api, DB_CONN_MAX_AGE="600"))
    stop_on_exit.append(proc)
    replies = _start_eight_chats_then_drop_the_database_sessions(telegram_api, proc)
    assert all("Вы согласны?" in text for text in replies), replies  # health checks reconnected


def test_without_health_checks_a_message_that_fails_still_gets_a_retry_hint(
    telegram_api: FakeTelegramAPI, world: World, stop_on_exit: list[subprocess.Popen[str]]
) -> None:
    proc = _runbot(_env(telegram_api, DB_CONN_MAX_AGE="600", DB_CONN_HEALTH_CHECKS="0"))
    stop_on_exit.append(proc)
    replies = _start_eight_chats_then_drop_the_database_sessions(telegram_api, proc)
    assert texts.TRY_AGAIN_LATER in replies, replies  # the dead connections did fail these
    assert all(text == texts.TRY_AGAIN_LATER or "Вы согласны?" in text for text in replies), replies
