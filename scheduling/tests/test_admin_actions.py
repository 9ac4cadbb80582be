"""Slot decisions in the admin: list actions and page buttons call the services and report each row."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from notifications.models import NotificationKind, NotificationLog
from scheduling.models import Recruiter, Slot, SlotEvent, SlotStatus
from scheduling.tests.admin_pages import ALL_STATUSES, CHANGELIST, messages_of, run_action, slots_of
from scheduling.tests.factories import SlotFactory
from scheduling.tests.helpers import slot_in_status

pytestmark = pytest.mark.django_db


# ---- actions ----------------------------------------------------------------------------------------

APPROVED_KINDS = {NotificationKind.APPROVED, NotificationKind.CONFIRM_REQUEST, NotificationKind.REMINDER_1H}

# action -> status before -> (status after, message, new outbox kinds for the candidate)
EXPECTED: dict[str, dict[str, tuple[str, str, set[str]]]] = {
    "approve_slots": {
        SlotStatus.PENDING: (SlotStatus.BOOKED, "согласовано", APPROVED_KINDS),
    },
    "reschedule_slots": {
        SlotStatus.PENDING: (SlotStatus.FREE, "выбрать другое время", {NotificationKind.RESCHEDULE_REQUESTED}),
        SlotStatus.BOOKED: (SlotStatus.FREE, "выбрать другое время", {NotificationKind.RESCHEDULE_REQUESTED}),
        SlotStatus.CONFIRMED: (SlotStatus.FREE, "выбрать другое время", {NotificationKind.RESCHEDULE_REQUESTED}),
    },
    "reject_slots": {
        SlotStatus.PENDING: (SlotStatus.FREE, "отказано", {NotificationKind.REJECTED}),
        SlotStatus.BOOKED: (SlotStatus.FREE, "отказано", {NotificationKind.REJECTED}),
        SlotStatus.CONFIRMED: (SlotStatus.FREE, "отказано", {NotificationKind.REJECTED}),
    },
    "cancel_slots": {
        SlotStatus.FREE: (SlotStatus.CANCELED, "слот отменён", set()),
        SlotStatus.PENDING: (SlotStatus.CANCELED, "слот отменён", {NotificationKind.SLOT_CANCELED}),
        SlotStatus.BOOKED: (SlotStatus.CANCELED, "слот отменён", {NotificationKind.SLOT_CANCELED}),
        SlotStatus.CONFIRMED: (SlotStatus.CANCELED, "слот отменён", {NotificationKind.SLOT_CANCELED}),
    },
}


@pytest.mark.parametrize("action", list(EXPECTED))
@pytest.mark.parametrize("status", ALL_STATUSES)
def test_each_action_on_each_status_reports_the_service_result(
    anna_client: Client, anna: Recruiter, action: str, status: str
):
    slot = slot_in_status(status, slot=SlotFactory(recruiter=anna, city=anna.cities.first()))
    candidate_id = slot.candidate_id
    rows_before = set(NotificationLog.objects.values_list("pk", flat=True))
    events_before = SlotEvent.objects.filter(slot=slot).count()

    # Rejecting and rescheduling ask for an optional reason first; the confirmed POST acts.
    response = run_action(anna_client, action, [slot.pk], confirmed="yes")

    assert response.status_code == 302
    slot.refresh_from_db()
    new_rows = NotificationLog.objects.exclude(pk__in=rows_before)
    [(level, text)] = messages_of(response)
    if status in EXPECTED[action]:
        after, said, kinds = EXPECTED[action][status]
        assert (level, slot.status) == ("success", after)
        assert said in text
        assert {row.kind for row in new_rows} == kinds
        assert all(row.candidate_id == candidate_id for row in new_rows)
        assert SlotEvent.objects.filter(slot=slot).count() == events_before + 1
        assert SlotEvent.objects.filter(slot=slot).last().actor_user.username == "anna"
    else:
        assert (level, slot.status) == ("warning", status)
        assert "уже обработано" in text
        assert not new_rows.exists()


def test_an_action_on_several_slots_reports_each_row_on_its_own(anna_client: Client, anna: Recruiter):
    city = anna.cities.first()
    first = slot_in_status(SlotStatus.PENDING, slot=SlotFactory(recruiter=anna, city=city))
    second = slot_in_status(SlotStatus.PENDING, slot=SlotFactory(recruiter=anna, city=city))
    done = slot_in_status(SlotStatus.BOOKED, slot=SlotFactory(recruiter=anna, city=city))

    response = run_action(anna_client, "approve_slots", [first.pk, second.pk, done.pk], confirmed="yes")

    levels = sorted(level for level, _ in messages_of(response))
    assert levels == ["success", "success", "warning"]
    assert set(Slot.objects.filter(pk__in=[first.pk, second.pk, done.pk]).values_list("status", flat=True)) == {
        SlotStatus.BOOKED
    }


def test_approving_a_request_whose_time_has_passed_is_refused_with_the_reason(anna_client: Client, anna: Recruiter):
    starts_at = timezone.now() + dt.timedelta(hours=3)
    slot = slot_in_status(
        SlotStatus.PENDING, slot=SlotFactory(recruiter=anna, city=anna.cities.first(), starts_at=starts_at)
    )

    with time_machine.travel(slot.starts_at + dt.timedelta(minutes=5)):
        response = run_action(anna_client, "approve_slots", [slot.pk])

    [(level, text)] = messages_of(response)
    assert level == "error"
    assert "уже началось" in text
    slot.refresh_from_db()
    assert slot.status == SlotStatus.PENDING


def test_a_crafted_action_post_with_another_recruiters_ids_changes_nothing(
    anna_client: Client, anna: Recruiter, igor: Recruiter
):
    theirs = slots_of(igor)
    rows_before = NotificationLog.objects.count()

    for action in EXPECTED:
        anna_client.cookies.pop("messages", None)  # only this request's messages
        response = run_action(anna_client, action, [slot.pk for slot in theirs.values()])
        assert [level for level, _ in messages_of(response)] == ["error"]
        assert "нет доступа" in messages_of(response)[0][1]

    assert {slot.pk: slot.status for slot in Slot.objects.filter(recruiter=igor)} == {
        slot.pk: status for status, slot in theirs.items()
    }
    assert NotificationLog.objects.count() == rows_before


def test_select_across_acts_only_on_the_recruiters_own_slots(anna_client: Client, anna: Recruiter, igor: Recruiter):
    mine = slot_in_status(SlotStatus.PENDING, slot=SlotFactory(recruiter=anna, city=anna.cities.first()))
    theirs = slot_in_status(SlotStatus.PENDING, slot=SlotFactory(recruiter=igor, city=igor.cities.first()))

    anna_client.post(
        CHANGELIST, {"action": "approve_slots", "index": 0, "select_across": "1", "_selected_action": [str(mine.pk)]}
    )

    assert Slot.objects.get(pk=mine.pk).status == SlotStatus.BOOKED
    assert Slot.objects.get(pk=theirs.pk).status == SlotStatus.PENDING


# ---- object pages --------------------------------------------------------------------------------------


def test_a_recruiter_gets_404_on_another_recruiters_slot_page(anna_client: Client, igor: Recruiter):
    theirs = slot_in_status(SlotStatus.PENDING, slot=SlotFactory(recruiter=igor, city=igor.cities.first()))

    page = anna_client.get(reverse("admin:scheduling_slot_change", args=[theirs.pk]))
    history = anna_client.get(reverse("admin:scheduling_slot_history", args=[theirs.pk]))
    button = anna_client.post(reverse("admin:scheduling_slot_decide", args=[theirs.pk, "approve"]))

    assert (page.status_code, history.status_code, button.status_code) == (404, 404, 404)
    theirs.refresh_from_db()
    assert theirs.status == SlotStatus.PENDING


def test_the_slot_page_shows_the_allowed_buttons_and_history(anna_client: Client, anna: Recruiter):
    slot = slot_in_status(SlotStatus.PENDING, slot=SlotFactory(recruiter=anna, city=anna.cities.first()))

    html = anna_client.get(reverse("admin:scheduling_slot_change", args=[slot.pk])).content.decode()

    for label in ("Согласовать", "Попросить другое время", "Отказать", "Отменить слот"):
        assert label in html
    assert "История слота" in html
    assert "заявка принята (кандидату)" in html


def test_the_approve_button_on_the_slot_page_calls_the_service(anna_client: Client, anna: Recruiter):
    slot = slot_in_status(SlotStatus.PENDING, slot=SlotFactory(recruiter=anna, city=anna.cities.first()))

    response = anna_client.post(reverse("admin:scheduling_slot_decide", args=[slot.pk, "approve"]))

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:scheduling_slot_change", args=[slot.pk])
    slot.refresh_from_db()
    assert slot.status == SlotStatus.BOOKED
    assert NotificationLog.objects.filter(slot=slot, kind=NotificationKind.APPROVED).exists()
    assert messages_of(response)[0][0] == "success"


def test_a_booked_slot_page_offers_no_approve_button(anna_client: Client, anna: Recruiter):
    slot = slot_in_status(SlotStatus.BOOKED, slot=SlotFactory(recruiter=anna, city=anna.cities.first()))

    html = anna_client.get(reverse("admin:scheduling_slot_change", args=[slot.pk])).content.decode()

    assert 'name="decision-approve"' not in html
    assert 'name="decision-reject"' in html


@pytest.mark.parametrize("status", ALL_STATUSES)
def test_the_slot_page_offers_a_button_exactly_for_each_action_that_succeeds_on_its_status(
    anna_client: Client, anna: Recruiter, status: str
):
    slot = slot_in_status(status, slot=SlotFactory(recruiter=anna, city=anna.cities.first()))

    html = anna_client.get(reverse("admin:scheduling_slot_change", args=[slot.pk])).content.decode()

    offered = set(re.findall(r'name="decision-(\w+)"', html))
    succeeding = {action.removesuffix("_slots") for action, outcomes in EXPECTED.items() if status in outcomes}
    assert offered == succeeding


def test_posting_a_status_to_the_slot_page_changes_nothing(admin_client: Client, anna: Recruiter):
    slot = slot_in_status(SlotStatus.PENDING, slot=SlotFactory(recruiter=anna, city=anna.cities.first()))

    admin_client.post(
        reverse("admin:scheduling_slot_change", args=[slot.pk]),
        {"status": SlotStatus.BOOKED, "candidate": "", "starts_at": "2000-01-01 10:00", "_save": "1"},
    )

    slot.refresh_from_db()
    assert slot.status == SlotStatus.PENDING
    assert slot.candidate_id is not None


@pytest.mark.parametrize("status", [SlotStatus.PENDING, SlotStatus.BOOKED, SlotStatus.CONFIRMED])
def test_a_live_slot_cannot_be_deleted(admin_client: Client, anna: Recruiter, status: str):
    slot = slot_in_status(status, slot=SlotFactory(recruiter=anna, city=anna.cities.first()))

    response = admin_client.post(reverse("admin:scheduling_slot_delete", args=[slot.pk]), {"post": "yes"})

    assert response.status_code == 403
    assert Slot.objects.filter(pk=slot.pk).exists()


def test_bulk_delete_is_not_offered_for_slots(admin_client: Client, anna: Recruiter):
    SlotFactory(recruiter=anna, city=anna.cities.first())

    response = admin_client.get(CHANGELIST)

    actions = [name for name, _ in response.context["action_form"].fields["action"].choices]
    assert "delete_selected" not in actions
    assert {"approve_slots", "reschedule_slots", "reject_slots", "cancel_slots"} <= set(actions)
