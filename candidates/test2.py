"""Тест 2 as data: the short quiz after a passed interview — questions, options, the right ones, the threshold.

Change the quiz here and nowhere else; attempts store answers by question key, so a stored attempt
stays readable when a question is added.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Question2:
    key: str
    text: str
    options: tuple[tuple[str, str], ...]  # (code, text)
    correct: str

    def option_text(self, code: str) -> str | None:
        """The words of the option with this code, or None."""
        return next((text for c, text in self.options if c == code), None)


QUESTIONS: tuple[Question2, ...] = (
    Question2(
        key="first_call",
        text="Клиент говорит «мне это не нужно». Что вы сделаете?",
        options=(
            ("a", "Попрощаюсь и положу трубку"),
            ("b", "Спрошу, что для него сейчас важно"),
            ("c", "Повторю предложение громче"),
        ),
        correct="b",
    ),
    Question2(
        key="field_share",
        text="Какую долю рабочего времени занимает работа «в полях» в формате 70/30?",
        options=(("a", "30%"), ("b", "50%"), ("c", "70%")),
        correct="c",
    ),
    Question2(
        key="crm",
        text="Где фиксируются договорённости с клиентом?",
        options=(("a", "В CRM сразу после встречи"), ("b", "В личном блокноте"), ("c", "Нигде, запомню")),
        correct="a",
    ),
    Question2(
        key="plan",
        text="План продаж на месяц выполнен за три недели. Ваши действия?",
        options=(
            ("a", "Отдохну до конца месяца"),
            ("b", "Продолжу работать на перевыполнение"),
            ("c", "Перенесу сделки на следующий месяц"),
        ),
        correct="b",
    ),
)
# Passed with at least this many right answers.
PASS_THRESHOLD = 3


def score(answers: dict[str, str]) -> int:
    """How many stored answers are the right ones."""
    return sum(1 for q in QUESTIONS if answers.get(q.key) == q.correct)


def next_number(answers: dict[str, str]) -> int | None:
    """The 1-based number of the first unanswered question, or None when all are answered."""
    return next((n for n, q in enumerate(QUESTIONS, start=1) if q.key not in answers), None)
