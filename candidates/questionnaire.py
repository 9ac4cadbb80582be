"""Тест 1 as data: one declarative bank of questions, validators, follow-ups and knockouts.

The bot asks `path(answers)` in order; a question with a `when` condition is a follow-up of the main
question before it and appears only when the answers given so far satisfy it. Main questions are
numbered «n из N» and follow-ups «nа», «nб», so the total never changes mid-way. Option answers are
stored as the option code, free text as the cleaned text; `answers_display` turns them back into words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from scheduling.errors import InvalidInput, StaleReservation

TEXT = "text"
OPTIONS = "options"
CITY = "city"  # options read from the database: active cities with an active recruiter
OTHER_CITY = "other"  # the city answer «Моего города нет в списке»; the follow-up asks which city

# Answer types a question in the admin picks from: each names a kind and, for typed answers, its cleaner.
# FULL_NAME also fills the candidate's name, CITY their city, CITY_NAME is the city typed after «нет в списке».
FREE_TEXT = "text"
FULL_NAME = "full_name"
AGE = "age"
CITY_NAME = "city_name"

Answers = Mapping[str, Any]


class InvalidAnswer(InvalidInput):
    """The answer does not fit the question; the message is the hint to show."""

    code = "invalid_answer"
    message = "Ответ не подходит."


class StaleQuestion(StaleReservation):
    """The answer is for a question that is not the current one (an old button)."""

    code = "stale_question"
    message = "Этот вопрос уже позади."


@dataclass(frozen=True)
class AnsweredWith:
    """A follow-up's condition as data: asked when question `key` was answered with one of `codes`."""

    key: str
    codes: tuple[str, ...]

    def __call__(self, answers: Answers) -> bool:
        return answers.get(self.key) in self.codes


@dataclass(frozen=True)
class Option:
    code: str
    text: str
    # Non-empty: choosing this option ends Тест 1 with this reason (stored, shown to recruiters).
    knockout: str = ""


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    kind: str = TEXT
    options: tuple[Option, ...] = ()
    hint: str = ""
    clean: Callable[[str], Any] | None = None
    # Set: a follow-up, asked only when the answers so far satisfy it.
    when: Callable[[Answers], bool] | None = None
    # Non-empty: any answer ends Тест 1 with this reason, "{answer}" standing for the answer.
    knockout: str = ""
    # One of the answer types above; "" reads as the kind's plain type (free text, options, city).
    answer_type: str = ""

    def option(self, code: str) -> Option | None:
        """The option with this code, or None."""
        return next((o for o in self.options if o.code == code), None)

    @property
    def is_follow_up(self) -> bool:
        """Whether this question belongs to the main question before it (numbered «5а»)."""
        return self.when is not None

    def is_asked(self, answers: Answers) -> bool:
        """Whether a candidate with these answers gets this question."""
        return self.when is None or self.when(answers)

    def knockout_reason(self, value: Any) -> str:
        """The reason this answer ends Тест 1 with, or "" when it does not."""
        return self.knockout.format(answer=value) if self.knockout else ""


_CYRILLIC_WORD = re.compile(r"^[А-ЯЁа-яё]+(?:-[А-ЯЁа-яё]+)*$")


def clean_full_name(raw: str) -> str:
    """Two to four words in Cyrillic (hyphenated parts allowed), spaces normalised."""
    words = raw.split()
    if not 2 <= len(words) <= 4 or not all(_CYRILLIC_WORD.match(w) and len(w) <= 40 for w in words):
        raise InvalidAnswer("Напишите, пожалуйста, фамилию, имя и отчество (если есть) кириллицей: 2–4 слова.")
    return " ".join(w[:1].upper() + w[1:] for w in words)


def clean_age(raw: str) -> int:
    """A whole number of years from 18 to 60 («25» or «25 лет»)."""
    match = re.fullmatch(r"\s*(\d{1,3})\s*(лет|год|года)?\s*\.?\s*", raw.lower())
    if match is None:
        raise InvalidAnswer("Напишите возраст числом, например: 25.")
    age = int(match.group(1))
    if not 18 <= age <= 60:
        raise InvalidAnswer("Мы рассматриваем кандидатов от 18 до 60 лет. Напишите возраст числом, например: 25.")
    return age


def clean_free_text(raw: str) -> str:
    """A short free answer: at least a couple of letters, at most 1000 characters."""
    text = " ".join(raw.split())
    if len(text) < 2 or not any(ch.isalpha() for ch in text):
        raise InvalidAnswer("Ответьте, пожалуйста, парой слов.")
    if len(text) > 1000:
        raise InvalidAnswer("Слишком длинно: уложитесь, пожалуйста, в 1000 символов.")
    return text


_CITY_NAME_CHARS = re.compile(r"^[^\W\d_]+(?:[ .'’-]+[^\W\d_]+)*\.?$")


