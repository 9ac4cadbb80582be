"""The vacancy a candidate applies to: `/start <code>` of a start link, or the plain /start's choice."""

from __future__ import annotations

from botapp import screens, vacancy_screens
from botapp.flows.once import callback_once
from botapp.views import Outcome, Press, Reply, outcome
from candidates.models import Candidate, CandidateStatus
from candidates.services import consent_is_current
from candidates.vacancies import services as vacancy_services
from candidates.vacancies.selectors import cities_with_vacancies, vacancies_in_city
from notifications.conversation import texts
from notifications.copy import wording, wording_for
from scheduling.errors import InvalidInput, TransitionNotAllowed


def link_opened(candidate: Candidate, code: str) -> list[Reply]:
    """The line a start link adds above the current step: the vacancy, or why the link changed nothing."""
    applied = vacancy_services.vacancy_apply_by_link(candidate_id=candidate.pk, code=code)
    if applied.result == vacancy_services.LinkResult.UNKNOWN:
        return [Reply(texts.VACANCY_LINK_UNKNOWN)]
    if applied.vacancy is None:  # busy with Тест 1 from before vacancies: nothing to name
        return [Reply(texts.VACANCY_LINK_IN_PROGRESS)]
    if applied.result == vacancy_services.LinkResult.BUSY:
        return [Reply(texts.VACANCY_LINK_BUSY.format(title=applied.vacancy.title))]
    intro = wording(vacancy_id=applied.vacancy.pk, city_id=candidate.city_id).VACANCY_APPLIED
    return [Reply(intro.format(title=applied.vacancy.title))]


def _is_choosing(candidate: Candidate) -> bool:
    return (
        consent_is_current(candidate)
        and candidate.status == CandidateStatus.IN_TEST1
        and candidate.vacancy_id is None
        and not candidate.test1_step
    )


@callback_once
def vacancy_city_pressed(press: Press, candidate: Candidate, *, city_id: int | None) -> Outcome:
    """A city of the choice: its vacancies (one alone is taken at once); None: the city list again."""
    if not _is_choosing(candidate):
        return outcome(screens.current(candidate), answer=texts.STALE_BUTTON, drop_keyboard=True, result="stale")
    if city_id is None:
        return Outcome(edit=vacancy_screens.city_choice())
    city = cities_with_vacancies().filter(pk=city_id).first()
    if city is None:
        return Outcome(edit=vacancy_screens.city_choice(header=texts.VACANCY_CLOSED), result="city_closed")
    vacancies = vacancies_in_city(city.pk)
    if len(vacancies) == 1:
        return _choose(candidate, vacancies[0].pk, city.pk)
    return Outcome(edit=vacancy_screens.vacancy_choice(city))


@callback_once
def vacancy_pressed(press: Press, candidate: Candidate, *, vacancy_id: int, city_id: int) -> Outcome:
    """A vacancy of the choice: Тест 1 of that vacancy starts."""
    if not _is_choosing(candidate):
        return outcome(screens.current(candidate), answer=texts.STALE_BUTTON, drop_keyboard=True, result="stale")
    return _choose(candidate, vacancy_id, city_id)


def _choose(candidate: Candidate, vacancy_id: int, city_id: int) -> Outcome:
    try:
        candidate = vacancy_services.vacancy_choose(candidate_id=candidate.pk, vacancy_id=vacancy_id, city_id=city_id)
    except InvalidInput as exc:
        return Outcome(edit=vacancy_screens.city_choice(header=str(exc)), result=exc.code)
    except TransitionNotAllowed as exc:
        return outcome(screens.current(candidate), answer=texts.STALE_BUTTON, drop_keyboard=True, result=exc.code)
    title = candidate.vacancy.title if candidate.vacancy else ""
    intro = wording_for(candidate).VACANCY_APPLIED.format(title=title)
    return outcome(screens.current(candidate), edit=Reply(intro), result="chosen")
