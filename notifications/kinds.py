"""The one table of notification kinds: who reads each, its text, its buttons, and when it is still worth sending."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from notifications.conversation import after_keyboards, after_texts, keyboards, texts
from notifications.models import NotificationKind, Recipient

K = NotificationKind
# The morning digest (notifications/digest.py). Spelt here until NotificationKind gets the value (a
# migration); the digest writes its own text (the agenda), so the template below is only its heading.
# (reservation id, the reader's texts: notifications.copy.Wording or the texts module) → keyboard.
Buttons = Callable[[uuid.UUID, Any], keyboards.Markup]


def _other_time(_reservation_id: uuid.UUID, words: Any = texts) -> keyboards.Markup:
    # The booking is over: the button only opens the choice again, so it names no booking.
    return keyboards.other_time_markup(words)


@dataclass(frozen=True)
class KindRule:
    """How one kind of message behaves.

    needs_live_booking: sent only while its reservation still holds the slot at the same start time.
    before_start_only: never sent once the interview has started.
    supersedes_buttons: once delivered, the buttons of the booking's earlier candidate messages go (the
        booking moved on, so «Отменить запись» on the request or «Подтверждаю» on the approval no longer apply).
    confirmed_template: the text once the candidate confirmed (services re-render a pending row at confirm).
    """

    audience: str
    template: str
    buttons: Buttons | None = None
    needs_live_booking: bool = False
    before_start_only: bool = False
    supersedes_buttons: bool = False
    confirmed_template: str | None = None


KINDS: dict[str, KindRule] = {
    K.RESERVATION_RECEIVED: KindRule(
        Recipient.CANDIDATE, texts.RESERVATION_RECEIVED, keyboards.booking_markup, True, True
    ),
    # The decision card (notifications/card.py renders its text); a decision edits it into its result.
    K.RECRUITER_NEW_REQUEST: KindRule(
        Recipient.RECRUITER, texts.RECRUITER_NEW_REQUEST, keyboards.request_card_markup, True, True
    ),
    K.APPROVED: KindRule(
        Recipient.CANDIDATE, texts.APPROVED, keyboards.confirm_markup, True, True, supersedes_buttons=True
    ),
    K.RESCHEDULE_REQUESTED: KindRule(
        Recipient.CANDIDATE, texts.RESCHEDULE_REQUESTED, _other_time, supersedes_buttons=True
    ),
    K.REJECTED: KindRule(Recipient.CANDIDATE, texts.REJECTED, supersedes_buttons=True),
    K.CONFIRM_REQUEST: KindRule(
        Recipient.CANDIDATE, texts.CONFIRM_REQUEST, keyboards.confirm_markup, True, True, supersedes_buttons=True
    ),
    # Not superseding: a candidate who has not confirmed yet keeps «Подтверждаю» on the request above it.
    K.REMINDER_1H: KindRule(
        Recipient.CANDIDATE, texts.REMINDER_1H, None, True, True, confirmed_template=texts.REMINDER_1H_CONFIRMED
    ),
    K.MEETING_LINK: KindRule(Recipient.CANDIDATE, texts.MEETING_LINK, None, True, False, supersedes_buttons=True),
    K.RECRUITER_CANDIDATE_CONFIRMED: KindRule(
        Recipient.RECRUITER, texts.RECRUITER_CANDIDATE_CONFIRMED, None, True, False
    ),
    K.RECRUITER_CANDIDATE_DECLINED: KindRule(Recipient.RECRUITER, texts.RECRUITER_CANDIDATE_DECLINED),
    K.RECRUITER_CANDIDATE_CANCELED: KindRule(Recipient.RECRUITER, texts.RECRUITER_CANDIDATE_CANCELED),
    K.PENDING_EXPIRED: KindRule(Recipient.CANDIDATE, texts.PENDING_EXPIRED, _other_time, supersedes_buttons=True),
    K.RECRUITER_PENDING_EXPIRED: KindRule(Recipient.RECRUITER, texts.RECRUITER_PENDING_EXPIRED),
    K.SLOT_CANCELED: KindRule(Recipient.CANDIDATE, texts.SLOT_CANCELED, _other_time, supersedes_buttons=True),
    # Due at the slot's end, so never before it; only while the booking still holds (a release cancels it).
    K.RECRUITER_ATTENDANCE: KindRule(
        Recipient.RECRUITER, texts.RECRUITER_ATTENDANCE, keyboards.attendance_markup, True, False
    ),
    K.RECRUITER_DAILY_DIGEST: KindRule(Recipient.RECRUITER, texts.AGENDA_DIGEST),
    # After the interview. Тест 2 rows name the interview's booking, which stays booked with its outcome, so
    # they need no live booking; the button of the invitation is keyed by the attempt (test2_services).
    K.INTERVIEW_FAILED: KindRule(Recipient.CANDIDATE, after_texts.INTERVIEW_FAILED),
    K.TEST2_INVITATION: KindRule(Recipient.CANDIDATE, after_texts.TEST2_INVITATION, after_keyboards.test2_start_markup),
    K.TEST2_PASSED: KindRule(Recipient.CANDIDATE, after_texts.TEST2_PASSED),
    K.TEST2_FAILED: KindRule(Recipient.CANDIDATE, after_texts.TEST2_FAILED),
    K.RECRUITER_TEST2_RESULT: KindRule(Recipient.RECRUITER, after_texts.RECRUITER_TEST2_RESULT),
    # The intro day: its own texts (never an interview's), live-checked like every booking message.
    K.INTRO_DAY_INVITATION: KindRule(
        Recipient.CANDIDATE, after_texts.INTRO_DAY_INVITATION, after_keyboards.intro_markup, True, True
    ),
    K.INTRO_DAY_REMINDER: KindRule(Recipient.CANDIDATE, after_texts.INTRO_DAY_REMINDER, None, True, True),
    K.INTRO_DAY_CANCELED: KindRule(Recipient.CANDIDATE, after_texts.INTRO_DAY_CANCELED, supersedes_buttons=True),
    K.RECRUITER_INTRO_CONFIRMED: KindRule(Recipient.RECRUITER, after_texts.RECRUITER_INTRO_CONFIRMED, None, True),
    K.RECRUITER_INTRO_DECLINED: KindRule(Recipient.RECRUITER, after_texts.RECRUITER_INTRO_DECLINED),
    K.RECRUITER_INTRO_ATTENDANCE: KindRule(
        Recipient.RECRUITER, after_texts.RECRUITER_INTRO_ATTENDANCE, keyboards.attendance_markup, True
    ),
}

# Messages whose «Подтверждаю» / «Не смогу» lose their meaning once the candidate answered one of them.
CONFIRM_BUTTON_KINDS = tuple(kind for kind, rule in KINDS.items() if rule.buttons is keyboards.confirm_markup)


def is_for_recruiter(kind: str) -> bool:
    """Whether the recruiter (not the candidate) reads this kind."""
    return KINDS[kind].audience == Recipient.RECRUITER
