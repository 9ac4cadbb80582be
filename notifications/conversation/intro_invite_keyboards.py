"""The buttons of the recruiter's intro-day invitation; every one names the Тест 2 attempt it acts on."""

from __future__ import annotations

import uuid
from typing import Any

from notifications.conversation import texts
from notifications.conversation.callbacks import Action, encode
from notifications.conversation.keyboards import Markup, button, markup

# A button's text is cut (Telegram shows ~40 characters on a phone): the full place goes into the summary.
PLACE_LABEL_MAX = 40


def _one(text: str, action: Action, attempt_key: uuid.UUID) -> Markup:
    return markup([button(text, encode(action, attempt_key))])


def invite_markup(attempt_key: uuid.UUID, _words: Any = None) -> Markup:
    """Under the Тест 2 result of a candidate who passed."""
    return _one(texts.BTN_INTRO_INVITE, Action.INTRO_INVITE, attempt_key)


def place_markup(attempt_key: uuid.UUID, place: str) -> Markup:
    label = place if len(place) <= PLACE_LABEL_MAX else place[: PLACE_LABEL_MAX - 1] + "…"
    return _one(texts.BTN_INTRO_PLACE.format(place=label), Action.INTRO_PLACE, attempt_key)


def me_markup(attempt_key: uuid.UUID) -> Markup:
    return _one(texts.BTN_INTRO_ME, Action.INTRO_ME, attempt_key)


def no_note_markup(attempt_key: uuid.UUID) -> Markup:
    return _one(texts.BTN_INTRO_NO_NOTE, Action.INTRO_NO_NOTE, attempt_key)


def summary_markup(attempt_key: uuid.UUID) -> Markup:
    return markup(
        [
            button(texts.BTN_INTRO_SEND, encode(Action.INTRO_SEND, attempt_key)),
            button(texts.BTN_INTRO_CANCEL, encode(Action.INTRO_CANCEL, attempt_key)),
        ]
    )
