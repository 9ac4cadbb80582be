"""Erasing a candidate's personal data, on request or by retention (Federal Law 152-FZ, issue 7).

The candidate row stays (status «erased») so slot counters, the SlotEvent audit trail and the
outbox history still add up; what it says about the person goes. Upcoming bookings are released
through `candidate_bookings_release`, so the recruiter is told by the outbox like for any cancellation, but the
notice names the candidate only by number. Consent time and version are kept on purpose: the
operator must be able to prove that processing was lawful while it happened (152-FZ art. 9 p. 3),
and without a name or Telegram id they identify nobody.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django_q.models import Schedule

from candidates import questionnaire
from candidates.models import Candidate, CandidateStatus
from candidates.signals import telegram_user_forgotten
from notifications.conversation import privacy_texts as texts
from notifications.conversation.time_labels import slot_label, zone_label
from notifications.models import NotificationKind, NotificationLog, NotificationStatus, Recipient
from notifications.pace import pace_forget_chat
from notifications.services import notifications_cancel_for_candidate, render
from scheduling.errors import InvalidInput
from scheduling.models import Slot, SlotEvent
from scheduling.selectors import upcoming_live
from scheduling.services import candidate_bookings_release

logger = logging.getLogger(__name__)

# Shorter fragments of a name are too common to redact inside other people's text.
_MIN_NAME_PART = 3
# Free-text answers shorter than this are too generic ("да", "25") to look for elsewhere.
_MIN_ANSWER = 8


@dataclass(frozen=True)
class ErasureReport:
    """What one erasure did."""

    candidate_id: int
    was_already_erased: bool
    bookings_canceled: int
    notifications_blanked: int
    notifications_canceled: int


@dataclass(frozen=True)
class PurgeReport:
    """What a retention run did (or, with dry_run, would do)."""

    cutoff: dt.datetime
    dry_run: bool
    candidate_ids: tuple[int, ...]
    skipped_ids: tuple[int, ...] = ()
    # Last activity of every candidate the run selected, as it was before the run.
    last_activity: tuple[tuple[int, dt.datetime], ...] = ()


@dataclass(frozen=True)
class PersonalDataSummary:
    """What the bot must say before erasing: is there anything, and which bookings would go."""

    has_data: bool
    bookings: tuple[tuple[str, str], ...] = ()  # (when, zone) in the city's zone


def erased_label(candidate_id: int) -> str:
    """How recruiters see an erased candidate: by number only."""
    return texts.ERASED_CANDIDATE.format(id=candidate_id)


def _personal_values(candidate: Candidate) -> tuple[list[str], list[str]]:
    """(strong, all): values to look for anywhere, and also the weaker ones for the candidate's own rows."""
    strong = [v for v in (candidate.full_name, candidate.username) if v and len(v) >= _MIN_NAME_PART]
    if candidate.username:
        strong.append(f"@{candidate.username}")
    if candidate.telegram_id is not None:
        strong.append(str(candidate.telegram_id))
    weak = [part for part in candidate.full_name.split() if len(part) >= _MIN_NAME_PART]
    from candidates.vacancies import bank

    questions = bank.for_candidate(candidate)
    for key, value in (candidate.test1_answers or {}).items():
        question = questionnaire.question(key) or questions.question(key)
        if isinstance(value, str) and question is not None and question.kind == questionnaire.TEXT:
            if len(value) >= _MIN_ANSWER:
                weak.append(value)
    if candidate.preferred_time_note and len(candidate.preferred_time_note) >= _MIN_ANSWER:
        weak.append(candidate.preferred_time_note)
    return strong, [*strong, *weak]


def _redactor(values: Iterable[str]) -> re.Pattern[str] | None:
    unique = sorted({v for v in values if v}, key=len, reverse=True)  # longest first: a name before its parts
    if not unique:
        return None
    return re.compile("|".join(rf"(?<!\w){re.escape(v)}(?!\w)" for v in unique), re.IGNORECASE)


def _redact(pattern: re.Pattern[str] | None, text: str) -> str:
    return pattern.sub(texts.REDACTED, text) if pattern is not None and text else text


def _scrub_notifications(
    candidate: Candidate, *, canceled: list[uuid.UUID], pattern: re.Pattern[str] | None, now: dt.datetime
) -> tuple[int, int]:
    """Blank texts, cancel unsent rows, forget chat ids; the recruiter's cancellation notice stays, anonymous."""
    rows = NotificationLog.objects.filter(candidate=candidate)
    notices = list(
        rows.filter(
            kind=NotificationKind.RECRUITER_CANDIDATE_CANCELED,
            reservation_id__in=canceled,
            status=NotificationStatus.PENDING,
        ).select_related("slot__recruiter", "slot__city")
    )
    notice_ids = [row.pk for row in notices]
    canceled_rows = notifications_cancel_for_candidate(
        candidate_id=candidate.pk, reason=texts.REASON_ERASED, keep_ids=notice_ids
    )
    blanked = rows.exclude(pk__in=notice_ids).exclude(text="").update(text="", updated_at=now)
    rows.filter(recipient=Recipient.CANDIDATE, chat_id__isnull=False).update(chat_id=None)
    for row in rows.exclude(last_error="").only("pk", "last_error"):
        redacted = _redact(pattern, row.last_error)
        if redacted != row.last_error:
            NotificationLog.objects.filter(pk=row.pk).update(last_error=redacted)
    for row in notices:
        row.text = render(row.kind, slot=row.slot, candidate=erased_label(candidate.pk))
        row.save(update_fields=["text", "updated_at"])
    return blanked, len(canceled_rows)


