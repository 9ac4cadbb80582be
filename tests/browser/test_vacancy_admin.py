"""The hiring lead at 1280 px: the courier vacancy, its job-board link and QR code, Тест 1 as candidates see it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import Group

from candidates.models import Vacancy
from candidates.tests.vacancies import COURIER_BANK, make_vacancy
from candidates.vacancies import selectors
from scheduling import access
from scheduling.tests.factories import UserFactory
from scheduling.tests.personas import make_anna, make_moscow
from tests.browser.chromium import ARTIFACTS, chromium_page, requires_chromium

WIDTH = 1280

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True), requires_chromium]


@pytest.fixture
def courier(settings: Any) -> Vacancy:
    settings.TELEGRAM_BOT_USERNAME = "hr_hiring_bot"
    user = UserFactory(username="olga")
    user.set_password("pass12345")
    user.save()
    user.groups.add(Group.objects.get_or_create(name=access.LEAD_GROUP)[0])
    moscow = make_moscow()
    make_anna(moscow)
    return make_vacancy("Курьер — Москва", COURIER_BANK, cities=[moscow], sources=[("hh.ru", "hh_courier")])


@pytest.fixture
def page(courier: Vacancy, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with chromium_page(width=WIDTH, height=900, locale="ru-RU") as page:
        yield page


def shoot(page: Any, name: str) -> str:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH, f"{page.url} scrolls sideways"
    return page.locator("#content").inner_text()


def test_the_lead_sees_the_link_its_qr_code_and_the_questionnaire_as_the_candidate_will(
    live_server: Any, courier: Vacancy, page: Any
):
    page.goto(f"{live_server.url}/admin/login/?next=/admin/candidates/vacancy/{courier.pk}/change/")
    page.fill("#id_username", "olga")
    page.fill("#id_password", "pass12345")
    page.click("input[type=submit]")
    page.wait_for_load_state()
    text = shoot(page, "admin_vacancy_page.png")
    assert "https://t.me/hr_hiring_bot?start=hh_courier" in text and "ИЗМЕНИТЬ ТЕСТ 1" in text.upper()

    source = courier.sources.get()
    page.goto(f"{live_server.url}/admin/candidates/vacancysource/{source.pk}/change/")
    qr = page.locator("img[alt='QR-код ссылки']")
    qr.wait_for()
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0"), "the QR code image did not load"
    shoot(page, "admin_vacancy_source_qr.png")

    version = selectors.current_version(courier.pk)
    page.goto(f"{live_server.url}/admin/candidates/questionnaireversion/{version.pk}/preview/")
    text = shoot(page, "admin_questionnaire_preview.png")
    assert "Вопрос 1 из 6" in text and "Вопрос 6 из 6" in text
    buttons = page.locator(".tg-btn").all_inner_texts()
    assert buttons[:3] == ["Москва", "Велосипед", "Пешком"]
    assert "⛔ Отсев: «Пока не знаю»" in text


def test_the_lead_opens_a_draft_from_the_vacancy_page_and_edits_a_question(
    live_server: Any, courier: Vacancy, page: Any
):
    page.goto(f"{live_server.url}/admin/login/?next=/admin/candidates/vacancy/{courier.pk}/change/")
    page.fill("#id_username", "olga")
    page.fill("#id_password", "pass12345")
    page.click("input[type=submit]")
    page.wait_for_load_state()

    page.click("text=Изменить Тест 1")
    page.wait_for_load_state()
    text = shoot(page, "admin_questionnaire_draft.png")
    assert "черновик" in text and "ОПУБЛИКОВАТЬ" in text.upper()

    draft = courier.test1_versions.get(number=2)
    page.click(f"a[href*='/questionnairequestion/{draft.questions.get(key='transport').pk}/change/']")
    page.wait_for_load_state()
    page.fill("#id_text", "На чём будете доставлять заказы?")
    shoot(page, "admin_questionnaire_question.png")
    page.click("input[name=_save]")
    page.wait_for_load_state()
    page.click("text=Опубликовать")
    page.wait_for_load_state()
    assert "Версия 2 опубликована" in page.locator("body").inner_text()
    assert (
        selectors.current_version(courier.pk).questions.get(key="transport").text == "На чём будете доставлять заказы?"
    )
