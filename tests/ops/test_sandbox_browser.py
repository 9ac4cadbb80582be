"""A person plays the sandbox in Debian Chromium: /start → consent → Тест 1 → slot → the recruiter approves in the
admin (second tab) → fast-forward → «Подтверждаю» → the meeting link. The real bot and worker run as processes."""

from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from ops.fake_telegram import FakeTelegramAPI
from scheduling.models import Slot, SlotStatus
from tests.ops.journey import WORKER_PATH

playwright_sync = pytest.importorskip("playwright.sync_api")

ROOT = Path(settings.BASE_DIR)
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
WAIT_MS = 30_000

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian Chromium is not installed"),
]


@pytest.fixture
def sandbox(telegram_api: FakeTelegramAPI, settings: Any, tmp_path: Path) -> Iterator[FakeTelegramAPI]:
    """Demo data, the sandbox pointing at the fake, and `runbot` + `qcluster` processes on the test database."""
    call_command("seed_demo", stdout=io.StringIO())
    settings.SANDBOX_FAKE_API_URL = telegram_api.http_url
    db = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "TELEGRAM_", "REDIS_URL", "PYTEST"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_SECRET_KEY="ops-sandbox-browser-test",
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        TELEGRAM_BOT_TOKEN=telegram_api.token,
        TELEGRAM_API_BASE_URL=telegram_api.base_url,
        Q_WORKERS="1",
        PYTHONUNBUFFERED="1",
    )
    processes = []
    logs = []
    for name in ("runbot", "qcluster"):
        log = open(tmp_path / f"{name}.log", "wb")
        logs.append(log)
        processes.append(
            subprocess.Popen(
                [sys.executable, "manage.py", name],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
    try:
        yield telegram_api
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        for log in logs:
            log.close()


@pytest.fixture
def browser_context(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    # Playwright's sync API runs an event loop in this thread; the test reads the DB beside it.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with playwright_sync.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1100, "height": 900}, locale="ru-RU")
        context.set_default_timeout(WAIT_MS)
        try:
            yield context
        finally:
            context.close()
            browser.close()


def see(page: Any, text: str) -> None:
    """Wait until a bot message in the chat contains the text."""
    page.locator("#chat .msg.bot", has_text=text).last.wait_for()


def tap(page: Any, label: str, *, exact: bool = True) -> None:
    """Tap the newest inline button with this label."""
    page.locator("#chat .kb button").filter(
        has_text=re.compile(f"^{re.escape(label)}$") if exact else label
    ).last.click()


def type_message(page: Any, text: str) -> None:
    page.fill("#text", text)
    page.press("#text", "Enter")


def test_a_person_plays_a_candidate_to_a_confirmed_interview_in_the_sandbox(
    live_server: Any, sandbox: FakeTelegramAPI, browser_context: Any
) -> None:
    chat = browser_context.new_page()
    chat.goto(f"{live_server.url}/admin/login/?next=/sandbox/")
    chat.fill("#id_username", "admin")
    chat.fill("#id_password", "demo12345")
    chat.click("input[type=submit]")
    chat.locator(".identity.active", has_text="Иван").wait_for()

    chat.click("#quick-start")
    see(chat, "Вы согласны?")
    tap(chat, "Согласен")
    see(chat, "Вопрос 1 из 10")
    # The notice period follows «Работаю» as «4а»: the total stays 10.
    headers = ["2", "3", "4", "4а", "5", "6", "7", "8", "9", "10"]
    for index, (kind, answer) in enumerate(WORKER_PATH):
        if kind == "text":
            type_message(chat, answer)
        else:
            tap(chat, answer)
        if index < len(headers):
            see(chat, f"Вопрос {headers[index]} из 10")
    see(chat, "Выберите рекрутёра")
    tap(chat, "Анна Смирнова", exact=False)
    see(chat, "Свободное время")
    chat.locator("#chat .msg.bot").last.locator(".kb button").first.click()
    see(chat, "Заявка отправлена")
    assert chat.locator("#chat .msg.user", has_text="Иванов Иван Иванович").count() == 1

    pending = Slot.objects.get(status=SlotStatus.PENDING, candidate__telegram_id=900001)
    admin = browser_context.new_page()
    admin.goto(f"{live_server.url}/admin/scheduling/slot/?status__exact=pending")
    admin.check(f"input[name='_selected_action'][value='{pending.pk}']")
    admin.select_option("select[name='action']", "approve_slots")
    admin.click("button[name='index']")
    admin.locator(".messagelist .success").wait_for()

    chat.bring_to_front()
    see(chat, "Собеседование согласовано")
    chat.click("#fast-forward")
    see(chat, "Напоминаем")
    tap(chat, "✅ Подтверждаю")
    see(chat, "meet.example.com/anna")
    chat.locator("#chat .msg.bot", has_text="Напоминаем").locator(".note", has_text="кнопки убраны").wait_for()

    assert Slot.objects.get(pk=pending.pk).status == SlotStatus.CONFIRMED
    ARTIFACTS.mkdir(exist_ok=True)
    chat.screenshot(path=str(ARTIFACTS / "sandbox.png"), full_page=False)
    assert (ARTIFACTS / "sandbox.png").stat().st_size > 10_000
