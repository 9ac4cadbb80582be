"""Presses that only show a list write and lock nothing; whatever would change the row goes the full way."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from botapp.flows.journey import recruiter_pressed, recruiters_pressed
from botapp.models import TelegramCallbackLog
from botapp.tests.conftest import World
from botapp.views import Press
from candidates.models import Candidate
from notifications.conversation.callbacks import Action, encode

pytestmark = pytest.mark.django_db(transaction=True)

WRITES = ("INSERT", "UPDATE", "DELETE", "FOR UPDATE")


def _press(world: World) -> Press:
    username = Candidate.objects.get(telegram_id=601).username  # as Telegram sends it: unchanged
    data = encode(Action.RECRUITER, world.recruiter.pk)
    return Press(callback_id="cb-1", telegram_id=601, data=data, username=username)


def _active_now(candidate: Any) -> None:
    Candidate.objects.filter(pk=candidate.pk).update(last_activity_at=timezone.now())


def test_the_slot_list_of_a_recently_active_candidate_writes_and_locks_nothing(world: World, chooser: Any) -> None:
    _active_now(chooser)

    with CaptureQueriesContext(connection) as queries:
        result = recruiter_pressed(_press(world), recruiter_id=world.recruiter.pk)

    assert result.edit is not None and "Анна Смирнова" in result.edit.text
    statements = [q["sql"].upper() for q in queries.captured_queries]
    assert statements and not [s for s in statements if any(w in s for w in WRITES)]
    assert not TelegramCallbackLog.objects.exists()


def test_the_recruiter_list_is_read_only_too(world: World, chooser: Any) -> None:
    _active_now(chooser)

    with CaptureQueriesContext(connection) as queries:
        result = recruiters_pressed(_press(world))

    assert result.edit is not None and "Анна Смирнова" in str(result.edit.markup)
    assert not [q for q in queries.captured_queries if any(w in q["sql"].upper() for w in WRITES)]


def test_the_list_shows_while_another_transaction_holds_the_candidate_row(world: World, chooser: Any) -> None:
    """A read-only press does not wait for a lock: a slow booking of the same person does not hold up their list."""
    _active_now(chooser)
    locked, release = threading.Event(), threading.Event()

    def hold_the_row() -> None:
        with transaction.atomic():
            Candidate.objects.select_for_update().get(pk=chooser.pk)
            locked.set()
            release.wait(10)
        connection.close()

    holder = threading.Thread(target=hold_the_row)
    holder.start()
    try:
        assert locked.wait(10)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '2s'")  # a press that tried to lock would fail here, not hang
        result = recruiter_pressed(_press(world), recruiter_id=world.recruiter.pk)
        assert result.edit is not None and result.result != "duplicate"
    finally:
        release.set()
        holder.join()
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")


def test_a_candidate_whose_activity_is_due_goes_the_full_way_and_is_noted(world: World, chooser: Any) -> None:
    long_ago = timezone.now() - dt.timedelta(hours=3)
    Candidate.objects.filter(pk=chooser.pk).update(last_activity_at=long_ago)

    result = recruiter_pressed(_press(world), recruiter_id=world.recruiter.pk)

    assert result.edit is not None and "Анна Смирнова" in result.edit.text
    assert Candidate.objects.get(pk=chooser.pk).last_activity_at > long_ago
    assert TelegramCallbackLog.objects.filter(callback_query_id="cb-1").exists()


def test_a_stranger_pressing_an_old_list_button_is_registered_as_before(world: World) -> None:
    result = recruiter_pressed(
        Press(callback_id="cb-x", telegram_id=777, data=encode(Action.RECRUITER, world.recruiter.pk)),
        recruiter_id=world.recruiter.pk,
    )

    assert Candidate.objects.filter(telegram_id=777).exists()
    assert result.result == "not_choosing"  # a new person has not consented: the list is not theirs yet


def test_the_same_list_press_twice_shows_the_same_list(world: World, chooser: Any) -> None:
    _active_now(chooser)

    first = recruiter_pressed(_press(world), recruiter_id=world.recruiter.pk)
    again = recruiter_pressed(_press(world), recruiter_id=world.recruiter.pk)

    assert first.edit == again.edit and first.edit is not None
