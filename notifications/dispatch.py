"""Hand outbox rows to django-q2 so that workers get them exactly when the transaction that wrote them commits.

Due rows become an `async_task`; future rows get a `Schedule.ONCE` named after the row. With
the ORM broker both are written inside the transaction itself; with Redis they follow the
commit, and if the process dies in between, the periodic sweep (`notifications.tasks.sweep`)
still finds every due pending row: nothing is lost.

Every task goes through one broker per process (async_task's `broker=`): django-q2 would build
a new one for each task, which cost a tenth of a reservation's CPU (bench/reserve.py).
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import threading
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone
from django_q.brokers import Broker, get_broker
from django_q.conf import Conf
from django_q.models import Schedule
from django_q.tasks import async_task

from notifications.models import NotificationLog
from notifications.queue_broker import OrmBroker

logger = logging.getLogger(__name__)

DELIVER_TASK = "notifications.tasks.deliver"
# django-q2's sentinel looks at its schedules once every 30 s (a constant of its guard loop).
SCHEDULER_PERIOD_SECONDS = 30.0


def broker() -> Broker:
    """This process's broker; its connections are per thread (Django's, or redis-py's thread-safe pool)."""
    return _broker_of(Conf.BROKER_CLASS, Conf.ORM, str(Conf.REDIS), Conf.CLUSTER_NAME)


@functools.cache
def _broker_of(*configuration: object) -> Broker:
    """One broker per queue configuration (a test switches django-q2 to Redis while the process runs)."""
    return get_broker()


def queue_task(func: str, *args: object, **options: object) -> None:
    """django-q2's async_task through this process's broker."""
    async_task(func, *args, broker=broker(), **options)


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


def hand_over_with(rows: Iterable[NotificationLog]) -> list[tuple[str, list[Any]]]:
    """As hand_over_at_commit, but the due rows' queue rows come back as INSERTs for the caller to send with its own
    writes (the reservation's one write statement, scheduling.services.reservation_sql).

    Only the ORM broker inside a transaction can do that; otherwise the rows are handed over as
    hand_over_at_commit does and nothing comes back. django-q2 builds and signs each package as
    for any task; only where its row is written changes.
    """
    rows = list(rows)
    queue = broker()
    if not (rows and _queue_is_transactional() and isinstance(queue, OrmBroker)):
        hand_over_at_commit(rows)
        return []
    packages = _Packages(queue.list_key)
    _enqueue([(row.pk, row.due_at) for row in rows], through=packages)
    return [queue.insert(package) for package in packages.signed]


class _Packages:
    """A stand-in broker that keeps the packages async_task signs instead of writing them."""

    def __init__(self, list_key: str) -> None:
        self.list_key = list_key
        self.signed: list[str] = []

    def enqueue(self, package: str) -> int:
        self.signed.append(package)
        return len(self.signed)


def _queue_is_transactional() -> bool:
    q = settings.Q_CLUSTER
    return bool(q.get("orm")) and not q.get("sync") and transaction.get_connection().in_atomic_block


def _enqueue(plan: Iterable[tuple[int, object]], *, through: Broker | _Packages | None = None) -> None:
    now = timezone.now()
    for notification_id, due_at in plan:
        if due_at <= now:
            name = schedule_name(notification_id)
            async_task(DELIVER_TASK, notification_id, task_name=name, broker=through or broker())
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
        _enqueue([(notification_id, timezone.now())])
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
