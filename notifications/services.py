"""Writing and canceling outbox rows. Called by the scheduling services inside their transaction."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from candidates.models import Candidate
from notifications import dispatch
from notifications.card import request_card_text
from notifications.conversation.time_labels import date_time_label, zone_label
from notifications.copy import wording_for
from notifications.kinds import KINDS, is_for_recruiter
from notifications.models import NotificationKind, NotificationLog, NotificationStatus, Recipient
from scheduling.errors import InvalidInput
from scheduling.meeting_places import meeting_place_for
from scheduling.models import SlotStatus

logger = logging.getLogger(__name__)

CARD_EDIT_TASK = "notifications.tasks.request_card_settle"
CONFIRM_REQUEST_BEFORE = dt.timedelta(hours=2)
REMINDER_BEFORE = dt.timedelta(hours=1)


def render(kind: str, *, slot: Any, candidate: Any, extra: dict[str, Any] | None = None) -> str:
    """The message text of one kind for one booking, times in the reader's zone (its confirmed text once confirmed)."""
    if kind == NotificationKind.RECRUITER_NEW_REQUEST:
        return request_card_text(slot=slot, candidate=candidate)
    rule = KINDS[kind]
    recipient_tz = slot.recruiter.tz if is_for_recruiter(kind) else slot.city.tz
    words = wording_for(candidate, city_id=slot.city_id)
    confirmed = rule.confirmed_template is not None and slot.status == SlotStatus.CONFIRMED
    template = words.kind_template(kind, rule.confirmed_template if confirmed else rule.template, confirmed=confirmed)
    # Only the texts that show the place pay for looking it up (a reservation's messages do not).
    meeting = ""
    if "{meeting}" in template:
        meeting = meeting_place_for(recruiter=slot.recruiter, city_id=slot.city_id) or words.MEETING_LINK_MISSING
    return template.format(
        when=date_time_label(slot.starts_at, recipient_tz),
        zone=zone_label(recipient_tz, slot.starts_at),
        recruiter=slot.recruiter.name,
        candidate=str(candidate),
        meeting=meeting,
        address=slot.intro_address,
        contact=slot.intro_contact,
        note=words.INTRO_NOTE.format(note=slot.intro_note) if slot.intro_note else "",
        **(extra or {}),
    )


def notification_build(
    *,
    kind: str,
    slot: Any,
    candidate: Any,
    reservation_id: uuid.UUID,
    due_at: dt.datetime | None = None,
    status: str = NotificationStatus.PENDING,
    extra: dict[str, Any] | None = None,
    button_key: uuid.UUID | None = None,
) -> NotificationLog | None:
    """An unsaved outbox row for one message intent, or None when there is no one to tell.

    extra: more values for the template (a Тест 2 score); button_key: what the buttons name when it is not the
    booking (the Тест 2 invitation names its attempt).
    """
    rule = KINDS[kind]
    if rule.audience == Recipient.RECRUITER and slot.recruiter.telegram_chat_id is None:
        return None
    words = wording_for(candidate, city_id=slot.city_id)
    return NotificationLog(
        kind=kind,
        slot=slot,
        candidate=candidate,
        reservation_id=reservation_id,
        recipient=rule.audience,
        recruiter=slot.recruiter,
        slot_starts_at=slot.starts_at,
        text=render(kind, slot=slot, candidate=candidate, extra=extra),
        reply_markup=rule.buttons(button_key or reservation_id, words) if rule.buttons else None,
        due_at=due_at or timezone.now(),
        status=status,
    )


def notifications_save(rows: Iterable[NotificationLog | None]) -> list[NotificationLog]:
    """Insert the rows of one state change in one statement; hand the due ones to the worker on commit.

    The unique key (kind, slot, candidate, reservation) makes a second plan of the same intent
    fail loudly instead of sending twice; every reservation id is new, so fresh bookings never clash.
    """
    batch = [row for row in rows if row is not None]
    if not batch:
        return []
    saved = NotificationLog.objects.bulk_create(batch)
    _hand_over(saved)
    return saved


def _pending(rows: list[NotificationLog]) -> list[NotificationLog]:
    """The rows a worker is to send (a row written as already canceled or sent is not handed over)."""
    return [row for row in rows if row.status == NotificationStatus.PENDING]


