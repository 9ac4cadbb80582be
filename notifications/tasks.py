"""django-q2 entry points. Stable dotted names (stored in queued tasks and schedules); no logic here."""

from __future__ import annotations

import uuid

from notifications.delivery import deliver_one, request_card_edit
from notifications.digest import digest_send_due
from notifications.sweep import notifications_sweep


def deliver(notification_id: int) -> bool:
    """Deliver one outbox row (see notifications.delivery.deliver_one)."""
    return deliver_one(notification_id)


def sweep() -> dict[str, int]:
    """Periodic safety net: stuck rows, due rows without a task, expired pending requests."""
    return notifications_sweep()


def send_daily_digests() -> int:
    """Hourly: queue the morning digest of every recruiter whose 08:00 it is (see notifications.digest)."""
    return digest_send_due()


def request_card_settle(reservation_hex: str, result: str) -> bool:
    """Edit a decided request's card into its result (see notifications.delivery.request_card_edit)."""
    return request_card_edit(uuid.UUID(hex=reservation_hex), result)
