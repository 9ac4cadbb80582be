"""Candidate services: registration, consent, Тест 1 answers (saved one by one), preferred time."""

from __future__ import annotations

from typing import Any

import pytest

from candidates import questionnaire as q
from candidates import services
from candidates.models import Candidate, CandidateStatus
from candidates.tests.factories import CandidateFactory, NewCandidateFactory
from scheduling import services as slot_services
from scheduling.errors import InvalidInput, TransitionNotAllowed
from scheduling.models import SlotStatus
from scheduling.tests.factories import CityFactory, RecruiterFactory, SlotFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def city() -> Any:
    city = CityFactory(name="Казань", tz="Europe/Moscow")
    RecruiterFactory(cities=[city])
    return city


def _in_test1(**answers: Any) -> Candidate:
    candidate = NewCandidateFactory()
    services.consent_give(candidate_id=candidate.pk)
    for key, (raw, is_button) in answers.items():
        services.test1_answer(candidate_id=candidate.pk, key=key, raw=raw, is_button=is_button)
    candidate.refresh_from_db()
    return candidate


def test_register_stores_only_the_telegram_id_and_status() -> None:
    candidate = services.candidate_register(telegram_id=42)
    assert candidate.status == CandidateStatus.NEW
    assert (candidate.username, candidate.full_name, candidate.test1_answers) == ("", "", {})
    assert services.candidate_register(telegram_id=42).pk == candidate.pk


def test_touch_keeps_the_username_only_with_current_consent() -> None:
    services.candidate_touch(telegram_id=43, username="secret")
    assert Candidate.objects.get(telegram_id=43).username == ""
    consented = CandidateFactory(username="")
    services.candidate_touch(telegram_id=consented.telegram_id, username="ivan")
    consented.refresh_from_db()
    assert consented.username == "ivan"


def test_consent_give_stores_time_and_version_and_starts_test1(settings: Any) -> None:
    settings.CONSENT_VERSION = "7"
    candidate = services.consent_give(candidate_id=NewCandidateFactory().pk, username="ivan")
    assert candidate.consent_version == "7" and candidate.consent_given_at is not None
    assert candidate.status == CandidateStatus.IN_TEST1 and candidate.test1_step == "full_name"


def test_renewed_consent_keeps_the_candidates_progress(settings: Any) -> None:
    candidate = CandidateFactory()
    settings.CONSENT_VERSION = "2"
    assert not services.consent_is_current(candidate)
    candidate = services.consent_give(candidate_id=candidate.pk)
    assert candidate.status == CandidateStatus.CHOOSING_SLOT and candidate.test1_answers
    assert services.consent_is_current(candidate)


def test_consent_decline_stores_only_the_refusal() -> None:
    candidate = services.consent_decline(candidate_id=NewCandidateFactory(username="").pk)
    assert candidate.status == CandidateStatus.CONSENT_DECLINED and candidate.consent_declined_at is not None
    assert candidate.consent_given_at is None and candidate.test1_answers == {}


def test_declining_a_new_version_releases_the_live_booking() -> None:
    slot = SlotFactory()
    candidate = CandidateFactory(city=slot.city)
    slot_services.slot_reserve(slot_id=slot.pk, candidate_id=candidate.pk)
    services.consent_decline(candidate_id=candidate.pk)
    slot.refresh_from_db()
    assert slot.status == SlotStatus.FREE
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.CONSENT_DECLINED


def test_each_answer_is_saved_at_once_and_advances(city: Any) -> None:
    candidate = _in_test1(full_name=("петров пётр", False))
    assert candidate.full_name == "Петров Пётр"
    assert candidate.test1_answers == {"full_name": "Петров Пётр"} and candidate.test1_step == "city"
    services.test1_answer(candidate_id=candidate.pk, key="city", raw=str(city.pk), is_button=True)
    candidate.refresh_from_db()
    assert candidate.city_id == city.pk and candidate.test1_answers["city"] == {"id": city.pk, "name": "Казань"}
    assert candidate.test1_step == "age"


def test_an_invalid_answer_stores_nothing_and_keeps_the_question(city: Any) -> None:
    candidate = _in_test1(full_name=("Петров Пётр", False), city=(str(city.pk), True))
    with pytest.raises(q.InvalidAnswer):
        services.test1_answer(candidate_id=candidate.pk, key="age", raw="100", is_button=False)
    candidate.refresh_from_db()
    assert candidate.test1_step == "age" and "age" not in candidate.test1_answers


