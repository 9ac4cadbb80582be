"""A Тест 1 version from the database in the runtime shape of candidates.questionnaire (Question, Option, Bank).

Published versions never change, so each is built once per process (keyed by id and publication
time, which a reused id after a test flush would not share); drafts are built afresh for the preview.
"""

from __future__ import annotations

import functools
from typing import Any

from candidates import questionnaire as q
from candidates.vacancies.models import QuestionnaireVersion


def build(version: QuestionnaireVersion) -> q.Bank:
    """The version's questions and options as a Bank, read from the database now."""
    rows = version.questions.prefetch_related("options").order_by("position", "id")
    return q.Bank(tuple(_question(row) for row in rows), version_id=version.pk)


def _question(row: Any) -> q.Question:
    _, kind, clean = q.ANSWER_TYPES.get(row.answer_type, q.ANSWER_TYPES[q.FREE_TEXT])
    options = tuple(
        q.Option(o.code, o.text, knockout=o.knockout_reason.strip() if o.is_knockout else "")
        for o in sorted(row.options.all(), key=lambda o: (o.position, o.pk))
    )
    return q.Question(
        key=row.key,
        text=row.text,
        kind=kind,
        options=options if kind in (q.OPTIONS, q.CITY) else (),
        clean=clean,
        when=q.AnsweredWith(row.when_key, row.condition_codes) if row.when_key else None,
        knockout=row.knockout_reason.strip() if row.is_knockout else "",
        answer_type=row.answer_type,
    )


@functools.lru_cache(maxsize=256)
def _published(version_id: int, published_at: str) -> q.Bank:
    return build(QuestionnaireVersion.objects.get(pk=version_id))


def for_version(version: QuestionnaireVersion | None) -> q.Bank:
    """The Bank of this version; None (a candidate from before vacancies, or no version seeded) is the code bank."""
    if version is None:
        return q.DEFAULT
    if version.published_at is None:
        return build(version)
    return _published(version.pk, version.published_at.isoformat())


def for_candidate(candidate: Any) -> q.Bank:
    """The Bank of the version this candidate started (the code bank before they started)."""
    return for_version(candidate.test1_version if candidate.test1_version_id else None)
