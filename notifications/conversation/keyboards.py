"""Inline keyboards as Bot API dicts: stored with outbox rows and sent as they are.

`words` is where button labels come from: this module's texts, or a reader's overrides (notifications.copy).
"""

from __future__ import annotations

import uuid
from typing import Any

from notifications.conversation import privacy_texts, texts
from notifications.conversation.callbacks import Action, ErasureStep, encode

Markup = dict[str, list[list[dict[str, str]]]]
# Option texts up to this long fit two to a row on a phone.
SHORT_OPTION = 16


def button(text: str, data: str) -> dict[str, str]:
    """One inline button."""
    return {"text": text, "callback_data": data}


def markup(*rows: list[dict[str, str]]) -> Markup:
    """An inline keyboard from rows of buttons."""
    return {"inline_keyboard": [row for row in rows if row]}


def _one_row(reservation_id: uuid.UUID, *choices: tuple[str, Action]) -> Markup:
    """Buttons side by side, each acting on the booking its reservation id names."""
    return markup([button(text, encode(action, reservation_id)) for text, action in choices])


def confirm_markup(reservation_id: uuid.UUID, words: Any = texts) -> Markup:
    """«Подтверждаю» / «Не смогу» for one booking."""
    return _one_row(reservation_id, (words.BTN_CONFIRM, Action.CONFIRM), (words.BTN_DECLINE, Action.DECLINE))


def booking_markup(reservation_id: uuid.UUID, words: Any = texts) -> Markup:
    """«Отменить запись» / «Выбрать другое время» for a live booking."""
    return markup(
        [button(words.BTN_CANCEL_BOOKING, encode(Action.CANCEL, reservation_id))],
        [button(words.BTN_OTHER_TIME, encode(Action.OTHER_TIME, reservation_id))],
    )


def cancel_question_markup(reservation_id: uuid.UUID, words: Any = texts) -> Markup:
    """«Да, отменить» / «Нет» under «Отменить запись на …?»."""
    return _one_row(reservation_id, (words.BTN_CANCEL_YES, Action.CANCEL_YES), (words.BTN_CANCEL_NO, Action.CANCEL_NO))


def attendance_markup(reservation_id: uuid.UUID, words: Any = texts) -> Markup:
    """«Пришёл» / «Не пришёл» under the recruiter's question after the interview."""
    return _one_row(reservation_id, (words.BTN_ATTENDED, Action.ATTENDED), (words.BTN_NO_SHOW, Action.NO_SHOW))


def other_time_markup(words: Any = texts) -> Markup:
    """A single «Выбрать другое время» after a booking ended."""
    return markup([button(words.BTN_OTHER_TIME, encode(Action.OTHER_TIME, "-"))])


def consent_markup(version: str, words: Any = texts) -> Markup:
    """«Согласен» / «Не согласен» for the consent text of this version."""
    return markup(
        [
            button(words.BTN_AGREE, encode(Action.CONSENT, f"{version}.y")),
            button(words.BTN_DISAGREE, encode(Action.CONSENT, f"{version}.n")),
        ]
    )


def options_markup(key: str, options: list[tuple[str, str]]) -> Markup:
    """One button per option of a Тест 1 question, (code, text) pairs; short options two in a row, a long one alone."""
    rows: list[list[dict[str, str]]] = []
    pair: list[dict[str, str]] = []
    for code, text in options:
        pressed = button(text, encode(Action.ANSWER, f"{key}.{code}"))
        if len(text) > SHORT_OPTION:
            rows += [pair, [pressed]] if pair else [[pressed]]
            pair = []
            continue
        pair.append(pressed)
        if len(pair) == 2:
            rows.append(pair)
            pair = []
    return markup(*rows, pair)


def recruiters_markup(offers: list[tuple[int, str]], words: Any = texts) -> Markup:
    """A button per recruiter, (recruiter id, label) pairs, and «Обновить»."""
    rows = [[button(label, encode(Action.RECRUITER, recruiter_id))] for recruiter_id, label in offers]
    return markup(*rows, [button(words.BTN_REFRESH, encode(Action.RECRUITERS))])


def slots_markup(recruiter_id: int, slots: list[tuple[int, str]], words: Any = texts) -> Markup:
    """Slot buttons «01.12 10:00» three in a row, then «Обновить» and «Другой рекрутёр»."""
    buttons = [button(label, encode(Action.SLOT, slot_id)) for slot_id, label in slots]
    rows = [buttons[i : i + 3] for i in range(0, len(buttons), 3)]
    return markup(
        *rows,
        [
            button(words.BTN_REFRESH, encode(Action.RECRUITER, recruiter_id)),
            button(words.BTN_OTHER_RECRUITER, encode(Action.RECRUITERS)),
        ],
    )


def no_slots_markup(words: Any = texts) -> Markup:
    """«Оставить удобное время» and «Обновить» when nothing is free."""
    return markup(
        [button(words.BTN_LEAVE_PREFERRED_TIME, encode(Action.PREFERRED_TIME))],
        [button(words.BTN_REFRESH, encode(Action.RECRUITERS))],
    )


def other_recruiter_markup(words: Any = texts) -> Markup:
    """A single «Другой рекрутёр»."""
    return markup([button(words.BTN_OTHER_RECRUITER, encode(Action.RECRUITERS))])


def delete_my_data_markup() -> Markup:
    """A single «Удалить мои данные» (under /help)."""
    return markup([button(privacy_texts.BTN_DELETE_MY_DATA, encode(Action.PRIVACY, ErasureStep.ASK))])


def erase_confirm_markup() -> Markup:
    """«Да, удалить» / «Нет, оставить» under the erasure question."""
    return markup(
        [
            button(privacy_texts.BTN_ERASE_YES, encode(Action.PRIVACY, ErasureStep.YES)),
            button(privacy_texts.BTN_ERASE_NO, encode(Action.PRIVACY, ErasureStep.NO)),
        ]
    )


def request_card_markup(reservation_id: uuid.UUID, words: Any = texts) -> Markup:
    """«Согласовать» / «Другое время» / «Отказать» on the recruiter's decision card."""
    return markup(
        [button(words.BTN_CARD_APPROVE, encode(Action.CARD_APPROVE, reservation_id))],
        [
            button(words.BTN_CARD_OTHER_TIME, encode(Action.CARD_OTHER_TIME, reservation_id)),
            button(words.BTN_CARD_REJECT, encode(Action.CARD_REJECT, reservation_id)),
        ],
    )


def reject_reasons_markup(reservation_id: uuid.UUID) -> Markup:
    """The common reasons of a rejection, «Без причины» and «Назад»: each names the request."""
    reasons = [
        button(label, encode(Action.CARD_REJECT_REASON, f"{reservation_id.hex}.{code}"))
        for code, label in texts.REJECT_REASONS.items()
    ]
    return markup(
        *[reasons[i : i + 2] for i in range(0, len(reasons), 2)],
        [
            button(texts.BTN_NO_REASON, encode(Action.CARD_REJECT_REASON, f"{reservation_id.hex}.-")),
            button(texts.BTN_CARD_BACK, encode(Action.CARD_BACK, reservation_id)),
        ],
    )