def _scrub_audit(candidate: Candidate, *, strong: list[str], pattern: re.Pattern[str] | None) -> None:
    """Keep every audit row, but without the person's values in its free text."""
    for event in SlotEvent.objects.filter(candidate=candidate).exclude(reason="").only("pk", "reason"):
        redacted = _redact(pattern, event.reason)
        if redacted != event.reason:
            SlotEvent.objects.filter(pk=event.pk).update(reason=redacted)
    # A recruiter's comment on the interview is about the person: it goes with them.
    Slot.objects.filter(candidate=candidate).exclude(outcome_note="").update(outcome_note="")
    for slot in Slot.objects.filter(events__candidate=candidate).exclude(outcome_note="").distinct():
        redacted = _redact(pattern, slot.outcome_note)
        if redacted != slot.outcome_note:
            Slot.objects.filter(pk=slot.pk).update(outcome_note=redacted)
    content_type = ContentType.objects.get_for_model(Candidate)
    own = Q(content_type=content_type, object_id=str(candidate.pk))
    mentions = Q()
    for value in strong:
        mentions |= Q(object_repr__icontains=value) | Q(change_message__icontains=value)
    strong_pattern = _redactor(strong)
    for entry in LogEntry.objects.filter(own | mentions):
        is_own = entry.content_type_id == content_type.pk and entry.object_id == str(candidate.pk)
        use = pattern if is_own else strong_pattern
        object_repr = str(candidate)[:200] if is_own else _redact(use, entry.object_repr)
        change_message = _redact(use, entry.change_message)
        if (object_repr, change_message) != (entry.object_repr, entry.change_message):
            LogEntry.objects.filter(pk=entry.pk).update(object_repr=object_repr, change_message=change_message)


def _erase_locked(candidate: Candidate, *, erased_by: str, reason: str, now: dt.datetime) -> ErasureReport:
    was_erased = candidate.status == CandidateStatus.ERASED
    strong, every = _personal_values(candidate)
    pattern = _redactor(every)
    telegram_id = candidate.telegram_id
    candidate.telegram_id = None
    candidate.username = ""
    candidate.full_name = ""
    candidate.test1_answers = {}
    candidate.test1_questions = {}
    candidate.test1_step = ""
    candidate.knockout_reason = _redact(pattern, candidate.knockout_reason)
    candidate.unreachable_reason = ""
    candidate.preferred_time_note = ""
    candidate.preferred_time_at = None
    candidate.bot_state = ""
    candidate.status = CandidateStatus.ERASED
    candidate.erased_at = candidate.erased_at or now
    candidate.erased_by = candidate.erased_by or erased_by[:150]
    # Saved before the bookings are released, so the recruiter notice is rendered without the name.
    candidate.save()
    canceled = candidate_bookings_release(candidate_id=candidate.pk, reason=reason, upcoming_only=True, now=now)
    blanked, canceled_rows = _scrub_notifications(candidate, canceled=canceled, pattern=pattern, now=now)
    if telegram_id is not None:
        telegram_user_forgotten.send(sender=Candidate, telegram_id=telegram_id)
        pace_forget_chat(chat_id=telegram_id)
    _scrub_audit(candidate, strong=strong, pattern=pattern)
    logger.info(
        "candidate %s erased (bookings canceled: %s, notifications blanked: %s)", candidate.pk, len(canceled), blanked
    )
    return ErasureReport(
        candidate_id=candidate.pk,
        was_already_erased=was_erased,
        bookings_canceled=len(canceled),
        notifications_blanked=blanked,
        notifications_canceled=canceled_rows,
    )


def _lock(candidate_id: int) -> Candidate:
    candidate = Candidate.objects.select_for_update().filter(pk=candidate_id).first()
    if candidate is None:
        raise InvalidInput("Кандидат не найден.", candidate_id=candidate_id)
    return candidate


@transaction.atomic
def candidate_erase(
    *, candidate_id: int, erased_by: str, reason: str = texts.REASON_ERASED, now: dt.datetime | None = None
) -> ErasureReport:
    """Release the candidate's upcoming bookings and erase their personal data everywhere (idempotent)."""
    return _erase_locked(_lock(candidate_id), erased_by=erased_by, reason=reason, now=now or timezone.now())


