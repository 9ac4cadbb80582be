"""Buttons after the interview: the result question, Тест 2, the intro day. Each names what it acts on.

The candidate's take `words` (a vacancy's wording, notifications.copy) like every keyboard; the recruiter's do not.
"""

from __future__ import annotations

import uuid
from typing import Any

from notifications.conversation import after_texts
from notifications.conversation.callbacks import Action, encode
from notifications.conversation.keyboards import Markup, button, markup


def _row(reservation_id: uuid.UUID, *choices: tuple[str, Action]) -> Markup:
    return markup([button(text, encode(action, reservation_id)) for text, action in choices])


def result_markup(reservation_id: uuid.UUID, _words: Any = None) -> Markup:
    """«Прошёл собеседование» / «Не прошёл» once the recruiter said «Пришёл»."""
    return _row(
        reservation_id,
        (after_texts.BTN_RESULT_PASSED, Action.RESULT_PASSED),
        (after_texts.BTN_RESULT_FAILED, Action.RESULT_FAILED),
    )


def test2_start_markup(attempt_key: uuid.UUID, words: Any = after_texts) -> Markup:
    """«Начать Тест 2», keyed by the invitation (the attempt)."""
    return markup([button(words.BTN_TEST2_START, encode(Action.TEST2_START, attempt_key))])


def test2_options_markup(attempt_key: uuid.UUID, number: int, options: list[tuple[str, str]]) -> Markup:
    """One button per option, each naming the attempt and the question it answers (a stale press is refused)."""
    return markup(
        *[[button(text, encode(Action.TEST2_ANSWER, f"{attempt_key.hex}.{number}.{code}"))] for code, text in options]
    )


def intro_markup(reservation_id: uuid.UUID, words: Any = after_texts) -> Markup:
    """«Приду» / «Не смогу» under the intro-day invitation."""
    return _row(
        reservation_id,
        (words.BTN_INTRO_CONFIRM, Action.INTRO_CONFIRM),
        (words.BTN_INTRO_DECLINE, Action.INTRO_DECLINE),
    )
