"""The real worker: `manage.py qcluster` subprocesses on the test PostgreSQL database, the fake Bot API over HTTP."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_q.conf import Conf
from django_q.tasks import async_task

from candidates.tests.factories import CandidateFactory
from notifications import dispatch
from notifications.models import NotificationKind, NotificationLog, NotificationStatus
from notifications.sweep import periodic_schedules_ensure
from notifications.tests.cluster import QCluster
from ops.fake_telegram import FakeTelegramAPI
from scheduling import services
from scheduling.models import Slot, SlotStatus
from scheduling.tests.factories import RecruiterFactory, SlotFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

REDIS_TEST_URL = "redis://127.0.0.1:6379/13"


@pytest.fixture
def real_queue(monkeypatch: pytest.MonkeyPatch) -> None:
    """This test process enqueues into the real broker (test settings run tasks inline)."""
    monkeypatch.setattr(Conf, "SYNC", False)


@pytest.fixture
def start_cluster(telegram_api: FakeTelegramAPI, tmp_path: Path, real_queue: None) -> Iterator[Callable[..., QCluster]]:
    clusters: list[QCluster] = []

    def start(**kwargs: object) -> QCluster:
        cluster = QCluster(
            db_name=connection.settings_dict["NAME"],
            telegram_base_url=telegram_api.base_url,
            token=telegram_api.token,
            secret_key=settings.SECRET_KEY,
            log_path=tmp_path / f"qcluster-{len(clusters)}.log",
            **kwargs,  # type: ignore[arg-type]
        ).start()
        clusters.append(cluster)
        return cluster

    try:
        yield start
    finally:
        for cluster in clusters:
            cluster.stop()


def _book(candidate_count: int, *, starts_in: dt.timedelta = dt.timedelta(days=1)) -> list[Slot]:
    """Pending requests of fresh candidates on one recruiter's slots (reservation messages already out)."""
    recruiter = RecruiterFactory()
    start = (timezone.now() + starts_in).replace(second=0, microsecond=0)
    slots = []
    for i in range(candidate_count):
        slot = SlotFactory(recruiter=recruiter, starts_at=start + dt.timedelta(hours=i))
        slots.append(services.slot_reserve(slot_id=slot.pk, candidate_id=CandidateFactory().pk))
    NotificationLog.objects.filter(kind=NotificationKind.RESERVATION_RECEIVED).update(
        status=NotificationStatus.SENT, sent_at=timezone.now()
    )
    return slots


def _wait_until_sent(fake: FakeTelegramAPI, count: int, kind: str = NotificationKind.APPROVED) -> bool:
    """The row is marked sent a moment after the fake saw the message: wait for the database too."""
    rows = NotificationLog.objects.filter(kind=kind, status=NotificationStatus.SENT)
    return fake.wait_for(lambda: rows.count() >= count, timeout=10)


def _texts_per_chat(fake: FakeTelegramAPI) -> Counter[tuple[int, str]]:
    return Counter((m["chat"]["id"], m["text"]) for m in fake.sent_messages())


def test_an_approval_reaches_the_candidate_within_seconds(
    telegram_api: FakeTelegramAPI, start_cluster: Callable[..., QCluster]
) -> None:
    start_cluster()
    candidate = CandidateFactory()
    slot = SlotFactory(starts_at=timezone.now() + dt.timedelta(days=1))
    services.slot_reserve(slot_id=slot.pk, candidate_id=candidate.pk)
    telegram_api.wait_for_message(candidate.telegram_id, "Заявка отправлена", timeout=15)  # cluster is up

    approved_at = timezone.now()
    services.slot_approve(slot_id=slot.pk)
    telegram_api.wait_for_message(candidate.telegram_id, "Собеседование согласовано", timeout=3)

    assert _wait_until_sent(telegram_api, 1)
    row = NotificationLog.objects.get(slot=slot, kind=NotificationKind.APPROVED)
    assert (row.sent_at - approved_at).total_seconds() < 3


