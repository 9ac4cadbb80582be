"""Every intent from every status, through the real services, against a table written out here.

The expected table is deliberately not scheduling.services.TRANSITIONS: a change to the services'
table must fail a case here, not be copied into the expectation. A refusal is named by its domain
error, raised by the service itself.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from candidates.tests.factories import CandidateFactory
from notifications.models import NotificationKind, NotificationLog, NotificationStatus
from scheduling import services
from scheduling.errors import DomainError, SlotTaken, StaleReservation, TransitionNotAllowed
from scheduling.models import Slot, SlotEvent, SlotStatus
from scheduling.services.transitions import INTRO_INTENTS
from scheduling.tests.factories import SlotFactory
from scheduling.tests.helpers import slot_in_status

pytestmark = pytest.mark.django_db

F, P, B, C, X = SlotStatus.FREE, SlotStatus.PENDING, SlotStatus.BOOKED, SlotStatus.CONFIRMED, SlotStatus.CANCELED
NotAllowed, Stale = TransitionNotAllowed, StaleReservation

# intent -> {starting status: the status it ends in, or the error the service refuses with}
EXPECTED: dict[str, dict[str, str | type[DomainError]]] = {
    #                    free           pending        booked         confirmed      canceled
    "reserve":          {F: P,          P: SlotTaken,  B: SlotTaken,  C: SlotTaken,  X: SlotTaken},
    "approve":          {F: NotAllowed, P: B,          B: NotAllowed, C: NotAllowed, X: NotAllowed},
    "reschedule":       {F: NotAllowed, P: F,          B: F,          C: F,          X: NotAllowed},
    "reject":           {F: NotAllowed, P: F,          B: F,          C: F,          X: NotAllowed},
    "confirm":          {F: Stale,      P: NotAllowed, B: C,          C: NotAllowed, X: Stale},
    "decline":          {F: Stale,      P: NotAllowed, B: F,          C: F,          X: Stale},
    "candidate_cancel": {F: Stale,      P: F,          B: F,          C: F,          X: Stale},
    "cancel_slot":      {F: X,          P: X,          B: X,          C: X,          X: NotAllowed},
    "expire":           {F: NotAllowed, P: F,          B: NotAllowed, C: NotAllowed, X: NotAllowed},
}  # fmt: skip


@dataclass(frozen=True)
class Button:
    """What a candidate's booking buttons carry: the reservation, pressed by the candidate who held it."""

    reservation_id: uuid.UUID
    candidate_id: int


def _slot_in(status: str) -> tuple[Slot, Button]:
    """A slot in `status` and the buttons of its newest booking (a free or canceled one's ended booking)."""
    candidate = CandidateFactory()
    if status == F:
        slot = services.slot_reserve(slot_id=SlotFactory().pk, candidate_id=candidate.pk)
        button = Button(slot.reservation_id, candidate.pk)
        return services.booking_cancel(reservation_id=slot.reservation_id, candidate_id=candidate.pk), button
    if status == X:
        slot = services.slot_reserve(slot_id=SlotFactory().pk, candidate_id=candidate.pk)
        button = Button(slot.reservation_id, candidate.pk)
        return services.slot_cancel(slot_id=slot.pk), button
    slot = slot_in_status(status, candidate=candidate)
    return slot, Button(slot.reservation_id, candidate.pk)


INTENTS: dict[str, Callable[[Slot, Button], Slot]] = {
    "reserve": lambda slot, _: services.slot_reserve(slot_id=slot.pk, candidate_id=CandidateFactory().pk),
    "approve": lambda slot, _: services.slot_approve(slot_id=slot.pk),
    "reschedule": lambda slot, _: services.slot_reschedule(slot_id=slot.pk),
    "reject": lambda slot, _: services.slot_reject(slot_id=slot.pk),
    "confirm": lambda _, button: services.booking_confirm(**vars(button)),
    "decline": lambda _, button: services.booking_decline(**vars(button)),
    "candidate_cancel": lambda _, button: services.booking_cancel(**vars(button)),
    "cancel_slot": lambda slot, _: services.slot_cancel(slot_id=slot.pk),
    "expire": lambda slot, _: services.slot_expire_pending(slot_id=slot.pk, now=slot.starts_at),
}

CASES = [
    pytest.param(intent, start, expected, id=f"{intent}-from-{start}")
    for intent, row in EXPECTED.items()
    for start, expected in row.items()
]


@pytest.mark.parametrize(("intent", "from_status", "expected"), CASES)
def test_each_intent_from_each_status_ends_as_the_table_says(
    intent: str, from_status: str, expected: str | type[DomainError]
) -> None:
    slot, button = _slot_in(from_status)
    before = (slot.status, slot.candidate_id, slot.reservation_id)
    events_before = SlotEvent.objects.filter(slot=slot).count()

    if isinstance(expected, type):
        with pytest.raises(expected) as refusal:
            INTENTS[intent](slot, button)
        assert type(refusal.value) is expected
        slot.refresh_from_db()
        assert (slot.status, slot.candidate_id, slot.reservation_id) == before
        assert SlotEvent.objects.filter(slot=slot).count() == events_before
    else:
        assert INTENTS[intent](slot, button).status == expected
        slot.refresh_from_db()
        assert slot.status == expected
        assert SlotEvent.objects.filter(slot=slot).count() == events_before + 1
        event = SlotEvent.objects.filter(slot=slot).latest("pk")
        assert (event.from_status, event.to_status) == (from_status, expected)


def test_the_table_covers_every_intent_the_services_know_and_every_status() -> None:
    # The intro day's own intents have their own table (test_intro_day.py).
    assert set(EXPECTED) == set(INTENTS) == set(services.TRANSITIONS) - INTRO_INTENTS
    assert all(set(row) == set(SlotStatus.values) for row in EXPECTED.values())


@pytest.mark.parametrize("release", ["reschedule", "reject", "decline", "candidate_cancel", "cancel_slot"])
def test_any_release_cancels_every_unsent_row_and_keeps_history(release: str) -> None:
    slot, button = _slot_in(B)

    INTENTS[release](slot, button)

    planned = NotificationLog.objects.filter(
        reservation_id=button.reservation_id,
        kind__in=[NotificationKind.APPROVED, NotificationKind.CONFIRM_REQUEST, NotificationKind.REMINDER_1H],
    )
    assert planned.count() == 3
    assert set(planned.values_list("status", flat=True)) == {NotificationStatus.CANCELED}
    assert SlotEvent.objects.filter(slot=slot).count() == 3
