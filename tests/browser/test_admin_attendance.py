"""A recruiter in a real browser marks a no-show: the counters and the candidate's page show it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from scheduling.models import Slot, SlotOutcome, SlotStatus
from scheduling.tests.factories import SlotFactory
from scheduling.tests.helpers import slot_in_status
from scheduling.tests.personas import make_anna, make_moscow, staff_user_for
from tests.browser.chromium import ARTIFACTS, chromium_page, requires_chromium
from tests.browser.test_admin_slots import counter

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    requires_chromium,
]


@pytest.fixture
def mornings_interviews(telegram_api: Any) -> list[Slot]:
    """Anna's two interviews earlier today (booked yesterday, both over now) and a free slot later."""
    anna = make_anna(make_moscow())
    staff_user_for(anna, "anna", password="pass12345")
    city = anna.cities.first()
    now = timezone.now().replace(second=0, microsecond=0)
    with time_machine.travel(now - dt.timedelta(days=1)):
        interviews = [
            slot_in_status(
                SlotStatus.BOOKED, slot=SlotFactory(recruiter=anna, city=city, starts_at=now - dt.timedelta(hours=h))
            )
            for h in (4, 2)
        ]
    SlotFactory(recruiter=anna, city=city, starts_at=now + dt.timedelta(hours=2))
    return interviews


@pytest.fixture
def page(mornings_interviews: list[Slot], monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with chromium_page(width=1280, height=900, locale="ru-RU") as page:
        yield page


def test_a_recruiter_marks_a_no_show_and_sees_it_counted_and_on_the_candidates_page(
    live_server: Any, mornings_interviews: list[Slot], page: Any
):
    missed, came = mornings_interviews
    page.goto(f"{live_server.url}/admin/login/?next=/admin/scheduling/slot/")
    page.fill("#id_username", "anna")
    page.fill("#id_password", "pass12345")
    page.click("input[type=submit]")
    page.wait_for_selector("#slot-counters")
    assert (counter(page, "attended"), counter(page, "no_show")) == (0, 0)

    page.check(f"input[name='_selected_action'][value='{missed.pk}']")
    page.select_option("select[name='action']", "no_show_slots")
    page.click("button[name='index']")
    page.wait_for_selector(".messagelist .success")
    page.check(f"input[name='_selected_action'][value='{came.pk}']")
    page.select_option("select[name='action']", "attended_slots")
    page.click("button[name='index']")
    page.wait_for_selector(".messagelist .success")

    assert (counter(page, "attended"), counter(page, "no_show"), counter(page, "total")) == (1, 1, 3)
    assert Slot.objects.get(pk=missed.pk).outcome == SlotOutcome.NO_SHOW
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "admin_slot_attendance.png"), full_page=True)

    page.click("#slot-counters li[data-status='no_show'] a")
    page.wait_for_selector("#result_list")
    assert page.locator("#result_list tbody tr").count() == 1

    page.goto(f"{live_server.url}/admin/candidates/candidate/{missed.candidate_id}/change/")
    assert "Не пришёл на собеседование" in page.locator("body").inner_text()
    page.screenshot(path=str(ARTIFACTS / "admin_candidate_no_show.png"), full_page=True)
