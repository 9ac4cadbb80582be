"""Fan-out: 1,000 due notifications to 1,000 chats through real qcluster workers, paced for Telegram.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/interview_scheduler .venv/bin/python bench/fanout.py
It creates (and drops) a scratch database, starts the fake Bot API enforcing 30 msg/s overall and
1 msg/s per chat (429 beyond), starts two qcluster processes (2 workers each, sharing the pace
limit through the database), enqueues 1,000 due rows the way services do, and prints the rate,
429s, duplicates and losses. Baseline: Telegram's limit of 30 msg/s.
Targets: >= 26 msg/s, zero 429s, zero duplicates, zero losses — also with FANOUT_CPU_HOG=1, which keeps one
core busy with `while 1: pass` for the length of the run (a worker scheduled late must not make a burst).
FANOUT_LOG_LEVEL=INFO keeps the workers' pacing lines ("missed its sending moment") in their logs.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# The production settings these benches load require a privacy policy link; any URL serves here.
os.environ.setdefault("PRIVACY_POLICY_URL", "https://example.ru/privacy")

BASE_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/interview_scheduler")
SECRET = "bench-secret"
TELEGRAM_LIMIT = 30.0
MESSAGES = int(os.environ.get("FANOUT_MESSAGES", "1000"))
WORKERS = int(os.environ.get("FANOUT_WORKERS", "4"))  # per qcluster process


def _url_with_path(path: str) -> str:
    return urlunsplit(urlsplit(BASE_URL)._replace(path=f"/{path}"))


def scratch_setup(name: str) -> str:
    """Create the scratch database, migrate it, and set up Django on it; returns its name."""
    import psycopg

    with psycopg.connect(_url_with_path("postgres"), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    os.environ.update(
        {
            "DATABASE_URL": _url_with_path(name),
            "DJANGO_SECRET_KEY": SECRET,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "LOG_LEVEL": "WARNING",
        }
    )
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, check=True, env={**os.environ})
    import django

    django.setup()
    return name


def scratch_drop(name: str) -> None:
    """Drop the scratch database."""
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect(_url_with_path("postgres"), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def start_clusters(fake: object, db_name: str, count: int, workers: int, log_dir: Path) -> list:
    """Start qcluster processes against the scratch database and the fake."""
    from notifications.tests.cluster import QCluster

    clusters = []
    for i in range(count):
        cluster = QCluster(
            db_name=db_name,
            telegram_base_url=fake.base_url,  # type: ignore[attr-defined]
            token=fake.token,  # type: ignore[attr-defined]
            secret_key=SECRET,
            workers=workers,
            log_path=log_dir / f"qcluster-{i}.log",
            extra_env={"LOG_LEVEL": os.environ.get("FANOUT_LOG_LEVEL", "WARNING"), "DJANGO_Q_LOG_LEVEL": "WARNING"},
        )
        clusters.append(cluster.start())
    return clusters


def main() -> int:
    db_name = f"is_bench_fanout_{os.getpid()}"
    scratch_setup(db_name)
    from ops.fake_telegram import FakeTelegramAPI

    fake = FakeTelegramAPI(enforce_rate_limits=True).start()
    hog = subprocess.Popen([sys.executable, "-c", "while 1: pass"]) if os.environ.get("FANOUT_CPU_HOG") == "1" else None
    log_dir = Path(tempfile.mkdtemp(prefix="fanout-"))
    clusters = []
    try:
        import uuid

        from django.utils import timezone

        from candidates.models import Candidate, CandidateStatus
        from notifications import dispatch
        from notifications.models import NotificationKind, NotificationLog, NotificationStatus, Recipient

        candidates = Candidate.objects.bulk_create(
            Candidate(telegram_id=900_000_000 + i, full_name=f"Кандидат {i}", status=CandidateStatus.CHOOSING_SLOT)
            for i in range(MESSAGES)
        )
        now = timezone.now()
        rows = NotificationLog.objects.bulk_create(
            NotificationLog(
                kind=NotificationKind.REJECTED,
                recipient=Recipient.CANDIDATE,
                candidate=c,
                reservation_id=uuid.uuid4(),
                text=f"Сообщение для бенчмарка №{i}",
                due_at=now,
            )
            for i, c in enumerate(candidates)
        )
        clusters = start_clusters(fake, db_name, count=2, workers=WORKERS, log_dir=log_dir)
        time.sleep(2)  # let the clusters come up, so the run measures delivery, not start-up
        dispatch.enqueue_now([(row.pk, row.due_at) for row in rows])
        deadline = time.monotonic() + MESSAGES / 20 + 90
        sent = NotificationLog.objects.filter(status=NotificationStatus.SENT)
        while sent.count() < MESSAGES and time.monotonic() < deadline:
            time.sleep(0.5)
        time.sleep(1)
        calls = [c for c in fake.calls_of("sendMessage") if c.status == 200]
        per_chat = Counter(m["chat"]["id"] for m in fake.sent_messages())
        duplicates = sum(n - 1 for n in per_chat.values() if n > 1)
        losses = MESSAGES - len(per_chat)
        span = (calls[-1].at - calls[0].at) if len(calls) > 1 else float("nan")
        rate = (len(calls) - 1) / span if len(calls) > 1 else 0.0
        worst_window = max(
            (sum(1 for c in calls[i:] if c.at - calls[i].at < 1.0) for i in range(len(calls))), default=0
        )
        print(f"messages: {MESSAGES} to {MESSAGES} chats, 2 qcluster processes x {WORKERS} workers (ORM broker)")
        print(f"CPU hog beside the run: {'yes' if hog else 'no'}")
        print(f"delivered: {len(calls)} in {span:.1f} s -> {rate:.1f} msg/s (target >= 26)")
        print(f"baseline: Telegram limit {TELEGRAM_LIMIT:.0f} msg/s -> ratio {rate / TELEGRAM_LIMIT:.2f}")
        print(f"busiest 1-second window: {worst_window} messages (limit 30)")
        print(f"429 received: {fake.rate_limited_count} (target 0)")
        print(f"duplicates: {duplicates} (target 0)")
        statuses = Counter(NotificationLog.objects.values_list("status", flat=True))
        print(f"losses: {losses} (target 0); rows by status: {dict(statuses)}")
        print(f"worker logs: {log_dir}")
        return 0
    finally:
        if hog is not None:
            hog.kill()
        for cluster in clusters:
            cluster.stop()
        fake.stop()
        scratch_drop(db_name)


if __name__ == "__main__":
    raise SystemExit(main())
