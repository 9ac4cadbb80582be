"""Reads about candidates that more than one caller needs."""

from __future__ import annotations

from candidates import questionnaire
from candidates.models import Candidate


def candidate_get_by_telegram_id(*, telegram_id: int) -> Candidate | None:
    """The candidate of this Telegram user, with the city, or None."""
    return Candidate.objects.select_related("city").filter(telegram_id=telegram_id).first()


def candidate_answers_display(candidate: Candidate) -> list[tuple[str, str]]:
    """The candidate's Тест 1 answers in words, in the order asked (the admin's candidate page)."""
    return questionnaire.answers_display(candidate.test1_answers or {})
