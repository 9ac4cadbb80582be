"""A real `manage.py qcluster` subprocess for worker tests and benchmarks."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import IO

BASE_DIR = Path(__file__).resolve().parents[2]


def database_url(db_name: str) -> str:
    """The PostgreSQL URL of a database on the local server."""
    return f"postgres://postgres@127.0.0.1:5432/{db_name}"


class QCluster:
    """One qcluster process group (sentinel, pusher, monitor, workers) on config.settings."""

    def __init__(
        self,
        *,
        db_name: str,
        telegram_base_url: str,
        token: str,
        secret_key: str,
        workers: int = 2,
        redis_url: str = "",
        log_path: Path | None = None,
        extra_env: dict[str, str] | None = None,
    ) -> None:
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST", "REDIS_URL"))}
        self.env.update(
            {
                "DJANGO_SETTINGS_MODULE": "config.settings",
                "DJANGO_SECRET_KEY": secret_key,  # task payloads are signed with it
                "DATABASE_URL": database_url(db_name),
                "TELEGRAM_BOT_TOKEN": token,
                "TELEGRAM_API_BASE_URL": telegram_base_url,
                "Q_WORKERS": str(workers),
                "LOG_LEVEL": "INFO",
                "DJANGO_Q_LOG_LEVEL": "INFO",
                "PYTHONUNBUFFERED": "1",
            }
        )
        if redis_url:
            self.env["REDIS_URL"] = redis_url
        self.env.update(extra_env or {})
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    def start(self) -> QCluster:
        """Start the cluster in its own process group."""
        self._log = open(self.log_path, "ab") if self.log_path else None
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "qcluster"],
            cwd=BASE_DIR,
            env=self.env,
            stdout=self._log or subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def kill(self) -> None:
        """SIGKILL the whole process group: no cleanup, as in a crash."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        """Stop gracefully (SIGTERM), or kill after a grace period."""
        if self.process is not None and self.process.poll() is None:
            # Only the sentinel: it stops its own workers; a group-wide SIGTERM makes django-q2 hang.
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=3)
            except subprocess.TimeoutExpired:
                self.kill()
        if self.process is not None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)  # stray workers of a crashed sentinel
            except ProcessLookupError:
                pass
        if self._log is not None:
            self._log.close()
            self._log = None
