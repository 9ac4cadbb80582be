"""A booking's buttons: «Подтверждаю», «Не смогу», «Отменить запись» («Да, отменить» / «Нет»), «Выбрать другое время».

A press on a booking message may come from far up the chat, so its result arrives as a new message
at the bottom (the pressed message only loses its buttons); a stale press is answered with a toast.
"""

from __future__ import annotations

import uuid

from botapp import screens
from botapp.flows.once import callback_once
from botapp.views import Outcome, Press, Reply, outcome
from candidates.models import Candidate
from notifications.conversation import keyboards, texts
from notifications.copy import wording_for
from notifications.kinds import CONFIRM_BUTTON_KINDS
from notifications.selectors import sent_with_buttons
from scheduling import services as slot_services
from scheduling.errors import SlotInPast, StaleReservation, TransitionNotAllowed
from scheduling.models import Slot, SlotStatus
from scheduling.selectors import slot_get_live_by_reservation, slot_get_live_for_candidate

STALE = Outcome(answer=texts.STALE_BOOKING, drop_keyboard=True, result="stale")


@callback_once
def confirm_pressed(press: Press, candidate: Candidate, *, reservation_id: uuid.UUID | None) -> Outcome:
    """«Подтверждаю»: confirm own live booking; the outbox sends the meeting link as a new message."""
    if reservation_id is None:
        return Outcome(answer=texts.STALE_BOOKING, drop_keyboard=True, result="malformed")
    try:
        slot_services.booking_confirm(reservation_id=reservation_id, candidate_id=candidate.pk)
    except (StaleReservation, TransitionNotAllowed, SlotInPast) as exc:
        return Outcome(answer=texts.STALE_BOOKING, drop_keyboard=True, result=exc.code)
    return Outcome(
        answer=wording_for(candidate).CONFIRMED_ANSWER,
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
    words = wording_for(candidate)
    header = words.DECLINED.format(told=screens.recruiter_told(slot, words))
    return outcome(
        screens.slots(candidate, recruiter_id=slot.recruiter_id, header=header),
        drop_keyboard=True,
        drop_keyboards_of=sent_with_buttons(reservation_id=reservation_id),
        result="declined",
    )


@callback_once
def cancel_pressed(press: Press, candidate: Candidate, *, reservation_id: uuid.UUID | None) -> Outcome:
    """«Отменить запись»: a pending request goes at once; an agreed booking asks «Да, отменить» / «Нет» first."""
    live = _own_live_booking(candidate, reservation_id)
    if live is None or reservation_id is None:
        return STALE
    if live.status != SlotStatus.PENDING:
        return outcome(screens.cancel_question(live), result="asked")
    return _cancel(candidate, reservation_id)


@callback_once
def cancel_yes_pressed(press: Press, candidate: Candidate, *, reservation_id: uuid.UUID | None) -> Outcome:
    """«Да, отменить»: free own booking; the recruiter is told through the outbox (when their chat is bound)."""
    if reservation_id is None:
        return STALE
    return _cancel(candidate, reservation_id)


@callback_once
def cancel_no_pressed(press: Press, candidate: Candidate, *, reservation_id: uuid.UUID | None) -> Outcome:
    """«Нет»: the booking stays; the question loses its buttons."""
    if _own_live_booking(candidate, reservation_id) is None:
        return STALE
    words = wording_for(candidate)
    return outcome(Reply(words.CANCEL_KEPT), answer=words.CANCEL_KEPT_ANSWER, drop_keyboard=True, result="kept")


@callback_once
def other_time_pressed(press: Press, candidate: Candidate, *, reservation_id: uuid.UUID | None) -> Outcome:
    """«Выбрать другое время»: release own pending request (an agreed booking asks first) and show the choice."""
    if reservation_id is not None:
        own = _own_live_booking(candidate, reservation_id)
        if own is not None and own.status != SlotStatus.PENDING:
            return outcome(screens.cancel_question(own), result="asked")
        try:
            slot = _cancel_own(candidate, reservation_id, reason=texts.REASON_CANDIDATE_OTHER_TIME)
        except (StaleReservation, TransitionNotAllowed):
            slot = None  # someone else's booking, or one that is over: nothing to release
        if slot is not None:
            candidate.refresh_from_db()
            return outcome(
                Reply(wording_for(candidate).BOOKING_CANCELED_CHOOSE.format(**screens.when_label(slot))),
                screens.current(candidate),
                drop_keyboard=True,
                drop_keyboards_of=sent_with_buttons(reservation_id=reservation_id),
                result="canceled",
            )
    # A button of a booking that is over (or of none): show where the candidate is now.
    stale = {"answer": texts.STALE_BOOKING} if reservation_id is not None else {}
    live = slot_get_live_for_candidate(candidate_id=candidate.pk)
    if live is not None:
        header = wording_for(candidate).ALREADY_BOOKED
        return outcome(screens.booking(live, header=header), result="has_live_slot", **stale)
    return outcome(screens.current(candidate), result="shown", **stale)


def _own_live_booking(candidate: Candidate, reservation_id: uuid.UUID | None) -> Slot | None:
    # Read under the candidate lock callback_once holds: an approval locks the candidate first, so it
    # cannot slip in between this read and the cancel that follows it.
    if reservation_id is None:
        return None
    return slot_get_live_by_reservation(candidate_id=candidate.pk, reservation_id=reservation_id)


def _cancel(candidate: Candidate, reservation_id: uuid.UUID) -> Outcome:
    try:
        slot = _cancel_own(candidate, reservation_id, reason=texts.REASON_CANDIDATE_CANCELED)
    except (StaleReservation, TransitionNotAllowed) as exc:
        return Outcome(answer=texts.STALE_BOOKING, drop_keyboard=True, result=exc.code)
    words = wording_for(candidate)
    canceled = words.BOOKING_CANCELED.format(**screens.when_label(slot), told=screens.recruiter_told(slot, words))
    return outcome(
        Reply(canceled, keyboards.other_time_markup(words)),
        answer=words.CANCELED_ANSWER,
        drop_keyboard=True,
        drop_keyboards_of=sent_with_buttons(reservation_id=reservation_id),
        result="canceled",
    )


def _cancel_own(candidate: Candidate, reservation_id: uuid.UUID, *, reason: str) -> Slot:
    return slot_services.booking_cancel(reservation_id=reservation_id, candidate_id=candidate.pk, reason=reason)
