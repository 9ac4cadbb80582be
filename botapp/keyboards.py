"""Inline keyboards as Bot API dicts: stored with outbox rows and sent as they are."""

from __future__ import annotations

import uuid

from botapp import texts
from botapp.callbacks import Action, encode

Markup = dict[str, list[list[dict[str, str]]]]


def button(text: str, data: str) -> dict[str, str]:
    """One inline button."""
    return {"text": text, "callback_data": data}


def markup(*rows: list[dict[str, str]]) -> Markup:
    """An inline keyboard from rows of buttons."""
    return {"inline_keyboard": [row for row in rows if row]}


def confirm_markup(reservation_id: uuid.UUID) -> Markup:
    """«Подтверждаю» / «Не смогу» for one booking."""
    return markup(
        [
            button(texts.BTN_CONFIRM, encode(Action.CONFIRM, reservation_id)),
            button(texts.BTN_DECLINE, encode(Action.DECLINE, reservation_id)),
        ]
    )


def booking_markup(reservation_id: uuid.UUID) -> Markup:
    """«Отменить запись» / «Выбрать другое время» for a live booking."""
    return markup(
        [button(texts.BTN_CANCEL_BOOKING, encode(Action.CANCEL, reservation_id))],
        [button(texts.BTN_OTHER_TIME, encode(Action.OTHER_TIME, reservation_id))],
    )


def other_time_markup() -> Markup:
    """A single «Выбрать другое время» after a booking ended."""
    return markup([button(texts.BTN_OTHER_TIME, encode(Action.OTHER_TIME, "-"))])
