"""Anna after the interview at 1280×800: the candidate's Тест 2, the intro-day form in the city's zone, the stages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone

from scheduling.models import Slot, SlotPurpose
from scheduling.tests.factories import SlotFactory
from scheduling.tests.helpers import through_test2
from scheduling.tests.personas import make_anna, make_moscow, staff_user_for
from tests.browser.chromium import ARTIFACTS, chromium_page, requires_chromium
from tests.browser.test_admin_walk import WIDTH, assert_reads_russian_in_her_zone, log_in_as_anna

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    requires_chromium,
]


@pytest.fixture
def passed(telegram_api: Any) -> Slot:
    """Anna's candidate who passed the interview and Тест 2: her interview slot."""
    anna = make_anna(make_moscow())
    staff_user_for(anna, "anna", password="pass12345")
    return through_test2(slot=SlotFactory(recruiter=anna, city=anna.cities.first()))


@pytest.fixture
def page(passed: Slot, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with chromium_page(width=WIDTH, height=800, locale="ru-RU") as page:
        yield page


def test_anna_sees_test2_invites_to_an_intro_day_and_finds_the_candidate_by_stage(
    live_server: Any, passed: Slot, page: Any
):
    candidate_url = f"/admin/candidates/candidate/{passed.candidate_id}/change/"
    log_in_as_anna(page, live_server, candidate_url)
    body = page.locator("#content").inner_text()
    assert "прошёл: 4 из 4" in body
    assert_reads_russian_in_her_zone(page, "admin_candidate_test2.png")

    page.click("text=Пригласить на ознакомительный день")
    page.wait_for_selector("#id_address")
    assert "по времени города Москва (Europe/Moscow)" in page.locator("#content").inner_text()
    day = (timezone.now() + dt.timedelta(days=3)).date()
    page.fill("#id_date", day.isoformat())
    page.fill("#id_time", "12:00")
    page.fill("#id_address", "Москва, ул. Тверская, 1, офис 5")
    page.fill("#id_contact", "Ольга, +7 900 000-00-00")
    assert_reads_russian_in_her_zone(page, "admin_intro_day_form.png")
    page.click("input[type=submit][value='Пригласить']")
    page.wait_for_load_state()

    assert "приглашение отправлено" in page.locator(".messagelist").inner_text()
    assert f"{day:%d.%m.%Y} 12:00" in page.locator("#content").inner_text()
    intro = Slot.objects.get(purpose=SlotPurpose.INTRO_DAY)
    assert intro.candidate_id == passed.candidate_id
    assert_reads_russian_in_her_zone(page, "admin_candidate_intro_day.png")

    page.goto(f"{live_server.url}/admin/candidates/candidate/")
    assert "приглашён на ознакомительный день: 1" in page.locator("#content").inner_text().lower()
    ARTIFACTS.mkdir(exist_ok=True)
    assert_reads_russian_in_her_zone(page, "admin_candidate_list_stages.png")
