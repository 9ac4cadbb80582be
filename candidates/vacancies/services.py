"""The candidate's side of vacancies: applying through a start link, or choosing a vacancy in their city.

A candidate applies to one vacancy at a time: the vacancy may change only until the first Тест 1
answer (a link opened later, or a stale choice button, changes nothing and says so).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum

from django.db import transaction

from candidates.models import Candidate, CandidateStatus, Vacancy, VacancySource
from candidates.services import _locked, consent_is_current, test1_begin
from candidates.vacancies import selectors
from scheduling.errors import InvalidInput, TransitionNotAllowed

logger = logging.getLogger(__name__)


class LinkResult(StrEnum):
    APPLIED = "applied"  # the vacancy and source are the candidate's now
    SAME = "same"  # already applying to this vacancy
    BUSY = "busy"  # already answering or past Тест 1 of another vacancy: nothing changed
    UNKNOWN = "unknown"  # no such active link: the plain start


@dataclass(frozen=True)
class LinkOutcome:
    result: LinkResult
    vacancy: Vacancy | None = None
    source: VacancySource | None = None


def _may_switch(candidate: Candidate) -> bool:
    """Whether the vacancy may still change: Тест 1 not started, or started without an answer."""
    if candidate.status in (CandidateStatus.NEW, CandidateStatus.CONSENT_DECLINED):
        return True
    return candidate.status == CandidateStatus.IN_TEST1 and not candidate.test1_questions


@transaction.atomic
def vacancy_apply_by_link(*, candidate_id: int, code: str) -> LinkOutcome:
    """`/start <code>`: the link's vacancy and source become the candidate's, while they may still switch."""
    source = selectors.source_by_code(code) if code else None
    candidate = _locked(candidate_id)
    if source is None:
        logger.info("candidate %s opened an unknown or inactive start link", candidate.pk)
        return LinkOutcome(LinkResult.UNKNOWN)
    if candidate.vacancy_id == source.vacancy_id and not _may_switch(candidate):
        return LinkOutcome(LinkResult.SAME, source.vacancy, source)
    if not _may_switch(candidate):
        return LinkOutcome(LinkResult.BUSY, candidate.vacancy, source)
    candidate.vacancy, candidate.source = source.vacancy, source
    if candidate.status == CandidateStatus.IN_TEST1 and consent_is_current(candidate):
        test1_begin(candidate)
    candidate.save()
    logger.info("candidate %s applied to vacancy %s via source %s", candidate.pk, source.vacancy_id, source.pk)
    return LinkOutcome(LinkResult.APPLIED, source.vacancy, source)


@transaction.atomic
def vacancy_choose(*, candidate_id: int, vacancy_id: int, city_id: int) -> Candidate:
    """The plain /start's choice: this vacancy in this city; Тест 1 starts (its city question answered)."""
    from scheduling.models import City

    candidate = _locked(candidate_id)
    if not (candidate.status == CandidateStatus.IN_TEST1 and consent_is_current(candidate)):
        raise TransitionNotAllowed("Сейчас выбрать вакансию нельзя.")
    if candidate.vacancy_id is not None or candidate.test1_step:
        raise TransitionNotAllowed("Вакансия уже выбрана.")
    vacancy = next((v for v in selectors.vacancies_in_city(city_id) if v.pk == vacancy_id), None)
    city = selectors.cities_with_vacancies().filter(pk=city_id).first()
    if vacancy is None or city is None:
        raise InvalidInput("Эта вакансия сейчас закрыта. Выберите, пожалуйста, другую.")
    candidate.vacancy = vacancy
    test1_begin(candidate, city=City.objects.get(pk=city.pk))
    candidate.save()
    logger.info("candidate %s chose vacancy %s in city %s", candidate.pk, vacancy.pk, city.pk)
    return candidate
