"""Anna walks her admin at 1280×800: Russian words only, times in her zone, nothing she needs off-screen."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone

from scheduling.models import Slot, SlotStatus
from scheduling.tests.factories import SlotFactory
from scheduling.tests.helpers import slot_in_status
from scheduling.tests.personas import make_anna, make_igor, make_moscow, staff_user_for
from tests.browser.chromium import ARTIFACTS, chromium_page, requires_chromium

WIDTH = 1280

# Words that leaked into the admin in English before: as headers, captions or Django's own titles.
ENGLISH_WORDS = [
    "ACTOR",
    "CANDIDATE",
    "SLOT",
    "Chat id",
    "USERNAME",
    "Select",
    "Change",
    "History",
    "Home",
    "Log out",
    "pending",
    "confirmed_by_candidate",
    "free →",
    "(candidate)",
    "(recruiter)",
]
UTC_TIME = re.compile(r"\d{1,2}:\d{2}\s*UTC(?![+−-]\d)")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    requires_chromium,
]


@pytest.fixture
def anna_booked(telegram_api: Any) -> Slot:
    """Anna's week: a confirmed interview, a request waiting, free time; Igor's slots she must not see."""
    anna = make_anna(make_moscow())
    staff_user_for(anna, "anna", password="pass12345")
    city = anna.cities.first()
    soon = timezone.now().replace(minute=0, second=0, microsecond=0) + dt.timedelta(days=1)
    confirmed = slot_in_status(SlotStatus.CONFIRMED, slot=SlotFactory(recruiter=anna, city=city, starts_at=soon))
    slot_in_status(
        SlotStatus.PENDING, slot=SlotFactory(recruiter=anna, city=city, starts_at=soon + dt.timedelta(hours=2))
    )
    for hours in (3, 4, 5):
        SlotFactory(recruiter=anna, city=city, starts_at=soon + dt.timedelta(hours=hours))
    igor = make_igor()
    slot_in_status(SlotStatus.PENDING, slot=SlotFactory(recruiter=igor, city=igor.cities.first()))
    return confirmed


@pytest.fixture
def page(anna_booked: Slot, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # The browser asks for English: the admin must answer in Russian anyway.
    with chromium_page(width=WIDTH, height=800, locale="en-US") as page:
        yield page


def log_in_as_anna(page: Any, live_server: Any, next_url: str) -> None:
    page.goto(f"{live_server.url}/admin/login/?next={next_url}")
    page.fill("#id_username", "anna")
    page.fill("#id_password", "pass12345")
    page.click("input[type=submit]")
    page.wait_for_load_state()


def assert_reads_russian_in_her_zone(page: Any, screenshot: str) -> None:
    text = page.locator("body").inner_text()
    leaked = [word for word in ENGLISH_WORDS if word in text]
    assert leaked == [], f"English on {page.url}: {leaked}"
    assert UTC_TIME.findall(text) == [], f"a UTC time on {page.url}"
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH, f"{page.url} scrolls sideways"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / screenshot), full_page=True)


def assert_on_screen(page: Any, selector: str) -> None:
    """Inside the viewport, and not clipped by a scrolling container (the admin's .results div scrolls)."""
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not rendered"
    assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH, f"{selector} is off-screen: {box}"
    clipped = page.locator(selector).first.evaluate(
        "el => { for (let p = el.parentElement; p; p = p.parentElement) {"
        " if (p.scrollWidth > p.clientWidth + 1 && getComputedStyle(p).overflowX !== 'visible') return true; }"
        " return false; }"
    )
    assert not clipped, f"{selector} sits in a container that scrolls sideways"


def test_anna_reads_her_slot_list_slot_page_and_candidate_page_in_russian_and_her_zone(
    live_server: Any, anna_booked: Slot, page: Any
):
    confirmed = anna_booked
    log_in_as_anna(page, live_server, "/admin/scheduling/slot/")
    page.wait_for_selector("#slot-counters")
    for column in ("th.column-pending_age", "th.column-delivery_state", "td.field-delivery_state"):
        assert_on_screen(page, column)
    assert_reads_russian_in_her_zone(page, "admin_slot_list.png")

    page.goto(f"{live_server.url}/admin/scheduling/slot/{confirmed.pk}/change/")
    local = timezone.localtime(confirmed.starts_at, confirmed.recruiter.zone).strftime("%d.%m.%Y %H:%M")
    assert local in page.locator("#content").inner_text()
    assert_reads_russian_in_her_zone(page, "admin_slot_page.png")

    page.goto(f"{live_server.url}/admin/candidates/candidate/{confirmed.candidate_id}/change/")
    assert_reads_russian_in_her_zone(page, "admin_candidate_page.png")

    page.goto(f"{live_server.url}/admin/scheduling/slot/bulk/")
    for weekday in ("5", "6"):  # Saturday and Sunday
        assert_on_screen(page, f"#id_weekdays input[value='{weekday}']")
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
