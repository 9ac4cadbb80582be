"""What the sync side hands to the handlers: plain frozen values with everything a reply needs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Reply:
    """One message: text and an inline keyboard as a Bot API dict (None: no keyboard)."""

    text: str
    markup: dict[str, Any] | None = None


@dataclass(frozen=True)
class Press:
    """A button press as the handler parsed it."""

    callback_id: str
    telegram_id: int
    data: str
    username: str = ""


@dataclass(frozen=True)
class Outcome:
    """How to answer one update: the callback toast, an edit of the pressed message, new messages."""

    send: tuple[Reply, ...] = ()
    answer: str | None = None
    edit: Reply | None = None
    drop_keyboard: bool = False
    # Other bot messages in this chat whose buttons no longer apply (e.g. the approval after a confirm).
    drop_keyboards_of: tuple[int, ...] = ()
    result: str = "ok"


def outcome(*replies: Reply | None, **kwargs: Any) -> Outcome:
    """An Outcome that sends the given replies (None entries skipped)."""
    return Outcome(send=tuple(r for r in replies if r is not None), **kwargs)
