"""Health checks shared by `manage.py healthcheck` and `/healthz`: what an operator needs to know at a glance.

Worker liveness: with the ORM broker the django-q2 cluster stats live in each process's own LocMem
cache, so another process cannot see them. What truly shows that a worker is alive is work being
done: the scheduler starts the `notifications-sweep` schedule every minute and a worker runs it,
and django-q2 records every finished task (success or failure) with its stop time. So the worker
is alive when the newest finished task is younger than HEALTH_WORKER_MAX_AGE_SECONDS. With the
Redis broker the cluster stats are shared too, and a cluster seen there also counts.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from notifications.sweep import SWEEP_SCHEDULE_NAME
from ops.sandbox_runtime import sandbox_runtime_read

logger = logging.getLogger(__name__)

# A pending row due longer ago than this is overdue: nothing is delivering it.
OVERDUE_GRACE = dt.timedelta(minutes=5)
# django-q2's scheduler first runs about 30 s after a cluster starts, so its first task finishes
# within a minute or so: until then a visible cluster is starting, not dead.
WORKER_START_GRACE = dt.timedelta(seconds=90)
TELEGRAM_TIMEOUT_SECONDS = 5.0
CHEAP_CHECKS = ("database", "migrations", "worker", "notifications")
ALL_CHECKS = (*CHEAP_CHECKS, "telegram")


@dataclass(frozen=True)
class CheckResult:
    """One check: its name, whether it passed, a one-line Russian explanation and figures."""

    name: str
    ok: bool
    detail: str
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class HealthReport:
    """All checks that ran; healthy when every one passed."""

    checks: list[CheckResult]

    @property
    def is_healthy(self) -> bool:
        return all(check.ok for check in self.checks)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (no secrets: no token, no personal data; the one URL is a sandbox's local fake)."""
        return {
            "status": "ok" if self.is_healthy else "fail",
            "checked_at": timezone.now().isoformat(timespec="seconds"),
            "checks": {check.name: {k: v for k, v in asdict(check).items() if k != "name"} for check in self.checks},
        }

    def as_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, default=str)


def check_database() -> CheckResult:
    """The database answers a trivial query."""
    started = time.monotonic()
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        logger.warning("healthcheck: database unreachable: %s", exc)
        return CheckResult("database", False, f"база данных недоступна: {type(exc).__name__}")
    elapsed_ms = round((time.monotonic() - started) * 1000, 1)
    vendor = connections[DEFAULT_DB_ALIAS].vendor
    return CheckResult("database", True, f"{vendor} отвечает", {"vendor": vendor, "latency_ms": elapsed_ms})


