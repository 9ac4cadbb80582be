"""Recruiters binding their Telegram chat with a one-time code from the admin (never by typing a name)."""

from __future__ import annotations

import datetime as dt
import logging
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from scheduling.errors import InvalidInput
from scheduling.models import Recruiter, new_calendar_token

logger = logging.getLogger(__name__)


def bind_code_ttl() -> dt.timedelta:
    """How long a bind code works: settings.BIND_CODE_TTL_MINUTES, read at call time."""
    return dt.timedelta(minutes=settings.BIND_CODE_TTL_MINUTES)


# The lifetime under the default setting, for callers that still take it as an argument default.
# Prefer bind_code_ttl(): this name stays only until scheduling/admin/recruiters.py reads the setting.
BIND_CODE_TTL = dt.timedelta(minutes=15)


@transaction.atomic
def recruiter_bind_code_issue(*, recruiter_id: int, now: dt.datetime | None = None) -> str:
    """A one-time code the recruiter sends to the bot (/bind CODE) to bind their Telegram chat."""
    now = now or timezone.now()
    recruiter = Recruiter.objects.select_for_update().get(pk=recruiter_id)
    recruiter.telegram_bind_code = secrets.token_hex(4).upper()
    recruiter.telegram_bind_code_expires_at = now + bind_code_ttl()
    recruiter.save(update_fields=["telegram_bind_code", "telegram_bind_code_expires_at"])
    return recruiter.telegram_bind_code


@transaction.atomic
def recruiter_bind_chat(*, code: str, chat_id: int, now: dt.datetime | None = None) -> Recruiter:
    """Bind the chat that sent a valid, unexpired code; the code works once."""
    now = now or timezone.now()
    code = code.strip().upper()
    recruiter = (
        Recruiter.objects.select_for_update().filter(telegram_bind_code=code).first() if len(code) == 8 else None
    )
    if (
        recruiter is None
        or recruiter.telegram_bind_code_expires_at is None
        or recruiter.telegram_bind_code_expires_at < now
    ):
        raise InvalidInput("Код неверный или устарел. Получите новый код в админке.")
    # A chat serves one recruiter: unbind it from anyone who had it before.
    Recruiter.objects.filter(telegram_chat_id=chat_id).exclude(pk=recruiter.pk).update(telegram_chat_id=None)
    # A recruiter has one chat: a new code moves the binding (a new phone, a new group) and the old chat
    # stops getting requests. Refusing would strand a recruiter who lost the old chat until an admin helps.
    if recruiter.telegram_chat_id is not None and recruiter.telegram_chat_id != chat_id:
        logger.info("recruiter %s moved their Telegram binding to another chat", recruiter.pk)
    recruiter.telegram_chat_id = chat_id
    recruiter.telegram_bind_code = ""
    recruiter.telegram_bind_code_expires_at = None
    recruiter.save(update_fields=["telegram_chat_id", "telegram_bind_code", "telegram_bind_code_expires_at"])
    logger.info("recruiter %s bound a Telegram chat", recruiter.pk)
    return recruiter


@transaction.atomic
def recruiter_unbind_chat(*, chat_id: int) -> Recruiter | None:
    """/unbind: the chat stops being a recruiter's; the recruiter it served, or None if it served nobody."""
    recruiter = Recruiter.objects.select_for_update().filter(telegram_chat_id=chat_id).first()
    if recruiter is None:
        return None
    recruiter.telegram_chat_id = None
    recruiter.save(update_fields=["telegram_chat_id"])
    logger.info("recruiter %s unbound their Telegram chat", recruiter.pk)
    return recruiter


@transaction.atomic
def recruiter_calendar_token_regenerate(*, recruiter_id: int) -> Recruiter:
    """A new secret for the recruiter's calendar feed: the old URL stops answering at once (404)."""
    recruiter = Recruiter.objects.select_for_update().get(pk=recruiter_id)
    recruiter.calendar_token = new_calendar_token()
    recruiter.save(update_fields=["calendar_token"])
    logger.info("recruiter %s got a new calendar feed URL", recruiter.pk)
    return recruiter
