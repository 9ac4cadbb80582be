"""django-q2's ORM broker with a cheaper enqueue: the queue row is written by one plain INSERT.

Every reservation and every state change with a message hands a task to the queue inside its
transaction; django-q2's `ORM.enqueue` saves an `OrmQ` model for it, and that save cost more
Python than the rest of the reservation's outbox work together (bench/reserve.py). The row,
its columns and the transaction are the same; dequeueing, locking and acking stay django-q2's.
`insert` gives the same INSERT to a caller that sends it with its own writes in one round trip
(the reservation: notifications.dispatch.hand_over_with).
"""

from __future__ import annotations

from typing import Any

from django.db import connections
from django.utils import timezone
from django_q.brokers.orm import ORM
from django_q.conf import Conf
from django_q.models import OrmQ

_TABLE = OrmQ._meta.db_table
_INSERT = f"INSERT INTO {_TABLE} (key, payload, lock) VALUES (%s, %s, %s)"
_LOCK = OrmQ._meta.get_field("lock")


class OrmBroker(ORM):
    """Configured as Q_CLUSTER["broker_class"] when the database is the queue."""

    def enqueue(self, task: str) -> int:
        self.get_connection()  # as ORM.enqueue: outside a transaction, drop a stale connection first
        with connections[Conf.ORM].cursor() as cursor:
            cursor.execute(*self.insert(task, returning_id=True))
            return cursor.fetchone()[0]

    def insert(self, task: str, *, returning_id: bool = False) -> tuple[str, list[Any]]:
        """The queue row of a signed task package, as (sql, params)."""
        # list_key may be empty in a test setup, but the key column is NOT NULL (as in ORM.enqueue).
        lock = _LOCK.get_db_prep_save(timezone.now(), connections[Conf.ORM])
        return _INSERT + (" RETURNING id" if returning_id else ""), [self.list_key or Conf.CLUSTER_NAME, task, lock]