def clean_city_name(raw: str) -> str:
    """A city typed by the candidate: letters with spaces or hyphens, at most 60 characters."""
    text = " ".join(raw.split())
    if not 2 <= len(text) <= 60 or not _CITY_NAME_CHARS.match(text):
        raise InvalidAnswer("Напишите, пожалуйста, название города буквами или выберите его кнопкой ниже.")
    return text[:1].upper() + text[1:]


def _status_in(*codes: str) -> AnsweredWith:
    return AnsweredWith("status", codes)


BANK: tuple[Question, ...] = (
    Question(
        key="full_name",
        text="Как вас зовут? Напишите фамилию, имя и отчество.",
        clean=clean_full_name,
        answer_type=FULL_NAME,
    ),
    Question(
        key="city",
        text="В каком городе вы ищете работу?",
        kind=CITY,
        # Shown after the active cities; a typed city we do not serve leads to the same end.
        options=(Option(OTHER_CITY, "Моего города нет в списке"),),
    ),
    Question(
        key="city_requested",
        text="Напишите, пожалуйста, в каком городе вы ищете работу.",
        clean=clean_city_name,
        when=AnsweredWith("city", (OTHER_CITY,)),
        knockout="город не обслуживается: {answer}",
        answer_type=CITY_NAME,
    ),
    Question(key="age", text="Сколько вам лет?", clean=clean_age, answer_type=AGE),
    Question(
        key="status",
        text="Чем вы сейчас занимаетесь?",
        kind=OPTIONS,
        options=(
            Option("study", "Учусь"),
            Option("work", "Работаю"),
            Option("search", "Ищу работу"),
            Option("business", "Свой бизнес"),
            Option("other", "Другое"),
        ),
    ),
    Question(
        key="notice_period",
        text="Когда сможете выйти на новую работу?",
        kind=OPTIONS,
        options=(
            Option("now", "Сразу"),
            Option("2w", "Через 1–2 недели"),
            Option("1m", "Через месяц и позже"),
        ),
        when=_status_in("work", "search"),
    ),
    Question(
        key="study_mode",
        text="Какая у вас форма обучения?",
        kind=OPTIONS,
        options=(
            Option("full_time", "Очная"),
            Option("evening", "Очно-заочная (вечерняя)"),
            Option("extramural", "Заочная"),
            Option("remote", "Дистанционная"),
        ),
        when=_status_in("study"),
    ),
    Question(
        key="study_fits",
        text="Получится совмещать учёбу с графиком 5/2 с 9:00 до 18:00?",
        kind=OPTIONS,
        options=(
            Option("yes", "Да"),
            Option("hard", "Будет сложно", knockout="учёба не совмещается с графиком 5/2 9–18 (сложно)"),
            Option("no", "Нет", knockout="учёба не совмещается с графиком 5/2 9–18"),
        ),
        when=_status_in("study"),
    ),
    Question(
        key="flexible_plan",
        # Reached only by a "yes" above: "no" and "hard" end Тест 1.
        text="Готовы обсудить гибкий план на время сессии?",
        kind=OPTIONS,
        options=(Option("yes", "Да"), Option("no", "Нет")),
        when=_status_in("study"),
    ),
    Question(
        key="income",
        text="Какой доход в месяц вы ожидаете?",
        kind=OPTIONS,
        options=(
            Option("lt60", "До 60 000 ₽"),
            Option("60_90", "60 000–90 000 ₽"),
            Option("90_120", "90 000–120 000 ₽"),
            Option("gt120", "Больше 120 000 ₽"),
        ),
    ),
    Question(
        key="hybrid",
        text="Работа гибридная: 70% времени — встречи с клиентами в городе, 30% — в офисе. Вам подходит?",
        kind=OPTIONS,
        options=(
            Option("ready", "Да, подходит"),
            Option("questions", "Есть вопросы, обсудим на собеседовании"),
            Option("not_ready", "Не готов(а)", knockout="не готов(а) к гибридному формату 70% в поле / 30% в офисе"),
        ),
    ),
    Question(
        key="sales_experience",
        text="Был ли у вас опыт продаж или переговоров? Расскажите коротко.",
        clean=clean_free_text,
    ),
    Question(key="motivation", text="Почему вас заинтересовала эта работа?", clean=clean_free_text),
    Question(key="strengths", text="Назовите две-три свои сильные стороны.", clean=clean_free_text),
    Question(key="expectations", text="Что вы ждёте от работы и команды?", clean=clean_free_text),
)

# name → (label in the admin, kind, cleaner of a typed answer): the small set a question in the admin picks from.
ANSWER_TYPES: dict[str, tuple[str, str, Callable[[str], Any] | None]] = {
    FREE_TEXT: ("свободный ответ", TEXT, clean_free_text),
    OPTIONS: ("варианты (кнопки)", OPTIONS, None),
    CITY: ("город (кнопки из базы)", CITY, None),
    FULL_NAME: ("ФИО (кириллица, 2–4 слова)", TEXT, clean_full_name),
    AGE: ("возраст (18–60)", TEXT, clean_age),
    CITY_NAME: ("город текстом (после «нет в списке»)", TEXT, clean_city_name),
}
_FOLLOW_UP_LETTERS = "абвгдежзик"