def _hand_over(rows: list[NotificationLog]) -> None:
    """Saved rows: the pending ones go to the worker when the transaction commits."""
    dispatch.hand_over_at_commit(_pending(rows))


_OUTBOX = NotificationLog._meta.db_table
_FIELDS = NotificationLog._meta.concrete_fields
# Double quotes name a column on PostgreSQL and SQLite alike (both backends' quote_name).
_COLUMNS = ", ".join(f'"{f.column}"' for f in _FIELDS)
_INSERT = f'INSERT INTO "{_OUTBOX}" ({_COLUMNS}) VALUES '
_ROW = "(" + ", ".join(["%s"] * len(_FIELDS)) + ")"


def outbox_ids_draw(count: int) -> tuple[str, list[Any]]:
    """A statement drawing `count` ids for outbox rows, as (sql, params).

    The reservation draws them with its locks, so that its rows and their queue rows (which name
    them) go in one round trip with its other writes. An id drawn and not used is a gap, no more.
    """
    if transaction.get_connection().vendor == "postgresql":
        return "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [_OUTBOX, count]
    # SQLite (the demo): its IMMEDIATE transactions let one writer in at a time, so the next ids stay free until
    # this one commits.
    return (
        "WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < %s) "
        "SELECT k + COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0) FROM n",
        [count, _OUTBOX],
    )


def outbox_writes(rows: list[NotificationLog], ids: list[int]) -> list[tuple[str, list[Any]]]:
    """The INSERT of a caller's own outbox rows under ids drawn by `outbox_ids_draw`, then the due rows' queue rows.

    What notifications_save does, as statements the caller sends with its own writes; the rows are
    marked saved. Rows handed to the queue at commit (Redis, sync mode) add no statement.
    """
    if not rows:
        return []
    for row, pk in zip(rows, ids[: len(rows)], strict=True):
        row.pk = pk
        row._state.adding = False
    connection = transaction.get_connection()
    params = [f.get_db_prep_save(f.pre_save(row, True), connection) for row in rows for f in _FIELDS]
    insert = (_INSERT + ", ".join([_ROW] * len(rows)), params)
    return [insert, *dispatch.hand_over_with(_pending(rows))]


def reminders_build(
    *, slot: Any, candidate: Any, reservation_id: uuid.UUID, now: dt.datetime
) -> list[NotificationLog | None]:
    """The T-2h confirmation request and the T-1h reminder of an approved booking (unsaved).

    A reminder whose time has passed is sent at once only while the interview has not started,
    and at most one such late message goes out: the confirmation request wins.
    """
    if now >= slot.starts_at:
        return []
    confirm_at = slot.starts_at - CONFIRM_REQUEST_BEFORE
    remind_at = slot.starts_at - REMINDER_BEFORE
    late_for_reminder = now >= remind_at
    return [
        notification_build(
            kind=NotificationKind.CONFIRM_REQUEST,
            slot=slot,
            candidate=candidate,
            reservation_id=reservation_id,
            due_at=max(confirm_at, now),
        ),
        notification_build(
            kind=NotificationKind.REMINDER_1H,
            slot=slot,
            candidate=candidate,
            reservation_id=reservation_id,
            due_at=remind_at,
            status=NotificationStatus.SKIPPED if late_for_reminder else NotificationStatus.PENDING,
        ),
    ]


def notifications_rerender(*, slot: Any, candidate: Any, reservation_id: uuid.UUID) -> list[int]:
    """Rewrite the unsent rows of a booking whose text depends on its state (the reminder after a confirm)."""
    kinds = [kind for kind, rule in KINDS.items() if rule.confirmed_template is not None]
    rows = list(
        NotificationLog.objects.select_for_update().filter(
            reservation_id=reservation_id, status=NotificationStatus.PENDING, kind__in=kinds
        )
    )
    now = timezone.now()
    for row in rows:
        row.text = render(row.kind, slot=slot, candidate=candidate)
        row.updated_at = now
    # The lock holds a worker's claim until commit, so the row goes out with the new text; one already
    # claimed is `sending` and was not selected.
    NotificationLog.objects.bulk_update(rows, ["text", "updated_at"])
    return [row.pk for row in rows]


