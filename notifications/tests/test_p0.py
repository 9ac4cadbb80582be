"""P0 end to end through the services and deliver_one: a rescheduled slot never talks to the old candidate."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from candidates.tests.factories import CandidateFactory
from notifications.delivery import deliver_one
from notifications.models import NotificationLog, NotificationStatus
from ops.fake_telegram import FakeTelegramAPI
from scheduling import services
from scheduling.tests.factories import SlotFactory

pytestmark = pytest.mark.django_db


def _deliver_due(traveller: time_machine.Coordinates) -> None:
    """What the worker does: deliver every due pending row, a little apart (one message/s per chat)."""
    for row in NotificationLog.objects.filter(status=NotificationStatus.PENDING, due_at__lte=timezone.now()).order_by(
        "due_at", "pk"
    ):
        deliver_one(row.pk)
        traveller.shift(dt.timedelta(seconds=2))


def _texts(fake: FakeTelegramAPI, chat_id: int) -> list[str]:
    return [m["text"] for m in fake.sent_messages(chat_id)]


def _starts(texts: list[str]) -> list[str]:
    prefixes = ["Заявка отправлена", "Собеседование согласовано", "Рекрутёр", "Напоминаем", "Через час"]
    return [next((p for p in prefixes if t.startswith(p)), t) for t in texts]


def test_p0_after_a_reschedule_only_the_new_candidate_hears_about_the_slot(telegram_api: FakeTelegramAPI) -> None:
    starts_at = (timezone.now() + dt.timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
    slot = SlotFactory(starts_at=starts_at)
    a, b = CandidateFactory(), CandidateFactory()

    with time_machine.travel(starts_at - dt.timedelta(days=2), tick=False) as traveller:
        slot = services.slot_reserve(slot_id=slot.pk, candidate_id=a.pk)
        slot = services.slot_approve(slot_id=slot.pk)
        _deliver_due(traveller)
        services.slot_reschedule(slot_id=slot.pk, reason="рекрутёр занят")
        _deliver_due(traveller)
        a_before_b = _texts(telegram_api, a.telegram_id)

        services.slot_reserve(slot_id=slot.pk, candidate_id=b.pk)
        services.slot_approve(slot_id=slot.pk)
        _deliver_due(traveller)

    assert _starts(a_before_b) == ["Заявка отправлена", "Собеседование согласовано", "Рекрутёр"]
    assert any("Собеседование согласовано!" in t for t in _texts(telegram_api, b.telegram_id))

    for due in (starts_at - dt.timedelta(hours=2), starts_at - dt.timedelta(hours=1)):
        with time_machine.travel(due + dt.timedelta(seconds=10), tick=False) as traveller:
            _deliver_due(traveller)

    b_texts = _texts(telegram_api, b.telegram_id)
    assert _starts(b_texts) == ["Заявка отправлена", "Собеседование согласовано", "Напоминаем", "Через час"]
    confirm = telegram_api.sent_messages(b.telegram_id)[2]
    assert "Подтверждаю" in str(confirm["reply_markup"])
    assert _texts(telegram_api, a.telegram_id) == a_before_b  # A receives nothing more
    assert not NotificationLog.objects.filter(candidate=a, status=NotificationStatus.PENDING).exists()
