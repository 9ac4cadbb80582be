"""Recruiter and slot choice, and the buttons of a booking (confirm, decline, cancel, other time)."""

from __future__ import annotations

import uuid

from telegram import Update

from botapp import flows
from botapp.handlers.common import Context, decoded, malformed, press


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


async def on_confirm(update: Update, context: Context) -> None:
    """«Подтверждаю» of a booking."""
    await press(update, context, flows.confirm_pressed, reservation_id=_reservation_id(update))


async def on_decline(update: Update, context: Context) -> None:
    """«Не смогу» of a booking."""
    await press(update, context, flows.decline_pressed, reservation_id=_reservation_id(update))


async def on_cancel_booking(update: Update, context: Context) -> None:
    """«Отменить запись»."""
    await press(update, context, flows.cancel_pressed, reservation_id=_reservation_id(update))


async def on_cancel_yes(update: Update, context: Context) -> None:
    """«Да, отменить» under the question of an agreed booking."""
    await press(update, context, flows.cancel_yes_pressed, reservation_id=_reservation_id(update))


async def on_cancel_no(update: Update, context: Context) -> None:
    """«Нет» under that question."""
    await press(update, context, flows.cancel_no_pressed, reservation_id=_reservation_id(update))


async def on_other_time(update: Update, context: Context) -> None:
    """«Выбрать другое время» (with the booking it replaces, or "-")."""
    await press(update, context, flows.other_time_pressed, reservation_id=_reservation_id(update))