def candidate_erase_by_telegram_id(*, telegram_id: int, erased_by: str = texts.BY_CANDIDATE) -> ErasureReport | None:
    """/delete_my_data: erase the candidate of this Telegram user; None if we hold nothing about them."""
    candidate_id = Candidate.objects.filter(telegram_id=telegram_id).values_list("pk", flat=True).first()
    if candidate_id is None:
        # Button presses of someone who never became a candidate are still theirs to remove.
        telegram_user_forgotten.send(sender=Candidate, telegram_id=telegram_id)
        return None
    return candidate_erase(candidate_id=candidate_id, erased_by=erased_by, reason=texts.REASON_CANDIDATE)


def personal_data_summary(*, telegram_id: int, now: dt.datetime | None = None) -> PersonalDataSummary:
    """Whether we hold data about this Telegram user, and the bookings an erasure would cancel."""
    now = now or timezone.now()
    candidate_id = Candidate.objects.filter(telegram_id=telegram_id).values_list("pk", flat=True).first()
    if candidate_id is None:
        return PersonalDataSummary(has_data=False)
    slots = (
        Slot.objects.filter(upcoming_live(now), candidate_id=candidate_id).select_related("city").order_by("starts_at")
    )
    return PersonalDataSummary(
        has_data=True,
        bookings=tuple((slot_label(s.starts_at, s.city.tz), zone_label(s.city.tz, s.starts_at)) for s in slots),
    )


def _purge_candidates(cutoff: dt.datetime, now: dt.datetime) -> Iterable[Candidate]:
    upcoming = Slot.objects.filter(upcoming_live(now), candidate=OuterRef("pk"))
    return (
        Candidate.objects.exclude(status=CandidateStatus.ERASED)
        .filter(last_activity_at__lt=cutoff)
        .exclude(Exists(upcoming))
        .order_by("pk")
    )


@transaction.atomic
def _purge_one(*, candidate_id: int, cutoff: dt.datetime, erased_by: str, now: dt.datetime) -> bool:
    candidate = Candidate.objects.select_for_update().filter(pk=candidate_id).first()
    # Checked again under the lock: the candidate may have come back or booked since the selection.
    if candidate is None or not _purge_candidates(cutoff, now).filter(pk=candidate_id).exists():
        return False
    _erase_locked(candidate, erased_by=erased_by, reason=texts.REASON_ERASED, now=now)
    return True


def candidates_purge(*, older_than_days: int, dry_run: bool, now: dt.datetime | None = None) -> PurgeReport:
    """Erase candidates with no upcoming booking and no activity for older_than_days (dry_run: only list them)."""
    if older_than_days < 1:
        raise InvalidInput("Срок хранения должен быть не меньше одного дня.")
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=older_than_days)
    selected = tuple(_purge_candidates(cutoff, now).values_list("pk", "last_activity_at"))
    ids = [pk for pk, _ in selected]
    if dry_run:
        return PurgeReport(cutoff=cutoff, dry_run=True, candidate_ids=tuple(ids), last_activity=selected)
    erased_by = texts.BY_RETENTION.format(days=older_than_days)
    erased: list[int] = []
    skipped: list[int] = []
    for candidate_id in ids:
        # One transaction per candidate: a long purge never holds many locks at once.
        if _purge_one(candidate_id=candidate_id, cutoff=cutoff, erased_by=erased_by, now=now):
            erased.append(candidate_id)
        else:
            skipped.append(candidate_id)
    logger.info("retention purge (%s days): erased %s, skipped %s", older_than_days, len(erased), len(skipped))
    return PurgeReport(
        cutoff=cutoff,
        dry_run=False,
        candidate_ids=tuple(erased),
        skipped_ids=tuple(skipped),
        last_activity=selected,
    )


RETENTION_SCHEDULE_NAME = "candidates-purge-personal-data"
RETENTION_TASK = "candidates.tasks.purge_personal_data"
# Hour in settings.TIME_ZONE (UTC: 06:00 in Moscow), before the recruiters' working day.
RETENTION_HOUR = 3


def _next_run(now: dt.datetime) -> dt.datetime:
    local = timezone.localtime(now)
    run = local.replace(hour=RETENTION_HOUR, minute=0, second=0, microsecond=0)
    return run if run > local else run + dt.timedelta(days=1)


def retention_schedule_ensure(*, now: dt.datetime | None = None) -> str:
    """Create, keep or delete the daily purge schedule by name to match the setting; returns what it did."""
    schedules = Schedule.objects.filter(name=RETENTION_SCHEDULE_NAME)
    if settings.PERSONAL_DATA_RETENTION_DAYS <= 0:
        deleted, _ = schedules.delete()
        return "deleted" if deleted else "absent"
    defaults = {"func": RETENTION_TASK, "schedule_type": Schedule.DAILY, "repeats": -1}
    # An existing schedule keeps its next run: re-running the deploy step must not shift it.
    _, created = Schedule.objects.update_or_create(
        name=RETENTION_SCHEDULE_NAME,
        defaults=defaults,
        create_defaults={**defaults, "next_run": _next_run(now or timezone.now())},
    )
    logger.info("retention schedule %s", "created" if created else "kept")
    return "created" if created else "kept"
