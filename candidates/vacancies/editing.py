"""The lead's side of a Тест 1: a draft copied from the current version, and publishing it.

A published version is never edited: the admin shows it read-only, and these are the only writers
of `published_at`. Seeding takes model classes as arguments so the data migration can use it too.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from candidates import questionnaire as q
from candidates.models import Vacancy
from candidates.vacancies.models import QuestionnaireOption, QuestionnaireQuestion, QuestionnaireVersion
from candidates.vacancies.validation import version_problems
from scheduling.errors import InvalidInput, TransitionNotAllowed

logger = logging.getLogger(__name__)


def seed_from_bank(
    bank: tuple[q.Question, ...],
    *,
    version: Any,
    question_model: Any = QuestionnaireQuestion,
    option_model: Any = QuestionnaireOption,
) -> None:
    """Write a code bank's questions and options into an empty version (conditions become data)."""
    for position, question in enumerate(bank, start=1):
        when = question.when if isinstance(question.when, q.AnsweredWith) else None
        if question.when is not None and when is None:
            raise ValueError(f"{question.key}: a follow-up condition that is not data cannot be stored")
        row = question_model.objects.create(
            version=version,
            position=position * 10,
            key=question.key,
            text=question.text,
            answer_type=q.answer_type(question),
            when_key=when.key if when else "",
            when_codes=",".join(when.codes) if when else "",
            is_knockout=bool(question.knockout),
            knockout_reason=question.knockout,
        )
        for number, option in enumerate(question.options, start=1):
            option_model.objects.create(
                question=row,
                position=number * 10,
                code=option.code,
                text=option.text,
                is_knockout=bool(option.knockout),
                knockout_reason=option.knockout,
            )


def _copy(source: QuestionnaireVersion, target: QuestionnaireVersion) -> None:
    for question in source.questions.prefetch_related("options").order_by("position", "id"):
        options = list(question.options.all())
        question.pk, question.version = None, target
        question.save()
        for option in options:
            option.pk, option.question = None, question
            option.save()


@transaction.atomic
def draft_open(*, vacancy_id: int) -> QuestionnaireVersion:
    """The vacancy's draft to edit: the existing one, or a copy of its current version (the code bank if none)."""
    from candidates.vacancies.selectors import current_version

    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy_id)
    draft = vacancy.test1_versions.filter(published_at__isnull=True).order_by("-number").first()
    if draft is not None:
        return draft
    number = (vacancy.test1_versions.aggregate(n=Max("number"))["n"] or 0) + 1
    draft = QuestionnaireVersion.objects.create(vacancy=vacancy, number=number)
    current = current_version(vacancy.pk)
    if current is not None:
        _copy(current, draft)
    else:
        seed_from_bank(q.BANK, version=draft)
    logger.info("vacancy %s: draft Тест 1 version %s opened", vacancy.pk, number)
    return draft


@transaction.atomic
def version_publish(*, version_id: int, now: Any = None) -> QuestionnaireVersion:
    """Publish a draft after checking every rule: new candidates of the vacancy get it, others finish theirs."""
    version = QuestionnaireVersion.objects.select_for_update().filter(pk=version_id).first()
    if version is None:
        raise InvalidInput("Версия не найдена.")
    if version.published_at is not None:
        raise TransitionNotAllowed("Эта версия уже опубликована.")
    questions = list(version.questions.prefetch_related("options").order_by("position", "id"))
    problems = version_problems(questions)
    if problems:
        raise InvalidInput("Версию нельзя опубликовать: " + " ".join(problems))
    version.published_at = now or timezone.now()
    version.save(update_fields=["published_at"])
    logger.info("vacancy %s: Тест 1 version %s published", version.vacancy_id, version.number)
    return version
