"""The admin's door: django-axes locks a username at an address after N failures; django-otp asks enrolled users
for a one-time code."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from scheduling.admin.login import SETUP_REQUIRED, TOKEN_REQUIRED

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"
PASSWORD = "pass12345"


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("anna", password=PASSWORD, is_staff=True)


@pytest.fixture
def root(django_user_model):
    return django_user_model.objects.create_superuser("root", password=PASSWORD)


def log_in(client: Client, username: str, password: str = PASSWORD, ip: str = "10.0.0.1", **extra: str):
    """Post the login form; otp_* go into the form, HTTP_* into the request's headers."""
    headers = {key: value for key, value in extra.items() if key.startswith("HTTP_")}
    data = {key: value for key, value in extra.items() if not key.startswith("HTTP_")}
    return client.post(LOGIN, {"username": username, "password": password, **data}, REMOTE_ADDR=ip, **headers)


def is_signed_in(client: Client) -> bool:
    return client.get("/admin/").status_code == 200


def test_it_locks_the_username_at_that_address_after_the_limit(settings, staff):
    settings.AXES_FAILURE_LIMIT = 3
    client = Client()
    for _ in range(2):
        assert log_in(client, "anna", "wrong").status_code == 200  # the login page again, with its error

    locked = log_in(client, "anna", "wrong")

    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Вход временно заблокирован" in page and "«anna»" in page
    assert "на 30 минут" in page
    # Even the right password waits now; another address and another username are not punished.
    assert log_in(client, "anna").status_code == 429 and not is_signed_in(client)
    assert log_in(Client(), "anna", ip="10.0.0.2").status_code == 302


def test_a_lead_unlocks_with_the_reset_command(settings, staff):
    settings.AXES_FAILURE_LIMIT = 2
    client = Client()
    for _ in range(2):
        log_in(client, "anna", "wrong")
    assert log_in(client, "anna").status_code == 429

    call_command("axes_reset_username", "anna")

    assert log_in(client, "anna").status_code == 302 and is_signed_in(client)


def test_the_unlock_list_is_in_the_admin(settings, staff, admin_client: Client):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        log_in(Client(), "anna", "wrong")
    attempt = AccessAttempt.objects.get(username="anna")

    assert admin_client.get("/admin/axes/accessattempt/").status_code == 200
    admin_client.post(
        "/admin/axes/accessattempt/", {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"}
    )

    assert not AccessAttempt.objects.exists()
    assert log_in(Client(), "anna").status_code == 302


def test_a_user_without_a_device_is_not_asked_for_a_code(staff, root):
    client = Client()
    response = log_in(client, "anna")

    assert response.status_code == 302 and is_signed_in(client)
    assert log_in(Client(), "root").status_code == 302  # ADMIN_REQUIRE_2FA is off by default


def test_an_enrolled_superuser_needs_the_current_code(root):
    device = TOTPDevice.objects.create(user=root, name="телефон", confirmed=True)
    client = Client()

    asked = log_in(client, "root")
    wrong = log_in(client, "root", otp_token="000000" if totp(device.bin_key) != 0 else "111111")
    # django-otp throttles a device for a second after a wrong code; then the current code works.
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=5)):
        right = log_in(client, "root", otp_token=f"{totp(device.bin_key):06d}")
        signed_in = is_signed_in(client)

    assert asked.status_code == 200 and TOKEN_REQUIRED in asked.content.decode()
    assert 'name="otp_token"' in asked.content.decode()
    assert wrong.status_code == 200 and "Код неверный" in wrong.content.decode()
    assert right.status_code == 302 and signed_in


def test_required_two_factor_refuses_a_superuser_without_a_device_until_a_backup_code(settings, root, staff):
    settings.ADMIN_REQUIRE_2FA = True

    refused = log_in(Client(), "root")
    assert refused.status_code == 200 and SETUP_REQUIRED in refused.content.decode()
    assert log_in(Client(), "anna").status_code == 302  # recruiters are not superusers: no code asked

    call_command("addstatictoken", "root", "-t", "backup2fa")
    client = Client()
    assert log_in(client, "root", otp_token="backup2fa").status_code == 302 and is_signed_in(client)
    assert not StaticDevice.objects.get(user=root).token_set.exists()  # a backup code works once


def test_a_forged_forwarded_header_does_not_reset_the_count(settings, staff):
    settings.AXES_FAILURE_LIMIT = 2
    client = Client()
    for n in range(2):
        log_in(client, "anna", "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")

    assert log_in(client, "anna", HTTP_X_FORWARDED_FOR="192.0.2.99").status_code == 429


def test_behind_one_proxy_the_address_the_proxy_saw_counts(settings, staff):
    settings.AXES_FAILURE_LIMIT = 2
    settings.ADMIN_LOGIN_PROXY_COUNT = 1
    for _ in range(2):
        log_in(Client(), "anna", "wrong", ip="10.0.0.254", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")

    blocked = log_in(Client(), "anna", ip="10.0.0.254", HTTP_X_FORWARDED_FOR="5.6.7.8, 203.0.113.7")
    other_client = log_in(Client(), "anna", ip="10.0.0.254", HTTP_X_FORWARDED_FOR="203.0.113.8")

    assert blocked.status_code == 429
    assert other_client.status_code == 302


def test_a_superuser_enrolls_in_the_admin_and_scans_a_qr_code_with_the_issuer(root, settings):
    settings.OTP_TOTP_ISSUER = "Interview Scheduler"
    client = Client()
    client.force_login(root)

    added = client.post(
        "/admin/otp_totp/totpdevice/add/",
        {
            "user": root.pk,
            "name": "телефон",
            "confirmed": "on",
            "digits": 6,
            "tolerance": 1,
            "drift": 0,
            "step": 30,
            "t0": 0,
            "key": TOTPDevice().key,
            "throttling_failure_count": 0,
        },
    )
    assert added.status_code == 302, added.context["adminform"].form.errors
    device = TOTPDevice.objects.get(user=root)
    qrcode = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/qrcode/")

    assert qrcode.status_code == 200 and qrcode["Content-Type"] == "image/svg+xml"
    assert "issuer=Interview%20Scheduler" in device.config_url
    assert log_in(Client(), "root").status_code == 200  # from now on the login asks for the code
