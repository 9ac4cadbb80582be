"""A recruiter in a real browser: log in, read the counters, approve a request, see the result."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone

from notifications.models import NotificationKind, NotificationLog
from scheduling.models import Slot, SlotStatus
from scheduling.tests.factories import SlotFactory
from scheduling.tests.helpers import slot_in_status
from scheduling.tests.personas import make_anna, make_igor, make_moscow, staff_user_for
from tests.browser.chromium import ARTIFACTS, chromium_page, requires_chromium

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    requires_chromium,
]


@pytest.fixture
def anna_pending(telegram_api: Any) -> Slot:
    """Anna's slots in several states and another recruiter's request, created before the browser starts.

    Delivery runs synchronously in tests (django-q2 sync) on commit, so the data must exist before
    Playwright's event loop runs in this thread.
    """
    anna = make_anna(make_moscow())
    staff_user_for(anna, "anna", password="pass12345")
    city = anna.cities.first()
    soon = timezone.now().replace(second=0, microsecond=0) + dt.timedelta(days=1)
    pending = slot_in_status(SlotStatus.PENDING, slot=SlotFactory(recruiter=anna, city=city, starts_at=soon))
    slot_in_status(
        SlotStatus.CONFIRMED, slot=SlotFactory(recruiter=anna, city=city, starts_at=soon + dt.timedelta(hours=2))
    )
    for hours in (3, 4):
        SlotFactory(recruiter=anna, city=city, starts_at=soon + dt.timedelta(hours=hours))
    igor = make_igor()
    slot_in_status(SlotStatus.PENDING, slot=SlotFactory(recruiter=igor, city=igor.cities.first()))
    return pending


@pytest.fixture
def page(anna_pending: Slot, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A Chromium page; Playwright's sync API runs an event loop, so Django must allow ORM calls beside it."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with chromium_page(width=1600, height=900, locale="ru-RU") as page:
        yield page


def counter(page: Any, status: str) -> int:
    return int(page.locator(f"#slot-counters li[data-status='{status}'] .value").inner_text())


def test_a_recruiter_approves_a_pending_request_in_the_browser(
    live_server: Any, telegram_api: Any, anna_pending: Slot, page: Any
):
    pending = anna_pending
    page.goto(f"{live_server.url}/admin/login/?next=/admin/scheduling/slot/")
    page.fill("#id_username", "anna")
    page.fill("#id_password", "pass12345")
    page.click("input[type=submit]")
    page.wait_for_selector("#slot-counters")

    before = {
        status: counter(page, status) for status in ("free", "pending", "booked", "confirmed_by_candidate", "total")
    }
    assert before == {"free": 2, "pending": 1, "booked": 0, "confirmed_by_candidate": 1, "total": 4}
    assert "Игорь" not in page.content()

    page.check(f"input[name='_selected_action'][value='{pending.pk}']")
    page.select_option("select[name='action']", "approve_slots")
    page.click("button[name='index']")
    page.wait_for_selector(".messagelist .success")

    message = page.locator(".messagelist .success").first.inner_text()
    assert "согласовано" in message
    assert (counter(page, "pending"), counter(page, "booked"), counter(page, "total")) == (0, 1, 4)
    assert Slot.objects.get(pk=pending.pk).status == SlotStatus.BOOKED
    assert NotificationLog.objects.filter(slot=pending, kind=NotificationKind.APPROVED).exists()
    # The approval left through the outbox and reached the (fake) Telegram.
    telegram_api.wait_for_message(pending.candidate.telegram_id, contains="согласовано", timeout=10)

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "admin_slot_list.png"), full_page=True)
    assert (ARTIFACTS / "admin_slot_list.png").stat().st_size > 10_000
    assert os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE") == "true"
