"""The slot services: one live slot per candidate, refusals that say why, outbox rows written.

Every intent from every status is in test_transitions.py; concurrent callers in test_races.py.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from candidates.models import CandidateStatus
from candidates.tests.factories import CandidateFactory, NewCandidateFactory
from notifications.models import NotificationKind, NotificationLog, NotificationStatus
from scheduling import services
from scheduling.errors import (
    AlreadyHasLiveSlot,
    CandidateNotEligible,
    CityNotServed,
    DomainError,
    RecruiterInactive,
    SlotInPast,
    SlotOverlap,
    SlotTaken,
    StaleReservation,
    TransitionNotAllowed,
)
from scheduling.models import Slot, SlotEvent, SlotStatus
from scheduling.tests.factories import CityFactory, RecruiterFactory, SlotFactory
from scheduling.tests.helpers import slot_in_status

pytestmark = pytest.mark.django_db


def _kinds(slot: Slot, candidate_id: int, status: str | None = None) -> list[str]:
    qs = NotificationLog.objects.filter(slot=slot, candidate_id=candidate_id)
    if status:
        qs = qs.filter(status=status)
    return sorted(qs.values_list("kind", flat=True))


def test_reserve_makes_the_slot_pending_with_a_new_reservation_and_tells_both_sides() -> None:
    slot = SlotFactory()
    slot.recruiter.telegram_chat_id = 555
    slot.recruiter.save()
    candidate = CandidateFactory()
    slot = services.slot_reserve(slot_id=slot.pk, candidate_id=candidate.pk)
    assert slot.status == SlotStatus.PENDING
    assert slot.reservation_id is not None
    assert slot.candidate_id == candidate.pk
    assert _kinds(slot, candidate.pk) == [NotificationKind.RECRUITER_NEW_REQUEST, NotificationKind.RESERVATION_RECEIVED]
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.WAITING_DECISION
    event = SlotEvent.objects.get(slot=slot)
    assert (event.from_status, event.to_status, event.actor) == ("free", "pending", "candidate")
    assert event.reservation_id == slot.reservation_id


def test_an_unbound_recruiter_gets_no_message_row() -> None:
    slot = services.slot_reserve(slot_id=SlotFactory().pk, candidate_id=CandidateFactory().pk)
    assert NotificationKind.RECRUITER_NEW_REQUEST not in _kinds(slot, slot.candidate_id)


def test_reserve_refuses_past_slots_inactive_recruiters_and_unscreened_candidates() -> None:
    past = SlotFactory(starts_at=timezone.now() - dt.timedelta(hours=1))
    with pytest.raises(SlotInPast):
        services.slot_reserve(slot_id=past.pk, candidate_id=CandidateFactory().pk)
    inactive = SlotFactory(recruiter=RecruiterFactory(is_active=False))
    with pytest.raises(RecruiterInactive):
        services.slot_reserve(slot_id=inactive.pk, candidate_id=CandidateFactory().pk)
    with pytest.raises(CandidateNotEligible):
        services.slot_reserve(slot_id=SlotFactory().pk, candidate_id=NewCandidateFactory().pk)
    assert Slot.objects.filter(status=SlotStatus.PENDING).count() == 0


def test_a_rejected_candidate_cannot_book_again() -> None:
    slot = slot_in_status(SlotStatus.PENDING)
    candidate_id = slot.candidate_id
    services.slot_reject(slot_id=slot.pk)
    with pytest.raises(CandidateNotEligible):
        services.slot_reserve(slot_id=slot.pk, candidate_id=candidate_id)


def test_p0_a_new_candidate_on_a_rescheduled_slot_gets_fresh_approval_and_reminders() -> None:
    slot = SlotFactory(starts_at=timezone.now() + dt.timedelta(days=2))
    a, b = CandidateFactory(), CandidateFactory()
    slot = services.slot_reserve(slot_id=slot.pk, candidate_id=a.pk)
    reservation_a = slot.reservation_id
    services.slot_approve(slot_id=slot.pk)
    assert _kinds(slot, a.pk, NotificationStatus.PENDING) == [
        NotificationKind.APPROVED,
        NotificationKind.CONFIRM_REQUEST,
        NotificationKind.REMINDER_1H,
        NotificationKind.RESERVATION_RECEIVED,
    ]
    services.slot_reschedule(slot_id=slot.pk, reason="занят")
    # A's unsent rows are canceled, the reschedule request is new; nothing is deleted.
    assert _kinds(slot, a.pk, NotificationStatus.PENDING) == [NotificationKind.RESCHEDULE_REQUESTED]
    assert NotificationLog.objects.filter(reservation_id=reservation_a, status=NotificationStatus.CANCELED).count() == 4

    slot = services.slot_reserve(slot_id=slot.pk, candidate_id=b.pk)
    assert slot.reservation_id != reservation_a
    services.slot_approve(slot_id=slot.pk)
    assert _kinds(slot, b.pk, NotificationStatus.PENDING) == [
        NotificationKind.APPROVED,
        NotificationKind.CONFIRM_REQUEST,
        NotificationKind.REMINDER_1H,
        NotificationKind.RESERVATION_RECEIVED,
    ]
    slot = services.booking_confirm(reservation_id=slot.reservation_id, candidate_id=b.pk)
    assert slot.status == SlotStatus.CONFIRMED
    # A's old buttons are stale now.
    with pytest.raises(StaleReservation):
        services.booking_confirm(reservation_id=reservation_a, candidate_id=a.pk)


def test_the_same_candidate_rebooking_the_same_slot_gets_fresh_rows() -> None:
    slot = SlotFactory(starts_at=timezone.now() + dt.timedelta(days=2))
    a = CandidateFactory()
    first = services.slot_reserve(slot_id=slot.pk, candidate_id=a.pk).reservation_id
    services.slot_approve(slot_id=slot.pk)
    services.slot_reschedule(slot_id=slot.pk)
    second = services.slot_reserve(slot_id=slot.pk, candidate_id=a.pk).reservation_id
    services.slot_approve(slot_id=slot.pk)
    assert first != second
    fresh = NotificationLog.objects.filter(reservation_id=second, status=NotificationStatus.PENDING)
    assert sorted(fresh.values_list("kind", flat=True)) == [
        NotificationKind.APPROVED,
        NotificationKind.CONFIRM_REQUEST,
        NotificationKind.REMINDER_1H,
        NotificationKind.RESERVATION_RECEIVED,
    ]


def test_p1_a_confirmed_candidate_cannot_reserve_another_slot_of_the_same_recruiter() -> None:
    confirmed = slot_in_status(SlotStatus.CONFIRMED)
    other = SlotFactory(recruiter=confirmed.recruiter, city=confirmed.city)
    with pytest.raises(AlreadyHasLiveSlot) as error:
        services.slot_reserve(slot_id=other.pk, candidate_id=confirmed.candidate_id)
    assert error.value.slot_id == confirmed.pk
    assert error.value.context["reservation_id"] == confirmed.reservation_id
    other.refresh_from_db()
    assert other.status == SlotStatus.FREE


@pytest.mark.parametrize("status", [SlotStatus.BOOKED, SlotStatus.CONFIRMED])
def test_a_candidate_with_a_live_interview_cannot_reserve_another_recruiters_slot(status: str) -> None:
    live = slot_in_status(status)
    elsewhere = SlotFactory(city=live.city)
    with pytest.raises(AlreadyHasLiveSlot) as error:
        services.slot_reserve(slot_id=elsewhere.pk, candidate_id=live.candidate_id)
    assert error.value.slot_id == live.pk
    elsewhere.refresh_from_db()
    assert elsewhere.status == SlotStatus.FREE


def test_reserve_returns_the_slot_with_its_recruiter_and_city_as_stored() -> None:
    slot = SlotFactory()
    candidate = CandidateFactory()
    reserved = services.slot_reserve(slot_id=slot.pk, candidate_id=candidate.pk)
    stored = Slot.objects.select_related("recruiter", "city").get(pk=slot.pk)
    assert (reserved.status, reserved.reservation_id, reserved.starts_at) == (
        stored.status,
        stored.reservation_id,
        stored.starts_at,
    )
    assert (reserved.recruiter.name, reserved.recruiter.tz, reserved.recruiter.meeting_url) == (
        stored.recruiter.name,
        stored.recruiter.tz,
        stored.recruiter.meeting_url,
    )
    assert (reserved.city.name, reserved.city.tz) == (stored.city.name, stored.city.tz)
    # Columns the reservation does not read load on access, as with .only().
    assert reserved.created_at == stored.created_at
    assert reserved.candidate.telegram_id == candidate.telegram_id


def test_an_admin_approving_twice_is_told_it_is_already_done() -> None:
    slot = slot_in_status(SlotStatus.BOOKED)
    with pytest.raises(TransitionNotAllowed):
        services.slot_approve(slot_id=slot.pk)


def test_a_button_of_another_candidate_changes_nothing() -> None:
    slot = slot_in_status(SlotStatus.BOOKED)
    intruder = CandidateFactory()
    with pytest.raises(StaleReservation):
        services.booking_cancel(reservation_id=slot.reservation_id, candidate_id=intruder.pk)
    slot.refresh_from_db()
    assert slot.status == SlotStatus.BOOKED


def test_confirm_cancels_the_pending_confirmation_request_and_sends_the_meeting_link() -> None:
    slot = slot_in_status(SlotStatus.BOOKED)
    slot.recruiter.telegram_chat_id = 777
    slot.recruiter.save()
    services.booking_confirm(reservation_id=slot.reservation_id, candidate_id=slot.candidate_id)
    rows = dict(NotificationLog.objects.filter(reservation_id=slot.reservation_id).values_list("kind", "status"))
    assert rows[NotificationKind.CONFIRM_REQUEST] == NotificationStatus.CANCELED
    assert rows[NotificationKind.REMINDER_1H] == NotificationStatus.PENDING
    assert rows[NotificationKind.MEETING_LINK] == NotificationStatus.PENDING
    assert rows[NotificationKind.RECRUITER_CANDIDATE_CONFIRMED] == NotificationStatus.PENDING
    link = NotificationLog.objects.get(reservation_id=slot.reservation_id, kind=NotificationKind.MEETING_LINK)
    assert slot.recruiter.meeting_url in link.text


def test_pending_requests_expire_at_the_slot_start_and_both_sides_are_told() -> None:
    slot = slot_in_status(SlotStatus.PENDING)
    slot.recruiter.telegram_chat_id = 42
    slot.recruiter.save()
    candidate_id = slot.candidate_id
    assert services.pending_expire_due(now=slot.starts_at - dt.timedelta(minutes=1)) == 0
    assert services.pending_expire_due(now=slot.starts_at) == 1
    slot.refresh_from_db()
    assert slot.status == SlotStatus.FREE
    assert NotificationKind.PENDING_EXPIRED in _kinds(slot, candidate_id)
    assert NotificationKind.RECRUITER_PENDING_EXPIRED in _kinds(slot, candidate_id)


def test_pending_expiry_can_be_set_earlier(settings: object) -> None:
    settings.PENDING_EXPIRY_MINUTES_BEFORE_START = 120  # type: ignore[attr-defined]
    slot = slot_in_status(SlotStatus.PENDING)
    assert services.pending_expire_due(now=slot.starts_at - dt.timedelta(minutes=121)) == 0
    assert services.pending_expire_due(now=slot.starts_at - dt.timedelta(minutes=119)) == 1


def test_approval_after_the_start_is_refused() -> None:
    slot = slot_in_status(SlotStatus.PENDING)
    with pytest.raises(SlotInPast):
        services.slot_approve(slot_id=slot.pk, now=slot.starts_at + dt.timedelta(minutes=1))


def test_outcome_is_recorded_after_the_interview_only() -> None:
    slot = slot_in_status(SlotStatus.CONFIRMED)
    with pytest.raises(TransitionNotAllowed):
        services.slot_record_outcome(slot_id=slot.pk, outcome="attended")
    Slot.objects.filter(pk=slot.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=2), ends_at=timezone.now() - dt.timedelta(hours=1)
    )
    with pytest.raises(TransitionNotAllowed, match="Сначала отметьте «Пришёл»"):
        services.slot_record_outcome(slot_id=slot.pk, outcome="passed")
    slot = services.slot_record_outcome(slot_id=slot.pk, outcome="attended")
    assert slot.candidate.status == CandidateStatus.INTERVIEWED
    slot = services.slot_record_outcome(slot_id=slot.pk, outcome="passed", note="сильный")
    assert slot.outcome == "passed"
    assert slot.candidate.status == CandidateStatus.TEST2_INVITED


def test_slot_create_refuses_overlaps_the_past_and_cities_not_served() -> None:
    slot = SlotFactory()
    with pytest.raises(SlotOverlap):
        services.slot_create(
            recruiter_id=slot.recruiter_id, city_id=slot.city_id, starts_at=slot.starts_at + dt.timedelta(minutes=30)
        )
    with pytest.raises(SlotInPast):
        services.slot_create(
            recruiter_id=slot.recruiter_id, city_id=slot.city_id, starts_at=timezone.now() - dt.timedelta(hours=1)
        )
    with pytest.raises(CityNotServed):
        services.slot_create(recruiter_id=slot.recruiter_id, city_id=CityFactory().pk, starts_at=slot.ends_at)
    created = services.slot_create(recruiter_id=slot.recruiter_id, city_id=slot.city_id, starts_at=slot.ends_at)
    assert created.ends_at == slot.ends_at + dt.timedelta(minutes=60)


def test_reserving_a_taken_slot_says_so() -> None:
    slot = slot_in_status(SlotStatus.PENDING)
    with pytest.raises(SlotTaken):
        services.slot_reserve(slot_id=slot.pk, candidate_id=CandidateFactory().pk)


def test_recruiter_binds_a_chat_with_a_one_time_code() -> None:
    recruiter = RecruiterFactory()
    code = services.recruiter_bind_code_issue(recruiter_id=recruiter.pk)
    assert services.recruiter_bind_chat(code=code.lower(), chat_id=9001).telegram_chat_id == 9001
    with pytest.raises(DomainError):
        services.recruiter_bind_chat(code=code, chat_id=9002)  # used once


def test_a_bind_code_expires() -> None:
    recruiter = RecruiterFactory()
    code = services.recruiter_bind_code_issue(recruiter_id=recruiter.pk, now=timezone.now() - dt.timedelta(hours=1))
    with pytest.raises(DomainError):
        services.recruiter_bind_chat(code=code, chat_id=9001)
    recruiter.refresh_from_db()
    assert recruiter.telegram_chat_id is None
