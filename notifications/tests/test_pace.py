"""The shared pace: moments handed out one spacing apart, a send that missed its moment takes a new one, and a
fresh client connects before its send takes one."""

from __future__ import annotations

import time

import pytest

from notifications import delivery
from notifications.models import DeliveryPace, NotificationKind, NotificationStatus
from notifications.pace import GLOBAL_KEY, chat_key, chat_spacing, global_spacing, pace_acquire
from notifications.tests.helpers import approved_booking, row_of
from ops.fake_telegram import FakeTelegramAPI

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


def test_a_fresh_client_connects_before_its_send_takes_a_moment(telegram_api: FakeTelegramAPI) -> None:
    # A first send that built its client and connected inside its moment arrived a second late, on top of the
    # next second's own sends (bench/fanout.py: the 429s of a run's first second).
    slot, candidate = approved_booking()
    telegram_api.delay_next("getMe", 0.5)
    before = time.time()

    assert delivery.deliver_one(row_of(slot, NotificationKind.APPROVED).pk) is True

    moment = DeliveryPace.objects.get(key=chat_key(candidate.telegram_id)).next_at - chat_spacing()
    assert moment >= before + 0.5
    assert [call.method for call in telegram_api.calls] == ["getMe", "sendMessage"]


def test_a_failed_warm_up_leaves_the_connection_to_the_send_and_is_not_repeated(
    telegram_api: FakeTelegramAPI,
) -> None:
    slot, candidate = approved_booking()
    telegram_api.fail_next("getMe", status=502)

    assert delivery.deliver_one(row_of(slot, NotificationKind.APPROVED).pk) is True
    assert row_of(slot, NotificationKind.APPROVED).status == NotificationStatus.SENT
    other_slot, _ = approved_booking()
    assert delivery.deliver_one(row_of(other_slot, NotificationKind.APPROVED).pk) is True

    assert [(call.method, call.status) for call in telegram_api.calls] == [
        ("getMe", 502),
        ("sendMessage", 200),
        ("sendMessage", 200),
    ]
