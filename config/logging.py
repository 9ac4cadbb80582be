"""Structured logs: every line about a booking carries its reservation id (plain or JSON lines).

A line gets the id from, in order: ``extra={"reservation_id": ...}`` on the logger call, or the
``reservation_context(...)`` block the code runs in (a contextvar, so it follows the current thread
or asyncio task and never leaks into another request). Lines without a booking get ``-``.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

NO_RESERVATION = "-"
_reservation_id: contextvars.ContextVar[str] = contextvars.ContextVar("reservation_id", default=NO_RESERVATION)

# LogRecord attributes that are not "extra" fields (the JSON formatter leaves them out).
_RECORD_FIELDS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


@contextmanager
def reservation_context(reservation_id: object) -> Iterator[None]:
    """Tag every log line inside the block with this reservation id (None tags nothing)."""
    token = _reservation_id.set(str(reservation_id) if reservation_id else NO_RESERVATION)
    try:
        yield
    finally:
        _reservation_id.reset(token)


class ReservationIdFilter(logging.Filter):
    """Set ``record.reservation_id`` on every record (from extra, else the context, else "-")."""

    def filter(self, record: logging.LogRecord) -> bool:
        value = getattr(record, "reservation_id", None)
        record.reservation_id = str(value) if value else _reservation_id.get()
        return True


class PlainFormatter(logging.Formatter):
    """One human-readable line; ``reservation_id=<uuid>`` is appended when the line is about a booking."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        reservation_id = getattr(record, "reservation_id", NO_RESERVATION)
        if reservation_id != NO_RESERVATION and f"reservation_id={reservation_id}" not in line:
            head, sep, tail = line.partition("\n")  # keep a traceback below the tagged first line
            line = f"{head} reservation_id={reservation_id}{sep}{tail}"
        return line


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, reservation_id, extra fields, exception."""

    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "ts": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "reservation_id": getattr(record, "reservation_id", NO_RESERVATION),
        }
        for key, value in vars(record).items():
            if key not in _RECORD_FIELDS and key not in payload:
                payload[key] = value if isinstance(value, (str, int, float, bool, type(None))) else str(value)
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        return json.dumps(payload, ensure_ascii=False)
