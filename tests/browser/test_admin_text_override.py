"""Olga, a hiring lead, edits a vacancy's approval text at 1280×800: default, placeholders, preview, a refusal."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission

from candidates.models import Vacancy
from notifications.models import TextOverride
from scheduling.access import LEAD_EXTRA_PERMISSIONS, LEAD_GROUP
from scheduling.tests.factories import UserFactory
from tests.browser.chromium import ARTIFACTS, chromium_page, requires_chromium

WIDTH = 1280
GOOD = "Отлично, встреча согласована!\n📅 {when} ({zone})\n👤 {recruiter}\n\nНажмите «Подтверждаю», если придёте."

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    requires_chromium,
]


@pytest.fixture
def olga() -> Any:
    group, _ = Group.objects.get_or_create(name=LEAD_GROUP)
    group.permissions.add(
        *[Permission.objects.get(content_type__app_label=a, codename=c) for a, c in LEAD_EXTRA_PERMISSIONS]
    )
    user = UserFactory(username="olga", first_name="Ольга")
    user.set_password("pass12345")
    user.save()
    user.groups.add(group)
    Vacancy.objects.create(title="Менеджер по продажам")
    return user


@pytest.fixture
def page(olga: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with chromium_page(width=WIDTH, height=800, locale="ru-RU") as page:
        yield page


def _shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def test_olga_previews_a_vacancy_text_is_refused_a_bad_one_and_saves_a_good_one(live_server: Any, page: Any) -> None:
    page.goto(f"{live_server.url}/admin/login/?next=/admin/notifications/textoverride/add/%3Fkey%3DAPPROVED")
    page.fill("#id_username", "olga")
    page.fill("#id_password", "pass12345")
    page.click("input[type=submit]")
    page.wait_for_selector("#id_text")
    frame = page.frame_locator("iframe[name=text-preview]")
    frame.locator("text=Текст по умолчанию").wait_for()
    assert "{when}" in frame.locator("body").inner_text()

    page.select_option("#id_vacancy", label="Менеджер по продажам")
    page.fill("#id_text", GOOD)
    page.click("button[name=_preview]")
    frame.locator("text=Так увидит кандидат").wait_for()
    assert "02.12 11:00 (по московскому времени)" in frame.locator(".bubble").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    _shot(page, "admin_text_override_preview.png")

    page.fill("#id_text", "Согласовано: {when}, {foo}")
    page.click("button[name=_preview]")
    frame.locator("text=Так сохранить нельзя").wait_for()
    page.click("input[name=_continue]")
    page.wait_for_selector(".errorlist")
    errors = page.inner_text(".errorlist")
    assert "Неизвестные подстановки: {foo}" in errors and "Не хватает подстановок: {zone}, {recruiter}" in errors
    _shot(page, "admin_text_override_refused.png")
    assert not TextOverride.objects.exists()

    page.fill("#id_text", GOOD)
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist")
    saved = TextOverride.objects.get()
    assert saved.text == GOOD and saved.created_by.username == "olga"

    page.goto(f"{live_server.url}/admin/notifications/textoverride/?key=APPROVED")
    history = page.locator("#result_list").inner_text()
    assert "Менеджер по продажам" in history and "действует" in history and "olga" in history
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    _shot(page, "admin_text_override_history.png")