def answer_type(q: Question) -> str:
    """The question's answer type; a question of the code bank without one reads as its kind's plain type."""
    return q.answer_type or (FREE_TEXT if q.kind == TEXT else q.kind)


@dataclass(frozen=True)
class Bank:
    """One version of Тест 1 in the runtime shape: the code default below, or a version loaded from the database."""

    questions: tuple[Question, ...]
    version_id: int | None = None

    def question(self, key: str) -> Question | None:
        """The question with this key, or None."""
        return next((q for q in self.questions if q.key == key), None)

    def of_type(self, kind: str) -> Question | None:
        """The first question of this answer type (e.g. the city typed after «нет в списке»), or None."""
        return next((q for q in self.questions if answer_type(q) == kind), None)

    def path(self, answers: Answers) -> list[Question]:
        """The questions this candidate is asked, in order, given the answers so far."""
        return [q for q in self.questions if q.is_asked(answers)]

    def first_key(self, answers: Answers | None = None) -> str:
        """The key of the first question (still unanswered, when some were answered before Тест 1)."""
        return self.next_key(answers or {}) or ""

    def next_key(self, answers: Answers) -> str | None:
        """The first question on the path still without an answer, or None when Тест 1 is done."""
        return next((q.key for q in self.path(answers) if q.key not in answers), None)

    def progress(self, key: str, answers: Answers, hidden: frozenset[str] = frozenset()) -> tuple[str, int]:
        """(«5» or «5а», N) for «Вопрос 5а из N»: N counts main questions only, so it never changes mid-way.

        `hidden` questions were answered before Тест 1 (the city of the vacancy choice): never shown, not counted.
        """
        number, letter = 0, 0
        total = sum(not q.is_follow_up and q.key not in hidden for q in self.questions)
        for q in self.questions:
            if q.key in hidden or not (q.is_asked(answers) or q.key == key):
                continue
            if q.is_follow_up:
                letter += 1
            else:
                number, letter = number + 1, 0
            if q.key == key:
                return f"{number}{_FOLLOW_UP_LETTERS[letter - 1] if letter else ''}", total
        raise KeyError(key)

    def rows(self, answers: Answers, asked: Mapping[str, str] | None = None) -> list[tuple[str, str, str]]:
        """(key, question, answer) in words, in the order asked; the question as the candidate saw it when stored."""
        asked = asked or {}
        rows = []
        for q in self.questions:
            if q.key not in answers:
                continue
            value = answers[q.key]
            option = q.option(str(value)) if q.kind in (OPTIONS, CITY) else None
            if option is not None:
                shown = option.text
            elif q.kind == CITY and isinstance(value, dict):
                shown = str(value.get("name", ""))
            else:
                shown = str(value)
            rows.append((q.key, str(asked.get(q.key) or q.text), shown))
        known = {q.key for q in self.questions}
        # An answer the bank no longer has (a key renamed in a newer version) still shows, with its stored question.
        rows.extend((k, str(asked.get(k) or k), str(v)) for k, v in answers.items() if k not in known)
        return rows

    def answers_display(self, answers: Answers, asked: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
        """(question, answer) pairs in words, in the order asked: for the admin's candidate page."""
        return [(question, shown) for _, question, shown in self.rows(answers, asked)]


DEFAULT = Bank(BANK)
BY_KEY = {q.key: q for q in BANK}
CITY_REQUESTED = "city_requested"
MAIN_TOTAL = sum(not q.is_follow_up for q in BANK)


def question(key: str) -> Question | None:
    """The question of the code bank with this key, or None."""
    return DEFAULT.question(key)


def path(answers: Answers) -> list[Question]:
    """The code bank's path for these answers."""
    return DEFAULT.path(answers)


def first_key() -> str:
    """The key of the code bank's first question."""
    return DEFAULT.first_key()


def next_key(answers: Answers) -> str | None:
    """The code bank's next unanswered question, or None."""
    return DEFAULT.next_key(answers)


def progress(key: str, answers: Answers) -> tuple[str, int]:
    """The code bank's «n из N»."""
    return DEFAULT.progress(key, answers)


def clean_option(q: Question, raw: str) -> Option:
    """The chosen option of an options question, by its code."""
    option = q.option(raw)
    if option is None:
        raise InvalidAnswer("Пожалуйста, выберите вариант кнопкой ниже.")
    return option


def clean_text(q: Question, raw: str) -> Any:
    """The cleaned value of a typed answer to a text question."""
    if q.kind != TEXT:
        raise InvalidAnswer("Пожалуйста, выберите вариант кнопкой ниже.")
    return q.clean(raw) if q.clean else clean_free_text(raw)


def answers_display(answers: Answers) -> list[tuple[str, str]]:
    """(question, answer) pairs of the code bank, in the order asked (answers it lacks are left out)."""
    known = {q.key for q in BANK}
    return DEFAULT.answers_display({k: v for k, v in answers.items() if k in known})
