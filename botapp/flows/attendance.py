"""The recruiter's «Пришёл» / «Не пришёл» under «Кандидат пришёл?» at the end of an interview.

The button names the booking (its reservation id); only the chat bound to that slot's recruiter
may answer, and only the first answer counts: a later press, or one after the admin recorded the
outcome, shows what is recorded and changes nothing.
"""

from __future__ import annotations

import uuid

from botapp import after_screens, screens
from botapp.flows.once import recruiter_callback_once
from botapp.views import Outcome, Press, Reply
from notifications.conversation import texts
from scheduling import services as slot_services
from scheduling.errors import StaleReservation, TransitionNotAllowed
from scheduling.models import Slot, SlotOutcome
from scheduling.selectors import slot_get_by_reservation

STALE = Outcome(answer=texts.STALE_BOOKING, drop_keyboard=True, result="stale")
NOT_YOURS = Outcome(answer=texts.RECRUITER_NOT_YOURS, result="not_yours")


@recruiter_callback_once
def attendance_pressed(press: Press, *, chat_id: int | None, reservation_id: uuid.UUID | None, outcome: str) -> Outcome:
    """Record the outcome once, from the recruiter's own chat; the question becomes its answer."""
    slot = slot_get_by_reservation(reservation_id=reservation_id) if reservation_id else None
    if slot is None:
        return STALE
    if slot.recruiter.telegram_chat_id != chat_id:
        # A forwarded question, another recruiter, a crafted press: their message stays as it is.
        return NOT_YOURS
    try:
        slot = slot_services.slot_record_outcome(
            slot_id=slot.pk, outcome=outcome, reservation_id=reservation_id, first_only=True
        )
    except StaleReservation:
        return STALE
    except TransitionNotAllowed as exc:
        slot.refresh_from_db()
        if not slot.outcome:
            return Outcome(answer=str(exc), result=exc.code)
        label = screens.outcome_label(slot)
        return Outcome(
            answer=texts.ATTENDANCE_ALREADY.format(outcome=label), edit=_recorded(slot), result="already_recorded"
        )
    return Outcome(
        answer=texts.ATTENDANCE_SAVED.format(outcome=screens.outcome_label(slot)), edit=_recorded(slot), result=outcome
    )


def _recorded(slot: Slot) -> Reply:
    """The question once answered; «Пришёл» to an interview asks its result next (after.py takes those presses)."""
    if slot.outcome == SlotOutcome.ATTENDED and not slot.is_intro_day:
        return after_screens.result_question(slot)
    return screens.attendance_recorded(slot)
