"""Тест 2: the invitation after a passed interview, answers stored one by one, the result told to both sides.

Only a candidate with an open attempt can answer; the attempt is created by the interview's outcome
(scheduling.services.decisions) and names that booking, so every message of it has its own
idempotency key (kind, interview slot, candidate, interview reservation).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from candidates import test2
from candidates.models import Candidate, CandidateStatus, RejectedStage, Test2Attempt
from notifications.conversation import after_texts, intro_invite_keyboards
from notifications.models import NotificationKind
from notifications.services import notification_build, notifications_save
from scheduling.errors import DomainError, StaleReservation


class NoTest2(DomainError):
    code = "no_test2"
    message = after_texts.TEST2_NOTHING


class Test2Done(DomainError):
    code = "test2_done"
    message = after_texts.TEST2_DONE


@dataclass(frozen=True)
class Test2Step:
    """Where an attempt stands: the question to show (number, 1-based) or the finished result."""

    __test__ = False  # not a pytest class, whatever its name says

    attempt: Test2Attempt
    number: int | None

    @property
    def question(self) -> test2.Question2 | None:
        return test2.QUESTIONS[self.number - 1] if self.number else None


def attempt_open(*, candidate: Candidate, slot: Any, now: dt.datetime | None = None) -> Test2Attempt:
    """The interview was passed: open Тест 2 for this booking and send the invitation (caller holds the locks)."""
    attempt, created = Test2Attempt.objects.get_or_create(
        reservation_id=slot.reservation_id, defaults={"candidate": candidate, "slot": slot}
    )
    if created:
        candidate.status = CandidateStatus.TEST2_INVITED
        candidate.save(update_fields=["status", "last_activity_at"])
        notifications_save(
            [
                notification_build(
                    kind=NotificationKind.TEST2_INVITATION,
                    slot=slot,
                    candidate=candidate,
                    reservation_id=slot.reservation_id,
                    due_at=now,
                    extra={"total": len(test2.QUESTIONS)},
                    button_key=attempt.key,
                )
            ]
        )
    return attempt


def _open_attempt(candidate_id: int, key: uuid.UUID | None) -> Test2Attempt:
    Candidate.objects.select_for_update().get(pk=candidate_id)
    attempts = Test2Attempt.objects.select_for_update().filter(candidate_id=candidate_id)
    attempt = attempts.filter(key=key).first() if key else attempts.filter(finished_at__isnull=True).first()
    if attempt is None:
        if key is not None:
            raise StaleReservation("Это приглашение не ваше или уже неактуально.")
        raise NoTest2()
    if attempt.finished_at is not None:
        raise Test2Done()
    return attempt


@transaction.atomic
def attempt_resume(*, candidate_id: int, key: uuid.UUID | None = None, now: dt.datetime | None = None) -> Test2Step:
    """«Начать Тест 2» or /test2: the current question of the candidate's open attempt (NoTest2 if none)."""
    attempt = _open_attempt(candidate_id, key)
    if attempt.started_at is None:
        attempt.started_at = now or timezone.now()
        attempt.save(update_fields=["started_at"])
        Candidate.objects.filter(pk=candidate_id).update(status=CandidateStatus.IN_TEST2)
    return Test2Step(attempt=attempt, number=test2.next_number(attempt.answers))


@transaction.atomic
def attempt_answer(
    *, candidate_id: int, key: uuid.UUID, number: int, code: str, now: dt.datetime | None = None
) -> Test2Step:
    """Store one answer (only to the current question); the last one scores the attempt and tells both sides."""
    now = now or timezone.now()
    attempt = _open_attempt(candidate_id, key)
    current = test2.next_number(attempt.answers)
    if current != number:
        raise StaleReservation(after_texts.TEST2_STALE)
    question = test2.QUESTIONS[number - 1]
    if question.option_text(code) is None:
        raise StaleReservation(after_texts.TEST2_STALE)
    attempt.answers = {**attempt.answers, question.key: code}
    attempt.started_at = attempt.started_at or now
    attempt.save(update_fields=["answers", "started_at"])
    following = test2.next_number(attempt.answers)
    if following is None:
        _finish(attempt, now=now)
    return Test2Step(attempt=attempt, number=following)


def _finish(attempt: Test2Attempt, *, now: dt.datetime) -> None:
    attempt.score = test2.score(attempt.answers)
    attempt.passed = attempt.score >= test2.PASS_THRESHOLD
    attempt.finished_at = now
    attempt.save(update_fields=["score", "passed", "finished_at"])
    candidate = attempt.candidate
    if attempt.passed:
        candidate.status = CandidateStatus.TEST2_PASSED
    else:
        candidate.status, candidate.rejected_stage = CandidateStatus.REJECTED, RejectedStage.TEST2
    candidate.save(update_fields=["status", "rejected_stage", "last_activity_at"])
    slot = attempt.slot
    verdict = after_texts.TEST2_VERDICT_PASSED if attempt.passed else after_texts.TEST2_VERDICT_FAILED
    extra = {"score": attempt.score, "total": len(test2.QUESTIONS), "verdict": verdict}
    rows = [
        notification_build(
            kind=kind, slot=slot, candidate=candidate, reservation_id=attempt.reservation_id, due_at=now, extra=extra
        )
        for kind in (
            NotificationKind.TEST2_PASSED if attempt.passed else NotificationKind.TEST2_FAILED,
            NotificationKind.RECRUITER_TEST2_RESULT,
        )
    ]
    if attempt.passed and rows[1] is not None:
        # Only a pass can be invited on; the button names the attempt (botapp/flows/intro_invite.py).
        rows[1].reply_markup = intro_invite_keyboards.invite_markup(attempt.key)
    notifications_save(rows)


def answers_display(attempt: Test2Attempt) -> list[tuple[str, str, bool]]:
    """(question, answer, right?) for the admin's candidate page."""
    rows = []
    for q in test2.QUESTIONS:
        code = attempt.answers.get(q.key)
        if code is not None:
            rows.append((q.text, q.option_text(code) or code, code == q.correct))
    return rows
