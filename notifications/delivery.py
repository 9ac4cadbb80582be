"""Deliver one outbox row: claim it, re-check it, send it outside any transaction, record the result.

Delivery is **at least once**, and "once" in every case we can control:
- the claim is a conditional UPDATE (pending and due → sending), committed before the send, so
  two workers (or a duplicated task, or the sweep racing a schedule) never send the same row;
- a row stays in `sending` only while its worker lives. The sweep puts a `sending` row back to
  pending only after a lease (`lease()`, longer than a worker's sends and waits): by then the original send has
  finished or been abandoned (every send is bounded by the timeout), so a slow but live worker
  is never doubled;
- one duplicate is still possible, on purpose: when Telegram accepted a message but we never
  learned it (the answer timed out, or the worker was killed between Telegram's answer and our
  commit of `sent`), the row is sent again. Losing a recruiter's decision is worse than
  repeating it once; the window is the few milliseconds of our own commit, or a send that
  outlives its timeout.

Error policy: RetryAfter → a short delay is waited and the row sent once more; otherwise pending
again after Telegram's delay (not a failed attempt);
network errors, timeouts, 5xx and anything unexpected → pending with exponential backoff and
jitter until DELIVERY_MAX_ATTEMPTS, then failed; 403 and 400 "chat not found" → failed at
once and the candidate marked unreachable; any other 400 → failed (the message itself is bad).
Every outcome is logged and lands in the row's status and last_error.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import time
import uuid
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter, TelegramError

from config.logging import reservation_context
from notifications import dispatch, telegram
from notifications.card import sent_request_card
from notifications.kinds import KINDS
from notifications.models import OPEN_STATUSES, NotificationLog, NotificationStatus, Recipient
from notifications.pace import pace_acquire
from notifications.selectors import sent_with_buttons
from notifications.services import candidate_mark_unreachable
from scheduling.models import LIVE_STATUSES

logger = logging.getLogger(__name__)

BACKOFF_BASE_SECONDS = 10.0
BACKOFF_CAP_SECONDS = 600.0
# A task may wait this long for its pacing turn, or for a flood wait Telegram asks for, before it re-queues the row.
MAX_INLINE_WAIT_SECONDS = 2.0
# How far past its reserved moment a send may still go: well inside the pace's headroom below Telegram's limit.
LATE_SEND_SECONDS = 0.03


def lease() -> dt.timedelta:
    """How long a claimed row may stay in `sending` before the sweep hands it out again.

    A live worker takes at most: the wait for an earlier row, a fresh client's warm-up, its turn, a send, a short
    flood wait, a second turn and a second send (each wait up to MAX_INLINE_WAIT_SECONDS, each Telegram call up to
    a send timeout); one send timeout more as margin.
    """
    return dt.timedelta(seconds=4 * telegram.send_timeout() + 4 * MAX_INLINE_WAIT_SECONDS)


def backoff(attempts: int) -> dt.timedelta:
    """Delay before the next try after `attempts` failed ones: exponential, capped, with jitter."""
    base = min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** max(0, attempts - 1))
    return dt.timedelta(seconds=base * random.uniform(0.75, 1.25))


def _chat_id(row: NotificationLog) -> int | None:
    if row.recipient == Recipient.RECRUITER:
        return row.recruiter.telegram_chat_id if row.recruiter else None
    return row.candidate.telegram_id if row.candidate else None


def _stale_reason(row: NotificationLog, now: dt.datetime) -> str:
    """Why this row must not be sent any more, or '' if it may."""
    if row.recipient == Recipient.CANDIDATE:
        if row.candidate is None or row.candidate.telegram_id is None:
            return "получатель неизвестен (данные кандидата стёрты)"
        if not row.candidate.is_reachable:
            return f"кандидат недоступен в Telegram: {row.candidate.unreachable_reason}".strip(": ")
    elif row.recruiter is None or row.recruiter.telegram_chat_id is None:
        return "у рекрутёра не привязан Telegram"
    slot = row.slot
    if slot is None:
        return ""
    rule = KINDS[row.kind]
    if rule.needs_live_booking:
        if slot.reservation_id != row.reservation_id or slot.status not in LIVE_STATUSES:
            return "запись больше не действует"
        if row.slot_starts_at is not None and slot.starts_at != row.slot_starts_at:
            return "время собеседования изменилось"
    if rule.before_start_only and now >= slot.starts_at:
        return "собеседование уже началось"
    return ""


def _retry_delay(exc: RetryAfter) -> dt.timedelta:
    return exc.retry_after if isinstance(exc.retry_after, dt.timedelta) else dt.timedelta(seconds=exc.retry_after)


def _claim(notification_id: int, now: dt.datetime) -> bool:
    with transaction.atomic():
        return bool(
            NotificationLog.objects.filter(
                pk=notification_id, status=NotificationStatus.PENDING, due_at__lte=now
            ).update(status=NotificationStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1, updated_at=now)
        )


def _finish(row: NotificationLog, **fields: Any) -> bool:
    """Record the outcome, only if the row is still ours (the sweep may have reclaimed it)."""
    fields["updated_at"] = timezone.now()
    with transaction.atomic():
        updated = NotificationLog.objects.filter(
            pk=row.pk, status=NotificationStatus.SENDING, claimed_at=row.claimed_at
        ).update(**fields)
    if not updated:
        logger.warning("notification %s was reclaimed before its outcome was recorded: %s", row.pk, fields)
    return bool(updated)


def _retry_at(row: NotificationLog, due_at: dt.datetime, error: str, *, count_attempt: bool) -> None:
    """Back to pending, due at due_at, and make sure something will pick it up then."""
    fields: dict[str, Any] = {"status": NotificationStatus.PENDING, "due_at": due_at, "last_error": error[:2000]}
    if not count_attempt:
        fields["attempts"] = F("attempts") - 1
    if _finish(row, **fields):
        dispatch.hand_back(row.pk, due_at)


def _fail(row: NotificationLog, error: str) -> None:
    _finish(row, status=NotificationStatus.FAILED, last_error=error[:2000])


def _transient(row: NotificationLog, error: str) -> None:
    if row.attempts >= settings.DELIVERY_MAX_ATTEMPTS:
        logger.error("notification %s failed after %s attempts: %s", row.pk, row.attempts, error)
        _fail(row, f"{error} (попыток: {row.attempts})")
        return
    due_at = timezone.now() + backoff(row.attempts)
    logger.warning("notification %s attempt %s failed, retry at %s: %s", row.pk, row.attempts, due_at, error)
    _retry_at(row, due_at, error, count_attempt=True)


def _is_chat_gone(exc: TelegramError) -> bool:
    if isinstance(exc, Forbidden):
        return True
    message = str(exc).lower()
    return isinstance(exc, BadRequest) and ("chat not found" in message or "user is deactivated" in message)


def _earlier_open_row_exists(row: NotificationLog, now: dt.datetime) -> bool:
    """Is an earlier due message to the same person still unsent? (A chat reads in due order.)"""
    same_person = {"candidate_id": row.candidate_id} if row.recipient == Recipient.CANDIDATE else {}
    if row.recipient == Recipient.RECRUITER:
        same_person = {"recruiter_id": row.recruiter_id}
    return (
        NotificationLog.objects.filter(
            recipient=row.recipient, status__in=OPEN_STATUSES, due_at__lte=now, **same_person
        )
        .filter(Q(due_at__lt=row.due_at) | Q(due_at=row.due_at, pk__lt=row.pk))
        .exclude(pk=row.pk)
        .exists()
    )


def _wait_for_earlier(row: NotificationLog) -> bool:
    """Let an earlier message to the same chat go first; False if the row was re-queued behind it."""
    deadline = time.monotonic() + MAX_INLINE_WAIT_SECONDS
    while _earlier_open_row_exists(row, timezone.now()):
        if time.monotonic() >= deadline:
            due_at = timezone.now() + dt.timedelta(seconds=1)
            logger.info("notification %s waits for an earlier message to the same chat: re-queued", row.pk)
            _retry_at(row, due_at, row.last_error, count_attempt=False)
            return False
        time.sleep(0.1)
    return True


def _pace_moment(chat_id: int) -> tuple[float | None, float]:
    """Wait (up to MAX_INLINE_WAIT_SECONDS in all) for the chat's next moment in the shared pace and reach it:
    (the moment, 0), or (None, how much longer it would take) when it is further away."""
    telegram.warm_up()
    waited = 0.0
    while True:
        permit = pace_acquire(chat_id=chat_id, max_wait=MAX_INLINE_WAIT_SECONDS)
        if permit.reserved:
            # Towards the moment itself, not "wait" seconds from now: the pacing transaction's commit took time too.
            time.sleep(max(0.0, permit.at - time.time()))
            return permit.at, 0.0
        if waited + permit.wait > MAX_INLINE_WAIT_SECONDS:
            return None, permit.wait
        time.sleep(permit.wait)
        waited += permit.wait


def _wait_for_turn(row: NotificationLog, chat_id: int) -> float | None:
    """Wait (briefly) for the shared pace; the reserved moment, or None if the row was re-queued instead."""
    moment, wait = _pace_moment(chat_id)
    if moment is None:
        due_at = timezone.now() + dt.timedelta(seconds=wait)
        logger.info("notification %s paced: re-queued for %s", row.pk, due_at)
        _retry_at(row, due_at, row.last_error, count_attempt=False)
    return moment


def _take_turn(row: NotificationLog, chat_id: int) -> bool:
    """Wait for a sending moment that is still fresh, the booking re-checked after the wait; False if the row was
    re-queued or canceled instead."""
    while True:
        moment = _wait_for_turn(row, chat_id)
        if moment is None:
            return False
        if row.slot_id is not None:
            # The wait may have taken a moment: look at the booking again right before sending.
            row.slot.refresh_from_db()
            reason = _stale_reason(row, timezone.now())
            if reason:
                logger.info("notification %s canceled at send time: %s", row.pk, reason)
                _finish(row, status=NotificationStatus.CANCELED, last_error=reason)
                return False
        if not _is_late(moment):
            return True
        logger.info(
            "notification %s missed its sending moment by %.3f s: takes a new one", row.pk, time.time() - moment
        )


def _is_late(moment: float) -> bool:
    """Whether a send now would land too far past its reserved moment.

    Telegram counts arrivals in sliding one-second windows, and the moments after ours belong to other
    sends: a worker scheduled late (a busy CPU) that sent anyway would crowd the next window into a 429,
    which real Telegram answers with penalties of many seconds. Such a send takes a new moment instead.
    """
    return time.time() - moment > LATE_SEND_SECONDS


def deliver_one(notification_id: int) -> bool:
    """Claim, re-check and send one due outbox row; True if Telegram accepted it now."""
    now = timezone.now()
    if not _claim(notification_id, now):
        logger.debug("notification %s not claimable (not pending, not due, or taken)", notification_id)
        return False
    row = NotificationLog.objects.select_related("candidate", "recruiter", "slot").get(pk=notification_id)
    with reservation_context(row.reservation_id):
        return _deliver_claimed(row)


def _deliver_claimed(row: NotificationLog) -> bool:
    now = timezone.now()
    chat_id = _chat_id(row)
    reason = _stale_reason(row, now)
    if reason or chat_id is None:
        logger.info("notification %s canceled at send time: %s", row.pk, reason)
        _finish(row, status=NotificationStatus.CANCELED, last_error=reason or "получатель неизвестен")
        return False
    if not _wait_for_earlier(row):
        return False
    for send in (1, 2):
        if not _take_turn(row, chat_id):
            return False
        try:
            message_id = telegram.send_message(chat_id=chat_id, text=row.text, reply_markup=row.reply_markup)
            break
        except RetryAfter as exc:
            delay = _retry_delay(exc)
            if send == 1 and delay.total_seconds() <= MAX_INLINE_WAIT_SECONDS:
                # A short wait is waited here: re-queued, the row would wait for django-q2's scheduler, which
                # looks at schedules every 30 s (a recruiter's card came 30 s late after a 1-s flood wait).
                logger.info("notification %s flood-limited by Telegram: waits %s and sends again", row.pk, delay)
                time.sleep(delay.total_seconds())
                continue
            logger.warning("notification %s flood-limited by Telegram, retry after %s", row.pk, delay)
            _retry_at(row, timezone.now() + delay, f"429: {exc}", count_attempt=False)
            return False
        except (Forbidden, BadRequest) as exc:
            error = f"{type(exc).__name__}: {exc}"
            logger.warning("notification %s rejected by Telegram for chat %s: %s", row.pk, chat_id, error)
            _fail(row, error)
            if _is_chat_gone(exc) and row.recipient == Recipient.CANDIDATE and row.candidate_id is not None:
                candidate_mark_unreachable(candidate_id=row.candidate_id, reason=error)
            return False
        except ChatMigrated as exc:
            _fail(row, f"ChatMigrated: {exc}")
            return False
        except TelegramError as exc:
            _transient(row, f"{type(exc).__name__}: {exc}")
            return False
        except Exception as exc:
            logger.exception("notification %s: unexpected error while sending", row.pk)
            _transient(row, f"{type(exc).__name__}: {exc}")
            return False
    sent = _finish(
        row,
        status=NotificationStatus.SENT,
        telegram_message_id=message_id,
        chat_id=chat_id,
        sent_at=timezone.now(),
    )
    logger.info("notification %s (%s) sent to chat %s as message %s", row.pk, row.kind, chat_id, message_id)
    if sent and KINDS[row.kind].supersedes_buttons and row.reservation_id is not None:
        _drop_superseded_buttons(row, chat_id=chat_id, message_id=message_id)
    return sent


def _drop_superseded_buttons(row: NotificationLog, *, chat_id: int, message_id: int) -> None:
    """Best effort: the booking moved on, so its earlier messages lose their buttons. The row is sent either way."""
    for earlier_id in sent_with_buttons(reservation_id=row.reservation_id):
        if earlier_id == message_id:
            continue
        try:
            telegram.remove_keyboard(chat_id=chat_id, message_id=earlier_id)
        except Exception as exc:
            # "not modified" (already bare) or "not found" (deleted by the person) is the usual case.
            logger.info("notification %s: buttons of message %s stay: %s", row.pk, earlier_id, exc)


def request_card_edit(reservation_id: uuid.UUID, result: str) -> bool:
    """Best effort: the sent card of a decided request shows its result and loses its buttons.

    A card still being sent at this moment keeps its buttons; a press on it answers with the current state.
    """
    card = sent_request_card(reservation_id)
    if card is None:
        return False
    # An edit counts against the chat's flood limit like a message: it takes a moment of the pace, so that the
    # next card does not run into it (when the chat is busier than that, the edit goes anyway and may wait).
    _pace_moment(card.chat_id)
    for attempt in (1, 2):
        try:
            telegram.edit_message_text(
                chat_id=card.chat_id, message_id=card.telegram_message_id, text=card.text + result
            )
            return True
        except RetryAfter as exc:
            # The chat's flood limit (a burst of cards): one wait, then try once more.
            delay = _retry_delay(exc)
            if attempt == 2 or delay.total_seconds() > MAX_INLINE_WAIT_SECONDS * 2:
                logger.warning("card of reservation %s not edited: flood-limited for %s", reservation_id, delay)
                return False
            time.sleep(delay.total_seconds())
        except TelegramError as exc:
            # Usually "message to edit not found": the recruiter deleted the card.
            logger.info("card of reservation %s not edited: %s", reservation_id, exc)
            return False
    return False


def stale_sending_release(*, now: dt.datetime | None = None, lease_override: float | None = None) -> list[int]:
    """Rows left in `sending` past the lease (their worker died) go back to pending, due now.

    lease_override=0 releases every `sending` row: only for an operator who knows no worker runs.
    """
    now = now or timezone.now()
    cutoff = now - (lease() if lease_override is None else dt.timedelta(seconds=lease_override))
    with transaction.atomic():
        ids = list(
            NotificationLog.objects.select_for_update(skip_locked=True)
            .filter(status=NotificationStatus.SENDING, claimed_at__lte=cutoff)
            .values_list("pk", flat=True)
        )
        if ids:
            NotificationLog.objects.filter(pk__in=ids, status=NotificationStatus.SENDING).update(
                status=NotificationStatus.PENDING,
                due_at=now,
                last_error="worker stopped while sending; handed out again",
                updated_at=now,
            )
    for notification_id in ids:
        logger.warning("notification %s was stuck in sending past the lease: back to pending", notification_id)
    return ids