def request_card_close(*, reservation_id: uuid.UUID, result: str) -> None:
    """The request was decided (or released): its card loses its buttons and shows the result.

    An unsent card is canceled (a decided request needs no buttons); a sent one is edited by a
    worker once this transaction commits, never from inside it.
    """
    card = NotificationKind.RECRUITER_NEW_REQUEST
    notifications_cancel(reservation_id=reservation_id, kinds=[card], reason="заявка уже рассмотрена")
    # A card being sent right now counts: its edit may still find it sent by the time the worker runs.
    reached_chat = NotificationLog.objects.filter(
        reservation_id=reservation_id, kind=card, status__in=[NotificationStatus.SENT, NotificationStatus.SENDING]
    )
    if reached_chat.exists():
        transaction.on_commit(lambda: _card_edit_enqueue(reservation_id, result))


def _card_edit_enqueue(reservation_id: uuid.UUID, result: str) -> None:
    try:
        dispatch.queue_task(CARD_EDIT_TASK, reservation_id.hex, result)
    except Exception:
        # The decision stands; a later press on the card answers with the current state instead.
        logger.exception("could not enqueue the card edit of reservation %s", reservation_id)


def notifications_cancel(*, reservation_id: uuid.UUID, kinds: Iterable[str] | None = None, reason: str) -> list[int]:
    """Cancel the unsent rows of a reservation (all, or only these kinds). History stays."""
    qs = NotificationLog.objects.filter(reservation_id=reservation_id, status=NotificationStatus.PENDING)
    if kinds is not None:
        qs = qs.filter(kind__in=list(kinds))
    # Rows being sent right now are left to the sender, which re-checks the booking before sending.
    return _cancel(list(qs.values_list("pk", flat=True)), reason=reason)


def notifications_cancel_for_candidate(*, candidate_id: int, reason: str, keep_ids: Iterable[int] = ()) -> list[int]:
    """Erasure: cancel every unsent row about this candidate, except keep_ids.

    The candidate's own rows are canceled even while being sent: their sender then finds the row
    canceled and cannot record the chat id of a person who is gone.
    """
    ids = (
        NotificationLog.objects.filter(candidate_id=candidate_id)
        .filter(
            Q(status=NotificationStatus.PENDING) | Q(status=NotificationStatus.SENDING, recipient=Recipient.CANDIDATE)
        )
        .exclude(pk__in=list(keep_ids))
        .values_list("pk", flat=True)
    )
    return _cancel(list(ids), reason=reason)


def _cancel(ids: list[int], *, reason: str) -> list[int]:
    if ids:
        NotificationLog.objects.filter(pk__in=ids).update(
            status=NotificationStatus.CANCELED, last_error=reason[:500], updated_at=timezone.now()
        )
        transaction.on_commit(lambda: dispatch.unschedule(ids))
    return ids


@transaction.atomic
def notification_retry(*, notification_id: int) -> NotificationLog:
    """Send a failed row again (operator or recruiter asked); its history of errors stays in last_error."""
    row = NotificationLog.objects.select_for_update().get(pk=notification_id)
    if row.status != NotificationStatus.FAILED:
        raise InvalidInput(f"Повторить можно только неотправленное с ошибкой (сейчас: {row.get_status_display()}).")
    row.status = NotificationStatus.PENDING
    row.due_at = timezone.now()
    row.attempts = 0
    row.save(update_fields=["status", "due_at", "attempts", "updated_at"])
    dispatch.hand_over_at_commit([row])
    return row


@transaction.atomic
def candidate_mark_unreachable(*, candidate_id: int, reason: str) -> Candidate:
    """Telegram refuses to deliver to this candidate (blocked the bot, chat gone): remember why."""
    candidate = Candidate.objects.select_for_update().get(pk=candidate_id)
    if candidate.is_reachable or candidate.unreachable_reason != reason[:300]:
        candidate.is_reachable = False
        candidate.unreachable_reason = reason[:300]
        candidate.save(update_fields=["is_reachable", "unreachable_reason"])
    return candidate
