"""The sync side of every update: one call per update, one transaction, an Outcome back.

Handlers parse the update and call exactly one function here through `run_sync`. Each function
calls the services (every state change lives there), catches the domain errors it expects and
renders the reply with `screens`. Button presses go through `callback_once`, which records the
callback id in the same transaction as the action, so a redelivered press is a no-op.
"""

from __future__ import annotations

import functools
import logging
import uuid
from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from botapp import screens
from botapp.models import TelegramCallbackLog, TelegramMessageLog
from botapp.views import Outcome, Press, Reply, outcome
from candidates import questionnaire
from candidates import services as candidate_services
from candidates.models import Candidate, CandidateStatus
from notifications.conversation import keyboards, texts
from notifications.selectors import CONFIRM_BUTTON_KINDS, sent_with_buttons
from scheduling import services as slot_services
from scheduling.errors import (
    AlreadyHasLiveSlot,
    CandidateNotEligible,
    InvalidInput,
    RecruiterInactive,
    SlotInPast,
    SlotNotFound,
    SlotTaken,
    StaleReservation,
    TransitionNotAllowed,
)
from scheduling.models import Slot
from scheduling.selectors import slot_get_live_for_candidate

logger = logging.getLogger(__name__)

P = ParamSpec("P")
PressFlow = Callable[Concatenate[Press, Candidate, P], Outcome]

DUPLICATE = Outcome(result="duplicate")


def _is_choosing(candidate: Candidate) -> bool:
    # The slot services keep the stage in step with the slots: «choosing» means no live booking.
    return candidate_services.consent_is_current(candidate) and candidate.status == CandidateStatus.CHOOSING_SLOT


def _first_time(model: type[Model], unique: tuple[str, ...], **values: Any) -> int | None:
    """Insert a log row; its id, or None when a row with the same unique key exists (one round trip)."""
    table = connection.ops.quote_name(model._meta.db_table)
    columns = [*values, "result", "created_at"]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))}) "
            f"ON CONFLICT ({', '.join(unique)}) DO NOTHING RETURNING id",
            [*values.values(), "", timezone.now()],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def _log_press(press: Press) -> int | None:
    """The callback's log row; None when this callback id was handled before."""
    return _first_time(
        TelegramCallbackLog,
        ("callback_query_id",),
        callback_query_id=press.callback_id[:64],
        telegram_user_id=press.telegram_id,
        data=press.data[:64],
    )


def callback_once(func: PressFlow[P]) -> Callable[Concatenate[Press, P], Outcome]:
    """Run a press flow once per callback id: log row and action commit (or roll back) together."""

    @functools.wraps(func)
    def wrapper(press: Press, *args: P.args, **kwargs: P.kwargs) -> Outcome:
        with transaction.atomic():
            # A concurrent redelivery waits here on the unique index until this transaction ends.
            log_id = _log_press(press)
            if log_id is None:
                logger.info("callback %s redelivered: ignored", press.callback_id)
                return DUPLICATE
            candidate = candidate_services.candidate_touch(telegram_id=press.telegram_id, username=press.username)
            result = func(press, candidate, *args, **kwargs)
            TelegramCallbackLog.objects.filter(pk=log_id).update(result=result.result[:64])
            return result

    return wrapper


# ----------------------------------------------------------------- commands and messages


@transaction.atomic
def start(*, telegram_id: int, username: str = "") -> Outcome:
    """/start: the candidate's current step (consent, question, booking or slot choice); never a reset."""
    candidate = candidate_services.candidate_touch(telegram_id=telegram_id, username=username)
    if candidate.bot_state:
        candidate = candidate_services.candidate_bot_state_clear(candidate_id=candidate.pk)
    return outcome(screens.current(candidate))


@transaction.atomic
def cancel_command(*, telegram_id: int) -> Outcome:
    """/cancel: stop typing a preferred time, or offer to cancel the live booking."""
    candidate = candidate_services.candidate_touch(telegram_id=telegram_id)
    if candidate.bot_state:
        candidate_services.candidate_bot_state_clear(candidate_id=candidate.pk)
        return outcome(Reply(texts.INPUT_CANCELED))
    live = slot_get_live_for_candidate(candidate_id=candidate.pk)
    if live is None or not candidate_services.consent_is_current(candidate):
        return outcome(Reply(texts.NOTHING_TO_CANCEL))
    assert live.reservation_id is not None
    return outcome(
        Reply(texts.CANCEL_WHAT.format(**screens.when_label(live)), keyboards.booking_markup(live.reservation_id))
    )


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
    log_id = _first_time(TelegramMessageLog, ("chat_id", "message_id"), chat_id=telegram_id, message_id=message_id)
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
    if text is None:
        return outcome(screens.question(candidate, hint=texts.ANSWER_WITH_TEXT), result="not_text")
    try:
        step = candidate_services.test1_answer(
            candidate_id=candidate.pk, key=candidate.test1_step, raw=text, is_button=False
        )
    except questionnaire.InvalidAnswer as exc:
        return outcome(screens.question(candidate, hint=str(exc)), result=exc.code)
    return outcome(*_after_answer(candidate.pk, step))


