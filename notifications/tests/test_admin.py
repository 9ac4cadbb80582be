"""The outbox in the admin: read-only, filtered, scoped per recruiter; failed rows can be sent again."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from notifications.models import NotificationKind, NotificationLog, NotificationStatus
from scheduling.models import SlotStatus
from scheduling.tests.factories import SlotFactory
from scheduling.tests.helpers import slot_in_status

pytestmark = pytest.mark.django_db


CHANGELIST = "/admin/notifications/notificationlog/"


def pending_slot_of(recruiter):
    return slot_in_status(SlotStatus.PENDING, slot=SlotFactory(recruiter=recruiter, city=recruiter.cities.first()))


def retry(client: Client, ids: list[int]):
    return client.post(
        CHANGELIST, {"action": "retry_notifications", "index": 0, "_selected_action": [str(pk) for pk in ids]}
    )


def test_retry_sends_a_failed_row_again(anna_client, anna):
    slot = pending_slot_of(anna)
    row = NotificationLog.objects.get(slot=slot, kind=NotificationKind.RESERVATION_RECEIVED)
    NotificationLog.objects.filter(pk=row.pk).update(
        status=NotificationStatus.FAILED, last_error="Bad Gateway", attempts=6
    )

    response = retry(anna_client, [row.pk])

    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (NotificationStatus.PENDING, 0, "Bad Gateway")
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["success"]


def test_retry_refuses_a_row_that_did_not_fail(anna_client, anna):
    slot = pending_slot_of(anna)
    row = NotificationLog.objects.get(slot=slot, kind=NotificationKind.RESERVATION_RECEIVED)
    NotificationLog.objects.filter(pk=row.pk).update(status=NotificationStatus.SENT)

    response = retry(anna_client, [row.pk])

    row.refresh_from_db()
    assert row.status == NotificationStatus.SENT
    [message] = get_messages(response.wsgi_request)
    assert message.level_tag == "warning" and "Повторить можно только" in message.message


def test_retry_of_another_recruiters_row_changes_nothing(anna_client, igor):
    row = NotificationLog.objects.get(slot=pending_slot_of(igor), kind=NotificationKind.RESERVATION_RECEIVED)
    NotificationLog.objects.filter(pk=row.pk).update(status=NotificationStatus.FAILED)

    retry(anna_client, [row.pk])

    row.refresh_from_db()
    assert row.status == NotificationStatus.FAILED


def test_a_recruiter_sees_only_their_own_messages(anna_client, anna, igor):
    mine = pending_slot_of(anna)
    theirs = pending_slot_of(igor)

    listing = anna_client.get(CHANGELIST)
    other = NotificationLog.objects.filter(slot=theirs).first()

    assert {row.slot_id for row in listing.context["cl"].result_list} == {mine.pk}
    assert anna_client.get(reverse("admin:notifications_notificationlog_change", args=[other.pk])).status_code == 404


def test_the_list_filters_by_kind_and_status(admin_client, anna):
    pending_slot_of(anna)
    pending_slot_of(anna)
    NotificationLog.objects.filter(pk=NotificationLog.objects.order_by("pk").first().pk).update(status="failed")

    failed = admin_client.get(CHANGELIST, {"status__exact": "failed"})
    by_kind = admin_client.get(CHANGELIST, {"kind__exact": NotificationKind.RESERVATION_RECEIVED})

    assert len(failed.context["cl"].result_list) == 1
    assert {row.kind for row in by_kind.context["cl"].result_list} == {NotificationKind.RESERVATION_RECEIVED}


def test_outbox_rows_cannot_be_edited_added_or_deleted(admin_client, anna):
    row = NotificationLog.objects.filter(slot=pending_slot_of(anna)).first()
    url = reverse("admin:notifications_notificationlog_change", args=[row.pk])

    admin_client.post(url, {"status": "sent", "text": "подменённый текст", "_save": "1"})

    row.refresh_from_db()
    assert row.status == NotificationStatus.PENDING and row.text != "подменённый текст"
    assert admin_client.get(reverse("admin:notifications_notificationlog_add")).status_code == 403
    delete = admin_client.post(reverse("admin:notifications_notificationlog_delete", args=[row.pk]), {"post": "yes"})
    assert delete.status_code == 403
    assert NotificationLog.objects.filter(pk=row.pk).exists()
