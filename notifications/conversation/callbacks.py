"""callback_data: built and parsed only here. Action code + one id, at most 64 bytes.

Buttons that act on a booking carry its reservation id, so a stale button (an old booking,
another candidate's) can be recognised and refused by the service layer.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import StrEnum

MAX_BYTES = 64


class Action(StrEnum):
    CONFIRM = "cf"  # «Подтверждаю»: reservation id
    DECLINE = "dc"  # «Не смогу»: reservation id
    CANCEL = "cx"  # «Отменить запись»: reservation id
    CANCEL_YES = "cy"  # «Да, отменить» under the question of an agreed booking: reservation id
    CANCEL_NO = "cn"  # «Нет» under that question: reservation id
    OTHER_TIME = "ot"  # «Выбрать другое время»: reservation id or "-"
    CONSENT = "cs"  # «Согласен» / «Не согласен»: "<consent version>.y" or "<consent version>.n"
    ANSWER = "an"  # an option of Тест 1: "<question key>.<option code or city id>"
    RECRUITERS = "rl"  # «Другой рекрутёр» / «Обновить» of the recruiter list: "-"
    RECRUITER = "rc"  # a recruiter button and «Обновить» of their slot list: recruiter id
    SLOT = "sl"  # a slot button: slot id
    PREFERRED_TIME = "pt"  # «Оставить удобное время»: "-"
    PRIVACY = "pd"  # «Удалить мои данные», «Да, удалить», «Нет, оставить»: an ErasureStep
    ATTENDED = "at"  # the recruiter's «Пришёл» after the interview: reservation id
    NO_SHOW = "ns"  # the recruiter's «Не пришёл»: reservation id
    CARD_APPROVE = "ra"  # «Согласовать» on the recruiter's decision card: reservation id
    CARD_OTHER_TIME = "ro"  # «Другое время» on the card: reservation id
    CARD_REJECT = "rj"  # «Отказать» on the card (asks the reason): reservation id
    CARD_REJECT_REASON = "rr"  # a reason (or «Без причины»): "<reservation id>.<reason code or ->"
    CARD_BACK = "rb"  # «Назад» from the reasons to the card's buttons: reservation id
    VACANCY_CITY = "vc"  # a city of the plain /start's vacancy choice: city id, or "-" for the city list again
    VACANCY = "va"  # a vacancy of that choice: "<vacancy id>.<city id>"
    # After the interview (botapp/flows/after.py).
    RESULT_PASSED = "ip"  # the recruiter's «Прошёл собеседование» after «Пришёл»: reservation id
    RESULT_FAILED = "if"  # «Не прошёл»: reservation id
    TEST2_START = "t2s"  # «Начать Тест 2»: attempt key
    TEST2_ANSWER = "t2a"  # an option of Тест 2: "<attempt key>.<question number>.<option code>"
    INTRO_CONFIRM = "dy"  # «Приду» under the intro-day invitation: reservation id
    INTRO_DECLINE = "dn"  # «Не смогу» under it: reservation id
    # The recruiter's intro-day invitation from the Тест 2 result (botapp/flows/intro_invite.py): attempt key.
    INTRO_INVITE = "iv"  # «Пригласить на ознакомительный день»
    INTRO_PLACE = "ia"  # the recruiter's meeting place for the city as the address
    INTRO_ME = "ik"  # «Я» as the contact person
    INTRO_NO_NOTE = "io"  # «Без примечания»
    INTRO_SEND = "ix"  # «Отправить приглашение»
    INTRO_CANCEL = "iz"  # «Отмена»


class ErasureStep(StrEnum):
    """The argument of a PRIVACY button; "pd:ask" etc. are in chats already, so the values stay."""

    ASK = "ask"  # «Удалить мои данные»: show the question
    YES = "yes"  # «Да, удалить»
    NO = "no"  # «Нет, оставить»


@dataclass(frozen=True)
class Callback:
    action: str
    arg: str

    @property
    def reservation_id(self) -> uuid.UUID | None:
        """The argument as a reservation id, or None when it is not one."""
        try:
            return uuid.UUID(hex=self.arg)
        except ValueError:
            return None

    @property
    def int_arg(self) -> int | None:
        """The argument as a positive integer id, or None."""
        return int(self.arg) if self.arg.isdigit() and len(self.arg) < 19 else None

    @property
    def erasure_step(self) -> ErasureStep | None:
        """The argument as an ErasureStep, or None."""
        try:
            return ErasureStep(self.arg)
        except ValueError:
            return None

    def split_arg(self) -> tuple[str, str] | None:
        """The argument as "<left>.<right>", or None when it is not of that shape."""
        left, dot, right = self.arg.partition(".")
        return (left, right) if dot and left and right else None


class MalformedCallback(ValueError):
    """The data was not built by encode(): forged, truncated or from an old version."""


def encode(action: str, arg: str | int | uuid.UUID = "-") -> str:
    """Build callback_data; a UUID travels as 32 hex digits."""
    text_arg = arg.hex if isinstance(arg, uuid.UUID) else str(arg)
    data = f"{action}:{text_arg}"
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback_data longer than {MAX_BYTES} bytes: {data!r}")
    return data


def decode(data: str | None) -> Callback:
    """Parse callback_data; anything not of our shape raises MalformedCallback."""
    if not data or len(data.encode()) > MAX_BYTES or ":" not in data:
        raise MalformedCallback(repr(data))
    action, _, arg = data.partition(":")
    if not action or not arg:
        raise MalformedCallback(repr(data))
    return Callback(action=action, arg=arg)
