"""The shared pace: moments handed out one spacing apart, and a send that missed its moment takes a new one."""

from __future__ import annotations

import time

import pytest

from notifications import delivery
from notifications.models import DeliveryPace
from notifications.pace import GLOBAL_KEY, global_spacing, pace_acquire

pytestmark = pytest.mark.django_db


def test_moments_are_one_spacing_apart_and_the_permit_names_its_moment() -> None:
    first = pace_acquire(chat_id=1, max_wait=5.0)
    second = pace_acquire(chat_id=2, max_wait=5.0)

    assert first.reserved and second.reserved
    assert second.at - first.at == pytest.approx(global_spacing(), abs=1e-4)
    assert DeliveryPace.objects.get(key=GLOBAL_KEY).next_at == pytest.approx(second.at + global_spacing(), abs=1e-4)


def test_a_moment_too_far_ahead_is_not_reserved() -> None:
    DeliveryPace.objects.create(key=GLOBAL_KEY, next_at=time.time() + 10)

    permit = pace_acquire(chat_id=1, max_wait=1.0)

    assert not permit.reserved
    assert permit.wait == pytest.approx(10, abs=0.5)


def test_a_send_past_its_moment_by_more_than_the_margin_is_late() -> None:
    # Telegram counts arrivals: a worker scheduled late would crowd the moments that belong to other sends.
    assert not delivery._is_late(time.time())
    assert not delivery._is_late(time.time() - delivery.LATE_SEND_SECONDS / 2)
    assert delivery._is_late(time.time() - delivery.LATE_SEND_SECONDS - 0.05)
