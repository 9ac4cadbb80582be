"""The bind code's lifetime is a setting (BIND_CODE_TTL_MINUTES), read when the code is issued."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from scheduling import services
from scheduling.errors import InvalidInput
from scheduling.models import Recruiter
from scheduling.tests.admin_pages import messages_of

pytestmark = pytest.mark.django_db


def test_a_bind_code_lives_as_many_minutes_as_the_setting_says(anna: Recruiter, settings):
    settings.BIND_CODE_TTL_MINUTES = 5
    issued_at = timezone.now()

    code = services.recruiter_bind_code_issue(recruiter_id=anna.pk, now=issued_at)

    anna.refresh_from_db()
    assert anna.telegram_bind_code == code
    assert anna.telegram_bind_code_expires_at == issued_at + dt.timedelta(minutes=5)


def test_a_bind_code_is_refused_once_the_configured_lifetime_has_passed(anna: Recruiter, settings):
    settings.BIND_CODE_TTL_MINUTES = 5
    issued_at = timezone.now()
    code = services.recruiter_bind_code_issue(recruiter_id=anna.pk, now=issued_at)

    with pytest.raises(InvalidInput):
        services.recruiter_bind_chat(code=code, chat_id=4242, now=issued_at + dt.timedelta(minutes=6))
    bound = services.recruiter_bind_chat(code=code, chat_id=4242, now=issued_at + dt.timedelta(minutes=4))

    assert bound.telegram_chat_id == 4242


def test_the_admin_tells_the_recruiter_the_configured_lifetime(anna_client: Client, anna: Recruiter, settings):
    settings.BIND_CODE_TTL_MINUTES = 5

    with time_machine.travel(timezone.now(), tick=False):
        response = anna_client.post(reverse("admin:scheduling_recruiter_bind_code", args=[anna.pk]))
        page = anna_client.get(reverse("admin:scheduling_recruiter_change", args=[anna.pk])).content.decode()

    [(_, text)] = messages_of(response)
    assert "срок действия — 5 минут" in text
    assert "Срок действия кода — 5 минут" in page
