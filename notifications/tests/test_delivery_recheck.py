"""The send-time re-check: a booking that changed after its row was written is never messaged about.

The services cancel a reservation's pending rows when they release it, so these tests make the
change the way a concurrent commit would reach the sender: a direct UPDATE of the slot behind the
outbox's back, or a release while the row is already claimed (the services leave `sending` rows
to their sender).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable

import pytest
from django.utils import timezone

from candidates.tests.factories import CandidateFactory
from notifications.delivery import deliver_one, lease, stale_sending_release
from notifications.models import NotificationKind, NotificationLog, NotificationStatus
from notifications.tests.helpers import approved_booking, row_of
from ops.fake_telegram import FakeTelegramAPI
from scheduling import services
from scheduling.models import Slot, SlotStatus

pytestmark = pytest.mark.django_db


def _released(slot: Slot) -> dict[str, object]:
    return {
        "status": SlotStatus.FREE,
        "candidate": None,
        "reservation_id": None,
        "reserved_at": None,
        "decided_at": None,
    }


def _taken_by_someone_else(slot: Slot) -> dict[str, object]:
    return {"status": SlotStatus.PENDING, "candidate": CandidateFactory(), "reservation_id": uuid.uuid4()}


def _moved(slot: Slot) -> dict[str, object]:
    return {"starts_at": slot.starts_at + dt.timedelta(hours=3), "ends_at": slot.ends_at + dt.timedelta(hours=3)}


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        pytest.param(_released, "запись больше не действует", id="released"),
        pytest.param(_taken_by_someone_else, "запись больше не действует", id="another-reservation"),
        pytest.param(_moved, "время собеседования изменилось", id="moved"),
    ],
)
def test_an_approval_whose_booking_changed_after_it_was_written_is_canceled_not_sent(
    telegram_api: FakeTelegramAPI, change: Callable[[Slot], dict[str, object]], reason: str
) -> None:
    slot, candidate = approved_booking()
    row = row_of(slot, NotificationKind.APPROVED)
    Slot.objects.filter(pk=slot.pk).update(**change(slot))

    assert deliver_one(row.pk) is False

    row.refresh_from_db()
    assert (row.status, row.last_error) == (NotificationStatus.CANCELED, reason)
    assert telegram_api.calls_of("sendMessage") == []


def test_a_row_claimed_when_the_recruiter_released_the_booking_is_canceled_when_handed_out_again(
    telegram_api: FakeTelegramAPI,
) -> None:
    slot, candidate = approved_booking()
    row = row_of(slot, NotificationKind.APPROVED)
    claimed_at = timezone.now() - lease() - dt.timedelta(seconds=1)
    NotificationLog.objects.filter(pk=row.pk).update(status=NotificationStatus.SENDING, claimed_at=claimed_at)
    services.slot_reschedule(slot_id=slot.pk, reason="другое время")
    row.refresh_from_db()
    assert row.status == NotificationStatus.SENDING  # the service leaves a claimed row to its sender
    assert stale_sending_release() == [row.pk]  # its sender died before sending

    assert deliver_one(row.pk) is False

    row.refresh_from_db()
    assert (row.status, row.last_error) == (NotificationStatus.CANCELED, "запись больше не действует")
    assert telegram_api.calls_of("sendMessage") == []
