"""Commands and plain messages: /start, /cancel, /bind, and whatever the person types."""

from __future__ import annotations

import logging

from django.db import transaction

from botapp import screens
from botapp.flows.journey import after_answer
from botapp.flows.once import first_time
from botapp.flows.recruiter import recruiter_home
from botapp.flows.vacancy import link_opened
from botapp.models import TelegramMessageLog
from botapp.views import Outcome, Reply, outcome
from candidates import questionnaire
from candidates import services as candidate_services
from candidates.models import Candidate, CandidateStatus
from notifications.conversation import texts
from notifications.copy import wording_for
from scheduling import services as slot_services
from scheduling.errors import InvalidInput, TransitionNotAllowed
from scheduling.selectors import recruiter_get_by_chat, slot_get_live_for_candidate

logger = logging.getLogger(__name__)


@transaction.atomic
def start(*, telegram_id: int, username: str = "", code: str = "") -> Outcome:
    """/start: the candidate's current step (consent, question, booking or slot choice); never a reset.

    `/start <code>` of a vacancy's start link applies to that vacancy first (see flows/vacancy.py).
    In a recruiter's bound chat (private chats: the chat id is the user's id) it is the recruiter's home instead.
    """
    recruiter = recruiter_get_by_chat(chat_id=telegram_id)
    if recruiter is not None:
        return recruiter_home(recruiter)
    candidate = candidate_services.candidate_touch(telegram_id=telegram_id, username=username)
    if candidate.bot_state:
        candidate = candidate_services.candidate_bot_state_clear(candidate_id=candidate.pk)
    if code:
        lines = link_opened(candidate, code)
        candidate.refresh_from_db()
        return outcome(*lines, screens.current(candidate), result="start_link")
    return outcome(screens.current(candidate))


@transaction.atomic
def cancel_command(*, telegram_id: int) -> Outcome:
    """/cancel: stop typing a preferred time, or ask «Отменить запись на …?» about the live booking."""
    recruiter = recruiter_get_by_chat(chat_id=telegram_id)
    if recruiter is not None:
        return recruiter_home(recruiter)  # a recruiter's chat holds no candidate to cancel for
    candidate = candidate_services.candidate_touch(telegram_id=telegram_id)
    if candidate.bot_state:
        candidate_services.candidate_bot_state_clear(candidate_id=candidate.pk)
        return outcome(Reply(wording_for(candidate).INPUT_CANCELED))
    live = slot_get_live_for_candidate(candidate_id=candidate.pk)
    if live is None or not candidate_services.consent_is_current(candidate):
        return outcome(Reply(wording_for(candidate).NOTHING_TO_CANCEL))
    return outcome(screens.cancel_question(live))


def bind(*, chat_id: int, code: str) -> Outcome:
    """/bind CODE: a recruiter binds this chat with the one-time code from the admin."""
    if not code:
        return outcome(Reply(texts.BIND_USAGE))
    try:
        recruiter = slot_services.recruiter_bind_chat(code=code, chat_id=chat_id)
    except InvalidInput as exc:
        return outcome(Reply(str(exc)), result=exc.code)
    return outcome(Reply(texts.BIND_DONE.format(name=recruiter.name)))


@transaction.atomic
def text_received(*, telegram_id: int, message_id: int, text: str | None, username: str = "") -> Outcome:
    """A plain message: an answer to the current question, a preferred time, or else the current step.

    A message Telegram delivers again (the bot died before confirming it) only shows the current
    step: taken twice, an answer would also answer the next question.
    """
    recruiter = recruiter_get_by_chat(chat_id=telegram_id)
    if recruiter is not None:
        # A recruiter typing is no candidate answering Тест 1: show what they can do here.
        return outcome(Reply(texts.RECRUITER_HELP), result="recruiter_chat")
    log_id = first_time(TelegramMessageLog, ("chat_id", "message_id"), chat_id=telegram_id, message_id=message_id)
    candidate = candidate_services.candidate_touch(telegram_id=telegram_id, username=username)
    if log_id is None:
        logger.info("message %s of chat %s redelivered: showing the current step", message_id, telegram_id)
        return outcome(screens.current(candidate), result="duplicate")
    result = _text_received(candidate, text)
    TelegramMessageLog.objects.filter(pk=log_id).update(result=result.result[:64])
    return result


def _text_received(candidate: Candidate, text: str | None) -> Outcome:
    if not candidate_services.consent_is_current(candidate):
        return outcome(screens.current(candidate))
    if candidate.status == CandidateStatus.IN_TEST1:
        return _test1_typed(candidate, text)
    if candidate.bot_state == candidate_services.BOT_STATE_PREFERRED_TIME:
        return _preferred_time_typed(candidate, text)
    return outcome(screens.current(candidate))


def _test1_typed(candidate: Candidate, text: str | None) -> Outcome:
    if not candidate.test1_step:
        return outcome(screens.current(candidate), result="choosing_vacancy")  # a typed word chooses nothing
    if text is None:
        return outcome(screens.question(candidate, hint=wording_for(candidate).ANSWER_WITH_TEXT), result="not_text")
    try:
        step = candidate_services.test1_answer(
            candidate_id=candidate.pk, key=candidate.test1_step, raw=text, is_button=False
        )
    except questionnaire.InvalidAnswer as exc:
        return outcome(screens.question(candidate, hint=str(exc)), result=exc.code)
    return outcome(*after_answer(candidate.pk, step))


def _preferred_time_typed(candidate: Candidate, text: str | None) -> Outcome:
    try:
        candidate = candidate_services.preferred_time_leave(candidate_id=candidate.pk, note=text or "")
    except (InvalidInput, TransitionNotAllowed) as exc:
        return outcome(Reply(str(exc)), result=exc.code)
    thanks = wording_for(candidate).PREFERRED_TIME_THANKS
    return outcome(Reply(thanks.format(note=candidate.preferred_time_note)))
