"""The candidate page after the interview: Тест 2 with answers, the intro-day invitation form, stage counters."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from candidates.models import Candidate, CandidateStatus
from candidates.tests.factories import CandidateFactory
from notifications.models import NotificationKind, NotificationLog
from scheduling.models import Slot, SlotPurpose, SlotStatus
from scheduling.tests.factories import SlotFactory
from scheduling.tests.helpers import answer_test2, interview_passed, through_test2

pytestmark = pytest.mark.django_db


def _page(client: Client, candidate_id: int) -> str:
    response = client.get(reverse("admin:candidates_candidate_change", args=[candidate_id]))
    assert response.status_code == 200
    return response.content.decode()


def _invite_url(candidate_id: int) -> str:
    return reverse("admin:candidates_candidate_intro_day", args=[candidate_id])


def _form(days: int = 3, **overrides: str) -> dict[str, str]:
    day = (timezone.now() + dt.timedelta(days=days)).date()
    return {
        "date": day.isoformat(),
        "time": "12:00",
        "duration_min": "180",
        "address": "Москва, ул. Тверская, 1, офис 5",
        "contact": "Ольга, +7 900 000-00-00",
        "note": "Возьмите паспорт",
        **overrides,
    }


def test_the_page_shows_the_test2_result_and_answers_and_offers_the_invitation(anna_client, anna):
    slot = through_test2(slot=SlotFactory(recruiter=anna, city=anna.cities.first()))

    page = _page(anna_client, slot.candidate_id)

    assert "После собеседования" in page
    assert "прошёл</strong>: 4 из 4" in page
    assert "Клиент говорит «мне это не нужно»" in page and "✓" in page
    assert _invite_url(slot.candidate_id) in page
    assert "Пригласить на ознакомительный день" in page


def test_the_form_invites_in_the_citys_zone_and_the_page_shows_the_day(anna_client, anna):
    slot = through_test2(slot=SlotFactory(recruiter=anna, city=anna.cities.first()))
    form_page = anna_client.get(_invite_url(slot.candidate_id)).content.decode()
    assert "по времени города Москва (Europe/Moscow)" in form_page

    response = anna_client.post(_invite_url(slot.candidate_id), _form())

    assert response.status_code == 302
    intro = Slot.objects.get(purpose=SlotPurpose.INTRO_DAY)
    local = intro.starts_at.astimezone(anna.cities.first().zone)
    assert (local.hour, local.minute, intro.duration_min) == (12, 0, 180)
    assert (intro.status, intro.candidate_id) == (SlotStatus.BOOKED, slot.candidate_id)
    assert NotificationLog.objects.filter(slot=intro, kind=NotificationKind.INTRO_DAY_INVITATION).count() == 1
    page = _page(anna_client, slot.candidate_id)
    assert "приглашён — " in page and "Москва, ул. Тверская, 1, офис 5" in page
    assert _invite_url(slot.candidate_id) not in page  # invited: no second button


def test_a_refusal_stays_on_the_form_and_changes_nothing(anna_client, anna):
    slot = through_test2(slot=SlotFactory(recruiter=anna, city=anna.cities.first()))
    response = anna_client.post(_invite_url(slot.candidate_id), _form(days=-2))
    assert response.status_code == 200
    assert "Время ознакомительного дня уже прошло." in response.content.decode()
    response = anna_client.post(_invite_url(slot.candidate_id), _form(address=""))
    assert response.status_code == 200
    assert not Slot.objects.filter(purpose=SlotPurpose.INTRO_DAY).exists()


def test_a_candidate_who_failed_test2_gets_no_invitation_button_and_the_form_refuses(anna_client, anna):
    slot = interview_passed(slot=SlotFactory(recruiter=anna, city=anna.cities.first()))
    answer_test2(Candidate.objects.get(pk=slot.candidate_id), right=0)

    page = _page(anna_client, slot.candidate_id)
    assert "не прошёл</strong>: 0 из 4" in page
    assert _invite_url(slot.candidate_id) not in page
    response = anna_client.post(_invite_url(slot.candidate_id), _form())
    assert "только прошедшего Тест 2" in response.content.decode()
    assert not Slot.objects.filter(purpose=SlotPurpose.INTRO_DAY).exists()


def test_another_recruiters_candidate_cannot_be_invited(anna_client, igor):
    slot = through_test2(slot=SlotFactory(recruiter=igor, city=igor.cities.first()))
    response = anna_client.post(_invite_url(slot.candidate_id), _form())
    assert response.status_code in (403, 404)
    assert not Slot.objects.filter(purpose=SlotPurpose.INTRO_DAY).exists()


def test_the_list_filters_by_stage_and_counts_every_stage(admin_client):
    through_test2()
    CandidateFactory.create_batch(2)
    url = reverse("admin:candidates_candidate_changelist")

    page = admin_client.get(url, {"status__exact": CandidateStatus.TEST2_PASSED}).content.decode()

    assert "прошёл Тест 2: 1" in page
    assert "выбирает время: 2" in page
    assert "всего: 3" in page
    assert admin_client.get(url, {"rejected_stage__exact": "test2"}).status_code == 200