def test_reminders_due_in_a_few_seconds_are_delivered_once_each_in_order(
    telegram_api: FakeTelegramAPI, start_cluster: Callable[..., QCluster]
) -> None:
    (slot,) = _book(1)
    services.slot_approve(slot_id=slot.pk)
    candidate_chat = slot.candidate.telegram_id
    # Bring the booking's two reminders a few seconds ahead (as if approved just before the window).
    now = timezone.now()
    for kind, seconds in ((NotificationKind.CONFIRM_REQUEST, 3), (NotificationKind.REMINDER_1H, 6)):
        row = NotificationLog.objects.get(slot=slot, kind=kind)
        NotificationLog.objects.filter(pk=row.pk).update(due_at=now + dt.timedelta(seconds=seconds))
        dispatch.schedule_once(row.pk, now + dt.timedelta(seconds=seconds))
    start_cluster()

    # django-q2's scheduler looks at schedules every 30 s: a reminder is up to ~30 s late.
    telegram_api.wait_for_message(candidate_chat, "Через час", timeout=50)

    texts = [m["text"] for m in telegram_api.sent_messages(candidate_chat)]
    assert [t.split(" ")[0].split("!")[0] for t in texts] == ["Собеседование", "Напоминаем:", "Через"]
    assert _wait_until_sent(telegram_api, 1, NotificationKind.REMINDER_1H)
    rows = NotificationLog.objects.filter(slot=slot, kind__in=[NotificationKind.CONFIRM_REQUEST, "reminder_1h"])
    assert [(row.status, row.sent_at >= row.due_at) for row in rows] == [(NotificationStatus.SENT, True)] * 2


def test_messages_put_back_for_a_few_seconds_go_when_due_not_at_the_schedulers_next_look(
    telegram_api: FakeTelegramAPI, start_cluster: Callable[..., QCluster]
) -> None:
    """Three messages due at once to one chat paced at one per 3 s: the second and third wait longer than a
    worker waits in line (2 s) and are put back; they must go at their moments, not after django-q2's
    scheduler's first look (30 s after the cluster starts)."""
    (slot,) = _book(1)
    services.slot_approve(slot_id=slot.pk)
    now = timezone.now()
    reminders = NotificationLog.objects.filter(
        slot=slot, kind__in=[NotificationKind.CONFIRM_REQUEST, NotificationKind.REMINDER_1H]
    )
    assert reminders.update(due_at=now) == 2
    dispatch.enqueue_now([(row.pk, now) for row in reminders])
    chat = slot.candidate.telegram_id
    started = time.monotonic()
    start_cluster(extra_env={"TELEGRAM_PER_CHAT_INTERVAL_MS": "3000"})

    assert telegram_api.wait_for(lambda: len(telegram_api.sent_messages(chat)) >= 3, timeout=22), (
        f"{len(telegram_api.sent_messages(chat))} of 3 sent after {time.monotonic() - started:.1f} s"
    )
    sent = NotificationLog.objects.filter(
        slot=slot, kind__in=[NotificationKind.APPROVED, *reminders.values_list("kind", flat=True)]
    )
    assert telegram_api.wait_for(lambda: sent.filter(status=NotificationStatus.SENT).count() == 3, timeout=10)
    assert len(telegram_api.sent_messages(chat)) == 3  # each once
    moments = sorted(sent.values_list("sent_at", flat=True))
    assert all(b - a >= dt.timedelta(seconds=2.9) for a, b in zip(moments, moments[1:], strict=False))


def test_a_worker_killed_mid_batch_and_restarted_loses_nothing_and_repeats_nothing(
    telegram_api: FakeTelegramAPI, start_cluster: Callable[..., QCluster]
) -> None:
    from django.core.management import call_command

    slots = _book(30)
    for slot in slots:
        services.slot_approve(slot_id=slot.pk)  # 30 approval tasks queued; no worker yet
    cluster = start_cluster(workers=1)
    assert telegram_api.wait_for(lambda: len(telegram_api.sent_messages()) >= 8, timeout=20)
    # The next send hangs in the fake (not accepted): the worker dies in the middle of it.
    calls_before = len(telegram_api.calls_of("sendMessage"))
    telegram_api.delay_next("sendMessage", 5, accept=False)
    assert telegram_api.wait_for(lambda: len(telegram_api.calls_of("sendMessage")) > calls_before, timeout=5)
    cluster.kill()
    assert NotificationLog.objects.filter(status=NotificationStatus.SENDING).count() == 1
    assert len(telegram_api.sent_messages()) < 30

    # The operator's recovery after a crash: rebuild from the rows, then start the worker again.
    call_command("rebuild_schedules", "--release-sending")
    start_cluster(workers=1)

    assert telegram_api.wait_for(lambda: len(telegram_api.sent_messages()) >= 30, timeout=30)
    sent = _texts_per_chat(telegram_api)
    assert len(sent) == 30
    assert set(sent.values()) == {1}
    assert _wait_until_sent(telegram_api, 30)


