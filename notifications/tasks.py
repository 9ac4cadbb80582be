"""django-q2 entry points. Stable dotted names (stored in queued tasks and schedules); no logic here."""

from __future__ import annotations

from notifications.delivery import deliver_one
from notifications.sweep import notifications_sweep


def deliver(notification_id: int) -> bool:
    """Deliver one outbox row (see notifications.delivery.deliver_one)."""
    return deliver_one(notification_id)


def sweep() -> dict[str, int]:
    """Periodic safety net: stuck rows, due rows without a task, expired pending requests."""
    return notifications_sweep()
