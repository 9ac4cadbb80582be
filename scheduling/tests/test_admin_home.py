"""The admin's home page shows a recruiter what needs them now, and that Telegram must be bound to get requests."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scheduling.models import Recruiter, Slot, SlotStatus
from scheduling.tests.factories import SlotFactory
from scheduling.tests.helpers import slot_in_status
from scheduling.tests.personas import client_for, staff_user_for

pytestmark = pytest.mark.django_db

HOME = "/admin/"
BIND_PROMPT = "Привяжите Telegram, чтобы получать заявки"
# 13:00 in Novosibirsk (UTC+7), 09:00 in Moscow (UTC+3).
NOW = dt.datetime(2026, 12, 2, 6, 0, tzinfo=dt.UTC)


def slot_of(recruiter: Recruiter, status: str, starts_at: dt.datetime) -> Slot:
    slot = SlotFactory(recruiter=recruiter, city=recruiter.cities.first(), starts_at=starts_at)
    return slot_in_status(status, slot=slot)


def test_a_recruiter_without_telegram_is_told_to_bind_it_with_a_link_to_their_page(
    anna_client: Client, anna: Recruiter
):
    html = anna_client.get(HOME).content.decode()

    assert BIND_PROMPT in html
    assert f'href="{reverse("admin:scheduling_recruiter_change", args=[anna.pk])}"' in html


def test_a_recruiter_with_telegram_bound_is_not_asked_to_bind_it(anna_client: Client, anna: Recruiter):
    Recruiter.objects.filter(pk=anna.pk).update(telegram_chat_id=777)

    html = anna_client.get(HOME).content.decode()

    assert BIND_PROMPT not in html


def test_pending_requests_show_how_long_they_have_waited_and_link_to_the_slot(
    anna_client: Client, anna: Recruiter, igor: Recruiter
):
    with time_machine.travel(NOW, tick=False):
        mine = slot_of(anna, SlotStatus.PENDING, NOW + dt.timedelta(days=1))
        theirs = slot_of(igor, SlotStatus.PENDING, NOW + dt.timedelta(days=1))
    with time_machine.travel(NOW + dt.timedelta(minutes=25), tick=False):
        html = anna_client.get(HOME).content.decode()

    assert "ждёт 25 мин" in html
    assert f'href="{reverse("admin:scheduling_slot_change", args=[mine.pk])}"' in html
    assert str(mine.candidate) in html
    assert str(theirs.candidate) not in html
    assert "Новых заявок нет" not in html


def test_todays_interviews_are_those_of_the_recruiters_own_day_shown_in_their_zone(igor: Recruiter):
    igor_client = client_for(staff_user_for(igor, "igor"))
    with time_machine.travel(NOW - dt.timedelta(days=2), tick=False):
        today = slot_of(igor, SlotStatus.BOOKED, NOW + dt.timedelta(hours=3))  # 16:00 in Novosibirsk
        # 01:00 tomorrow in Novosibirsk, though still 21:00 today in Moscow.
        tomorrow = slot_of(igor, SlotStatus.CONFIRMED, NOW + dt.timedelta(hours=12))
    with time_machine.travel(NOW, tick=False):
        html = igor_client.get(HOME).content.decode()

    assert "02.12.2026 16:00 (Asia/Novosibirsk, UTC+07:00)" in html
    assert f'href="{reverse("admin:scheduling_slot_change", args=[today.pk])}"' in html
    assert f'href="{reverse("admin:scheduling_slot_change", args=[tomorrow.pk])}"' not in html


def test_a_lead_sees_every_recruiters_requests_and_who_has_not_bound_telegram(
    admin_client: Client, anna: Recruiter, igor: Recruiter
):
    Recruiter.objects.filter(pk=igor.pk).update(telegram_chat_id=888)
    mine = slot_of(anna, SlotStatus.PENDING, NOW + dt.timedelta(days=30))
    theirs = slot_of(igor, SlotStatus.PENDING, NOW + dt.timedelta(days=30))

    html = admin_client.get(HOME).content.decode()

    for slot in (mine, theirs):
        assert f'href="{reverse("admin:scheduling_slot_change", args=[slot.pk])}"' in html
    unbound = html.split('id="home-unbound"')[1]
    assert "Анна Смирнова" in unbound and "Игорь Петров" not in unbound


def test_the_app_list_stays_below(anna_client: Client):
    html = anna_client.get(HOME).content.decode()

    assert html.index('id="recruiter-home"') < html.index("app-scheduling")


def test_the_home_page_costs_the_same_queries_for_one_request_or_many(anna_client: Client, anna: Recruiter):
    def home_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert anna_client.get(HOME).status_code == 200
        return len(queries)

    slot_of(anna, SlotStatus.PENDING, NOW + dt.timedelta(days=30))
    slot_of(anna, SlotStatus.BOOKED, NOW + dt.timedelta(days=31))
    with_one = home_queries()
    for day in range(5):
        slot_of(anna, SlotStatus.PENDING, NOW + dt.timedelta(days=40 + day))

    assert home_queries() == with_one
    # Session, user, groups, permissions, recent actions; the recruiter; the requests; today's interviews.
    assert with_one <= 10, with_one
