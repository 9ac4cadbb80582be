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


def periodic_schedules_ensure(*, using: str = "default") -> None:
    """Create or update the periodic sweep schedule (idempotent by name): its one definition."""
    Schedule.objects.using(using).update_or_create(
        name=SWEEP_SCHEDULE_NAME,
        defaults={
            "func": SWEEP_TASK,
            "schedule_type": Schedule.MINUTES,
            "minutes": 1,
            "repeats": -1,
        },
    )


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
