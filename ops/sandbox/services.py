"""Sandbox-only state changes: mark sandbox candidates, fast-forward their reminders. Never touches real rows."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from candidates.models import Candidate
from notifications import dispatch
from notifications.models import NotificationLog, NotificationStatus
from ops.sandbox.identities import SANDBOX_USER_IDS

logger = logging.getLogger(__name__)


class NotASandboxCandidate(Exception):
    """The Telegram id is outside the sandbox identities: the sandbox must not act on it."""


def _require_sandbox(telegram_id: int) -> None:
    if telegram_id not in SANDBOX_USER_IDS:
        raise NotASandboxCandidate(telegram_id)


@transaction.atomic
def sandbox_candidates_mark() -> int:
    """Flag every candidate played through the sandbox as is_sandbox (visible in the admin); returns how many."""
    return Candidate.objects.filter(telegram_id__in=SANDBOX_USER_IDS, is_sandbox=False).update(is_sandbox=True)


@transaction.atomic
def sandbox_reminders_fast_forward(*, telegram_id: int, now: dt.datetime | None = None) -> list[int]:
    """Make a sandbox candidate's next future message(s) due now and hand them to the worker; returns their ids.

    "Next" is every pending row sharing the earliest future due time (e.g. the T-2h confirmation request
    and its recruiter copy), so a demo steps through reminders one press at a time.
    """
    _require_sandbox(telegram_id)
    now = now or timezone.now()
    sandbox_candidates_mark()
    rows = list(
        NotificationLog.objects.select_for_update()
        .filter(
            candidate__telegram_id=telegram_id,
            candidate__is_sandbox=True,
            status=NotificationStatus.PENDING,
            due_at__gt=now,
        )
        .order_by("due_at", "pk")
    )
    if not rows:
        return []
    batch = [row for row in rows if row.due_at == rows[0].due_at]
    ids = [row.pk for row in batch]
    NotificationLog.objects.filter(pk__in=ids).update(due_at=now)
    for row in batch:
        row.due_at = now
    # The one-off schedules would fire later and find the rows already sent: drop them, send now.
    dispatch.unschedule(ids)
    dispatch.hand_over_at_commit(batch)
    logger.info(
        "sandbox: fast-forwarded notifications %s of sandbox candidate %s",
        ids,
        telegram_id,
        extra={"reservation_id": batch[0].reservation_id},
    )
    return ids
