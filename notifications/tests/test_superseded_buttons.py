"""When a booking moves on, the buttons of its earlier messages go (issue 12, item 1): delivery removes them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from candidates.models import Candidate
from candidates.tests.factories import CandidateFactory
from notifications.delivery import deliver_one
from notifications.kinds import KINDS
from notifications.models import NotificationKind, NotificationLog, NotificationStatus
from notifications.tests.helpers import row_of
from ops.fake_telegram import FakeTelegramAPI
from scheduling import services
from scheduling.models import Slot
from scheduling.tests.factories import SlotFactory

pytestmark = pytest.mark.django_db

K = NotificationKind


def _requested_and_delivered() -> tuple[Slot, Candidate]:
    """A candidate's request, its «Заявка отправлена…» (with «Отменить запись») delivered."""
    slot = SlotFactory(starts_at=timezone.now() + dt.timedelta(days=2))
    candidate = CandidateFactory()
    services.slot_reserve(slot_id=slot.pk, candidate_id=candidate.pk)
    assert deliver_one(row_of(slot, K.RESERVATION_RECEIVED).pk)
    return slot, candidate


def _keyboard(fake: FakeTelegramAPI, candidate: Candidate, index: int) -> object:
    return fake.chat(candidate.telegram_id)[index].get("reply_markup")


def test_the_approval_takes_the_cancel_button_off_the_request_message(telegram_api: FakeTelegramAPI) -> None:
    slot, candidate = _requested_and_delivered()
    assert _keyboard(telegram_api, candidate, 0) is not None

    services.slot_approve(slot_id=slot.pk)
    approval = row_of(slot, K.APPROVED)
    assert deliver_one(approval.pk)

    assert _keyboard(telegram_api, candidate, 0) is None
    assert _keyboard(telegram_api, candidate, 1) == approval.reply_markup  # the new message keeps its own
    assert len(telegram_api.calls_of("sendMessage")) == 2


def test_a_rejection_takes_every_earlier_button_of_the_booking_away(telegram_api: FakeTelegramAPI) -> None:
    slot, candidate = _requested_and_delivered()
    services.slot_approve(slot_id=slot.pk)
    assert deliver_one(row_of(slot, K.APPROVED).pk)

    services.slot_reject(slot_id=slot.pk)
    assert deliver_one(row_of(slot, K.REJECTED, candidate).pk)

    assert [m.get("reply_markup") for m in telegram_api.chat(candidate.telegram_id)] == [None, None, None]


def test_the_one_hour_reminder_leaves_the_confirm_buttons_of_the_approval(telegram_api: FakeTelegramAPI) -> None:
    slot, candidate = _requested_and_delivered()
    services.slot_approve(slot_id=slot.pk)
    assert deliver_one(row_of(slot, K.APPROVED).pk)
    NotificationLog.objects.filter(slot=slot, kind=K.CONFIRM_REQUEST).update(status=NotificationStatus.CANCELED)
    reminder = row_of(slot, K.REMINDER_1H)
    NotificationLog.objects.filter(pk=reminder.pk).update(due_at=timezone.now())
    edits = len(telegram_api.calls_of("editMessageReplyMarkup"))

    assert deliver_one(reminder.pk)

    assert _keyboard(telegram_api, candidate, 1) is not None  # an unconfirmed candidate still has «Подтверждаю»
    assert len(telegram_api.calls_of("editMessageReplyMarkup")) == edits


def test_a_failed_edit_neither_fails_the_row_nor_sends_it_again(telegram_api: FakeTelegramAPI) -> None:
    slot, candidate = _requested_and_delivered()
    services.slot_approve(slot_id=slot.pk)
    telegram_api.fail_next("editMessageReplyMarkup", status=400, description="Bad Request: message to edit not found")
    approval = row_of(slot, K.APPROVED)

    assert deliver_one(approval.pk) is True

    approval.refresh_from_db()
    assert approval.status == NotificationStatus.SENT
    assert len(telegram_api.calls_of("sendMessage")) == 2
    assert len(telegram_api.calls_of("editMessageReplyMarkup")) == 1


def test_every_candidate_message_that_ends_or_advances_a_booking_supersedes_and_the_reminder_does_not() -> None:
    superseding = {kind for kind, rule in KINDS.items() if rule.supersedes_buttons}

    assert superseding == {
        K.APPROVED,
        K.CONFIRM_REQUEST,
        K.MEETING_LINK,
        K.RESCHEDULE_REQUESTED,
        K.REJECTED,
        K.PENDING_EXPIRED,
        K.SLOT_CANCELED,
        K.INTRO_DAY_CANCELED,  # the canceled intro day's «Приду» / «Не смогу» go
    }
