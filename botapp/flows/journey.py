"""The journey's buttons: consent, Тест 1 options, recruiter and slot choice, «Оставить удобное время»."""

from __future__ import annotations

from collections.abc import Callable

from botapp import screens
from botapp.flows.once import callback_once, read_only_press
from botapp.views import Outcome, Press, Reply, outcome
from candidates import questionnaire
from candidates import services as candidate_services
from candidates.models import Candidate, CandidateStatus
from candidates.vacancies.selectors import vacancy_recruiter_ids
from notifications.conversation import texts
from notifications.copy import wording_for
from scheduling import services as slot_services
from scheduling.errors import (
    AlreadyHasLiveSlot,
    CandidateNotEligible,
    RecruiterInactive,
    SlotInPast,
    SlotNotFound,
    SlotTaken,
    TransitionNotAllowed,
)
from scheduling.models import Slot
from scheduling.selectors import slot_get_live_for_candidate


def _is_choosing(candidate: Candidate) -> bool:
    # The slot services keep the stage in step with the slots: «choosing» means no live booking.
    return candidate_services.consent_is_current(candidate) and candidate.status == CandidateStatus.CHOOSING_SLOT


def _interviews_for_vacancy(candidate: Candidate, recruiter_id: Callable[[], int | None]) -> bool:
    """Whether this recruiter interviews for the candidate's vacancy (a vacancy without recruiters: anyone).

    The recruiter is asked for only when the vacancy names its recruiters (a slot's costs a query); None, a
    slot that is gone, passes: the reservation then says so in its own words.
    """
    allowed = vacancy_recruiter_ids(candidate.vacancy_id)
    if allowed is None:
        return True
    recruiter = recruiter_id()
    return recruiter is None or recruiter in allowed


def _slot_recruiter_id(slot_id: int) -> int | None:
    return Slot.objects.filter(pk=slot_id).values_list("recruiter_id", flat=True).first()


def after_answer(candidate_id: int, step: candidate_services.Test1Step) -> list[Reply]:
    """What follows an accepted Тест 1 answer, typed or pressed: the next question, the choice, or the end."""
    candidate = Candidate.objects.select_related("city").get(pk=candidate_id)
    if step.is_knocked_out:
        return [screens.knocked_out(candidate)]
    if step.is_completed:
        return [Reply(wording_for(candidate).TEST1_DONE), screens.current(candidate)]
    return [screens.question(candidate)]


@callback_once
def consent_pressed(press: Press, candidate: Candidate, *, version: str, agree: bool) -> Outcome:
    """«Согласен» / «Не согласен» on the consent text of `version`."""
    if version != candidate_services.consent_version():
        return outcome(screens.current(candidate), answer=texts.STALE_BUTTON, drop_keyboard=True, result="stale")
    if candidate_services.consent_is_current(candidate) and agree:
        return outcome(screens.current(candidate), answer=texts.STALE_BUTTON, drop_keyboard=True, result="already")
    words = wording_for(candidate)
    if not agree:
        if candidate.status == CandidateStatus.CONSENT_DECLINED:
            return outcome(Reply(words.CONSENT_DECLINED_AGAIN), drop_keyboard=True, result="already")
        candidate_services.consent_decline(candidate_id=candidate.pk)
        return outcome(Reply(words.CONSENT_DECLINED), edit=Reply(words.CONSENT_CHOSEN_NO), result="declined")
    is_first = candidate.status in (CandidateStatus.NEW, CandidateStatus.CONSENT_DECLINED)
    candidate = candidate_services.consent_give(candidate_id=candidate.pk, username=press.username)
    edit = Reply(f"{words.CONSENT_CHOSEN_YES}\n{words.CONSENT_THANKS}" if is_first else words.CONSENT_CHOSEN_YES)
    return outcome(screens.current(candidate), edit=edit, result="agreed")


