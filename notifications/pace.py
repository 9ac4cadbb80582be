"""Shared send pacing: at most TELEGRAM_GLOBAL_RATE messages/s overall and one per chat per interval.

The state lives in the database (table DeliveryPace), so every worker process on every host
shares one limit, and it works the same on PostgreSQL and on the SQLite demo. Each send
reserves a moment: the overall row holds the earliest moment the next message may go out and
advances by one spacing per reservation (a leaky bucket without bursts); the chat row does the
same per chat. A caller that got a moment a few milliseconds ahead sleeps until then; a caller
that would have to wait long is told how long and re-queues its row instead of blocking a worker.

Telegram (and our fake) count messages in sliding one-second windows at *arrival*, while we
reserve at *departure*; the headroom below the limit absorbs the jitter in between.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction

from notifications.models import DeliveryPace

GLOBAL_KEY = "global"
# Run this fraction below Telegram's overall limit so network jitter never makes a burst.
DEFAULT_HEADROOM = 0.08
# Extra seconds between two messages to one chat, for the same reason.
PER_CHAT_MARGIN_SECONDS = 0.3


def global_spacing() -> float:
    """Seconds between two messages overall."""
    rate = float(settings.TELEGRAM_GLOBAL_RATE)
    headroom = float(getattr(settings, "DELIVERY_PACE_HEADROOM", DEFAULT_HEADROOM))
    return 0.0 if rate <= 0 else 1.0 / (rate * (1.0 - headroom))


def chat_spacing() -> float:
    """Seconds between two messages to one chat."""
    interval = settings.TELEGRAM_PER_CHAT_INTERVAL_MS / 1000.0
    return 0.0 if interval <= 0 else interval + PER_CHAT_MARGIN_SECONDS


@dataclass(frozen=True)
class Permit:
    """A pacing answer: reserved (send after `wait` seconds, at `at`) or not (come back in `wait` seconds)."""

    reserved: bool
    wait: float
    # The reserved moment (time.time()): a send much later than this would crowd the moments after it.
    at: float = 0.0


def chat_key(chat_id: int) -> str:
    """The pacing key of one chat."""
    return f"chat:{chat_id}"


def pace_acquire(*, chat_id: int, max_wait: float) -> Permit:
    """Reserve the next moment to send to chat_id if it is at most max_wait seconds away."""
    key = chat_key(chat_id)
    DeliveryPace.objects.bulk_create([DeliveryPace(key=key, next_at=0.0)], ignore_conflicts=True)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Pacing state is worth nothing after a crash: do not wait for the disk while holding the lock.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        # Lock order everywhere: the chat row, then the global row (held as briefly as possible).
        chat = DeliveryPace.objects.select_for_update().get(key=key)
        now = time.time()
        if chat.next_at > now:
            # Waiting for the chat must not hold back other chats: reserve nothing yet.
            return Permit(reserved=False, wait=chat.next_at - now)
        overall = DeliveryPace.objects.select_for_update().filter(key=GLOBAL_KEY).first()
        if overall is None:
            DeliveryPace.objects.bulk_create([DeliveryPace(key=GLOBAL_KEY, next_at=0.0)], ignore_conflicts=True)
            overall = DeliveryPace.objects.select_for_update().get(key=GLOBAL_KEY)
        now = time.time()
        at = max(now, overall.next_at, chat.next_at)
        if at - now > max_wait:
            return Permit(reserved=False, wait=at - now)
        DeliveryPace.objects.filter(key=GLOBAL_KEY).update(next_at=at + global_spacing())
        DeliveryPace.objects.filter(key=key).update(next_at=at + chat_spacing())
        return Permit(reserved=True, wait=at - now, at=at)


def pace_prune(*, older_than_seconds: float = 3600.0) -> int:
    """Forget chats that have not been written to for a while; returns how many rows went."""
    cutoff = time.time() - older_than_seconds
    deleted, _ = DeliveryPace.objects.filter(key__startswith="chat:", next_at__lt=cutoff).delete()
    return deleted


def pace_forget_chat(*, chat_id: int) -> None:
    """Erasure: the pacing row of a person's chat names their Telegram id; it goes with them."""
    DeliveryPace.objects.filter(key=chat_key(chat_id)).delete()
