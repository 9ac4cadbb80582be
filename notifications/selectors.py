"""Reads of the outbox that other apps need."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from notifications.models import NotificationLog, NotificationStatus, Recipient


def sent_with_buttons(*, reservation_id: uuid.UUID, kinds: Iterable[str] | None = None) -> tuple[int, ...]:
    """Telegram message ids of the candidate's delivered messages of a booking that carry buttons."""
    qs = NotificationLog.objects.filter(
        reservation_id=reservation_id,
        recipient=Recipient.CANDIDATE,
        status=NotificationStatus.SENT,
        reply_markup__isnull=False,
        telegram_message_id__isnull=False,
    )
    if kinds is not None:
        qs = qs.filter(kind__in=list(kinds))
    return tuple(qs.order_by("sent_at").values_list("telegram_message_id", flat=True))
