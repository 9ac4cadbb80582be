"""The buttons of a booking: «Подтверждаю», «Не смогу», «Отменить запись», «Выбрать другое время»."""

from __future__ import annotations

import uuid

from botapp import screens
from botapp.flows.once import callback_once
from botapp.views import Outcome, Press, Reply, outcome
from candidates.models import Candidate
from notifications.conversation import keyboards, texts
from notifications.kinds import CONFIRM_BUTTON_KINDS
from notifications.selectors import sent_with_buttons
from scheduling import services as slot_services
from scheduling.errors import SlotInPast, StaleReservation, TransitionNotAllowed
from scheduling.selectors import slot_get_live_for_candidate


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
        labels = _cancel_own(candidate, reservation_id, reason=texts.REASON_CANDIDATE_CANCELED)
    except (StaleReservation, TransitionNotAllowed) as exc:
        return Outcome(answer=texts.STALE_BOOKING, drop_keyboard=True, result=exc.code)
    edit = Reply(texts.BOOKING_CANCELED.format(**labels), keyboards.other_time_markup())
    return Outcome(edit=edit, answer=texts.CANCELED_ANSWER, result="canceled")


@callback_once
def other_time_pressed(press: Press, candidate: Candidate, *, reservation_id: uuid.UUID | None) -> Outcome:
    """«Выбрать другое время»: release own booking (if the button names one) and show the choice again."""
    if reservation_id is not None:
        try:
            labels = _cancel_own(candidate, reservation_id, reason=texts.REASON_CANDIDATE_OTHER_TIME)
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
