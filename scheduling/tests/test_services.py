"""The slot services: one winner, one live slot, every transition by the table, outbox rows written."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter

import pytest
from django.db import connection, connections
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


def _run_concurrently(calls: list) -> list[object]:
    """Run each call in its own thread with its own DB connection, all released at once."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def worker(index: int) -> None:
        try:
            barrier.wait()
            results[index] = calls[index]()
        except Exception as exc:
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _sql_count(where: str, params: list[object]) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM scheduling_slot WHERE {where}", params)
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_thirty_candidates_racing_for_one_slot_leave_exactly_one_winner() -> None:
    slot = SlotFactory()
    candidates = CandidateFactory.create_batch(30)
    results = _run_concurrently(
        [lambda c=c: services.slot_reserve(slot_id=slot.pk, candidate_id=c.pk) for c in candidates]
    )
    outcomes = Counter(type(r).__name__ for r in results)
    assert outcomes == {"Slot": 1, "SlotTaken": 29}
    assert _sql_count("id = %s AND status = 'pending'", [slot.pk]) == 1
    assert SlotEvent.objects.filter(slot=slot, to_status=SlotStatus.PENDING).count() == 1


@pytest.mark.django_db(transaction=True)
def test_thirty_candidates_on_thirty_slots_all_win() -> None:
    slots = SlotFactory.create_batch(30)
    candidates = CandidateFactory.create_batch(30)
    results = _run_concurrently(
        [
            lambda s=s, c=c: services.slot_reserve(slot_id=s.pk, candidate_id=c.pk)
            for s, c in zip(slots, candidates, strict=True)
        ]
    )
    assert all(isinstance(r, Slot) for r in results), results
    assert _sql_count("status = 'pending'", []) == 30


@pytest.mark.django_db(transaction=True)
def test_one_candidate_double_tapping_two_slots_at_once_gets_one() -> None:
    slots = SlotFactory.create_batch(2)
    candidate = CandidateFactory()
    results = _run_concurrently(
        [lambda s=s: services.slot_reserve(slot_id=s.pk, candidate_id=candidate.pk) for s in slots]
    )
    assert Counter(type(r).__name__ for r in results) == {"Slot": 1, "AlreadyHasLiveSlot": 1}
    assert _sql_count("status = 'pending' AND candidate_id = %s", [candidate.pk]) == 1


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


def test_by_default_a_candidate_cannot_hold_slots_of_two_recruiters(settings: object) -> None:
    booked = slot_in_status(SlotStatus.BOOKED)
    elsewhere = SlotFactory(city=booked.city)
    with pytest.raises(AlreadyHasLiveSlot):
        services.slot_reserve(slot_id=elsewhere.pk, candidate_id=booked.candidate_id)


def test_with_parallel_recruiters_allowed_a_candidate_may_hold_one_slot_per_recruiter(settings: object) -> None:
    settings.ALLOW_PARALLEL_RECRUITERS = True  # type: ignore[attr-defined]
    confirmed = slot_in_status(SlotStatus.CONFIRMED)
    elsewhere = SlotFactory(city=confirmed.city)
    assert services.slot_reserve(slot_id=elsewhere.pk, candidate_id=confirmed.candidate_id).status == "pending"
    same_recruiter = SlotFactory(recruiter=confirmed.recruiter, city=confirmed.city)
    with pytest.raises(AlreadyHasLiveSlot) as error:
        services.slot_reserve(slot_id=same_recruiter.pk, candidate_id=confirmed.candidate_id)
    assert error.value.slot_id == confirmed.pk  # that recruiter's live slot, not the other one
    second_elsewhere = SlotFactory(recruiter=elsewhere.recruiter, city=confirmed.city)
    with pytest.raises(AlreadyHasLiveSlot) as error:
        services.slot_reserve(slot_id=second_elsewhere.pk, candidate_id=confirmed.candidate_id)
    assert error.value.slot_id == elsewhere.pk


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


ALL_STATUSES = [s.value for s in SlotStatus]


def _apply(intent: str, slot: Slot) -> Slot:
    candidate_id = slot.candidate_id or CandidateFactory().pk
    reservation_id = slot.reservation_id
    if intent == "reserve":
        return services.slot_reserve(slot_id=slot.pk, candidate_id=CandidateFactory().pk)
    if intent == "approve":
        return services.slot_approve(slot_id=slot.pk)
    if intent == "reschedule":
        return services.slot_reschedule(slot_id=slot.pk)
    if intent == "reject":
        return services.slot_reject(slot_id=slot.pk)
    if intent == "cancel_slot":
        return services.slot_cancel(slot_id=slot.pk)
    if intent == "expire":
        return services.slot_expire_pending(slot_id=slot.pk, now=slot.starts_at)
    if reservation_id is None:
        raise StaleReservation()  # a free or canceled slot has no booking to act on
    if intent == "confirm":
        return services.booking_confirm(reservation_id=reservation_id, candidate_id=candidate_id)
    if intent == "decline":
        return services.booking_decline(reservation_id=reservation_id, candidate_id=candidate_id)
    return services.booking_cancel(reservation_id=reservation_id, candidate_id=candidate_id)


@pytest.mark.parametrize("from_status", ALL_STATUSES)
@pytest.mark.parametrize("intent", list(services.TRANSITIONS))
def test_every_intent_follows_the_transitions_table(intent: str, from_status: str) -> None:
    slot = slot_in_status(from_status)
    before = (slot.status, slot.candidate_id, slot.reservation_id)
    allowed = services.TRANSITIONS[intent].get(from_status)
    if allowed is None:
        with pytest.raises(DomainError):
            _apply(intent, slot)
        slot.refresh_from_db()
        assert (slot.status, slot.candidate_id, slot.reservation_id) == before
    else:
        assert _apply(intent, slot).status == allowed
        slot.refresh_from_db()
        assert slot.status == allowed
        assert SlotEvent.objects.filter(slot=slot, from_status=from_status, to_status=allowed).exists()


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


@pytest.mark.parametrize("release", ["reschedule", "reject", "decline", "candidate_cancel", "cancel_slot"])
def test_any_release_cancels_every_unsent_row_and_keeps_history(release: str) -> None:
    slot = slot_in_status(SlotStatus.BOOKED)
    reservation_id = slot.reservation_id
    _apply(release, slot)
    planned = NotificationLog.objects.filter(
        reservation_id=reservation_id,
        kind__in=[NotificationKind.APPROVED, NotificationKind.CONFIRM_REQUEST, NotificationKind.REMINDER_1H],
    )
    assert planned.count() == 3
    assert set(planned.values_list("status", flat=True)) == {NotificationStatus.CANCELED}
    assert SlotEvent.objects.filter(slot=slot).count() == 3


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
    slot = services.slot_record_outcome(slot_id=slot.pk, outcome="passed", note="сильный")
    assert slot.outcome == "passed"
    assert slot.candidate.status == CandidateStatus.INTERVIEWED


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
