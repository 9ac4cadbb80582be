"""The lead's vacancy pages through the real admin: access, start links and QR, editing a draft, preview, publishing."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from candidates.models import Vacancy, VacancySource
from candidates.tests.vacancies import COURIER_BANK, make_vacancy
from candidates.vacancies import selectors
from candidates.vacancies.models import QuestionnaireOption, QuestionnaireQuestion, QuestionnaireVersion
from scheduling import access
from scheduling.tests.factories import UserFactory
from scheduling.tests.personas import client_for, make_anna, make_moscow, staff_user_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead() -> Client:
    user = UserFactory(username="olga")
    user.groups.add(Group.objects.get(name=access.LEAD_GROUP))
    return client_for(user)


@pytest.fixture
def courier() -> Vacancy:
    return make_vacancy("Курьер — Москва", COURIER_BANK, cities=[make_moscow()], sources=[("hh.ru", "hh_courier")])


def form_data(response: Any) -> dict[str, Any]:
    """The POST a browser would send back from an admin change page, unchanged: every form and inline formset."""
    data: dict[str, Any] = {}

    def add(form: Any) -> None:
        for name, field in form.fields.items():
            value = form[name].value()
            if value is None or value is False:
                continue
            key = form.add_prefix(name)
            data[key] = [str(v) for v in value] if isinstance(value, list | tuple) else str(value)
            if hasattr(field, "prepare_value") and not isinstance(value, list | tuple | bool):
                prepared = field.prepare_value(value)
                data[key] = str(prepared.pk if hasattr(prepared, "pk") else prepared)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        add(formset.management_form)
        for form in formset.forms:
            add(form)
    return data


def test_recruiters_do_not_see_vacancies(courier: Vacancy):
    anna = staff_user_for(make_anna(make_moscow()), "anna")
    client = client_for(anna)
    assert client.get(reverse("admin:candidates_vacancy_changelist")).status_code == 403
    qr = reverse("admin:candidates_vacancysource_qr", args=[courier.sources.get().pk])
    assert client.get(qr).status_code == 403


def test_a_source_page_shows_the_start_link_and_its_qr_code_downloads_as_svg(lead: Client, courier: Vacancy, settings):
    settings.TELEGRAM_BOT_USERNAME = "hr_hiring_bot"
    source = courier.sources.get()

    page = lead.get(reverse("admin:candidates_vacancysource_change", args=[source.pk])).content.decode()
    assert "https://t.me/hr_hiring_bot?start=hh_courier" in page
    response = lead.get(reverse("admin:candidates_vacancysource_qr", args=[source.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b"<svg") and b"<path" in response.content
    assert "start-hh_courier.svg" in response["Content-Disposition"]


def test_without_the_bot_username_the_page_says_what_to_set(lead: Client, courier: Vacancy, settings):
    settings.TELEGRAM_BOT_USERNAME = ""
    source = courier.sources.get()
    page = lead.get(reverse("admin:candidates_vacancy_change", args=[courier.pk])).content.decode()
    assert "TELEGRAM_BOT_USERNAME" in page and "/start hh_courier" in page
    assert lead.get(reverse("admin:candidates_vacancysource_qr", args=[source.pk])).status_code == 404


def test_a_lead_adds_a_start_link_with_a_code_telegram_accepts(lead: Client, courier: Vacancy):
    url = reverse("admin:candidates_vacancysource_add")
    bad = lead.post(url, {"vacancy": courier.pk, "name": "Плакат", "code": "плакат 1", "is_active": "on"})
    assert bad.status_code == 200 and "так требует Telegram" in bad.content.decode()
    lead.post(url, {"vacancy": courier.pk, "name": "Плакат в магазине", "code": "poster_tverskaya", "is_active": "on"})
    assert VacancySource.objects.filter(code="poster_tverskaya", vacancy=courier).exists()


def test_a_published_version_is_read_only_and_editing_opens_a_draft(lead: Client, courier: Vacancy):
    published = selectors.current_version(courier.pk)
    page = lead.get(reverse("admin:candidates_questionnaireversion_change", args=[published.pk]))
    assert page.context["has_change_permission"] is False

    response = lead.post(reverse("admin:candidates_vacancy_draft", args=[courier.pk]))
    draft = QuestionnaireVersion.objects.get(vacancy=courier, number=2)
    assert response.status_code == 302 and response["Location"].endswith(f"/{draft.pk}/change/")
    page = lead.get(response["Location"])
    assert page.context["has_change_permission"] is True and "Опубликовать" in page.content.decode()


def test_editing_a_question_and_its_options_in_a_draft_then_publishing(lead: Client, courier: Vacancy):
    draft_url = lead.post(reverse("admin:candidates_vacancy_draft", args=[courier.pk]))["Location"]
    draft = QuestionnaireVersion.objects.get(vacancy=courier, number=2)
    question = draft.questions.get(key="transport")
    url = reverse("admin:candidates_questionnairequestion_change", args=[question.pk])
    data = form_data(lead.get(url))
    data["text"] = "На чём вы будете доставлять заказы?"
    data["options-3-code"], data["options-3-text"], data["options-3-position"] = "scooter", "Самокат", "15"
    data["options-3-is_knockout"], data["options-3-knockout_reason"] = "on", ""

    refused = lead.post(url, data)
    assert refused.status_code == 200 and "причина отсева не указана" in refused.content.decode()
    assert not QuestionnaireOption.objects.filter(question=question, code="scooter").exists()

    data.pop("options-3-is_knockout")
    assert lead.post(url, data).status_code == 302
    question.refresh_from_db()
    assert question.text == "На чём вы будете доставлять заказы?"
    assert [o.text for o in question.options.all()] == ["Велосипед", "Самокат", "Пешком", "Пока не знаю"]

    preview = lead.get(reverse("admin:candidates_questionnaireversion_preview", args=[draft.pk])).content.decode()
    assert "Вопрос 4 из 6" in preview and "На чём вы будете доставлять заказы?" in preview and "Самокат" in preview
    assert lead.get(draft_url).status_code == 200
    lead.post(reverse("admin:candidates_questionnaireversion_publish", args=[draft.pk]))
    assert selectors.current_version(courier.pk).pk == draft.pk


def test_a_follow_up_pointing_nowhere_is_refused_in_the_version_form(lead: Client, courier: Vacancy):
    lead.post(reverse("admin:candidates_vacancy_draft", args=[courier.pk]))
    draft = QuestionnaireVersion.objects.get(vacancy=courier, number=2)
    url = reverse("admin:candidates_questionnaireversion_change", args=[draft.pk])
    data = form_data(lead.get(url))
    index = next(k for k, v in data.items() if k.endswith("-key") and v == "shifts").split("-")[1]
    data[f"questions-{index}-when_key"], data[f"questions-{index}-when_codes"] = "transport", "car"

    response = lead.post(url, data)

    assert response.status_code == 200 and "нет вариантов car" in response.content.decode()
    assert QuestionnaireQuestion.objects.get(version=draft, key="shifts").when_key == ""


def test_the_preview_of_the_default_shows_numbering_buttons_follow_ups_and_knockouts(lead: Client):
    version = selectors.current_version(None)
    page = lead.get(reverse("admin:candidates_questionnaireversion_preview", args=[version.pk])).content.decode()
    assert "Вопрос 1 из 10" in page and "Вопрос 4а из 10" in page and "Вопрос 4в из 10" in page
    assert "Да, подходит" in page and "Задаётся, если на «Чем вы сейчас занимаетесь?» ответили «Учусь»" in page
    assert "⛔ Отсев: «Не готов(а)»" in page
    assert "Опубликовать пока нельзя" not in page


def test_the_preview_of_a_broken_draft_says_what_keeps_it_from_publishing(lead: Client, courier: Vacancy):
    lead.post(reverse("admin:candidates_vacancy_draft", args=[courier.pk]))
    draft = QuestionnaireVersion.objects.get(vacancy=courier, number=2)
    QuestionnaireOption.objects.filter(question__version=draft, code="none").update(knockout_reason="")

    page = lead.get(reverse("admin:candidates_questionnaireversion_preview", args=[draft.pk])).content.decode()
    assert "Опубликовать пока нельзя" in page and "«Пока не знаю» отсеивает кандидата" in page

    response = lead.post(reverse("admin:candidates_questionnaireversion_publish", args=[draft.pk]), follow=True)
    assert "Версию нельзя опубликовать" in response.content.decode()
    draft.refresh_from_db()
    assert not draft.is_published