def test_an_answer_to_another_question_is_stale(city: Any) -> None:
    candidate = _in_test1(full_name=("Петров Пётр", False))
    with pytest.raises(q.StaleQuestion):
        services.test1_answer(candidate_id=candidate.pk, key="status", raw="work", is_button=True)


def test_an_inactive_or_unknown_city_is_refused(city: Any) -> None:
    closed = CityFactory(name="Закрытый", is_active=False)
    RecruiterFactory(cities=[closed])
    candidate = _in_test1(full_name=("Петров Пётр", False))
    for raw in (str(closed.pk), "999999", "Казань"):
        with pytest.raises(q.InvalidAnswer):
            services.test1_answer(candidate_id=candidate.pk, key="city", raw=raw, is_button=True)


def _to_status(city: Any, status: str) -> Candidate:
    return _in_test1(
        full_name=("Петров Пётр", False), city=(str(city.pk), True), age=("20", False), status=(status, True)
    )


def test_hybrid_refusal_is_a_stored_knockout(city: Any) -> None:
    candidate = _to_status(city, "work")
    for key, raw in (("notice_period", "now"), ("income", "lt60")):
        services.test1_answer(candidate_id=candidate.pk, key=key, raw=raw, is_button=True)
    step = services.test1_answer(candidate_id=candidate.pk, key="hybrid", raw="not_ready", is_button=True)
    candidate.refresh_from_db()
    assert step.is_knocked_out
    assert candidate.status == CandidateStatus.KNOCKED_OUT and "70%" in candidate.knockout_reason
    assert candidate.test1_answers["hybrid"] == "not_ready"


@pytest.mark.parametrize("answer", ["no", "hard"])
def test_study_that_does_not_fit_is_a_stored_knockout(city: Any, answer: str) -> None:
    candidate = _to_status(city, "study")
    services.test1_answer(candidate_id=candidate.pk, key="study_mode", raw="full_time", is_button=True)
    services.test1_answer(candidate_id=candidate.pk, key="study_fits", raw=answer, is_button=True)
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.KNOCKED_OUT and "5/2" in candidate.knockout_reason


def test_the_last_answer_completes_test1(city: Any) -> None:
    candidate = _to_status(city, "business")
    for key, raw, is_button in [
        ("income", "gt120", True),
        ("hybrid", "ready", True),
        ("sales_experience", "нет", False),
        ("motivation", "деньги", False),
        ("strengths", "упорство", False),
    ]:
        services.test1_answer(candidate_id=candidate.pk, key=key, raw=raw, is_button=is_button)
    step = services.test1_answer(candidate_id=candidate.pk, key="expectations", raw="рост", is_button=False)
    candidate.refresh_from_db()
    assert step.is_completed and candidate.status == CandidateStatus.CHOOSING_SLOT
    assert candidate.test1_completed_at is not None and candidate.test1_step == ""


def test_no_answer_is_stored_before_consent() -> None:
    candidate = NewCandidateFactory()
    with pytest.raises(q.StaleQuestion):
        services.test1_answer(candidate_id=candidate.pk, key="full_name", raw="Иванов Иван", is_button=False)
    candidate.refresh_from_db()
    assert candidate.test1_answers == {} and candidate.full_name == ""


def test_preferred_time_is_requested_then_stored() -> None:
    candidate = CandidateFactory()
    services.preferred_time_request(candidate_id=candidate.pk)
    candidate.refresh_from_db()
    assert candidate.bot_state == services.BOT_STATE_PREFERRED_TIME
    candidate = services.preferred_time_leave(candidate_id=candidate.pk, note="  после   18:00 ")
    assert candidate.preferred_time_note == "после 18:00" and candidate.preferred_time_at is not None
    assert candidate.bot_state == ""


def test_preferred_time_needs_a_finished_test1_and_sane_text() -> None:
    with pytest.raises(TransitionNotAllowed):
        services.preferred_time_request(candidate_id=NewCandidateFactory().pk)
    with pytest.raises(InvalidInput):
        services.preferred_time_leave(candidate_id=CandidateFactory().pk, note="x" * 501)


def test_a_candidate_who_writes_again_is_reachable_again() -> None:
    candidate = CandidateFactory(is_reachable=False, unreachable_reason="Forbidden: bot was blocked by the user")
    services.candidate_touch(telegram_id=candidate.telegram_id)
    candidate.refresh_from_db()
    assert candidate.is_reachable is True
    assert candidate.unreachable_reason == ""
