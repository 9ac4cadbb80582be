"""Put slots into each status through the real services, as a recruiter and a candidate would."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

from django.db import connections

from candidates import test2, test2_services
from candidates.models import Candidate, Test2Attempt
from candidates.tests.factories import CandidateFactory
from scheduling import services
from scheduling.models import Slot, SlotOutcome, SlotStatus
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


def interview_passed(*, slot: Slot | None = None, candidate: Candidate | None = None) -> Slot:
    """An agreed interview moved into the past (as time would), then «Пришёл» and «Прошёл собеседование»."""
    slot = slot_in_status(SlotStatus.BOOKED, slot=slot, candidate=candidate)
    interview_moved_to_past(slot)
    services.slot_record_outcome(slot_id=slot.pk, outcome=SlotOutcome.ATTENDED)
    return services.slot_record_outcome(slot_id=slot.pk, outcome=SlotOutcome.PASSED)


def interview_moved_to_past(slot: Slot) -> None:
    """Time passes: the slot moves ten years back (past whatever day the factory gave it), one shift for all slots,
    so slots of one recruiter keep their order and never overlap."""
    back = dt.timedelta(days=3650)
    Slot.objects.filter(pk=slot.pk).update(starts_at=slot.starts_at - back, ends_at=slot.ends_at - back)
    slot.refresh_from_db()


def answer_test2(candidate: Candidate, *, right: int) -> Test2Attempt:
    """Answer the candidate's open Тест 2 with `right` correct answers (the rest wrong), through the service."""
    attempt = Test2Attempt.objects.get(candidate=candidate, finished_at__isnull=True)
    for number, question in enumerate(test2.QUESTIONS, start=1):
        wrong = next(code for code, _ in question.options if code != question.correct)
        code = question.correct if number <= right else wrong
        test2_services.attempt_answer(candidate_id=candidate.pk, key=attempt.key, number=number, code=code)
    attempt.refresh_from_db()
    return attempt


def through_test2(*, slot: Slot | None = None, candidate: Candidate | None = None) -> Slot:
    """A candidate through the interview and Тест 2 (all right): ready to be invited; their interview slot."""
    slot = interview_passed(slot=slot, candidate=candidate)
    answer_test2(slot.candidate, right=len(test2.QUESTIONS))
    return slot


def in_background(work: Callable[[], object], *, timeout: float = 30) -> Callable[[], object]:
    """Start work in a thread of its own (with its own database connection); call the result to wait for what it
    returned, or the exception it raised."""
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(work())
        except Exception as exc:
            outcome.append(exc)
        finally:
            connections.close_all()

    worker = threading.Thread(target=run)
    worker.start()

    def result() -> object:
        worker.join(timeout=timeout)
        return outcome[0]

    return result


def reserve_in_background(*, slot_id: int, candidate_id: int) -> Callable[[], object]:
    """slot_reserve in a thread of its own: the slot, or the exception it raised."""
    return in_background(lambda: services.slot_reserve(slot_id=slot_id, candidate_id=candidate_id))
