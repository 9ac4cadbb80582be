"""A rejection or a request for another time may carry a reason; decisions on several slots are confirmed first."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from notifications.conversation.time_labels import date_time_label
from notifications.models import NotificationLog, Recipient
from scheduling.models import Recruiter, Slot, SlotEvent, SlotStatus
from scheduling.selectors import candidate_rejection_reason
from scheduling.tests.admin_pages import messages_of, run_action
from scheduling.tests.factories import SlotFactory
from scheduling.tests.helpers import slot_in_status

pytestmark = pytest.mark.django_db

CONFIRMED = {"confirmed": "yes"}
REASON = "Не хватает опыта с кассой"


def pending_of(recruiter: Recruiter) -> Slot:
    return slot_in_status(SlotStatus.PENDING, slot=SlotFactory(recruiter=recruiter, city=recruiter.cities.first()))


@pytest.mark.parametrize("action", ["reject_slots", "reschedule_slots"])
def test_rejecting_or_rescheduling_from_the_list_first_asks_for_a_reason_and_changes_nothing(
    anna_client: Client, anna: Recruiter, action: str
):
    slot = pending_of(anna)
    rows_before = NotificationLog.objects.count()

    response = run_action(anna_client, action, [slot.pk])

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="reason"' in html
    assert "кандидат её не увидит" in html
    assert Slot.objects.get(pk=slot.pk).status == SlotStatus.PENDING
    assert NotificationLog.objects.count() == rows_before


@pytest.mark.parametrize("action", ["reject_slots", "reschedule_slots"])
def test_the_reason_given_is_stored_on_the_slot_event(anna_client: Client, anna: Recruiter, action: str):
    slot = pending_of(anna)

    response = run_action(anna_client, action, [slot.pk], reason=f"  {REASON} ", **CONFIRMED)

    assert response.status_code == 302
    assert [level for level, _ in messages_of(response)] == ["success"]
    event = SlotEvent.objects.filter(slot=slot).latest("created_at", "id")
    assert (event.to_status, event.reason, event.actor_user.username) == (SlotStatus.FREE, REASON, "anna")


@pytest.mark.parametrize("action", ["reject_slots", "reschedule_slots"])
def test_without_a_reason_the_event_reason_is_empty(anna_client: Client, anna: Recruiter, action: str):
    slot = pending_of(anna)

    run_action(anna_client, action, [slot.pk], reason="", **CONFIRMED)

    event = SlotEvent.objects.filter(slot=slot).latest("created_at", "id")
    assert (event.to_status, event.reason) == (SlotStatus.FREE, "")


@pytest.mark.parametrize("action", ["reject_slots", "reschedule_slots"])
def test_the_candidates_message_never_carries_the_reason(anna_client: Client, anna: Recruiter, action: str):
    slot = pending_of(anna)
    rows_before = set(NotificationLog.objects.values_list("pk", flat=True))

    run_action(anna_client, action, [slot.pk], reason=REASON, **CONFIRMED)

    told = NotificationLog.objects.exclude(pk__in=rows_before).filter(recipient=Recipient.CANDIDATE)
    assert told.exists()
    assert all("кассой" not in row.text for row in told)


def test_the_candidate_page_reason_is_the_one_given_when_rejecting(anna_client: Client, anna: Recruiter):
    slot = pending_of(anna)
    candidate_id = slot.candidate_id

    run_action(anna_client, "reject_slots", [slot.pk], reason=REASON, **CONFIRMED)

    assert candidate_rejection_reason(candidate_id=candidate_id) == REASON


def test_a_request_for_another_time_is_no_rejection_reason(anna_client: Client, anna: Recruiter):
    slot = pending_of(anna)
    candidate_id = slot.candidate_id

    run_action(anna_client, "reschedule_slots", [slot.pk], reason="Занята в это время", **CONFIRMED)

    assert candidate_rejection_reason(candidate_id=candidate_id) == ""


def test_a_decision_on_two_slots_lists_them_in_the_viewers_zone_and_waits_for_confirmation(
    anna_client: Client, anna: Recruiter
):
    first, second = pending_of(anna), pending_of(anna)
    rows_before = NotificationLog.objects.count()

    page = run_action(anna_client, "approve_slots", [first.pk, second.pk])

    assert page.status_code == 200
    html = page.content.decode()
    for slot in (first, second):
        assert date_time_label(slot.starts_at, "Europe/Moscow") in html
        assert f'name="_selected_action" value="{slot.pk}"' in html
    assert "Europe/Moscow" in html
    assert set(Slot.objects.filter(pk__in=[first.pk, second.pk]).values_list("status", flat=True)) == {
        SlotStatus.PENDING
    }
    assert NotificationLog.objects.count() == rows_before

    done = run_action(anna_client, "approve_slots", [first.pk, second.pk], **CONFIRMED)

    assert [level for level, _ in messages_of(done)] == ["success", "success"]
    assert set(Slot.objects.filter(pk__in=[first.pk, second.pk]).values_list("status", flat=True)) == {
        SlotStatus.BOOKED
    }


def test_a_decision_on_one_slot_from_the_list_acts_at_once_when_it_takes_no_reason(
    anna_client: Client, anna: Recruiter
):
    slot = pending_of(anna)

    response = run_action(anna_client, "approve_slots", [slot.pk])

    assert response.status_code == 302
    assert Slot.objects.get(pk=slot.pk).status == SlotStatus.BOOKED


@pytest.mark.parametrize("action", ["approve_slots", "reject_slots", "cancel_slots"])
def test_a_crafted_confirmation_with_another_recruiters_slots_changes_nothing(
    anna_client: Client, anna: Recruiter, igor: Recruiter, action: str
):
    theirs = [pending_of(igor), pending_of(igor)]
    events_before = SlotEvent.objects.count()
    rows_before = NotificationLog.objects.count()

    response = run_action(anna_client, action, [slot.pk for slot in theirs], reason=REASON, **CONFIRMED)

    assert [level for level, _ in messages_of(response)] == ["error"]
    assert set(Slot.objects.filter(pk__in=[s.pk for s in theirs]).values_list("status", flat=True)) == {
        SlotStatus.PENDING
    }
    assert (SlotEvent.objects.count(), NotificationLog.objects.count()) == (events_before, rows_before)


def test_the_confirmation_page_lists_only_the_recruiters_own_slots(
    anna_client: Client, anna: Recruiter, igor: Recruiter
):
    mine, other_mine, theirs = pending_of(anna), pending_of(anna), pending_of(igor)

    page = run_action(anna_client, "cancel_slots", [mine.pk, other_mine.pk, theirs.pk])

    html = page.content.decode()
    assert f'value="{mine.pk}"' in html and f'value="{other_mine.pk}"' in html
    assert f'name="_selected_action" value="{theirs.pk}"' not in html
    assert Slot.objects.get(pk=theirs.pk).status == SlotStatus.PENDING


def test_the_reject_button_on_the_slot_page_asks_for_a_reason_then_stores_it(anna_client: Client, anna: Recruiter):
    slot = pending_of(anna)
    url = reverse("admin:scheduling_slot_decide", args=[slot.pk, "reject"])

    form = anna_client.post(url)
    assert form.status_code == 200
    assert Slot.objects.get(pk=slot.pk).status == SlotStatus.PENDING

    done = anna_client.post(url, {"reason": REASON, **CONFIRMED})

    assert done.status_code == 302
    assert done["Location"] == reverse("admin:scheduling_slot_change", args=[slot.pk])
    assert Slot.objects.get(pk=slot.pk).status == SlotStatus.FREE
    assert SlotEvent.objects.filter(slot=slot).latest("created_at", "id").reason == REASON


def test_the_cancel_button_on_the_slot_page_acts_at_once(anna_client: Client, anna: Recruiter):
    slot = pending_of(anna)

    response = anna_client.post(reverse("admin:scheduling_slot_decide", args=[slot.pk, "cancel"]))

    assert response.status_code == 302
    assert Slot.objects.get(pk=slot.pk).status == SlotStatus.CANCELED
