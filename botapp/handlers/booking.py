"""Recruiter and slot choice, and the buttons of a booking (confirm, decline, cancel, other time)."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable

from telegram import Update

from botapp import flows
from botapp.handlers.common import Context, decoded, malformed, press
from botapp.views import Outcome


def _int_arg(update: Update) -> int | None:
    callback = decoded(update)
    return callback.int_arg if callback else None


def _reservation_id(update: Update) -> uuid.UUID | None:
    callback = decoded(update)
    return callback.reservation_id if callback else None


async def on_recruiters(update: Update, context: Context) -> None:
    """«Другой рекрутёр» / «Обновить»: the recruiter list."""
    await press(update, context, flows.recruiters_pressed)


async def on_recruiter_chosen(update: Update, context: Context) -> None:
    """A recruiter button (or «Обновить» of their slots): the recruiter's free slots."""
    recruiter_id = _int_arg(update)
    if recruiter_id is None:
        await malformed(update, context)
        return
    await press(update, context, flows.recruiter_pressed, recruiter_id=recruiter_id)


async def on_slot_chosen(update: Update, context: Context) -> None:
    """A slot button: reserve it."""
    slot_id = _int_arg(update)
    if slot_id is None:
        await malformed(update, context)
        return
    await press(update, context, flows.slot_pressed, slot_id=slot_id)


async def on_preferred_time(update: Update, context: Context) -> None:
    """«Оставить удобное время»."""
    await press(update, context, flows.preferred_time_pressed)


def _booking_press(flow: Callable[..., Outcome], doc: str) -> Callable[[Update, Context], Awaitable[None]]:
    """A handler for a button that acts on the booking its reservation id names."""

    async def handler(update: Update, context: Context) -> None:
        await press(update, context, flow, reservation_id=_reservation_id(update))

    handler.__doc__ = doc
    return handler


on_confirm = _booking_press(flows.confirm_pressed, "«Подтверждаю» of a booking.")
on_decline = _booking_press(flows.decline_pressed, "«Не смогу» of a booking.")
on_cancel_booking = _booking_press(flows.cancel_pressed, "«Отменить запись».")
on_cancel_yes = _booking_press(flows.cancel_yes_pressed, "«Да, отменить» under the question of an agreed booking.")
on_cancel_no = _booking_press(flows.cancel_no_pressed, "«Нет» under that question.")
on_other_time = _booking_press(flows.other_time_pressed, "«Выбрать другое время» (with the booking it replaces, or -).")