def test_two_worker_processes_never_send_the_same_row(
    telegram_api: FakeTelegramAPI, start_cluster: Callable[..., QCluster]
) -> None:
    slots = _book(30)
    for slot in slots:
        services.slot_approve(slot_id=slot.pk)
    ids = list(NotificationLog.objects.filter(kind=NotificationKind.APPROVED).values_list("pk", flat=True))
    for _ in range(2):  # every row queued three times in all: duplicates must be no-ops
        for notification_id in ids:
            async_task("notifications.tasks.deliver", notification_id)
    start_cluster(workers=2)
    start_cluster(workers=2)

    assert telegram_api.wait_for(lambda: len(telegram_api.sent_messages()) >= 30, timeout=30)
    assert _wait_until_sent(telegram_api, 30)
    sent = _texts_per_chat(telegram_api)
    assert len(sent) == 30 and set(sent.values()) == {1}
    assert len(telegram_api.calls_of("sendMessage")) == 30


def test_the_redis_broker_delivers_an_approval_and_a_batch(
    telegram_api: FakeTelegramAPI, start_cluster: Callable[..., QCluster], monkeypatch: pytest.MonkeyPatch
) -> None:
    redis.from_url(REDIS_TEST_URL).flushdb()
    monkeypatch.setattr(Conf, "ORM", None)
    monkeypatch.setattr(Conf, "BROKER_CLASS", None)  # as settings.py configures Redis: django-q2's own broker
    monkeypatch.setattr(Conf, "REDIS", REDIS_TEST_URL)
    start_cluster(redis_url=REDIS_TEST_URL)
    slots = _book(10)

    for slot in slots:
        services.slot_approve(slot_id=slot.pk)

    assert telegram_api.wait_for(lambda: len(telegram_api.sent_messages()) >= 10, timeout=20)
    sent = _texts_per_chat(telegram_api)
    assert len(sent) == 10 and set(sent.values()) == {1}
    assert _wait_until_sent(telegram_api, 10)


def test_the_worker_keeps_delivering_after_its_database_connections_die(
    telegram_api: FakeTelegramAPI, start_cluster: Callable[..., QCluster]
) -> None:
    first, second = _book(2)
    start_cluster(workers=1)
    services.slot_approve(slot_id=first.pk)
    assert _wait_until_sent(telegram_api, 1)  # the cluster is up and holds its connections

    with connection.cursor() as cursor:  # what a PostgreSQL restart does to the worker's sessions
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        assert cursor.fetchone()[0] >= 1
    services.slot_approve(slot_id=second.pk)

    telegram_api.wait_for_message(second.candidate.telegram_id, "Собеседование согласовано", timeout=20)
    assert _wait_until_sent(telegram_api, 2)
    approvals = [t for (_, t), n in _texts_per_chat(telegram_api).items() if "согласовано" in t for _ in range(n)]
    assert len(approvals) == 2  # each once


def test_the_scheduled_sweep_expires_an_overdue_pending_request(
    telegram_api: FakeTelegramAPI, start_cluster: Callable[..., QCluster]
) -> None:
    """Nothing but the minute sweep expires requests: let the real schedule run it in a real cluster."""
    periodic_schedules_ensure()
    recruiter = RecruiterFactory(telegram_chat_id=4243)
    slot = SlotFactory(recruiter=recruiter, starts_at=timezone.now() + dt.timedelta(seconds=15))
    candidate = CandidateFactory()
    services.slot_reserve(slot_id=slot.pk, candidate_id=candidate.pk)
    start_cluster(workers=1)

    # django-q2's scheduler first runs about 30 s after the cluster starts; the slot has started by then.
    telegram_api.wait_for_message(candidate.telegram_id, "истекла", timeout=50)

    slot.refresh_from_db()
    assert (slot.status, slot.candidate_id) == (SlotStatus.FREE, None)
    telegram_api.wait_for_message(recruiter.telegram_chat_id, "истекла без решения", timeout=5)
