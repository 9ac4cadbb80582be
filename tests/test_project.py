"""Project-level promises: migrations apply on SQLite (the demo database) and match the models."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=240
    )


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "DJANGO_SETTINGS_MODULE"))}
    env.update(DJANGO_SECRET_KEY="smoke", DJANGO_SETTINGS_MODULE="config.settings", **extra)
    return env


@pytest.mark.slow
def test_migrations_apply_on_sqlite_and_seed_demo_runs_twice(tmp_path: Path) -> None:
    env = _env(DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    migrated = _manage("migrate", "--noinput", env=env)
    assert migrated.returncode == 0, migrated.stderr
    first = _manage("seed_demo", env=env)
    second = _manage("seed_demo", env=env)
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert "новых слотов 0" in second.stdout  # idempotent: nothing created twice
    assert "admin / demo12345" in second.stdout


def test_models_and_migrations_agree_on_a_fresh_checkout_without_any_environment() -> None:
    env = _env()
    env.pop("DJANGO_SECRET_KEY")
    result = _manage("makemigrations", "--check", "--dry-run", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_malformed_setting_fails_loudly() -> None:
    result = _manage("check", env=_env(DJANGO_DEBUG="maybe"))
    assert result.returncode != 0
    assert "DJANGO_DEBUG='maybe' is not a boolean" in result.stderr


def test_a_missing_secret_key_fails_loudly_outside_the_demo() -> None:
    env = _env(DATABASE_URL="postgres://postgres@127.0.0.1:5432/interview_scheduler")
    env.pop("DJANGO_SECRET_KEY")
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr
