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


_SQLITE_BOOKING = """
from django.utils import timezone
from candidates.models import Candidate, CandidateStatus
from notifications.models import NotificationLog
from scheduling.errors import AlreadyHasLiveSlot
from scheduling.models import Slot, SlotEvent
from scheduling.services import slot_approve, slot_reserve

now = timezone.now()
candidate = Candidate.objects.create(
    telegram_id=777, full_name="Демо Кандидат", status=CandidateStatus.CHOOSING_SLOT,
    test1_completed_at=now, consent_given_at=now,
)
first, second = Slot.objects.filter(status="free", starts_at__gt=now).order_by("starts_at")[:2]
slot = slot_reserve(slot_id=first.pk, candidate_id=candidate.pk)
try:
    slot_reserve(slot_id=second.pk, candidate_id=candidate.pk)
except AlreadyHasLiveSlot as exc:
    assert exc.slot_id == first.pk and exc.context["reservation_id"] == slot.reservation_id, exc.context
else:
    raise AssertionError("a second live slot was given")
stored = Slot.objects.get(pk=first.pk)
assert (stored.status, stored.candidate_id, stored.reservation_id) == ("pending", candidate.pk, slot.reservation_id)
assert SlotEvent.objects.filter(slot=first, to_status="pending", reservation_id=slot.reservation_id).count() == 1
other = Candidate.objects.create(
    telegram_id=778, full_name="Второй Кандидат", status=CandidateStatus.CHOOSING_SLOT,
    test1_completed_at=now, consent_given_at=now,
)
slot_reserve(slot_id=second.pk, candidate_id=other.pk)  # the next outbox ids, drawn after the first commit
received = NotificationLog.objects.filter(kind="reservation_received", slot__in=[first, second])
assert sorted(received.values_list("candidate_id", flat=True)) == sorted([candidate.pk, other.pk])
assert Candidate.objects.get(pk=candidate.pk).status == CandidateStatus.WAITING_DECISION
assert NotificationLog.objects.filter(reservation_id=slot.reservation_id, kind="reservation_received").count() == 1
assert slot_approve(slot_id=first.pk).status == "booked"
print("sqlite booking ok")
"""


@pytest.mark.slow
def test_a_reservation_and_its_approval_work_on_the_sqlite_demo_database(tmp_path: Path) -> None:
    env = _env(DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}", LOG_LEVEL="WARNING")
    for command in (("migrate", "--noinput"), ("seed_demo",)):
        done = _manage(*command, env=env)
        assert done.returncode == 0, done.stderr
    booked = _manage("shell", "-c", _SQLITE_BOOKING, env=env)
    assert booked.returncode == 0, booked.stdout + booked.stderr
    assert "sqlite booking ok" in booked.stdout


def test_models_and_migrations_agree_on_a_fresh_checkout_without_any_environment() -> None:
    env = _env()
    env.pop("DJANGO_SECRET_KEY")
    result = _manage("makemigrations", "--check", "--dry-run", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DJANGO_DEBUG", "maybe", "DJANGO_DEBUG='maybe' is not a boolean"),
        ("TELEGRAM_HTTP_VERSION", "3", "TELEGRAM_HTTP_VERSION must be 1.1 or 2, not '3'"),
    ],
)
def test_a_malformed_setting_fails_loudly(variable: str, value: str, message: str) -> None:
    result = _manage("check", env=_env(**{variable: value}))
    assert result.returncode != 0
    assert message in result.stderr


def test_a_missing_secret_key_fails_loudly_outside_the_demo() -> None:
    env = _env(DATABASE_URL="postgres://postgres@127.0.0.1:5432/interview_scheduler")
    env.pop("DJANGO_SECRET_KEY")
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


@pytest.mark.parametrize(("threshold", "expected"), [(None, "True 5"), ("", "True None"), ("0", "True 0")])
def test_postgresql_connections_prepare_repeated_statements_unless_told_not_to(
    threshold: str | None, expected: str
) -> None:
    extra = {} if threshold is None else {"DB_PREPARE_THRESHOLD": threshold}
    env = _env(DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres", **extra)  # any database will do
    show = (
        "from django.db import connection; connection.ensure_connection(); "
        "print(connection.settings_dict['OPTIONS']['server_side_binding'], connection.connection.prepare_threshold)"
    )
    result = _manage("shell", "-c", show, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == expected
