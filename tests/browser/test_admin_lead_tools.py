"""The lead's tools in a real browser: the lockout after wrong passwords, the calendar URL, the export button."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from urllib.request import urlopen

import icalendar
import pytest
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from scheduling.models import Recruiter, SlotStatus
from scheduling.tests.factories import SlotFactory
from scheduling.tests.helpers import slot_in_status
from scheduling.tests.personas import make_anna, make_moscow, staff_user_for
from tests.browser.chromium import ARTIFACTS, chromium_page, requires_chromium

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    requires_chromium,
]


@pytest.fixture
def anna(telegram_api: Any) -> Recruiter:
    """Anna with a login and one agreed interview, created before Playwright's event loop starts."""
    anna = make_anna(make_moscow())
    staff_user_for(anna, "anna", password="pass12345")
    soon = timezone.now().replace(minute=0, second=0, microsecond=0) + dt.timedelta(days=1)
    slot_in_status(SlotStatus.BOOKED, slot=SlotFactory(recruiter=anna, city=anna.cities.first(), starts_at=soon))
    return anna


@pytest.fixture
def page(anna: Recruiter, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with chromium_page(width=1280, height=800, locale="ru-RU") as page:
        yield page


def log_in(page: Any, base: str, password: str) -> None:
    page.goto(f"{base}/admin/login/?next=/admin/")
    page.fill("#id_username", "anna")
    page.fill("#id_password", password)
    page.click("input[type=submit]")


def test_wrong_passwords_lock_the_door_in_russian(live_server: Any, anna: Recruiter, page: Any, settings: Any):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(2):
        log_in(page, live_server.url, "wrong")
        assert page.locator(".errornote").count() == 1  # Django's own «введите правильные имя и пароль»

    log_in(page, live_server.url, "wrong")

    text = page.locator("#content-main").inner_text()
    assert "Вход временно заблокирован" in text and "на 30 минут" in text
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "admin_login_locked.png"), full_page=True)
    log_in(page, live_server.url, "pass12345")  # the right password waits too
    assert "Вход временно заблокирован" in page.content()


def test_the_recruiter_page_gives_a_calendar_url_that_works(live_server: Any, anna: Recruiter, page: Any):
    log_in(page, live_server.url, "pass12345")
    page.wait_for_selector("#user-tools")
    page.goto(f"{live_server.url}/admin/scheduling/recruiter/{anna.pk}/change/")

    url = page.input_value("#calendar-feed-url")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "admin_recruiter_calendar.png"), full_page=True)
    assert url == f"{live_server.url}/calendar/{anna.calendar_token}.ics"
    assert "Google Календарь" in page.locator("#calendar-feed").inner_text()
    with urlopen(url) as response:  # what Google Calendar would fetch
        calendar = icalendar.Calendar.from_ical(response.read())
    assert len(calendar.walk("VEVENT")) == 1

    page.goto(f"{live_server.url}/admin/scheduling/slot/?status__exact=booked")
    page.screenshot(path=str(ARTIFACTS / "admin_slot_list_export_button.png"))
    assert page.locator("#slot-counters").is_visible()
    page.click("a.export_link")
    page.wait_for_selector("select[name='format']")
    page.screenshot(path=str(ARTIFACTS / "admin_slot_export.png"), full_page=True)
    assert page.inner_text("select[name='format']").split() == ["---", "csv", "xlsx"]


def test_a_superuser_with_an_authenticator_logs_in_with_the_code(
    live_server: Any, anna: Recruiter, page: Any, django_user_model: Any
):
    root = django_user_model.objects.create_superuser("root", password="pass12345")
    device = TOTPDevice.objects.create(user=root, name="телефон", confirmed=True)
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", "root")
    page.fill("#id_password", "pass12345")
    page.click("input[type=submit]")

    page.wait_for_selector("#id_otp_token")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "admin_login_code.png"), full_page=True)
    assert "двухфакторная защита" in page.locator(".errornote").inner_text()
    page.fill("#id_otp_token", f"{totp(device.bin_key):06d}")  # the password stays filled in
    page.click("input[type=submit]")

    page.wait_for_selector("#user-tools")
    assert "/admin/login/" not in page.url
