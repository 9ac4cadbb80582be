"""The ORM broker's one-INSERT enqueue writes the row django-q2's own dequeue takes."""

from __future__ import annotations

import pytest
from django.utils import timezone
from django_q.brokers import get_broker
from django_q.models import OrmQ

from notifications.queue_broker import OrmBroker

pytestmark = pytest.mark.django_db


def test_the_configured_broker_is_ours_and_its_row_is_dequeued_as_django_q2_wrote_it() -> None:
    broker = get_broker()
    assert isinstance(broker, OrmBroker)

    row_id = broker.enqueue("signed-package")

    row = OrmQ.objects.get(pk=row_id)
    assert (row.key, row.payload) == (broker.list_key, "signed-package")
    assert row.lock is not None and row.lock <= timezone.now()
    assert broker.queue_size() == 1
    assert broker.dequeue() == [(row_id, "signed-package")]
