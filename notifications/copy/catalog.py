"""Every text a candidate reads that a lead may override: key → default, what it is, its rules.

The defaults stay in `notifications/conversation/texts.py` and `after_texts.py`; this table only names them.
Placeholders are derived from the default with `string.Formatter().parse`, so a new placeholder in code is required
of overrides at once.
Recruiter-facing texts (the card, the agenda) and the consent text are not here: the consent text is versioned
(CONSENT_VERSION), and changing it must ask everybody again, which an override cannot do.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from enum import StrEnum

from notifications.conversation import after_texts, texts


class Form(StrEnum):
    """Where the text appears: it decides the length limit and whether line breaks are allowed."""

    MESSAGE = "message"
    BUTTON = "button"
    TOAST = "toast"  # the small answer to a button press (answerCallbackQuery)
    PART = "part"  # a piece inserted into another message


@dataclass(frozen=True)
class Entry:
    """One overridable text."""

    key: str
    label: str
    form: Form
    default: str
    placeholders: tuple[str, ...]
    # DESIGN §8: the word a button must keep (operators and acceptance checks look for it).
    contract_word: str = ""


def default_of(key: str) -> str:
    """The code default of a key: texts.py, or after_texts.py for the stage after the interview (names never clash)."""
    return getattr(texts, key) if hasattr(texts, key) else getattr(after_texts, key)


def placeholders_of(text: str) -> tuple[str, ...]:
    """The {names} a format string uses, in order, each once."""
    names = [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
    return tuple(dict.fromkeys(names))


M, B, T, P = Form.MESSAGE, Form.BUTTON, Form.TOAST, Form.PART
# (key, label, form, contract word). Grouped as the candidate meets them.
_TABLE: list[tuple[str, str, Form, str]] = [
    # Start and Тест 1: the vacancy's own intro, thanks and refusal live here.
    ("VACANCY_APPLIED", "Вступление вакансии (после ссылки или выбора вакансии)", M, ""),
    ("CONSENT_THANKS", "После согласия, перед Тестом 1", M, ""),
    ("CONSENT_AGAIN", "Согласие: условия обновились", M, ""),
    ("CONSENT_DECLINED", "Согласие: отказ", M, ""),
    ("CONSENT_DECLINED_AGAIN", "Согласие: повторный отказ", M, ""),
    ("CONSENT_CHOSEN_YES", "Согласие: «вы согласились»", M, ""),
    ("CONSENT_CHOSEN_NO", "Согласие: «вы отказались»", M, ""),
    ("BTN_AGREE", "Кнопка «Согласен»", B, "Согласен"),
    ("BTN_DISAGREE", "Кнопка «Не согласен»", B, "Не согласен"),
    ("QUESTION", "Тест 1: заголовок вопроса", M, ""),
    ("ANSWERED", "Тест 1: вопрос с выбранным ответом", M, ""),
    ("ANSWER_WITH_TEXT", "Тест 1: «ответьте текстом»", M, ""),
    ("NO_CITIES", "Тест 1: набор нигде не идёт", M, ""),
    ("TEST1_DONE", "Благодарность после Теста 1", M, ""),
    ("KNOCKED_OUT", "Отказ по стоп-фактору Теста 1", M, ""),
    ("CITY_NOT_SERVED", "Отказ: город, где не набираем", M, ""),
    # Recruiter and slot choice.
    ("CHOOSE_RECRUITER", "Выбор рекрутёра", M, ""),
    ("RECRUITER_BUTTON", "Кнопка рекрутёра", B, ""),
    ("CHOOSE_SLOT", "Выбор времени", M, ""),
    ("SLOT_TAKEN", "Время только что заняли", M, ""),
    ("SLOT_IN_PAST", "Время уже прошло", M, ""),
    ("RECRUITER_UNAVAILABLE", "Рекрутёр не принимает заявки", M, ""),
    ("NO_SLOTS_RECRUITER", "У рекрутёра нет свободного времени", M, ""),
    ("NO_SLOTS", "В городе нет свободного времени", M, ""),
    ("PREFERRED_TIME_ASK", "Просьба написать удобное время", M, ""),
    ("PREFERRED_TIME_THANKS", "Спасибо за удобное время", M, ""),
    ("SLOT_CHOSEN", "Выбранное время", M, ""),
    ("BTN_REFRESH", "Кнопка «Обновить»", B, "Обновить"),
    ("BTN_OTHER_RECRUITER", "Кнопка «Другой рекрутёр»", B, ""),
    ("BTN_LEAVE_PREFERRED_TIME", "Кнопка «Оставить удобное время»", B, ""),
    # The booking and its messages.
    ("RESERVATION_RECEIVED", "Заявка отправлена", M, ""),
    ("APPROVED", "Собеседование согласовано", M, ""),
    ("RESCHEDULE_REQUESTED", "Просьба выбрать другое время", M, ""),
    ("REJECTED", "Отказ после заявки", M, ""),
    ("CONFIRM_REQUEST", "Запрос подтверждения (за 2 часа)", M, ""),
    ("REMINDER_1H", "Напоминание за час (не подтвердил)", M, ""),
    ("REMINDER_1H_CONFIRMED", "Напоминание за час (подтвердил, с местом встречи)", M, ""),
    ("MEETING_LINK", "Подтверждено: место встречи", M, ""),
    ("MEETING_LINK_MISSING", "Место встречи не задано", P, ""),
    ("PENDING_EXPIRED", "Заявка истекла", M, ""),
    ("SLOT_CANCELED", "Слот отменён рекрутёром", M, ""),
    ("BOOKING", "Текущая запись", M, ""),
    ("ALREADY_BOOKED", "Уже есть запись", M, ""),
    ("RECRUITER_TOLD", "«Рекрутёр получит уведомление»", P, ""),
    ("BOOKING_CANCELED", "Запись отменена", M, ""),
    ("BOOKING_CANCELED_CHOOSE", "Запись отменена, выбор другого времени", M, ""),
    ("DECLINED", "«Не смогу»: время освобождено", M, ""),
    ("CANCEL_ASK", "Вопрос «Отменить запись?»", M, ""),
    ("CANCEL_KEPT", "Запись остаётся", M, ""),
    ("BTN_CONFIRM", "Кнопка «Подтверждаю»", B, "Подтверждаю"),
    ("BTN_DECLINE", "Кнопка «Не смогу»", B, "Не смогу"),
    ("BTN_CANCEL_BOOKING", "Кнопка «Отменить запись»", B, "Отменить запись"),
    ("BTN_OTHER_TIME", "Кнопка «Выбрать другое время»", B, "Выбрать другое время"),
    ("BTN_CANCEL_YES", "Кнопка «Да, отменить»", B, ""),
    ("BTN_CANCEL_NO", "Кнопка «Нет»", B, ""),
    ("CONFIRMED_ANSWER", "Ответ на «Подтверждаю»", T, ""),
    ("RESERVED_ANSWER", "Ответ на выбор времени", T, ""),
    ("CANCELED_ANSWER", "Ответ на отмену", T, ""),
    ("CANCEL_KEPT_ANSWER", "Ответ на «Нет»", T, ""),
    # Later stages and commands.
    ("REJECTED_FINAL", "После отказа (на /start)", M, ""),
    ("INTERVIEWED", "После собеседования (на /start)", M, ""),
    ("NOTHING_TO_CANCEL", "/cancel: отменять нечего", M, ""),
    ("INPUT_CANCELED", "/cancel: ввод отменён", M, ""),
    ("START_FIRST", "«Нажмите /start»", M, ""),
    # After the interview (after_texts.py). The Тест 2 questions are a code bank, not texts: not here.
    ("INTERVIEW_FAILED", "Отказ после собеседования", M, ""),
    ("TEST2_INVITATION", "Тест 2: приглашение", M, ""),
    ("BTN_TEST2_START", "Кнопка «Начать Тест 2»", B, ""),
    ("TEST2_QUESTION", "Тест 2: заголовок вопроса", M, ""),
    ("TEST2_ANSWERED", "Тест 2: вопрос с выбранным ответом", M, ""),
    ("TEST2_NOTHING", "Тест 2: теста нет (/test2)", M, ""),
    ("TEST2_DONE", "Тест 2: уже пройден", M, ""),
    ("TEST2_STALE", "Тест 2: ответ на старый вопрос", T, ""),
    ("TEST2_FINISHED", "Тест 2: «ответы приняты»", P, ""),
    ("TEST2_PASSED", "Тест 2 пройден", M, ""),
    ("TEST2_FAILED", "Отказ после Теста 2", M, ""),
    ("WAITING_FOR_INVITATION", "Ожидание приглашения на ознакомительный день", M, ""),
    ("INTRO_DAY_INVITATION", "Приглашение на ознакомительный день", M, ""),
    ("INTRO_NOTE", "Ознакомительный день: строка с примечанием", P, ""),
    ("BTN_INTRO_CONFIRM", "Кнопка «Приду»", B, "Приду"),
    ("BTN_INTRO_DECLINE", "Кнопка «Не смогу» (ознакомительный день)", B, "Не смогу"),
    ("INTRO_CONFIRMED", "Ознакомительный день: «ждём вас»", M, ""),
    ("INTRO_ALREADY_CONFIRMED", "Ознакомительный день: уже подтверждён", T, ""),
    ("INTRO_DECLINED", "Ознакомительный день: «Не смогу» принято", M, ""),
    ("INTRO_DAY_REMINDER", "Напоминание об ознакомительном дне (за 3 часа)", M, ""),
    ("INTRO_DAY_CANCELED", "Ознакомительный день отменён", M, ""),
    ("HIRED", "После ознакомительного дня", M, ""),
]

CATALOG: dict[str, Entry] = {
    key: Entry(key, label, form, default_of(key), placeholders_of(default_of(key)), word)
    for key, label, form, word in _TABLE
}

# The outbox kinds a candidate reads, and the catalog key of each one's text (notifications/kinds.py).
KIND_KEYS = {
    "reservation_received": "RESERVATION_RECEIVED",
    "approved": "APPROVED",
    "reschedule_requested": "RESCHEDULE_REQUESTED",
    "rejected": "REJECTED",
    "confirm_request": "CONFIRM_REQUEST",
    "reminder_1h": "REMINDER_1H",
    "meeting_link": "MEETING_LINK",
    "pending_expired": "PENDING_EXPIRED",
    "slot_canceled": "SLOT_CANCELED",
    "interview_failed": "INTERVIEW_FAILED",
    "test2_invitation": "TEST2_INVITATION",
    "test2_passed": "TEST2_PASSED",
    "test2_failed": "TEST2_FAILED",
    "intro_day_invitation": "INTRO_DAY_INVITATION",
    "intro_day_reminder": "INTRO_DAY_REMINDER",
    "intro_day_canceled": "INTRO_DAY_CANCELED",
}
# Kinds whose text changes once the candidate confirmed (KindRule.confirmed_template).
CONFIRMED_KIND_KEYS = {"reminder_1h": "REMINDER_1H_CONFIRMED"}

# What the preview puts in each placeholder: a plausible value of the length real ones have.
SAMPLE_VALUES = {
    "when": "02.12 11:00",
    "zone": "по московскому времени",
    "recruiter": "Анна Смирнова",
    "meeting": "https://telemost.yandex.ru/j/12345678",
    "told": texts.RECRUITER_TOLD,
    "status": texts.BOOKING_STATUS["booked"],
    "city": "Тверь",
    "n": "3",
    "total": "10",
    "text": "Сколько вам полных лет?",
    "question": "Сколько вам полных лет?",
    "answer": "25",
    "name": "Анна Смирнова",
    "nearest": "02.12 11:00",
    "count": "5 слотов",
    "note": "будни после 18:00",
    "title": "Менеджер по продажам",
    "address": "Тверь, ул. Советская, 10, офис 5",
    "contact": "Анна, +7 900 123-45-67",
}


def entry_choices() -> list[tuple[str, str]]:
    """(key, «label») pairs for a form's select, in the catalog's order."""
    return [(entry.key, entry.label) for entry in CATALOG.values()]
