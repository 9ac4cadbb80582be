"""Every rule a Тест 1 version must keep, stated once: the admin's forms, the models' clean and publishing use it.

Callback data is measured with the bot's own codec, so a question key and option code that pass here
always make a button Telegram accepts (64 bytes).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError

from candidates import questionnaire as q
from notifications.conversation.callbacks import Action, encode

# The longest city id a city button could carry: ids are bigints.
_LONGEST_CITY_ID = str(2**63 - 1)
_WITH_OPTIONS = (q.OPTIONS, q.CITY)


def raise_problems(problems: list[str]) -> None:
    """Raise a ValidationError listing the problems, if any."""
    if problems:
        raise ValidationError(problems)


def callback_fits(key: str, code: str) -> bool:
    """Whether the bot can build the option button «<key>.<code>» within Telegram's 64 bytes."""
    try:
        encode(Action.ANSWER, f"{key}.{code}")
    except ValueError:
        return False
    return True


def option_problems(option: Any, *, question_key: str) -> list[str]:
    """What is wrong with one option: empty text, a knockout without a reason, a button too long."""
    problems = []
    if not (option.text or "").strip():
        problems.append("Вариант ответа без текста.")
    if option.is_knockout and not (option.knockout_reason or "").strip():
        problems.append(f"Вариант «{option.text}» отсеивает кандидата, но причина отсева не указана.")
    if question_key and option.code and not callback_fits(question_key, option.code):
        problems.append(f"Ключ «{question_key}» и код «{option.code}» вместе длиннее 64 байт кнопки Telegram.")
    return problems


def question_problems(question: Any, *, earlier: Iterable[Any] | None = None) -> list[str]:
    """What is wrong with one question on its own and against the questions before it in its version.

    `earlier` (the questions before it, with their options) defaults to its version's rows in the database.
    """
    problems = []
    label = f"Вопрос «{question.key}»"
    if not (question.text or "").strip():
        problems.append(f"{label}: нет текста.")
    if question.is_knockout and not (question.knockout_reason or "").strip():
        problems.append(f"{label}: любой ответ отсеивает, но причина отсева не указана.")
    if question.answer_type == q.CITY and question.key and not callback_fits(question.key, _LONGEST_CITY_ID):
        problems.append(f"{label}: ключ слишком длинный для кнопок городов.")
    if question.when_key:
        if earlier is None:
            earlier = _earlier_in_db(question)
        parent = next((e for e in earlier if e.key == question.when_key), None)
        codes = question.condition_codes
        if parent is None:
            problems.append(f"{label}: уточняет вопрос «{question.when_key}», которого нет выше.")
        elif parent.answer_type not in _WITH_OPTIONS:
            problems.append(f"{label}: уточнять можно только вопрос с вариантами ответа.")
        elif not codes:
            problems.append(f"{label}: укажите, при каких ответах на «{parent.key}» он задаётся.")
        else:
            known = {o.code for o in _options(parent)}
            missing = [c for c in codes if c not in known]
            if missing:
                problems.append(f"{label}: у вопроса «{parent.key}» нет вариантов {', '.join(missing)}.")
    elif question.when_codes.strip():
        problems.append(f"{label}: коды ответов указаны, а вопрос, который он уточняет, — нет.")
    return problems


def version_problems(questions: list[Any]) -> list[str]:
    """Everything wrong with a whole version (its questions in order, each with its options)."""
    if not questions:
        return ["В версии нет ни одного вопроса."]
    problems = []
    if questions[0].when_key:
        problems.append("Первый вопрос не может быть уточняющим.")
    seen: list[Any] = []
    for question in questions:
        problems += question_problems(question, earlier=seen)
        options = _options(question)
        if question.answer_type == q.OPTIONS and not options:
            problems.append(f"Вопрос «{question.key}»: нет ни одного варианта ответа.")
        if question.answer_type not in _WITH_OPTIONS and options:
            problems.append(f"Вопрос «{question.key}»: у вопроса со свободным ответом есть варианты — удалите их.")
        for option in options:
            problems += option_problems(option, question_key=question.key)
        seen.append(question)
    return problems


def _options(question: Any) -> list[Any]:
    cached = getattr(question, "_prefetched_objects_cache", {}).get("options")
    if cached is not None:
        return list(cached)
    return list(question.options.all()) if question.pk else []


def _earlier_in_db(question: Any) -> list[Any]:
    if not question.version_id:
        return []
    rows = question.version.questions.prefetch_related("options").exclude(pk=question.pk)
    return [r for r in rows if (r.position, r.pk) < (question.position, question.pk or 10**18)]
