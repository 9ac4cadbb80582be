"""Put slots into each status through the real services, as a recruiter and a candidate would."""

from __future__ import annotations

from candidates.models import Candidate
from candidates.tests.factories import CandidateFactory
from scheduling import services
from scheduling.models import Slot, SlotStatus
from scheduling.tests.factories import SlotFactory


def slot_in_status(status: str, *, slot: Slot | None = None, candidate: Candidate | None = None) -> Slot:
    """A slot in the given status, reached by calling the services in order."""
    slot = slot or SlotFactory()
    if status == SlotStatus.FREE:
        return slot
    if status == SlotStatus.CANCELED:
        return services.slot_cancel(slot_id=slot.pk)
    candidate = candidate or CandidateFactory()
    slot = services.slot_reserve(slot_id=slot.pk, candidate_id=candidate.pk)
    if status == SlotStatus.PENDING:
        return slot
    slot = services.slot_approve(slot_id=slot.pk)
    if status == SlotStatus.BOOKED:
        return slot
    return services.booking_confirm(reservation_id=slot.reservation_id, candidate_id=candidate.pk)
