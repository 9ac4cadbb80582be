"""After the interview in the bot: the recruiter's result, /test2 and its answers, «Приду» / «Не смогу».

Every press is deduplicated (once.py) and names what it acts on: the booking (result, intro day) or
the Тест 2 attempt; a press on something that is not the presser's, or is over, changes nothing.
"""

from __future__ import annotations

import uuid

from django.db import transaction

from botapp import after_screens, screens
from botapp.flows.once import callback_once, recruiter_callback_once
from botapp.views import Outcome, Press, Reply, outcome
from candidates import test2_services
from candidates.models import Candidate
from notifications.conversation import after_texts, texts
from notifications.copy import wording_for
from scheduling import services as slot_services
from scheduling.errors import DomainError, SlotInPast, StaleReservation, TransitionNotAllowed
from scheduling.selectors import slot_get_by_reservation
from scheduling.services import intro_day

STALE = Outcome(answer=texts.STALE_BOOKING, drop_keyboard=True, result="stale")


@recruiter_callback_once
def result_pressed(press: Press, *, chat_id: int | None, reservation_id: uuid.UUID | None, outcome: str) -> Outcome:
    """«Прошёл собеседование» / «Не прошёл» after «Пришёл»: from the recruiter's own chat, once."""
    slot = slot_get_by_reservation(reservation_id=reservation_id) if reservation_id else None
    if slot is None:
        return STALE
    if slot.recruiter.telegram_chat_id != chat_id:
        return Outcome(answer=texts.RECRUITER_NOT_YOURS, result="not_yours")
    try:
        slot = slot_services.slot_record_outcome(slot_id=slot.pk, outcome=outcome, reservation_id=reservation_id)
    except StaleReservation:
        return STALE
    except DomainError as exc:
        slot.refresh_from_db()
        return Outcome(answer=str(exc), edit=screens.attendance_recorded(slot), result=exc.code)
    label = slot.get_outcome_display()
    return Outcome(
        answer=after_texts.RESULT_SAVED.format(outcome=label),
        edit=screens.attendance_recorded(slot),
        result=outcome,
    )


@transaction.atomic
def test2_command(*, telegram_id: int) -> Outcome:
    """/test2: the current question of an invited candidate's Тест 2; anyone else is told there is none.

    Looks the person up without registering them: a stranger's /test2 leaves nothing behind.
    """
    candidate = Candidate.objects.filter(telegram_id=telegram_id).first()
    if candidate is None:
        return outcome(Reply(after_texts.TEST2_NOTHING))
    try:
        step = test2_services.attempt_resume(candidate_id=candidate.pk)
    except (test2_services.NoTest2, test2_services.Test2Done) as exc:
        return outcome(Reply(_refusal(candidate, exc)))
    return outcome(_step_reply(step))


def _refusal(candidate: Candidate, exc: Exception) -> str:
    """The candidate's wording of «no Тест 2» / «already done» (the service's message is the default)."""
    words = wording_for(candidate)
    return words.TEST2_DONE if isinstance(exc, test2_services.Test2Done) else words.TEST2_NOTHING


def _step_reply(step: test2_services.Test2Step) -> Reply:
    if step.number is None:
        return Reply(wording_for(step.attempt.candidate).TEST2_DONE)
    return after_screens.test2_question(step.attempt, step.number)


@callback_once
def test2_start_pressed(press: Press, candidate: Candidate, *, key: uuid.UUID | None) -> Outcome:
    """«Начать Тест 2» under the invitation: the current question (a restart resumes where it stopped)."""
    if key is None:
        return STALE
    try:
        step = test2_services.attempt_resume(candidate_id=candidate.pk, key=key)
    except StaleReservation:
        return STALE
    except (test2_services.NoTest2, test2_services.Test2Done) as exc:
        return Outcome(answer=_refusal(candidate, exc), drop_keyboard=True, result=exc.code)
    return outcome(_step_reply(step), drop_keyboard=True, result="started")


@callback_once
def test2_answer_pressed(
    press: Press, candidate: Candidate, *, key: uuid.UUID | None, number: int | None, code: str
) -> Outcome:
    """An option of a Тест 2 question: stored; the next question follows, or the end."""
    if key is None or number is None:
        return STALE
    words = wording_for(candidate)
    try:
        step = test2_services.attempt_answer(candidate_id=candidate.pk, key=key, number=number, code=code)
    except StaleReservation:
        return Outcome(answer=words.TEST2_STALE, drop_keyboard=True, result="stale")
    except (test2_services.NoTest2, test2_services.Test2Done) as exc:
        return Outcome(answer=_refusal(candidate, exc), drop_keyboard=True, result=exc.code)
    answered = after_screens.test2_answered(number, code, words)
    if step.number is None:
        # Said in the answered question, not in a new message: the result (outbox) may already be on its way.
        return Outcome(edit=Reply(f"{answered.text}\n\n{words.TEST2_FINISHED}"), result="finished")
    return outcome(after_screens.test2_question(step.attempt, step.number), edit=answered, result="answered")


@callback_once
def intro_confirm_pressed(press: Press, candidate: Candidate, *, reservation_id: uuid.UUID | None) -> Outcome:
    """«Приду» under the intro-day invitation."""
    if reservation_id is None:
        return STALE
    try:
        slot = intro_day.intro_day_confirm(reservation_id=reservation_id, candidate_id=candidate.pk)
    except StaleReservation:
        return STALE
    except TransitionNotAllowed as exc:  # «Приду» again: already confirmed (the table's wording is for the admin)
        return Outcome(answer=wording_for(candidate).INTRO_ALREADY_CONFIRMED, drop_keyboard=True, result=exc.code)
    except SlotInPast as exc:
        return Outcome(answer=str(exc), drop_keyboard=True, result=exc.code)
    return outcome(after_screens.intro_confirmed(slot), drop_keyboard=True, result="confirmed")


@callback_once
def intro_decline_pressed(press: Press, candidate: Candidate, *, reservation_id: uuid.UUID | None) -> Outcome:
    """«Не смогу»: the intro day is released and the recruiter told."""
    if reservation_id is None:
        return STALE
    try:
        intro_day.intro_day_decline(reservation_id=reservation_id, candidate_id=candidate.pk)
    except (StaleReservation, TransitionNotAllowed):
        return STALE
    return outcome(Reply(wording_for(candidate).INTRO_DECLINED), drop_keyboard=True, result="declined")
