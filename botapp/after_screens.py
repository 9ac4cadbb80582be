"""After the interview, as seen in the bot: Тест 2 questions, the intro day, the result question."""

from __future__ import annotations

from typing import Any

from botapp.views import Reply
from candidates import test2
from candidates.models import Candidate, CandidateStatus, Test2Attempt
from notifications.conversation import after_keyboards, after_texts
from notifications.conversation.time_labels import date_time_label, zone_label
from notifications.copy import wording_for
from scheduling.models import LIVE_STATUSES, Slot, SlotPurpose

AFTER_STAGES = (
    CandidateStatus.TEST2_INVITED,
    CandidateStatus.IN_TEST2,
    CandidateStatus.TEST2_PASSED,
    CandidateStatus.INTRO_DAY_INVITED,
    CandidateStatus.INTRO_DAY_CONFIRMED,
    CandidateStatus.HIRED,
)


def test2_question(attempt: Test2Attempt, number: int) -> Reply:
    """«Тест 2 · Вопрос 2/4» with one button per option, keyed by the attempt and the question."""
    question = test2.QUESTIONS[number - 1]
    return Reply(
        wording_for(attempt.candidate).TEST2_QUESTION.format(n=number, total=len(test2.QUESTIONS), text=question.text),
        after_keyboards.test2_options_markup(attempt.key, number, list(question.options)),
    )


def test2_answered(number: int, code: str, words: Any = after_texts) -> Reply:
    """The answered question, kept in the chat without its buttons."""
    question = test2.QUESTIONS[number - 1]
    text = words.TEST2_QUESTION.format(n=number, total=len(test2.QUESTIONS), text=question.text)
    return Reply(words.TEST2_ANSWERED.format(question=text, answer=question.option_text(code) or code))


def intro_day(slot: Slot, *, header: str = "") -> Reply:
    """The candidate's intro day in the city's zone, with «Приду» / «Не смогу»."""
    tz = slot.city.tz
    words = wording_for(slot.candidate, city_id=slot.city_id)
    note = words.INTRO_NOTE.format(note=slot.intro_note) if slot.intro_note else ""
    text = words.INTRO_DAY_INVITATION.format(
        when=date_time_label(slot.starts_at, tz),
        zone=zone_label(tz, slot.starts_at),
        address=slot.intro_address,
        contact=slot.intro_contact,
        note=note,
    )
    return Reply(f"{header}\n\n{text}" if header else text, after_keyboards.intro_markup(slot.reservation_id, words))


def intro_confirmed(slot: Slot) -> Reply:
    tz = slot.city.tz
    return Reply(
        wording_for(slot.candidate, city_id=slot.city_id).INTRO_CONFIRMED.format(
            when=date_time_label(slot.starts_at, tz), zone=zone_label(tz, slot.starts_at), address=slot.intro_address
        )
    )


def result_question(slot: Slot) -> Reply:
    """After «Пришёл»: the same message asks the interview's result, keyed by the booking."""
    tz = slot.recruiter.tz
    return Reply(
        after_texts.RESULT_QUESTION.format(
            candidate=slot.candidate, when=date_time_label(slot.starts_at, tz), zone=zone_label(tz, slot.starts_at)
        ),
        after_keyboards.result_markup(slot.reservation_id),
    )


def current_after(candidate: Candidate) -> Reply | None:
    """Where a candidate past the interview stands (read only), or None for the earlier stages."""
    status = candidate.status
    if status not in AFTER_STAGES:
        return None
    words = wording_for(candidate)
    if status in (CandidateStatus.TEST2_INVITED, CandidateStatus.IN_TEST2):
        attempt = Test2Attempt.objects.filter(candidate=candidate, finished_at__isnull=True).first()
        if attempt is None:
            return Reply(words.TEST2_NOTHING)
        number = test2.next_number(attempt.answers)
        if attempt.started_at is None or number is None:
            text = words.TEST2_INVITATION.format(total=len(test2.QUESTIONS))
            return Reply(text, after_keyboards.test2_start_markup(attempt.key, words))
        return test2_question(attempt, number)
    if status in (CandidateStatus.INTRO_DAY_INVITED, CandidateStatus.INTRO_DAY_CONFIRMED):
        slot = (
            Slot.objects.filter(candidate=candidate, purpose=SlotPurpose.INTRO_DAY, status__in=LIVE_STATUSES)
            .select_related("city")
            .first()
        )
        if slot is not None:
            return intro_confirmed(slot) if status == CandidateStatus.INTRO_DAY_CONFIRMED else intro_day(slot)
        return Reply(words.WAITING_FOR_INVITATION)
    if status == CandidateStatus.HIRED:
        return Reply(words.HIRED)
    return Reply(words.WAITING_FOR_INVITATION if status == CandidateStatus.TEST2_PASSED else words.INTERVIEWED)
