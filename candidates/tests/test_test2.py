"""Тест 2: the bank is consistent, only invited candidates answer, progress survives, the result is told to both."""

from __future__ import annotations

import pytest

from candidates import test2, test2_services
from candidates.models import Candidate, CandidateStatus, RejectedStage, Test2Attempt
from candidates.test2_services import NoTest2, answers_display, attempt_answer, attempt_resume
from candidates.tests.factories import CandidateFactory
from notifications.models import NotificationKind, NotificationLog
from scheduling.errors import StaleReservation
from scheduling.tests.factories import RecruiterFactory, SlotFactory
from scheduling.tests.helpers import answer_test2, interview_passed

pytestmark = pytest.mark.django_db

K = NotificationKind


@pytest.fixture
def invited() -> Candidate:
    """A candidate whose interview (with a recruiter who has a bound chat) was passed: Тест 2 is open."""
    slot = interview_passed(slot=SlotFactory(recruiter=RecruiterFactory(telegram_chat_id=770_001)))
    return Candidate.objects.get(pk=slot.candidate_id)


def _attempt(candidate: Candidate) -> Test2Attempt:
    return Test2Attempt.objects.get(candidate=candidate)


def test_the_bank_is_consistent() -> None:
    assert len({q.key for q in test2.QUESTIONS}) == len(test2.QUESTIONS) == 4
    assert all(q.option_text(q.correct) for q in test2.QUESTIONS)
    assert all(len({code for code, _ in q.options}) == len(q.options) for q in test2.QUESTIONS)
    assert 0 < test2.PASS_THRESHOLD <= len(test2.QUESTIONS)


def test_a_candidate_who_was_not_invited_has_nothing_to_answer_and_nothing_changes() -> None:
    candidate = CandidateFactory()
    with pytest.raises(NoTest2):
        attempt_resume(candidate_id=candidate.pk)
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.CHOOSING_SLOT
    assert not Test2Attempt.objects.exists()


def test_someone_elses_invitation_or_answer_changes_nothing(invited: Candidate) -> None:
    stranger = CandidateFactory()
    key = _attempt(invited).key
    with pytest.raises(StaleReservation):
        attempt_resume(candidate_id=stranger.pk, key=key)
    with pytest.raises(StaleReservation):
        attempt_answer(candidate_id=stranger.pk, key=key, number=1, code="b")
    assert _attempt(invited).answers == {}


def test_progress_is_stored_after_every_answer_and_a_restart_resumes(invited: Candidate) -> None:
    step = attempt_resume(candidate_id=invited.pk)
    assert step.number == 1
    key = step.attempt.key
    attempt_answer(candidate_id=invited.pk, key=key, number=1, code="b")
    assert _attempt(invited).answers == {"first_call": "b"}

    # The bot restarted: /test2 (or «Начать Тест 2» again) asks the next question, not the first.
    resumed = attempt_resume(candidate_id=invited.pk)
    assert (resumed.number, resumed.question.key) == (2, "field_share")
    invited.refresh_from_db()
    assert invited.status == CandidateStatus.IN_TEST2


def test_an_answer_to_another_question_or_an_unknown_option_is_refused(invited: Candidate) -> None:
    key = attempt_resume(candidate_id=invited.pk).attempt.key
    attempt_answer(candidate_id=invited.pk, key=key, number=1, code="b")
    for number, code in [(1, "a"), (3, "a"), (2, "z")]:  # an old button, a future one, a forged option
        with pytest.raises(StaleReservation):
            attempt_answer(candidate_id=invited.pk, key=key, number=number, code=code)
    assert _attempt(invited).answers == {"first_call": "b"}


def test_passing_stores_the_result_and_tells_the_candidate_and_the_recruiter(invited: Candidate) -> None:
    attempt = answer_test2(invited, right=3)

    assert (attempt.score, attempt.passed) == (3, True)
    assert attempt.finished_at is not None
    assert len(answers_display(attempt)) == 4
    invited.refresh_from_db()
    assert invited.status == CandidateStatus.TEST2_PASSED
    to_candidate = NotificationLog.objects.get(candidate=invited, kind=K.TEST2_PASSED)
    assert "ознакомительный день" in to_candidate.text
    to_recruiter = NotificationLog.objects.get(candidate=invited, kind=K.RECRUITER_TEST2_RESULT)
    assert "прошёл, 3 из 4" in to_recruiter.text
    with pytest.raises(test2_services.Test2Done):
        attempt_resume(candidate_id=invited.pk, key=attempt.key)
    with pytest.raises(NoTest2):
        attempt_resume(candidate_id=invited.pk)


def test_failing_is_a_polite_refusal_and_a_rejection_at_test2(invited: Candidate) -> None:
    attempt = answer_test2(invited, right=2)

    assert (attempt.score, attempt.passed) == (2, False)
    invited.refresh_from_db()
    assert (invited.status, invited.rejected_stage) == (CandidateStatus.REJECTED, RejectedStage.TEST2)
    refusal = NotificationLog.objects.get(candidate=invited, kind=K.TEST2_FAILED)
    assert "из 4" not in refusal.text and "балл" not in refusal.text  # no score, no reason: only a polite no
    assert not NotificationLog.objects.filter(candidate=invited, kind=K.TEST2_PASSED).exists()
    assert "не прошёл, 2 из 4" in NotificationLog.objects.get(kind=K.RECRUITER_TEST2_RESULT).text