def _preferred_time_typed(candidate: Candidate, text: str | None) -> Outcome:
    try:
        candidate = candidate_services.preferred_time_leave(candidate_id=candidate.pk, note=text or "")
    except (InvalidInput, TransitionNotAllowed) as exc:
        return outcome(Reply(str(exc)), result=exc.code)
    return outcome(Reply(texts.PREFERRED_TIME_THANKS.format(note=candidate.preferred_time_note)))


def _after_answer(candidate_id: int, step: candidate_services.Test1Step) -> list[Reply]:
    candidate = Candidate.objects.select_related("city").get(pk=candidate_id)
    if step.is_knocked_out:
        return [Reply(texts.KNOCKED_OUT)]
    if step.is_completed:
        return [Reply(texts.TEST1_DONE), screens.current(candidate)]
    return [screens.question(candidate)]


# ----------------------------------------------------------------- consent and Тест 1 buttons


@callback_once
def consent_pressed(press: Press, candidate: Candidate, *, version: str, agree: bool) -> Outcome:
    """«Согласен» / «Не согласен» on the consent text of `version`."""
    if version != candidate_services.consent_version():
        return outcome(screens.current(candidate), answer=texts.STALE_BUTTON, drop_keyboard=True, result="stale")
    if candidate_services.consent_is_current(candidate) and agree:
        return outcome(screens.current(candidate), drop_keyboard=True, result="already")
    if not agree:
        if candidate.status == CandidateStatus.CONSENT_DECLINED:
            return outcome(Reply(texts.CONSENT_DECLINED_AGAIN), drop_keyboard=True, result="already")
        candidate_services.consent_decline(candidate_id=candidate.pk)
        return outcome(Reply(texts.CONSENT_DECLINED), edit=Reply(texts.CONSENT_CHOSEN_NO), result="declined")
    is_first = candidate.status in (CandidateStatus.NEW, CandidateStatus.CONSENT_DECLINED)
    candidate = candidate_services.consent_give(candidate_id=candidate.pk, username=press.username)
    edit = Reply(f"{texts.CONSENT_CHOSEN_YES}\n{texts.CONSENT_THANKS}" if is_first else texts.CONSENT_CHOSEN_YES)
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
    return outcome(*_after_answer(candidate.pk, step), edit=screens.answered(key, code))


# ----------------------------------------------------------------- recruiter and slot choice


@callback_once
def recruiters_pressed(press: Press, candidate: Candidate) -> Outcome:
    """«Другой рекрутёр» / «Обновить»: the recruiter list of the candidate's city."""
    if not _is_choosing(candidate):
        return outcome(screens.current(candidate), drop_keyboard=True, result="not_choosing")
    return Outcome(edit=screens.recruiters(candidate))


@callback_once
def recruiter_pressed(press: Press, candidate: Candidate, *, recruiter_id: int) -> Outcome:
    """A recruiter button or «Обновить» of a slot list: that recruiter's free slots."""
    if not _is_choosing(candidate):
        return outcome(screens.current(candidate), drop_keyboard=True, result="not_choosing")
    return Outcome(edit=screens.slots(candidate, recruiter_id=recruiter_id))


@callback_once
def slot_pressed(press: Press, candidate: Candidate, *, slot_id: int) -> Outcome:
    """A slot button: reserve it; every refusal gives a clear message and the next step."""
    try:
        slot = slot_services.slot_reserve(slot_id=slot_id, candidate_id=candidate.pk)
    except AlreadyHasLiveSlot:
        live = slot_get_live_for_candidate(candidate_id=candidate.pk)
        reply = screens.booking(live, header=texts.ALREADY_BOOKED) if live else screens.current(candidate)
        return Outcome(edit=reply, answer=texts.ALREADY_BOOKED, result="already_has_live_slot")
    except (SlotTaken, SlotNotFound, SlotInPast) as exc:
        header = texts.SLOT_IN_PAST if isinstance(exc, SlotInPast) else texts.SLOT_TAKEN
        recruiter_id = Slot.objects.filter(pk=slot_id).values_list("recruiter_id", flat=True).first()
        reply = (
            screens.slots(candidate, recruiter_id=recruiter_id, header=header)
            if recruiter_id
            else screens.recruiters(candidate, header=header)
        )
        return Outcome(edit=reply, answer=header.split(".")[0], result=exc.code)
    except RecruiterInactive as exc:
        return Outcome(edit=screens.recruiters(candidate, header=texts.RECRUITER_UNAVAILABLE), result=exc.code)
    except CandidateNotEligible as exc:
        return outcome(screens.current(candidate), drop_keyboard=True, result=exc.code)
    return Outcome(edit=screens.slot_chosen(slot), answer="Заявка отправлена", result="reserved")


