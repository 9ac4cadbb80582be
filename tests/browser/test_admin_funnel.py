"""A hiring lead opens the funnel in a real browser: the bars and the trend are drawn, in Russian, with the numbers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from candidates.models import CandidateStatus
from candidates.tests.factories import CandidateFactory, NewCandidateFactory
from scheduling import services
from scheduling.access import LEAD_GROUP
from scheduling.models import SlotOutcome
from scheduling.tests.factories import SlotFactory
from scheduling.tests.personas import make_anna, make_igor, make_moscow
from tests.browser.chromium import ARTIFACTS, chromium_page, requires_chromium

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    requires_chromium,
]


@pytest.fixture
def lead_world(telegram_api: Any, settings: Any) -> None:
    """A lead, and candidates who started over the last four weeks at every stage, made through the services."""
    # The services' messages are delivered as they commit; paced at one a second per chat, the recruiters' cards
    # took fifty seconds of waiting here, and the funnel does not read them.
    settings.TELEGRAM_PER_CHAT_INTERVAL_MS = 0
    lead = get_user_model().objects.create_user("olga", password="pass12345", is_staff=True)
    # A transactional test empties the tables after it: the migration's group may be gone for the next one.
    lead.groups.add(Group.objects.get_or_create(name=LEAD_GROUP)[0])
    anna, igor = make_anna(make_moscow()), make_igor()
    now = timezone.now().replace(microsecond=0)
    for week in range(4):
        started = now - dt.timedelta(weeks=3 - week, days=1)
        for n in range(6 + 3 * week):
            recruiter = anna if n % 3 else igor
            starts_at = started + dt.timedelta(days=1, hours=n)
            with time_machine.travel(started + dt.timedelta(minutes=n), tick=False):
                candidate = CandidateFactory(city=recruiter.cities.first())
                slot = SlotFactory(recruiter=recruiter, city=recruiter.cities.first(), starts_at=starts_at)
                slot = services.slot_reserve(slot_id=slot.pk, candidate_id=candidate.pk)
                if n % 4 == 3:
                    services.slot_reject(slot_id=slot.pk)
                elif n % 4:
                    services.slot_approve(slot_id=slot.pk)
            if n % 4 in (1, 2) and starts_at + dt.timedelta(hours=1) < now:
                with time_machine.travel(starts_at + dt.timedelta(hours=1), tick=False):
                    outcome = SlotOutcome.NO_SHOW if n % 4 == 2 and week % 2 else SlotOutcome.ATTENDED
                    services.slot_record_outcome(slot_id=slot.pk, outcome=outcome)
            with time_machine.travel(started + dt.timedelta(minutes=n), tick=False):
                if n < 2:
                    NewCandidateFactory()
                if n == 0:
                    CandidateFactory(
                        status=CandidateStatus.KNOCKED_OUT, knockout_reason="не готов к гибридному формату"
                    )


@pytest.fixture
def page(lead_world: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with chromium_page(width=1280, height=900, locale="ru-RU") as page:
        yield page


def test_a_lead_opens_the_funnel_and_sees_the_charts_drawn_with_the_tables_numbers(live_server: Any, page: Any):
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", "olga")
    page.fill("#id_password", "pass12345")
    page.click("input[type=submit]")
    page.click("#funnel-link a")
    page.select_option("#id_period", "4weeks")
    page.click("#funnel-filters input[type=submit]")
    page.wait_for_selector("#funnel-bars")

    bars = page.locator("#funnel-bars rect")
    assert bars.count() == 12
    widest = max(bars.nth(i).bounding_box()["width"] for i in range(bars.count()))
    assert widest > 300  # drawn, not just present: the «started» bar spans most of the chart
    started = page.locator("#funnel-table tr[data-stage='started'] .value").inner_text()
    assert page.locator("#funnel-bars text[font-weight='bold']").first.text_content().startswith(started)
    assert page.locator("#funnel-trend-chart rect").count() >= 12  # 4 weeks × 3 series (+ the legend)
    assert page.locator("#funnel-trend-chart").bounding_box()["height"] > 200
    text = page.locator("#content").inner_text()
    assert "Воронка" in text and "Отправили заявку" in text and "неделя прихода" in text
    assert "не готов к гибридному формату" in text
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "funnel_lead_4weeks.png"), full_page=True)


def test_a_recruiter_sees_only_their_own_funnel_from_the_request_on(live_server: Any, page: Any):
    from scheduling.models import Recruiter
    from scheduling.tests.personas import staff_user_for

    staff_user_for(Recruiter.objects.get(name="Анна Смирнова"), "anna", password="pass12345")
    page.goto(f"{live_server.url}/admin/login/?next=/admin/funnel/%3Fperiod%3D4weeks")
    page.fill("#id_username", "anna")
    page.fill("#id_password", "pass12345")
    page.click("input[type=submit]")
    page.wait_for_selector("#funnel-bars")

    assert page.locator("#id_recruiter").count() == 0
    assert page.locator("#funnel-table tr[data-stage='started'] .value").inner_text() == "—"
    assert page.locator("#funnel-bars rect").count() == 8  # from the request on
    assert "отправившие заявку вам (Анна Смирнова)" in page.locator("#funnel-cohort").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "funnel_recruiter_4weeks.png"), full_page=True)
