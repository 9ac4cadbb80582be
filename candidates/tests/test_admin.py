"""The candidate page: answers in question order, journey, history, messages; a recruiter sees their own."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from candidates.admin import answers_in_order
from candidates.models import CandidateStatus
from candidates.tests.factories import CandidateFactory
from notifications.models import NotificationLog, NotificationStatus
from scheduling.models import SlotStatus
from scheduling.services import slot_reschedule
from scheduling.tests.factories import SlotFactory
from scheduling.tests.helpers import slot_in_status

pytestmark = pytest.mark.django_db


# Stored in an order unlike the bank's: the page must follow the bank.
ANSWERS = {
    "expectations": "Рост и хорошая команда",
    "age": 27,
    "status": "work",
    "full_name": "Петрова Мария Ивановна",
    "hybrid": "ready",
    "legacy_note": "из старой системы",
}


def page_of(client: Client, candidate_id: int) -> str:
    response = client.get(reverse("admin:candidates_candidate_change", args=[candidate_id]))
    assert response.status_code == 200
    return response.content.decode()


def test_answers_follow_the_question_bank_order_and_unknown_keys_come_last():
    rows = answers_in_order(ANSWERS)

    questions = [question for question, _ in rows]
    assert questions[0].startswith("Как вас зовут")
    assert questions.index("Сколько вам лет?") < questions.index("Чем вы сейчас занимаетесь?")
    assert ("Чем вы сейчас занимаетесь?", "Работаю") in rows  # the option's words, not its code
    assert rows[-1] == ("legacy_note", "из старой системы")


def test_answers_that_are_not_a_mapping_show_nothing_instead_of_failing():
    assert answers_in_order(["not", "a", "dict"]) == []  # type: ignore[arg-type]


def test_the_candidate_page_shows_answers_status_history_messages_and_the_telegram_link(anna_client, anna):
    candidate = CandidateFactory(test1_answers=ANSWERS, username="maria_p")
    slot = slot_in_status(
        SlotStatus.BOOKED, slot=SlotFactory(recruiter=anna, city=anna.cities.first()), candidate=candidate
    )
    NotificationLog.objects.filter(slot=slot, kind="approved").update(
        status=NotificationStatus.FAILED, last_error="Forbidden: bot was blocked by the user"
    )

    html = page_of(anna_client, candidate.pk)

    assert html.index("Петрова Мария Ивановна") < html.index("Рост и хорошая команда")
    assert "собеседование согласовано" in html  # journey status
    assert "История записей" in html and "ожидает решения" in html and "согласован" in html
    assert "заявка принята (кандидату)" in html
    assert "ошибка: Forbidden: bot was blocked by the user" in html
    assert 'href="https://t.me/maria_p"' in html


def test_the_candidate_page_shows_knockout_preferred_time_consent_and_unreachable(admin_client):
    candidate = CandidateFactory(
        status=CandidateStatus.KNOCKED_OUT,
        knockout_reason="не готов к гибридному формату",
        preferred_time_note="по вечерам после 18",
        preferred_time_at=timezone.now(),
        is_reachable=False,
        unreachable_reason="бот заблокирован",
        consent_version="2025-01",
        username="",
    )

    html = page_of(admin_client, candidate.pk)

    assert "не готов к гибридному формату" in html
    assert "по вечерам после 18" in html
    assert "2025-01" in html
    assert "недоступен" in html and "бот заблокирован" in html
    assert "username не указан" in html


def test_a_recruiter_sees_only_candidates_of_their_own_slots(anna_client, anna, igor):
    mine = slot_in_status(SlotStatus.PENDING, slot=SlotFactory(recruiter=anna, city=anna.cities.first()))
    theirs = slot_in_status(SlotStatus.PENDING, slot=SlotFactory(recruiter=igor, city=igor.cities.first()))

    listing = anna_client.get(reverse("admin:candidates_candidate_changelist"))
    other_page = anna_client.get(reverse("admin:candidates_candidate_change", args=[theirs.candidate_id]))

    assert [c.pk for c in listing.context["cl"].result_list] == [mine.candidate_id]
    assert other_page.status_code == 404


def test_a_recruiter_still_sees_a_candidate_after_the_slot_was_released(anna_client, anna):
    slot = slot_in_status(SlotStatus.PENDING, slot=SlotFactory(recruiter=anna, city=anna.cities.first()))
    candidate_id = slot.candidate_id
    anna_client.post(
        "/admin/scheduling/slot/",
        {"action": "reject_slots", "index": 0, "_selected_action": [str(slot.pk)], "confirmed": "yes"},
    )

    html = page_of(anna_client, candidate_id)

    assert "отказ" in html


def test_a_recruiter_sees_candidates_in_their_city_who_left_a_preferred_time(anna_client, anna, igor):
    waiting = CandidateFactory(city=anna.cities.first(), preferred_time_note="в субботу утром")
    CandidateFactory(city=igor.cities.first(), preferred_time_note="в субботу утром")

    listing = anna_client.get(reverse("admin:candidates_candidate_changelist"))

    assert [c.pk for c in listing.context["cl"].result_list] == [waiting.pk]


def test_a_recruiter_sees_only_their_own_history_and_messages_on_a_shared_candidate(anna_client, anna, igor):
    candidate = CandidateFactory()
    theirs = slot_in_status(
        SlotStatus.PENDING, slot=SlotFactory(recruiter=igor, city=igor.cities.first()), candidate=candidate
    )
    slot_reschedule(slot_id=theirs.pk)
    slot_in_status(SlotStatus.PENDING, slot=SlotFactory(recruiter=anna, city=anna.cities.first()), candidate=candidate)

    response = anna_client.get(reverse("admin:candidates_candidate_change", args=[candidate.pk]))

    inline_sets = {fs.formset.prefix: fs for fs in response.context["inline_admin_formsets"]}
    events = [
        form.instance
        for fs in inline_sets.values()
        for form in fs.formset.forms
        if form.instance._meta.model_name == "slotevent"
    ]
    messages = [
        form.instance
        for fs in inline_sets.values()
        for form in fs.formset.forms
        if form.instance._meta.model_name == "notificationlog"
    ]
    assert events and all(event.slot.recruiter_id == anna.pk for event in events)
    assert messages and all(message.recruiter_id == anna.pk for message in messages)


def test_candidates_cannot_be_added_or_deleted_in_the_admin(admin_client):
    candidate = CandidateFactory()

    assert admin_client.get(reverse("admin:candidates_candidate_add")).status_code == 403
    assert (
        admin_client.post(
            reverse("admin:candidates_candidate_delete", args=[candidate.pk]), {"post": "yes"}
        ).status_code
        == 403
    )


def test_the_candidate_page_shows_the_reason_the_recruiter_gave_when_rejecting(anna_client, anna):
    slot = slot_in_status(SlotStatus.PENDING, slot=SlotFactory(recruiter=anna, city=anna.cities.first()))
    candidate_id = slot.candidate_id
    anna_client.post(
        "/admin/scheduling/slot/",
        {
            "action": "reject_slots",
            "index": 0,
            "_selected_action": [str(slot.pk)],
            "reason": "Нет опыта продаж",
            "confirmed": "yes",
        },
    )

    html = page_of(anna_client, candidate_id)

    assert "Причина отсева" in html and "Нет опыта продаж" in html
