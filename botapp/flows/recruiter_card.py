"""The recruiter's decision card: «Согласовать», «Другое время», «Отказать» (then a reason), keyed by the request.

Only the chat bound to the slot's recruiter may act, and only on the request the card was sent
for, while it is still undecided: the services lock the slot by its reservation id, so a card of
an older booking never touches a newer one. The card's text turns into its result through the
outbox worker (notifications.delivery.request_card_edit), the same way for a decision made in
the admin; a press here answers at once and takes the buttons off the pressed message.
"""

from __future__ import annotations

import uuid

from botapp.flows.once import recruiter_callback_once
from botapp.views import Outcome, Press, Reply
from notifications.card import Via, sent_request_card
from notifications.conversation import keyboards, texts
from scheduling import services as slot_services
from scheduling.errors import SlotInPast, StaleReservation, TransitionNotAllowed
from scheduling.models import Recruiter, Slot, SlotEvent, SlotStatus
from scheduling.selectors import slot_get_by_reservation

NOT_YOURS = Outcome(answer=texts.RECRUITER_NOT_YOURS, result="not_yours")


def _request_recruiter(reservation_id: uuid.UUID) -> Recruiter | None:
    """The recruiter whose slot this request is (or was, once released), or None for data we never issued."""
    slot = slot_get_by_reservation(reservation_id=reservation_id)
    if slot is not None:
        return slot.recruiter
    event = SlotEvent.objects.filter(reservation_id=reservation_id).select_related("slot__recruiter").first()
    return event.slot.recruiter if event is not None else None


def _owner(reservation_id: uuid.UUID, chat_id: int | None) -> Recruiter | None:
    recruiter = _request_recruiter(reservation_id)
    if recruiter is None or chat_id is None or recruiter.telegram_chat_id != chat_id:
        return None
    return recruiter


def _current_state(reservation_id: uuid.UUID, result: str) -> Outcome:
    """The request was decided or released meanwhile: say where it stands, change nothing."""
    slot = slot_get_by_reservation(reservation_id=reservation_id)
    state = texts.CARD_STATES.get(slot.status, texts.CARD_STATE_CLOSED) if slot is not None else texts.CARD_STATE_CLOSED
    return Outcome(answer=texts.CARD_STALE.format(state=state), drop_keyboard=True, result=result)


def _pending(reservation_id: uuid.UUID) -> Slot | None:
    slot = slot_get_by_reservation(reservation_id=reservation_id)
    return slot if slot is not None and slot.status == SlotStatus.PENDING else None


def _card_text(reservation_id: uuid.UUID, message_id: int | None) -> str:
    """The card's text when the pressed message is the card itself, else '' (a button shown elsewhere)."""
    card = sent_request_card(reservation_id)
    return card.text if card is not None and card.telegram_message_id == message_id else ""


def _decide(
    intent: str, reservation_id: uuid.UUID, chat_id: int | None, message_id: int | None, reason: str = ""
) -> Outcome:
    recruiter = _owner(reservation_id, chat_id)
    if recruiter is None:
        # A forwarded card, another recruiter, a crafted press: nothing changes, their message stays.
        return NOT_YOURS
    card = sent_request_card(reservation_id)
    # A card whose send is still being recorded is the card too: the worker edits it once recorded.
    is_card = card is None or card.telegram_message_id == message_id
    common = {"reservation_id": reservation_id, "actor_user": recruiter.user, "via": Via.TELEGRAM}
    try:
        if intent == "approve":
            slot_services.slot_approve(**common)
        elif intent == "reschedule":
            slot_services.slot_reschedule(**common, pending_only=True)
        else:
            slot_services.slot_reject(**common, pending_only=True, reason=reason)
    except (StaleReservation, TransitionNotAllowed, SlotInPast) as exc:
        return _current_state(reservation_id, exc.code)
    # The card itself is edited into its result by the worker (one edit: a second one in the same
    # second would hit the chat's flood limit); buttons shown under any other message just go.
    return Outcome(answer=texts.CARD_DONE_ANSWERS[intent], drop_keyboard=not is_card, result=intent)


@recruiter_callback_once
def card_approve_pressed(
    press: Press, *, reservation_id: uuid.UUID, chat_id: int | None, message_id: int | None
) -> Outcome:
    """«Согласовать»: the candidate gets the approval through the outbox."""
    return _decide("approve", reservation_id, chat_id, message_id)


@recruiter_callback_once
def card_other_time_pressed(
    press: Press, *, reservation_id: uuid.UUID, chat_id: int | None, message_id: int | None
) -> Outcome:
    """«Другое время»: the slot is freed and the candidate asked to choose again."""
    return _decide("reschedule", reservation_id, chat_id, message_id)


@recruiter_callback_once
def card_reject_reason_pressed(
    press: Press, *, reservation_id: uuid.UUID, chat_id: int | None, message_id: int | None, reason: str
) -> Outcome:
    """A reason (or «Без причины») under «Отказать»: reject; the reason stays on the slot's history."""
    return _decide("reject", reservation_id, chat_id, message_id, reason=reason)


@recruiter_callback_once
def card_reject_pressed(
    press: Press, *, reservation_id: uuid.UUID, chat_id: int | None, message_id: int | None
) -> Outcome:
    """«Отказать»: ask the one optional reason on the card itself; nothing changes yet."""
    return _show(reservation_id, chat_id, message_id, rejecting=True)


@recruiter_callback_once
def card_back_pressed(
    press: Press, *, reservation_id: uuid.UUID, chat_id: int | None, message_id: int | None
) -> Outcome:
    """«Назад» from the reasons: the card's three buttons again."""
    return _show(reservation_id, chat_id, message_id, rejecting=False)


def _show(reservation_id: uuid.UUID, chat_id: int | None, message_id: int | None, *, rejecting: bool) -> Outcome:
    if _owner(reservation_id, chat_id) is None:
        return NOT_YOURS
    if _pending(reservation_id) is None:
        return _current_state(reservation_id, "stale")
    card_text = _card_text(reservation_id, message_id)
    question = texts.CARD_REJECT_QUESTION.strip()
    if not card_text:
        # Pressed under another message (not the card): ask below it, and «Назад» just closes the question.
        if rejecting:
            return Outcome(
                send=(Reply(question, keyboards.reject_reasons_markup(reservation_id)),), result="reason_asked"
            )
        return Outcome(drop_keyboard=True, result="back")
    if rejecting:
        return Outcome(
            edit=Reply(card_text + texts.CARD_REJECT_QUESTION, keyboards.reject_reasons_markup(reservation_id)),
            result="reason_asked",
        )
    return Outcome(edit=Reply(card_text, keyboards.request_card_markup(reservation_id)), result="back")