def check_migrations() -> CheckResult:
    """Every migration on disk is applied."""
    try:
        connection = connections[DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as exc:
        return CheckResult("migrations", False, f"не удалось прочитать миграции: {type(exc).__name__}")
    pending = [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]
    if pending:
        return CheckResult(
            "migrations", False, f"не применено миграций: {len(pending)} (manage.py migrate)", {"pending": pending}
        )
    return CheckResult("migrations", True, "все миграции применены", {"pending": []})


def _visible_cluster_uptimes() -> list[float]:
    """Seconds since each visible django-q2 cluster started (they publish their status every few seconds)."""
    from django_q.status import Stat

    try:
        return [stat.uptime() for stat in Stat.get_all() if stat.tob is not None]
    except Exception as exc:
        logger.warning("healthcheck: cannot read django-q2 cluster stats: %s", exc)
        return []


def worker_verdict(*, last_task_age: float | None, cluster_uptimes: list[float], max_age: float) -> tuple[bool, str]:
    """Whether the worker is fine, and why: a recent finished task, or a cluster that has only just started.

    The minute sweep gives a healthy worker a task at least every minute, so a cluster that has been
    up longer than WORKER_START_GRACE without finishing any recent task is stuck, visible or not.
    """
    if last_task_age is not None and last_task_age <= max_age:
        return True, "воркер работает"
    if any(uptime < WORKER_START_GRACE.total_seconds() for uptime in cluster_uptimes):
        return True, "воркер запускается: первая задача ещё впереди"
    if cluster_uptimes and last_task_age is None:
        return False, "воркер запущен, но не выполнил ни одной задачи"
    if last_task_age is None:
        return False, "воркер ещё не выполнил ни одной задачи (запущен ли qcluster?)"
    return False, f"воркер молчит {int(last_task_age)} с (запущен ли qcluster?)"


def check_worker(now: dt.datetime | None = None) -> CheckResult:
    """A django-q2 worker finished a task recently (or has only just started), and the sweep is scheduled."""
    from django_q.models import Schedule, Task

    now = now or timezone.now()
    max_age = dt.timedelta(seconds=settings.HEALTH_WORKER_MAX_AGE_SECONDS)
    try:
        last_stopped = Task.objects.order_by("-stopped").values_list("stopped", flat=True).first()
        has_sweep = Schedule.objects.filter(name=SWEEP_SCHEDULE_NAME).exists()
    except Exception as exc:
        return CheckResult("worker", False, f"не удалось прочитать задачи django-q2: {type(exc).__name__}")
    uptimes = _visible_cluster_uptimes()
    age = (now - last_stopped).total_seconds() if last_stopped else None
    data = {
        "last_task_finished_at": last_stopped.isoformat(timespec="seconds") if last_stopped else None,
        "last_task_age_seconds": round(age, 1) if age is not None else None,
        "max_age_seconds": settings.HEALTH_WORKER_MAX_AGE_SECONDS,
        "visible_clusters": len(uptimes),
        "sweep_scheduled": has_sweep,
    }
    if not has_sweep:
        return CheckResult(
            "worker", False, "нет периодической проверки notifications-sweep (manage.py rebuild_schedules)", data
        )
    ok, detail = worker_verdict(last_task_age=age, cluster_uptimes=uptimes, max_age=max_age.total_seconds())
    return CheckResult("worker", ok, detail, data)


def check_notifications(now: dt.datetime | None = None) -> CheckResult:
    """Counts of failed and overdue outbox rows; overdue rows mean nothing is delivering."""
    from notifications.models import NotificationLog, NotificationStatus

    now = now or timezone.now()
    try:
        failed = NotificationLog.objects.filter(status=NotificationStatus.FAILED).count()
        overdue = NotificationLog.objects.filter(
            status=NotificationStatus.PENDING, due_at__lt=now - OVERDUE_GRACE
        ).count()
    except Exception as exc:
        return CheckResult("notifications", False, f"не удалось прочитать уведомления: {type(exc).__name__}")
    data = {"failed": failed, "overdue": overdue, "overdue_after_seconds": int(OVERDUE_GRACE.total_seconds())}
    # Failed rows are a recruiter's to-do (blocked bot, chat not found), not an outage: reported, not fatal.
    if overdue:
        return CheckResult("notifications", False, f"просрочено сообщений: {overdue}, с ошибкой: {failed}", data)
    return CheckResult("notifications", True, f"просроченных нет, с ошибкой: {failed}", data)


class _BotAPIDown(Exception):
    """getMe did not answer ok; the message is safe to show (no token, no URL with a token)."""


def _get_me(base_url: str, token: str) -> tuple[str, float]:
    """The bot's username and the round trip in ms, by getMe through ``base_url``."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    started = time.monotonic()
    try:
        with opener.open(f"{base_url}{token}/getMe", timeout=TELEGRAM_TIMEOUT_SECONDS) as response:
            payload = json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        # The URL holds the token: report only the status code.
        raise _BotAPIDown(f"HTTP {exc.code}") from exc
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        raise _BotAPIDown(f"Bot API недоступен ({type(exc).__name__})") from exc
    if not payload.get("ok"):
        raise _BotAPIDown("ответ без ok")
    username = str((payload.get("result") or {}).get("username", ""))
    return username, round((time.monotonic() - started) * 1000, 1)


def check_telegram() -> CheckResult:
    """Bot API getMe through the configured base URL; without a token, the fake Bot API of a running `make run`."""
    token = settings.TELEGRAM_BOT_TOKEN
    if not token:
        return _check_sandbox()
    try:
        username, elapsed_ms = _get_me(settings.TELEGRAM_API_BASE_URL, token)
    except _BotAPIDown as exc:
        return CheckResult("telegram", False, f"getMe: {exc}")
    return CheckResult("telegram", True, f"getMe ok: @{username}", {"bot": username, "latency_ms": elapsed_ms})


def _check_sandbox() -> CheckResult:
    """`make run` without a token serves the bot from its fake Bot API: healthy when that one answers."""
    sandbox = sandbox_runtime_read()
    if sandbox is None:
        return CheckResult("telegram", False, "TELEGRAM_BOT_TOKEN не задан, и песочница make run не запущена")
    where = f"песочница: фейковый Bot API {sandbox.fake_api_url}"
    try:
        username, elapsed_ms = _get_me(f"{sandbox.fake_api_url}/bot", sandbox.token)
    except _BotAPIDown as exc:
        return CheckResult("telegram", False, f"{where} не отвечает: {exc}")
    data = {"bot": username, "latency_ms": elapsed_ms, "sandbox": True}
    return CheckResult("telegram", True, f"{where} отвечает (@{username})", data)


CHECKS: dict[str, Callable[[], CheckResult]] = {
    "database": check_database,
    "migrations": check_migrations,
    "worker": check_worker,
    "notifications": check_notifications,
    "telegram": check_telegram,
}


def health_report(names: Iterable[str] = ALL_CHECKS) -> HealthReport:
    """Run the named checks in order; the rest are skipped when the database is down."""
    results: list[CheckResult] = []
    database_down = False
    for name in names:
        if database_down and name != "telegram":
            results.append(CheckResult(name, False, "пропущено: база данных недоступна"))
            continue
        result = CHECKS[name]()
        database_down = database_down or (name == "database" and not result.ok)
        results.append(result)
    return HealthReport(results)