@callback_once
def preferred_time_pressed(press: Press, candidate: Candidate) -> Outcome:
    """«Оставить удобное время»: the next plain message is stored as the preferred time."""
    try:
        candidate_services.preferred_time_request(candidate_id=candidate.pk)
    except TransitionNotAllowed as exc:
        return outcome(screens.current(candidate), result=exc.code)
    return outcome(Reply(texts.PREFERRED_TIME_ASK))


# ----------------------------------------------------------------- the booking's buttons


@callback_once
def confirm_pressed(press: Press, candidate: Candidate, *, reservation_id: uuid.UUID | None) -> Outcome:
    """«Подтверждаю»: confirm own live booking; the outbox sends the meeting link."""
    if reservation_id is None:
        return Outcome(answer=texts.STALE_BOOKING, drop_keyboard=True, result="malformed")
    try:
        slot_services.booking_confirm(reservation_id=reservation_id, candidate_id=candidate.pk)
    except (StaleReservation, TransitionNotAllowed, SlotInPast) as exc:
        return Outcome(answer=texts.STALE_BOOKING, drop_keyboard=True, result=exc.code)
    return Outcome(
        answer=texts.CONFIRMED_ANSWER,
        drop_keyboard=True,
        drop_keyboards_of=sent_with_buttons(reservation_id=reservation_id, kinds=CONFIRM_BUTTON_KINDS),
        result="confirmed",
    )


@callback_once
def decline_pressed(press: Press, candidate: Candidate, *, reservation_id: uuid.UUID | None) -> Outcome:
    """«Не смогу»: free own booking, then offer the same recruiter's other times."""
    if reservation_id is None:
        return Outcome(answer=texts.STALE_BOOKING, drop_keyboard=True, result="malformed")
    try:
        slot = slot_services.booking_decline(reservation_id=reservation_id, candidate_id=candidate.pk)
    except (StaleReservation, TransitionNotAllowed) as exc:
        return Outcome(answer=texts.STALE_BOOKING, drop_keyboard=True, result=exc.code)
    candidate.refresh_from_db()
    reply = screens.slots(candidate, recruiter_id=slot.recruiter_id, header=texts.DECLINED)
    return outcome(
        reply,
        drop_keyboard=True,
        drop_keyboards_of=sent_with_buttons(reservation_id=reservation_id),
        result="declined",
    )


@callback_once
def cancel_pressed(press: Press, candidate: Candidate, *, reservation_id: uuid.UUID | None) -> Outcome:
    """«Отменить запись»: free own booking; the recruiter is told through the outbox."""
    if reservation_id is None:
        return Outcome(answer=texts.STALE_BOOKING, drop_keyboard=True, result="malformed")
    try:
        labels = _cancel_own(candidate, reservation_id, reason="кандидат отменил запись")
    except (StaleReservation, TransitionNotAllowed) as exc:
        return Outcome(answer=texts.STALE_BOOKING, drop_keyboard=True, result=exc.code)
    edit = Reply(texts.BOOKING_CANCELED.format(**labels), keyboards.other_time_markup())
    return Outcome(edit=edit, answer="Запись отменена", result="canceled")


@callback_once
def other_time_pressed(press: Press, candidate: Candidate, *, reservation_id: uuid.UUID | None) -> Outcome:
    """«Выбрать другое время»: release own booking (if the button names one) and show the choice again."""
    if reservation_id is not None:
        try:
            labels = _cancel_own(candidate, reservation_id, reason="кандидат выбирает другое время")
        except (StaleReservation, TransitionNotAllowed):
            labels = None
        if labels is not None:
            candidate.refresh_from_db()
            return outcome(
                screens.current(candidate),
                edit=Reply(texts.BOOKING_CANCELED_CHOOSE.format(**labels)),
                result="canceled",
            )
    live = slot_get_live_for_candidate(candidate_id=candidate.pk)
    if live is not None:
        return outcome(screens.booking(live, header=texts.ALREADY_BOOKED), result="has_live_slot")
    return outcome(screens.current(candidate), result="shown")


def _cancel_own(candidate: Candidate, reservation_id: uuid.UUID, *, reason: str) -> dict[str, str]:
    slot = slot_services.booking_cancel(reservation_id=reservation_id, candidate_id=candidate.pk, reason=reason)
    return screens.when_label(slot)
