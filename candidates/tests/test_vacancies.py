"""Тест 1 as versioned data: the seeded default, the rules a version keeps, drafts and publishing."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from candidates import questionnaire as q
from candidates.models import Vacancy
from candidates.tests.factories import CandidateFactory
from candidates.tests.vacancies import COURIER_BANK, make_vacancy
from candidates.vacancies import bank, selectors
from candidates.vacancies.editing import draft_open, version_publish
from candidates.vacancies.models import QuestionnaireOption, QuestionnaireQuestion, QuestionnaireVersion
from candidates.vacancies.validation import callback_fits, question_problems, version_problems
from notifications.conversation.callbacks import MAX_BYTES
from scheduling import access
from scheduling.errors import InvalidInput, TransitionNotAllowed
from scheduling.tests.factories import CityFactory, RecruiterFactory, SlotFactory, UserFactory

pytestmark = pytest.mark.django_db


def _shape(questions: tuple[q.Question, ...]) -> list[tuple[object, ...]]:
    probes = [{"status": "study", "city": q.OTHER_CITY}, {"status": "work"}, {}]
    return [
        (x.key, x.text, x.kind, x.options, x.knockout, q.answer_type(x), [x.is_asked(p) for p in probes])
        for x in questions
    ]


def test_the_migration_seeds_todays_bank_as_the_default_vacancys_published_version_1():
    default = selectors.default_vacancy()
    assert default is not None and default.is_active
    version = selectors.current_version(default.pk)
    assert version is not None and version.number == 1 and version.is_published
    assert _shape(bank.for_version(version).questions) == _shape(q.BANK)
    assert version_problems(list(version.questions.prefetch_related("options"))) == []


def test_the_lead_group_exists_with_the_vacancy_permissions():
    group = Group.objects.get(name=access.LEAD_GROUP)
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {
        "change_vacancy",
        "add_vacancysource",
        "change_questionnairequestion",
        "add_questionnaireoption",
    } <= codenames
    member = UserFactory(username="lead-member")
    assert not access.is_lead(member)
    member.groups.add(group)
    assert access.is_lead(UserFactory(username="lead-member"))


def _draft_question(**fields: object) -> QuestionnaireQuestion:
    vacancy = Vacancy.objects.create(title="Курьер — Казань")
    version = QuestionnaireVersion.objects.create(vacancy=vacancy, number=1)
    parent = QuestionnaireQuestion.objects.create(
        version=version, position=10, key="transport", text="На чём?", answer_type=q.OPTIONS
    )
    QuestionnaireOption.objects.create(question=parent, position=10, code="bike", text="Велосипед")
    return QuestionnaireQuestion(version=version, position=20, key="bike_own", text="Свой велосипед?", **fields)


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"when_key": "nope", "when_codes": "bike"}, "которого нет выше"),
        ({"when_key": "transport", "when_codes": "car"}, "нет вариантов car"),
        ({"when_key": "transport"}, "при каких ответах"),
        ({"is_knockout": True}, "причина отсева не указана"),
        ({"when_codes": "bike"}, "вопрос, который он уточняет, — нет"),
    ],
)
def test_a_question_breaking_a_rule_is_refused_with_the_reason(fields: dict[str, object], problem: str):
    question = _draft_question(**fields)
    with pytest.raises(ValidationError) as caught:
        question.full_clean()
    assert problem in " ".join(caught.value.messages)


def test_a_follow_up_of_an_existing_option_is_fine():
    question = _draft_question(when_key="transport", when_codes="bike")

    assert question_problems(question) == []
    question.full_clean()  # the admin form's check agrees: nothing raised


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"code": "maybe", "text": "  "}, "без текста"),
        ({"code": "no", "text": "Нет", "is_knockout": True}, "причина отсева не указана"),
        ({"code": "c" * 32, "text": "Длинный код"}, "64 байт"),
    ],
)
def test_an_option_breaking_a_rule_is_refused_with_the_reason(fields: dict[str, object], problem: str):
    question = _draft_question()
    question.key = "k" * 30
    question.save()
    with pytest.raises(ValidationError) as caught:
        QuestionnaireOption(question=question, position=10, **fields).full_clean()
    assert problem in " ".join(caught.value.messages)


def test_callback_data_is_measured_with_the_bots_codec():
    # «an:» + key + «.» + code: 3 + 30 + 1 + 30 = 64 fits, one byte more does not; Cyrillic counts in bytes.
    assert callback_fits("k" * 30, "c" * 30) and MAX_BYTES == 64
    assert not callback_fits("k" * 30, "c" * 31)
    assert not callback_fits("k" * 20, "ж" * 21)


def test_a_draft_copies_the_current_version_and_publishing_switches_new_candidates_to_it():
    vacancy = make_vacancy("Курьер — Москва", COURIER_BANK)
    draft = draft_open(vacancy_id=vacancy.pk)
    assert draft_open(vacancy_id=vacancy.pk) == draft  # one draft at a time
    assert draft.number == 2 and not draft.is_published
    assert [x.key for x in bank.for_version(draft).questions] == [x.key for x in COURIER_BANK]
    assert selectors.current_version(vacancy.pk).number == 1

    draft.questions.filter(key="experience").update(text="Был ли опыт доставки?")
    version_publish(version_id=draft.pk)

    current = selectors.current_version(vacancy.pk)
    assert current.pk == draft.pk
    assert bank.for_version(current).question("experience").text == "Был ли опыт доставки?"
    first = QuestionnaireVersion.objects.get(vacancy=vacancy, number=1)
    assert bank.for_version(first).question("experience").text == COURIER_BANK[-1].text
    with pytest.raises(TransitionNotAllowed):
        version_publish(version_id=draft.pk)


def test_a_draft_that_breaks_a_rule_is_not_published():
    vacancy = make_vacancy("Курьер — Москва", COURIER_BANK)
    draft = draft_open(vacancy_id=vacancy.pk)
    QuestionnaireOption.objects.filter(question__version=draft, code="none").update(knockout_reason="")

    with pytest.raises(InvalidInput, match="причина отсева не указана"):
        version_publish(version_id=draft.pk)

    draft.refresh_from_db()
    assert not draft.is_published and selectors.current_version(vacancy.pk).number == 1


def _courier_candidate(**fields: object) -> Any:
    vacancy = make_vacancy("Курьер — Москва", COURIER_BANK)
    version = selectors.current_version(vacancy.pk)
    answers = {"full_name": "Сидоров Пётр", "age": 25, "transport": "bike", "experience": "Развозил еду"}
    asked = {"transport": "На чём будете развозить заказы? (как спросили тогда)", "experience": "Опыт курьером?"}
    return CandidateFactory(
        vacancy=vacancy, test1_version=version, test1_answers=answers, test1_questions=asked, **fields
    )


def test_the_recruiters_card_shows_a_vacancys_answers_under_the_questions_as_asked():
    from notifications.card import request_card_text

    candidate = _courier_candidate()
    city = CityFactory(name="Москва")
    slot = SlotFactory(recruiter=RecruiterFactory(cities=[city]), city=city)

    text = request_card_text(slot=slot, candidate=candidate)

    assert "На чём будете развозить заказы? (как спросили тогда): Велосипед" in text
    assert "Опыт курьером?: Развозил еду" in text


def test_the_candidate_page_lists_answers_in_the_versions_order_with_the_stored_questions(admin_client: Any):
    from django.urls import reverse

    candidate = _courier_candidate()
    page = admin_client.get(reverse("admin:candidates_candidate_change", args=[candidate.pk])).content.decode()
    assert (
        page.index("Как вас зовут? Фамилия и имя.") < page.index("(как спросили тогда)") < page.index("Опыт курьером?")
    )
    assert "Курьер — Москва" in page


def test_erasure_forgets_the_questions_with_the_answers():
    from candidates.privacy import candidate_erase

    candidate = _courier_candidate()
    candidate_erase(candidate_id=candidate.pk, erased_by="тест")
    candidate.refresh_from_db()
    assert candidate.test1_answers == {} and candidate.test1_questions == {}


def test_the_migration_pins_candidates_already_answering_to_version_1_with_the_questions_they_saw():
    import importlib

    from django.apps import apps

    migration = importlib.import_module("candidates.migrations.0006_default_vacancy")
    midway = CandidateFactory(status="in_test1", test1_answers={"full_name": "Петров Пётр", "age": 30})
    fresh = CandidateFactory(status="new", test1_answers={})

    migration.forward(apps, None)  # again, as on a database that had candidates before vacancies: idempotent

    midway.refresh_from_db()
    fresh.refresh_from_db()
    version = selectors.current_version(None)
    assert midway.test1_version == version and midway.vacancy == selectors.default_vacancy()
    assert midway.test1_questions == {"full_name": q.BANK[0].text, "age": "Сколько вам лет?"}
    assert fresh.test1_version is None
    assert QuestionnaireVersion.objects.filter(vacancy__is_default=True).count() == 1


def test_a_link_opened_by_a_candidate_past_test1_without_a_vacancy_changes_nothing_and_says_so():
    from botapp import flows

    vacancy = make_vacancy("Курьер — Москва", COURIER_BANK, sources=[("hh.ru", "hh_courier")])
    candidate = CandidateFactory(vacancy=None)

    result = flows.start(telegram_id=candidate.telegram_id, code="hh_courier")

    assert result.send[0].text.startswith("Вы уже проходите отбор")
    candidate.refresh_from_db()
    assert candidate.vacancy is None and candidate.source is None and vacancy.candidates.count() == 0


@pytest.mark.parametrize("switched_off", ["source", "vacancy"])
def test_a_switched_off_link_or_vacancy_gives_the_plain_start_with_a_clear_line(switched_off: str):
    from botapp import flows
    from candidates.tests.factories import NewCandidateFactory

    vacancy = make_vacancy("Курьер — Москва", COURIER_BANK, sources=[("hh.ru", "hh_courier")])
    target = vacancy.sources.get() if switched_off == "source" else vacancy
    target.is_active = False
    target.save()
    candidate = NewCandidateFactory()

    result = flows.start(telegram_id=candidate.telegram_id, code="hh_courier")

    assert "ссылка больше не действует" in result.send[0].text and "Согласен" in str(result.send[1].markup)
    candidate.refresh_from_db()
    assert candidate.vacancy is None and candidate.source is None
