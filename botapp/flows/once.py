"""Redelivery protection: a press or message Telegram delivers again acts once.

The log row is written in the same transaction as the action, so both commit or roll back together.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from botapp.models import TelegramCallbackLog
from botapp.views import Outcome, Press
from candidates import services as candidate_services
from candidates.models import Candidate

logger = logging.getLogger(__name__)

P = ParamSpec("P")
PressFlow = Callable[Concatenate[Press, Candidate, P], Outcome]
AnonymousPressFlow = Callable[Concatenate[Press, P], Outcome]

DUPLICATE = Outcome(result="duplicate")
_RESULT_UPDATE = f"UPDATE {TelegramCallbackLog._meta.db_table} SET result = %s WHERE id = %s"


def first_time(model: type[Model], unique: tuple[str, ...], **values: Any) -> int | None:
    """Insert a log row; its id, or None when a row with the same unique key exists (one round trip)."""
    table = connection.ops.quote_name(model._meta.db_table)
    columns = [*values, "result", "created_at"]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))}) "
            f"ON CONFLICT ({', '.join(unique)}) DO NOTHING RETURNING id",
            [*values.values(), "", timezone.now()],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def _run_once(press: Press, flow: Callable[[], Outcome], *, telegram_user_id: int | None) -> Outcome:
    with transaction.atomic():
        # A concurrent redelivery waits here on the unique index until this transaction ends.
        log_id = first_time(
            TelegramCallbackLog,
            ("callback_query_id",),
            callback_query_id=press.callback_id[:64],
            telegram_user_id=telegram_user_id,
            data=press.data[:64],
        )
        if log_id is None:
            logger.info("callback %s redelivered: ignored", press.callback_id)
            return DUPLICATE
        result = flow()
        with connection.cursor() as cursor:
            # Written out: every press that acts runs it, and the ORM's update cost a tenth of such a press.
            cursor.execute(_RESULT_UPDATE, [result.result[:64], log_id])
        return result


def callback_once(func: PressFlow[P]) -> Callable[Concatenate[Press, P], Outcome]:
    """Run a press flow once per callback id, with the presser's candidate row (registered if new)."""

    @functools.wraps(func)
    def wrapper(press: Press, *args: P.args, **kwargs: P.kwargs) -> Outcome:
        def flow() -> Outcome:
            candidate = candidate_services.candidate_touch(telegram_id=press.telegram_id, username=press.username)
            return func(press, candidate, *args, **kwargs)

        return _run_once(press, flow, telegram_user_id=press.telegram_id)

    return wrapper


def read_only_press(func: PressFlow[P]) -> Callable[Concatenate[Press, P], Outcome]:
    """A press that only shows something (a list, «Обновить»): no log row, no transaction, no lock.

    Showing the list again is what a redelivered or repeated press should do anyway, so it needs
    no callback log, and a flow that writes nothing needs no lock. A presser whose row would
    change (new, unreachable, a new username, activity due) goes the full way (callback_once).
    """
    full = callback_once(func)

    @functools.wraps(func)
    def wrapper(press: Press, *args: P.args, **kwargs: P.kwargs) -> Outcome:
        candidate = candidate_services.candidate_if_untouched(telegram_id=press.telegram_id, username=press.username)
        if candidate is None:
            return full(press, *args, **kwargs)
        return func(press, candidate, *args, **kwargs)

    return wrapper


def anonymous_callback_once(func: AnonymousPressFlow[P]) -> Callable[Concatenate[Press, P], Outcome]:
    """Run a privacy press flow once per callback id, registering nobody and logging no user id.

    An erasure deletes the person's log rows by Telegram id, in the same transaction as this press:
    a row without the id outlives the erasure, so a redelivered «Да, удалить» still acts once, and a
    person we hold nothing about leaves nothing behind by asking.
    """

    @functools.wraps(func)
    def wrapper(press: Press, *args: P.args, **kwargs: P.kwargs) -> Outcome:
        return _run_once(press, lambda: func(press, *args, **kwargs), telegram_user_id=None)

    return wrapper


def recruiter_callback_once(func: AnonymousPressFlow[P]) -> Callable[Concatenate[Press, P], Outcome]:
    """Run a recruiter's press flow once per callback id, registering nobody.

    A recruiter is not a candidate: a press in their chat must not create a candidate row, so the
    flow gets the press alone and decides from the chat (bound or not) what the presser may do.
    """

    @functools.wraps(func)
    def wrapper(press: Press, *args: P.args, **kwargs: P.kwargs) -> Outcome:
        return _run_once(press, lambda: func(press, *args, **kwargs), telegram_user_id=press.telegram_id)

    return wrapper