@callback_once
def answer_pressed(press: Press, candidate: Candidate, *, key: str, code: str) -> Outcome:
    """An option button of a Тест 1 question."""
    if not candidate_services.consent_is_current(candidate):
        return outcome(screens.current(candidate), answer=texts.STALE_BUTTON, result="no_consent")
    try:
        step = candidate_services.test1_answer(candidate_id=candidate.pk, key=key, raw=code, is_button=True)
    except questionnaire.StaleQuestion:
        return Outcome(answer=texts.STALE_QUESTION, drop_keyboard=True, result="stale")
    except questionnaire.InvalidAnswer as exc:
        return Outcome(answer=str(exc), result=exc.code)
    return outcome(*after_answer(candidate.pk, step), edit=screens.answered(candidate, key, code))


@read_only_press
def recruiters_pressed(press: Press, candidate: Candidate) -> Outcome:
    """«Другой рекрутёр» / «Обновить»: the recruiter list of the candidate's city."""
    if not _is_choosing(candidate):
        return outcome(screens.current(candidate), answer=texts.STALE_BUTTON, drop_keyboard=True, result="not_choosing")
    return Outcome(edit=screens.recruiters(candidate))


@read_only_press
def recruiter_pressed(press: Press, candidate: Candidate, *, recruiter_id: int) -> Outcome:
    """A recruiter button or «Обновить» of a slot list: that recruiter's free slots."""
    if not _is_choosing(candidate) or not _interviews_for_vacancy(candidate, lambda: recruiter_id):
        return outcome(screens.current(candidate), answer=texts.STALE_BUTTON, drop_keyboard=True, result="not_choosing")
    return Outcome(edit=screens.slots(candidate, recruiter_id=recruiter_id))


@callback_once
def slot_pressed(press: Press, candidate: Candidate, *, slot_id: int) -> Outcome:
    """A slot button: reserve it; every refusal gives a clear message and the next step."""
    if not _interviews_for_vacancy(candidate, lambda: _slot_recruiter_id(slot_id)):
        return outcome(screens.current(candidate), answer=texts.STALE_BUTTON, drop_keyboard=True, result="not_vacancy")
    words = wording_for(candidate)
    try:
        slot = slot_services.slot_reserve(slot_id=slot_id, candidate_id=candidate.pk)
    except AlreadyHasLiveSlot:
        live = slot_get_live_for_candidate(candidate_id=candidate.pk)
        reply = screens.booking(live, header=words.ALREADY_BOOKED) if live else screens.current(candidate)
        return Outcome(edit=reply, answer=words.ALREADY_BOOKED, result="already_has_live_slot")
    except (SlotTaken, SlotNotFound, SlotInPast) as exc:
        header = words.SLOT_IN_PAST if isinstance(exc, SlotInPast) else words.SLOT_TAKEN
        recruiter_id = _slot_recruiter_id(slot_id)
        reply = (
            screens.slots(candidate, recruiter_id=recruiter_id, header=header)
            if recruiter_id
            else screens.recruiters(candidate, header=header)
        )
        return Outcome(edit=reply, answer=header.split(".")[0], result=exc.code)
    except RecruiterInactive as exc:
        return Outcome(
            edit=screens.recruiters(candidate, header=words.RECRUITER_UNAVAILABLE),
            answer=words.RECRUITER_UNAVAILABLE.split(".")[0],
            result=exc.code,
        )
    except CandidateNotEligible as exc:
        return outcome(screens.current(candidate), answer=texts.STALE_BUTTON, drop_keyboard=True, result=exc.code)
    return Outcome(edit=screens.slot_chosen(slot), answer=words.RESERVED_ANSWER, result="reserved")


@callback_once
def preferred_time_pressed(press: Press, candidate: Candidate) -> Outcome:
    """«Оставить удобное время»: the next plain message is stored as the preferred time."""
    try:
        candidate_services.preferred_time_request(candidate_id=candidate.pk)
    except TransitionNotAllowed as exc:
        return outcome(screens.current(candidate), answer=texts.STALE_BUTTON, result=exc.code)
    return outcome(Reply(wording_for(candidate).PREFERRED_TIME_ASK))
