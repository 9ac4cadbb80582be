"""Тест 1's city: a button or the typed name of an active city, or a city we do not serve (issue 12, item 3)."""

from __future__ import annotations

from typing import Any

import pytest

from candidates import questionnaire as q
from candidates import services
from candidates.models import Candidate, CandidateStatus
from candidates.tests.factories import NewCandidateFactory
from scheduling.tests.factories import CityFactory, RecruiterFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def city() -> Any:
    city = CityFactory(name="Нижний Новгород", tz="Europe/Moscow")
    RecruiterFactory(cities=[city])
    return city


def _at_the_city_question() -> Candidate:
    candidate = NewCandidateFactory()
    services.consent_give(candidate_id=candidate.pk)
    services.test1_answer(candidate_id=candidate.pk, key="full_name", raw="Петров Пётр", is_button=False)
    return candidate


def _answer_city(candidate: Candidate, raw: str, *, is_button: bool) -> Candidate:
    services.test1_answer(candidate_id=candidate.pk, key="city", raw=raw, is_button=is_button)
    candidate.refresh_from_db()
    return candidate


def test_typing_an_active_city_in_any_case_selects_it(city: Any) -> None:
    candidate = _answer_city(_at_the_city_question(), "  нижний   НОВГОРОД ", is_button=False)

    assert candidate.city_id == city.pk
    assert candidate.test1_answers["city"] == {"id": city.pk, "name": "Нижний Новгород"}
    assert candidate.status == CandidateStatus.IN_TEST1 and candidate.test1_step == "age"


def test_typing_a_city_we_do_not_serve_ends_test1_and_keeps_the_city(city: Any) -> None:
    candidate = _answer_city(_at_the_city_question(), "казань", is_button=False)

    assert candidate.status == CandidateStatus.KNOCKED_OUT
    assert candidate.knockout_reason == "город не обслуживается: Казань"
    assert candidate.test1_answers == {"full_name": "Петров Пётр", "city": q.OTHER_CITY, q.CITY_REQUESTED: "Казань"}
    assert candidate.city_id is None and candidate.test1_step == ""


def test_the_not_listed_button_asks_which_city_then_ends_test1_with_it(city: Any) -> None:
    candidate = _answer_city(_at_the_city_question(), q.OTHER_CITY, is_button=True)
    assert candidate.status == CandidateStatus.IN_TEST1 and candidate.test1_step == q.CITY_REQUESTED

    step = services.test1_answer(candidate_id=candidate.pk, key=q.CITY_REQUESTED, raw="Казань", is_button=False)

    candidate.refresh_from_db()
    assert step.is_knocked_out and candidate.status == CandidateStatus.KNOCKED_OUT
    assert candidate.knockout_reason == "город не обслуживается: Казань"
    assert candidate.test1_answers[q.CITY_REQUESTED] == "Казань"


def test_a_typed_city_that_is_not_a_name_gets_a_hint_and_nothing_is_stored(city: Any) -> None:
    candidate = _at_the_city_question()

    with pytest.raises(q.InvalidAnswer, match="название города"):
        services.test1_answer(candidate_id=candidate.pk, key="city", raw="12345", is_button=False)

    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.IN_TEST1 and candidate.test1_step == "city"
    assert candidate.test1_answers == {"full_name": "Петров Пётр"}
