"""Hand outbox rows to django-q2 so that workers get them exactly when the transaction that wrote them commits.

Due rows become an `async_task`; future rows get a `Schedule.ONCE` named after the row. With
the ORM broker both are written inside the transaction itself; with Redis they follow the
commit, and if the process dies in between, the periodic sweep (`notifications.tasks.sweep`)
still finds every due pending row: nothing is lost.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Iterable

from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone
from django_q.models import Schedule
from django_q.tasks import async_task

from notifications.models import NotificationLog

logger = logging.getLogger(__name__)

DELIVER_TASK = "notifications.tasks.deliver"
# django-q2's sentinel looks at its schedules once every 30 s (a constant of its guard loop).
SCHEDULER_PERIOD_SECONDS = 30.0


def schedule_name(notification_id: int) -> str:
    """The Schedule.ONCE name of one outbox row."""
    return f"notification-{notification_id}"


def hand_over_at_commit(rows: Iterable[NotificationLog]) -> None:
    """Hand rows to django-q2 so that workers see them when, and only if, the current transaction commits.

    With the ORM broker (not in sync mode) the queue rows and schedules are written inside the
    transaction itself: they commit, or roll back, together with the state change, and no crash
    can fall between the two. Redis and sync mode cannot take part in the transaction, so there
    the hand-over waits for the commit (and the sweep covers a crash in between).
    """
    plan = [(row.pk, row.due_at) for row in rows]
    if not plan:
        return
    if _queue_is_transactional():
        _enqueue(plan)
    else:
        transaction.on_commit(lambda: enqueue_now(plan))


def _queue_is_transactional() -> bool:
    q = settings.Q_CLUSTER
    return bool(q.get("orm")) and not q.get("sync") and transaction.get_connection().in_atomic_block


def _enqueue(plan: Iterable[tuple[int, object]]) -> None:
    now = timezone.now()
    for notification_id, due_at in plan:
        if due_at <= now:
            async_task(DELIVER_TASK, notification_id, task_name=schedule_name(notification_id))
        else:
            schedule_once(notification_id, due_at)


def enqueue_now(plan: Iterable[tuple[int, object]]) -> None:
    """Enqueue (id, due_at) pairs: a task for due ones, a one-off schedule for the rest."""
    for notification_id, due_at in plan:
        try:
            _enqueue([(notification_id, due_at)])
        except Exception:
            # The row stays pending; the sweep delivers it. Never lose the state change for this.
            logger.exception("could not enqueue notification %s; the sweep will pick it up", notification_id)


def hand_back(notification_id: int, due_at: dt.datetime) -> None:
    """A worker puts a row back for later: its one-off schedule, and when it is due sooner than the scheduler's
    next look, a timer in this process that queues it at due_at.

    Without the timer a 3-s pace wait became up to 30 s. The schedule stays as the net (a process that dies or
    is recycled takes its timers along), and the second hand-over finds the row claimed and does nothing.
    """
    enqueue_now([(notification_id, due_at)])
    delay = (due_at - timezone.now()).total_seconds()
    if settings.Q_CLUSTER.get("sync") or not 0 < delay < SCHEDULER_PERIOD_SECONDS:
        return  # sync mode has no worker to come back to: the sweep or a test delivers
    # A little past due_at: the timer counts on the monotonic clock, the claim compares with the wall clock.
    timer = threading.Timer(delay + 0.05, _enqueue_from_timer, args=(notification_id,))
    timer.daemon = True
    timer.start()


def _enqueue_from_timer(notification_id: int) -> None:
    try:
        async_task(DELIVER_TASK, notification_id, task_name=schedule_name(notification_id))
    except Exception:
        logger.exception("could not enqueue notification %s when due; its schedule will", notification_id)
    finally:
        connections.close_all()  # this thread's own connection (the ORM broker's queue row)


def schedule_once(notification_id: int, due_at: object) -> None:
    """Create or move the one-off schedule of a row (idempotent by name)."""
    Schedule.objects.update_or_create(
        name=schedule_name(notification_id),
        defaults={
            "func": DELIVER_TASK,
            "args": repr((notification_id,)),
            "schedule_type": Schedule.ONCE,
            "repeats": -1,
            "next_run": due_at,
        },
    )


def unschedule(notification_ids: Iterable[int]) -> None:
    """Drop the one-off schedules of rows that will never be sent."""
    names = [schedule_name(i) for i in notification_ids]
    if names:
        Schedule.objects.filter(name__in=names).delete()
