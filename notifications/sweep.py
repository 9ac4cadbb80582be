"""The periodic sweep: whatever a crash, a lost task or a lost schedule left behind gets going again."""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone
from django_q.models import Schedule

from notifications import dispatch
from notifications.delivery import stale_sending_release
from notifications.models import NotificationLog, NotificationStatus
from notifications.pace import pace_prune
from scheduling.services import pending_expire_due

logger = logging.getLogger(__name__)

# A due row still pending this long after its due time has probably lost its task. Re-enqueuing
# one that has not is harmless (the claim lets only one task send it), just wasted work.
SWEEP_GRACE = dt.timedelta(seconds=60)
SWEEP_BATCH = 1000

SWEEP_SCHEDULE_NAME = "notifications-sweep"
SWEEP_TASK = "notifications.tasks.sweep"
DIGEST_SCHEDULE_NAME = "recruiter-daily-digest"

# Every periodic task, by schedule name: its one definition.
PERIODIC_SCHEDULES: dict[str, dict[str, object]] = {
    SWEEP_SCHEDULE_NAME: {"func": SWEEP_TASK, "schedule_type": Schedule.MINUTES, "minutes": 1, "repeats": -1},
    # Hourly: it is 08:00 somewhere in our zones every hour or so; the task picks whose morning it is.
    DIGEST_SCHEDULE_NAME: {
        "func": "notifications.tasks.send_daily_digests",
        "schedule_type": Schedule.HOURLY,
        "repeats": -1,
    },
}


def periodic_schedules_ensure(*, using: str = "default") -> None:
    """Create or update every periodic schedule (idempotent by name)."""
    for name, definition in PERIODIC_SCHEDULES.items():
        Schedule.objects.using(using).update_or_create(name=name, defaults=definition)


def due_rows_without_schedule(*, now: dt.datetime, grace: dt.timedelta = SWEEP_GRACE) -> list[tuple[int, dt.datetime]]:
    """(id, due_at) of pending rows due for longer than grace that have no one-off schedule waiting."""
    rows = list(
        NotificationLog.objects.filter(status=NotificationStatus.PENDING, due_at__lte=now - grace)
        .order_by("due_at")
        .values_list("pk", "due_at")[:SWEEP_BATCH]
    )
    names = [dispatch.schedule_name(pk) for pk, _ in rows]
    scheduled = set(Schedule.objects.filter(name__in=names).values_list("name", flat=True))
    return [(pk, due_at) for pk, due_at in rows if dispatch.schedule_name(pk) not in scheduled]


def notifications_sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Release stuck rows, re-enqueue orphaned due rows, expire overdue requests; returns counts."""
    now = now or timezone.now()
    released = stale_sending_release(now=now)
    orphans = due_rows_without_schedule(now=now)
    dispatch.enqueue_now(orphans)
    expired = pending_expire_due(now=now)
    pruned = pace_prune()
    result = {"released": len(released), "enqueued": len(orphans), "expired": expired, "pruned": pruned}
    if released or orphans or expired:
        logger.info("sweep: %s", result)
    return result
