"""The current overrides, kept in each process and refreshed when they change.

The bot, the worker and the admin are separate processes (several hosts in production), and Django's default
cache is per process (LocMem). So each process keeps the whole table of current overrides (a few hundred short
rows at most) and, at most every TEXT_OVERRIDES_CHECK_SECONDS (10 s by default), asks the database for a version
stamp: the highest row id and the row count. Rows are only ever added (a change, a reset and a revert are each
a new row), so any change moves the stamp; deleting a vacancy or city cascades its rows away and moves the count.
One indexed aggregate every 10 s costs nothing, needs no Redis, and a change reaches every process within
that interval — well inside the minute the product promises. The process that saved a change forgets at once.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Max

from notifications.copy.validation import override_errors
from notifications.models import TextOverride

logger = logging.getLogger(__name__)

DEFAULT_CHECK_SECONDS = 10
Scope = tuple[str, int | None, int | None]


@dataclass
class _Snapshot:
    stamp: tuple[int, int] | None = None
    checked_at: float = float("-inf")
    texts: dict[Scope, str] = field(default_factory=dict)


_lock = threading.Lock()
_snapshot = _Snapshot()


def _stamp() -> tuple[int, int]:
    agg = TextOverride.objects.aggregate(last=Max("id"), count=Count("id"))
    return (agg["last"] or 0, agg["count"])


def _load() -> dict[Scope, str]:
    """The latest row of every scope that is active and still valid (a bad one is logged and skipped)."""
    latest = TextOverride.objects.values("key", "vacancy", "city").annotate(last=Max("id")).values("last")
    current: dict[Scope, str] = {}
    for row in TextOverride.objects.filter(id__in=latest, is_active=True).only("key", "vacancy", "city", "text"):
        errors = override_errors(row.key, row.text)
        if errors:
            logger.error("text override %s (%s) is not valid, the default is used: %s", row.pk, row.key, errors)
            continue
        current[(row.key, row.vacancy_id, row.city_id)] = row.text
    return current


def current() -> dict[Scope, str]:
    """(key, vacancy id, city id) → text of every override in force, fresh to within the check interval."""
    interval = getattr(settings, "TEXT_OVERRIDES_CHECK_SECONDS", DEFAULT_CHECK_SECONDS)
    now = time.monotonic()
    snapshot = _snapshot
    if now - snapshot.checked_at < interval:
        return snapshot.texts
    with _lock:
        if now - _snapshot.checked_at < interval:
            return _snapshot.texts
        stamp = _stamp()
        if stamp != _snapshot.stamp:
            _snapshot.texts = _load()
            _snapshot.stamp = stamp
        _snapshot.checked_at = now
        return _snapshot.texts


def forget() -> None:
    """Check the database on the next lookup (called by this process after it saved a change)."""
    with _lock:
        _snapshot.checked_at = float("-inf")
