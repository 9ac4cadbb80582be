"""Structured logs: the reservation id on every line about a booking, plain and JSON."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from config.logging import JsonFormatter, PlainFormatter, ReservationIdFilter, reservation_context
from scheduling.models import SlotStatus
from scheduling.tests.helpers import slot_in_status


@pytest.fixture
def lines() -> Iterator[tuple[logging.Logger, io.StringIO, logging.Handler]]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(ReservationIdFilter())
    handler.setFormatter(PlainFormatter())
    logger = logging.getLogger("tests.ops.structured")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield logger, stream, handler
    logger.removeHandler(handler)


def test_a_line_logged_with_extra_carries_the_reservation_id(lines: tuple) -> None:
    logger, stream, _ = lines

    logger.info("booking confirmed", extra={"reservation_id": "3f2a"})

    assert stream.getvalue().strip().endswith("booking confirmed reservation_id=3f2a")


def test_every_line_inside_a_reservation_context_carries_its_id(lines: tuple) -> None:
    logger, stream, _ = lines

    with reservation_context("abc-123"):
        logger.info("sending")
        logger.warning("retry")
    logger.info("outside")

    first, second, third = stream.getvalue().splitlines()
    assert first.endswith("sending reservation_id=abc-123")
    assert second.endswith("retry reservation_id=abc-123")
    assert "reservation_id" not in third


def test_the_json_format_is_one_object_per_line_with_the_id(lines: tuple) -> None:
    logger, stream, handler = lines
    handler.setFormatter(JsonFormatter())

    logger.info("slot %s booked", 7, extra={"reservation_id": "r-1"})
    logger.info("no booking here")

    booked, plain = (json.loads(line) for line in stream.getvalue().splitlines())
    assert booked["message"] == "slot 7 booked"
    assert booked["reservation_id"] == "r-1"
    assert booked["level"] == "INFO" and booked["logger"] == "tests.ops.structured"
    assert plain["reservation_id"] == "-"


@pytest.mark.django_db
def test_slot_transitions_log_their_reservation_id(lines: tuple) -> None:
    _, stream, handler = lines
    services_logger = logging.getLogger("scheduling.services")
    services_logger.addHandler(handler)
    try:
        slot = slot_in_status(SlotStatus.PENDING)
    finally:
        services_logger.removeHandler(handler)

    transition = next(line for line in stream.getvalue().splitlines() if "free -> pending" in line)
    assert f"reservation_id={slot.reservation_id}" in transition
    assert transition.count("reservation_id=") == 1  # the message already names it: not appended twice
