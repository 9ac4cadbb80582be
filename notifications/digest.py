"""The morning digest: at 08:00 in each recruiter's zone, today's agenda goes to their bound chat through the outbox."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from notifications.agenda import AgendaMessage, agenda_messages, recruiter_today
from notifications.conversation import texts
from notifications.conversation.time_labels import to_local
from notifications.models import NotificationKind, NotificationLog, Recipient
from notifications.services import notifications_save
from scheduling.models import Recruiter

logger = logging.getLogger(__name__)

DIGEST_HOUR = 8
# The task runs hourly: a run that came late (a restart, a busy queue) still sends the morning's digest,
# but a plan for the day that arrives after noon is noise, so it is skipped until tomorrow.
DIGEST_LAST_HOUR = 12


def digest_enabled() -> bool:
    """The digest switch for everyone: settings.RECRUITER_DAILY_DIGEST, on unless set to False."""
    return settings.RECRUITER_DAILY_DIGEST


def _morning_in_zone(recruiter: Recruiter, now: dt.datetime) -> bool:
    return DIGEST_HOUR <= to_local(now, recruiter.tz).hour < DIGEST_LAST_HOUR


def _sent_today(recruiter: Recruiter, now: dt.datetime) -> bool:
    midnight = dt.datetime.combine(recruiter_today(recruiter, now), dt.time(0), tzinfo=recruiter.zone)
    return NotificationLog.objects.filter(
        kind=NotificationKind.RECRUITER_DAILY_DIGEST, recruiter=recruiter, due_at__gte=midnight
    ).exists()


def recruiters_due_for_digest(*, now: dt.datetime | None = None) -> list[Recruiter]:
    """Active recruiters with a bound chat whose morning it is and who have had no digest today."""
    now = now or timezone.now()
    if not digest_enabled():
        return []
    bound = Recruiter.objects.filter(is_active=True, daily_digest=True, telegram_chat_id__isnull=False).order_by("pk")
    return [r for r in bound if _morning_in_zone(r, now) and not _sent_today(r, now)]


def digest_messages(recruiter: Recruiter, *, now: dt.datetime | None = None) -> list[AgendaMessage]:
    """Today's agenda with the morning greeting, in parts that fit a Telegram message, then the open requests."""
    return agenda_messages(recruiter, first_day=recruiter_today(recruiter, now), days=1, heading=texts.AGENDA_DIGEST)


def digest_send_due(*, now: dt.datetime | None = None) -> int:
    """Write today's digest rows for every recruiter due one (each recruiter in their own transaction); how many."""
    now = now or timezone.now()
    sent = 0
    for due in recruiters_due_for_digest(now=now):
        with transaction.atomic():
            # Two overlapping runs queue on this lock; the second sees the first one's rows and writes none.
            recruiter = Recruiter.objects.select_for_update().get(pk=due.pk)
            if recruiter.telegram_chat_id is None or _sent_today(recruiter, now):
                continue
            rows = [
                NotificationLog(
                    kind=NotificationKind.RECRUITER_DAILY_DIGEST,
                    recipient=Recipient.RECRUITER,
                    recruiter=recruiter,
                    text=message.text,
                    reply_markup=message.markup,
                    due_at=now,
                )
                for message in digest_messages(recruiter, now=now)
            ]
            notifications_save(rows)
        sent += 1
    if sent:
        logger.info("daily digest queued for %s recruiter(s)", sent)
    return sent
