"""Production settings pass `check --deploy`; the Procfile names real commands."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]


def production_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "TELEGRAM_", "SANDBOX_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="admin.example.com",
        DJANGO_CSRF_TRUSTED_ORIGINS="https://admin.example.com",
        DJANGO_SSL_REDIRECT="1",
        DJANGO_HSTS_SECONDS="31536000",
        DATABASE_URL="postgres://scheduler:secret@db.internal:5432/scheduler",
        REDIS_URL="redis://redis.internal:6379/0",
        TELEGRAM_BOT_TOKEN="123456:PRODUCTION-LIKE",
        TELEGRAM_WEBHOOK_URL="https://bot.example.com/telegram-hook",
        TELEGRAM_WEBHOOK_SECRET=secrets.token_urlsafe(32),
        LOG_FORMAT="json",
        PRIVACY_POLICY_URL="https://admin.example.com/privacy",
    )
    env.update(extra)
    return env


def test_check_deploy_is_clean_with_production_settings() -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key() -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=production_env(DJANGO_SECRET_KEY=""),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_every_procfile_process_is_a_real_command() -> None:
    processes = dict(
        line.split(":", 1) for line in (ROOT / "Procfile").read_text().splitlines() if line and not line.startswith("#")
    )

    assert set(processes) >= {"web", "worker", "bot", "release"}
    commands = get_commands()
    for name, command in processes.items():
        words = command.split()
        if "manage.py" in words:
            assert words[words.index("manage.py") + 1] in commands, name
    assert "gunicorn config.wsgi" in processes["web"]


@pytest.mark.parametrize("variable", ["SANDBOX_FAKE_API_URL", "LOG_FORMAT", "DJANGO_HSTS_PRELOAD"])
def test_env_example_lists_the_operations_variables(variable: str) -> None:
    assert f"\n{variable}=" in (ROOT / ".env.example").read_text()
