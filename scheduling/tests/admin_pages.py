"""What the admin tests share: the slot list's address, its counters, posting an action, reading messages."""

from __future__ import annotations

from typing import Any

from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client

from scheduling.models import City, Recruiter, Slot, SlotStatus
from scheduling.tests.factories import SlotFactory
from scheduling.tests.helpers import slot_in_status

CHANGELIST = "/admin/scheduling/slot/"
ALL_STATUSES = [s.value for s in SlotStatus]


def messages_of(response: Any) -> list[tuple[str, str]]:
    """(level tag, text) of every admin message the request queued."""
    return [(m.level_tag, m.message) for m in get_messages(response.wsgi_request)]


def sql_counts(where: str = "", params: tuple[Any, ...] = ()) -> dict[str, int]:
    """Slots per status straight from SQL, every status present, the total, and who came and who did not."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT status, count(*) FROM scheduling_slot {where} GROUP BY status", params)
        rows = dict(cursor.fetchall())
        cursor.execute(
            "SELECT count(*) FILTER (WHERE outcome IN ('attended', 'passed', 'failed')),"
            f" count(*) FILTER (WHERE outcome = 'no_show') FROM scheduling_slot {where}",
            params,
        )
        attended, no_show = cursor.fetchone()
    counts = {status: rows.get(status, 0) for status in ALL_STATUSES}
    counts["total"] = sum(rows.values())
    counts.update(attended=attended, no_show=no_show)
    return counts


def shown_counters(response: Any) -> dict[str, int]:
    return {counter["key"]: counter["value"] for counter in response.context["slot_counters"]}


def run_action(client: Client, action: str, slot_ids: list[int], **query: str) -> Any:
    return client.post(
        CHANGELIST, {"action": action, "index": 0, "_selected_action": [str(pk) for pk in slot_ids], **query}
    )


def slots_of(recruiter: Recruiter, city: City | None = None) -> dict[str, Slot]:
    """One slot of the recruiter in each status, reached through the real services."""
    city = city or recruiter.cities.first()
    return {status: slot_in_status(status, slot=SlotFactory(recruiter=recruiter, city=city)) for status in ALL_STATUSES}
