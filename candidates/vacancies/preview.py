"""The whole Тест 1 of a version as the candidate will see it: numbered questions and their buttons, row by row."""

from __future__ import annotations

from dataclasses import dataclass

from candidates import questionnaire as q
from candidates.vacancies import bank
from candidates.vacancies.models import QuestionnaireVersion
from candidates.vacancies.selectors import vacancy_cities
from candidates.vacancies.validation import version_problems
from notifications.conversation import keyboards, texts
from notifications.copy import wording


@dataclass(frozen=True)
class PreviewQuestion:
    message: str  # «Вопрос 4а из 10\n…» exactly as the bot sends it
    rows: list[list[str]]  # button texts, laid out in rows as the bot lays them out
    answer_hint: str  # how a typed answer is checked, for questions without buttons
    condition: str  # «Задаётся, если …» for a follow-up
    knockouts: list[str]  # «вариант — причина» of every answer that ends Тест 1


@dataclass(frozen=True)
class Preview:
    intro: str
    questions: list[PreviewQuestion]
    done: str
    problems: list[str]


def build(version: QuestionnaireVersion) -> Preview:
    """The preview of a version (a draft included), with what would keep it from being published."""
    questions = bank.for_version(version)
    rows = list(version.questions.prefetch_related("options").order_by("position", "id"))
    cities = list(vacancy_cities(version.vacancy_id).values_list("pk", "name"))
    words = wording(vacancy_id=version.vacancy_id)  # the vacancy's own texts (notifications/copy), if any
    return Preview(
        intro=f"{words.CONSENT_CHOSEN_YES}\n{words.CONSENT_THANKS}",
        questions=[_question(questions, item, cities) for item in questions.questions],
        done=words.TEST1_DONE,
        problems=version_problems(rows) if not version.is_published else [],
    )


def _question(questions: q.Bank, item: q.Question, cities: list[tuple[int, str]]) -> PreviewQuestion:
    condition = ""
    answers: dict[str, str] = {}
    if isinstance(item.when, q.AnsweredWith):
        answers = {item.when.key: item.when.codes[0]} if item.when.codes else {}
        parent = questions.question(item.when.key)
        shown = [o.text for o in parent.options if o.code in item.when.codes] if parent else list(item.when.codes)
        quoted = " или ".join(f"«{text}»" for text in shown)
        condition = f"Задаётся, если на «{parent.text if parent else item.when.key}» ответили {quoted}."
    n, total = questions.progress(item.key, answers)
    options = [(o.code, o.text) for o in item.options]
    if item.kind == q.CITY:
        options = [(str(pk), name) for pk, name in cities] + options
    markup = keyboards.options_markup(item.key, options) if options else {"inline_keyboard": []}
    label, _, _ = q.ANSWER_TYPES.get(q.answer_type(item), ("", "", None))
    hint = f"Ответ текстом: {label}." if item.kind == q.TEXT else ""
    if item.kind == q.CITY and not cities:
        hint = (
            "Городов-кнопок сейчас нет: у городов вакансии нет активного рекрутёра — кандидат увидит «набор не идёт»."
        )
    knockouts = [f"«{o.text}» — {o.knockout}" for o in item.options if o.knockout]
    if item.knockout:
        knockouts.append(f"любой ответ — {item.knockout}")
    return PreviewQuestion(
        message=texts.QUESTION.format(n=n, total=total, text=item.text),
        rows=[[b["text"] for b in row] for row in markup["inline_keyboard"]],
        answer_hint=hint,
        condition=condition,
        knockouts=knockouts,
    )
