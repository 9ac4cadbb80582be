"""Each invariant the database can hold is held by the database: raw SQL cannot break it."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import IntegrityError, connection, transaction

from botapp.models import TelegramCallbackLog
from candidates.tests.factories import CandidateFactory
from notifications.models import NotificationLog
from scheduling.models import SlotStatus
from scheduling.tests.factories import SlotFactory
from scheduling.tests.helpers import slot_in_status

pytestmark = pytest.mark.django_db


def _sql(statement: str, params: list[object]) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_a_candidate_cannot_hold_two_live_slots_of_one_recruiter_even_confirmed() -> None:
    confirmed = slot_in_status(SlotStatus.CONFIRMED)
    other = SlotFactory(recruiter=confirmed.recruiter, city=confirmed.city)
    with pytest.raises(IntegrityError, match="slot_one_live_interview_per_candidate"):
        _sql(
            "UPDATE scheduling_slot SET status = 'pending', candidate_id = %s, reservation_id = %s WHERE id = %s",
            [confirmed.candidate_id, uuid.uuid4(), other.pk],
        )


def test_one_live_interview_per_candidate_holds_across_recruiters_at_db_level() -> None:
    pending = slot_in_status(SlotStatus.PENDING)
    other = SlotFactory(city=pending.city)
    with pytest.raises(IntegrityError, match="slot_one_live_interview_per_candidate"):
        _sql(
            "UPDATE scheduling_slot SET status = 'pending', candidate_id = %s, reservation_id = %s WHERE id = %s",
            [pending.candidate_id, uuid.uuid4(), other.pk],
        )
    other.refresh_from_db()
    assert other.status == SlotStatus.FREE


@pytest.mark.parametrize("status", ["pending", "booked", "confirmed_by_candidate"])
def test_a_live_slot_without_candidate_or_reservation_is_refused(status: str) -> None:
    slot = SlotFactory()
    candidate = CandidateFactory()
    with pytest.raises(IntegrityError, match="slot_live_has_candidate_and_reservation"):
        _sql("UPDATE scheduling_slot SET status = %s WHERE id = %s", [status, slot.pk])
    with pytest.raises(IntegrityError, match="slot_live_has_candidate_and_reservation"):
        _sql("UPDATE scheduling_slot SET status = %s, candidate_id = %s WHERE id = %s", [status, candidate.pk, slot.pk])


@pytest.mark.parametrize("status", ["free", "canceled"])
def test_a_free_or_canceled_slot_with_a_candidate_is_refused(status: str) -> None:
    slot = slot_in_status(SlotStatus.PENDING)
    with pytest.raises(IntegrityError, match="slot_live_has_candidate_and_reservation"):
        _sql("UPDATE scheduling_slot SET status = %s WHERE id = %s", [status, slot.pk])


def test_notification_rows_are_unique_per_kind_slot_candidate_and_reservation() -> None:
    slot = slot_in_status(SlotStatus.PENDING)
    row = NotificationLog.objects.filter(slot=slot, kind="reservation_received").get()
    with pytest.raises(IntegrityError, match="notification_idempotency_key"):
        _sql(
            "INSERT INTO notifications_notificationlog (kind, recipient, slot_id, candidate_id, reservation_id, text,"
            " due_at, status, attempts, last_error, created_at, updated_at)"
            " VALUES (%s, 'candidate', %s, %s, %s, '', now(), 'pending', 0, '', now(), now())",
            [row.kind, slot.pk, slot.candidate_id, slot.reservation_id],
        )


def test_a_new_reservation_of_the_same_candidate_gets_its_own_notification_key() -> None:
    slot = slot_in_status(SlotStatus.PENDING)
    _sql(
        "INSERT INTO notifications_notificationlog (kind, recipient, slot_id, candidate_id, reservation_id, text,"
        " due_at, status, attempts, last_error, created_at, updated_at)"
        " VALUES ('reservation_received', 'candidate', %s, %s, %s, '', now(), 'pending', 0, '', now(), now())",
        [slot.pk, slot.candidate_id, uuid.uuid4()],
    )
    assert NotificationLog.objects.filter(slot=slot, kind="reservation_received").count() == 2


def test_overlapping_slots_of_one_recruiter_are_refused_by_the_exclusion_constraint() -> None:
    slot = SlotFactory()
    start = slot.starts_at + dt.timedelta(minutes=30)
    with pytest.raises(IntegrityError, match="slot_recruiter_no_overlap"):
        _sql(
            "INSERT INTO scheduling_slot (recruiter_id, city_id, starts_at, duration_min, ends_at, status, outcome,"
            " outcome_note, created_at, updated_at) VALUES (%s, %s, %s, 60, %s, 'free', '', '', now(), now())",
            [slot.recruiter_id, slot.city_id, start, start + dt.timedelta(minutes=60)],
        )


def test_a_canceled_slot_does_not_block_a_new_one_at_the_same_time() -> None:
    slot = slot_in_status(SlotStatus.CANCELED)
    _sql(
        "INSERT INTO scheduling_slot (recruiter_id, city_id, starts_at, duration_min, ends_at, status, outcome,"
        " outcome_note, created_at, updated_at) VALUES (%s, %s, %s, 60, %s, 'free', '', '', now(), now())",
        [slot.recruiter_id, slot.city_id, slot.starts_at, slot.ends_at],
    )
    assert slot.recruiter.slots.count() == 2


def test_back_to_back_slots_do_not_overlap() -> None:
    slot = SlotFactory()
    _sql(
        "INSERT INTO scheduling_slot (recruiter_id, city_id, starts_at, duration_min, ends_at, status, outcome,"
        " outcome_note, created_at, updated_at) VALUES (%s, %s, %s, 60, %s, 'free', '', '', now(), now())",
        [slot.recruiter_id, slot.city_id, slot.ends_at, slot.ends_at + dt.timedelta(minutes=60)],
    )
    assert slot.recruiter.slots.count() == 2


def test_a_callback_query_id_is_recorded_once() -> None:
    TelegramCallbackLog.objects.create(callback_query_id="cb-1", data="cf:x")
    with pytest.raises(IntegrityError):
        _sql(
            "INSERT INTO botapp_telegramcallbacklog (callback_query_id, data, result, created_at)"
            " VALUES ('cb-1', '', '', now())",
            [],
        )
