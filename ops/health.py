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

logger = logging.getLogger(__name__)

# A pending row due longer ago than this is overdue: nothing is delivering it.
OVERDUE_GRACE = dt.timedelta(minutes=5)
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
        """JSON-ready form (no secrets: no token, no URLs, no personal data)."""
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


def _visible_clusters() -> int:
    """Clusters whose stats this process can see (Redis broker or a shared cache); 0 otherwise."""
    from django_q.status import Stat

    try:
        return len(Stat.get_all())
    except Exception as exc:
        logger.warning("healthcheck: cannot read django-q2 cluster stats: %s", exc)
        return 0


def check_worker(now: dt.datetime | None = None) -> CheckResult:
    """A django-q2 worker finished a task recently (or a cluster is visible), and the sweep is scheduled."""
    from django_q.models import Schedule, Task

    now = now or timezone.now()
    max_age = dt.timedelta(seconds=settings.HEALTH_WORKER_MAX_AGE_SECONDS)
    try:
        last_stopped = Task.objects.order_by("-stopped").values_list("stopped", flat=True).first()
        has_sweep = Schedule.objects.filter(name=SWEEP_SCHEDULE_NAME).exists()
    except Exception as exc:
        return CheckResult("worker", False, f"не удалось прочитать задачи django-q2: {type(exc).__name__}")
    clusters = _visible_clusters()
    age = (now - last_stopped).total_seconds() if last_stopped else None
    data = {
        "last_task_finished_at": last_stopped.isoformat(timespec="seconds") if last_stopped else None,
        "last_task_age_seconds": round(age, 1) if age is not None else None,
        "max_age_seconds": settings.HEALTH_WORKER_MAX_AGE_SECONDS,
        "visible_clusters": clusters,
        "sweep_scheduled": has_sweep,
    }
    if not has_sweep:
        return CheckResult(
            "worker", False, "нет периодической проверки notifications-sweep (manage.py rebuild_schedules)", data
        )
    if clusters or (age is not None and age <= max_age.total_seconds()):
        return CheckResult("worker", True, "воркер работает", data)
    if age is None:
        return CheckResult("worker", False, "воркер ещё не выполнил ни одной задачи (запущен ли qcluster?)", data)
    return CheckResult("worker", False, f"воркер молчит {int(age)} с (запущен ли qcluster?)", data)


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


def check_telegram() -> CheckResult:
    """Bot API getMe answers ok through the configured base URL."""
    token = settings.TELEGRAM_BOT_TOKEN
    if not token:
        return CheckResult("telegram", False, "TELEGRAM_BOT_TOKEN не задан")
    url = f"{settings.TELEGRAM_API_BASE_URL}{token}/getMe"
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    started = time.monotonic()
    try:
        with opener.open(url, timeout=TELEGRAM_TIMEOUT_SECONDS) as response:
            payload = json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        # The URL holds the token: report only the status code.
        return CheckResult("telegram", False, f"getMe: HTTP {exc.code}")
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        return CheckResult("telegram", False, f"getMe: Bot API недоступен ({type(exc).__name__})")
    elapsed_ms = round((time.monotonic() - started) * 1000, 1)
    if not payload.get("ok"):
        return CheckResult("telegram", False, "getMe: ответ без ok")
    username = (payload.get("result") or {}).get("username", "")
    return CheckResult("telegram", True, f"getMe ok: @{username}", {"bot": username, "latency_ms": elapsed_ms})


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
