"""Property: random text, random button data and random order never crash a handler or touch others' slots."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from botapp.tests.conftest import BotDriver, World, db
from notifications.conversation.callbacks import Action
from scheduling import services
from scheduling.models import LIVE_STATUSES, Slot

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

USERS = (1101, 1102)

_arg = st.one_of(
    st.integers(min_value=-3, max_value=10**7).map(str),
    st.uuids().map(lambda u: u.hex),
    st.text(max_size=24),
    st.sampled_from(["-", "1.y", "1.n", "2.y", "city.1", "status.work", "full_name.x", "hybrid.not_ready"]),
)
_callback_data = st.one_of(
    st.builds(lambda action, arg: f"{action}:{arg}", st.sampled_from([a.value for a in Action]), _arg),
    st.text(max_size=70),
)
_step = st.one_of(
    st.tuples(st.just("text"), st.text(min_size=1, max_size=60)),
    st.tuples(st.just("text"), st.sampled_from(["Иванов Иван", "25", "/start", "/cancel", "/help", "/bind 1"])),
    st.tuples(st.just("data"), _callback_data),
    st.tuples(st.just("tap"), st.integers(min_value=0, max_value=30)),
)


@pytest.fixture
def bystander_booking(world: World) -> Slot:
    """Someone else's approved booking: no update from the fuzzed users may change it."""
    from candidates.tests.factories import CandidateFactory

    other = CandidateFactory(telegram_id=1199, city=world.city)
    slot = services.slot_reserve(slot_id=world.slots[-1].pk, candidate_id=other.pk)
    return services.slot_approve(slot_id=slot.pk)


def _snapshot(slot_id: int) -> tuple[Any, ...]:
    slot = Slot.objects.get(pk=slot_id)
    return slot.status, slot.candidate_id, slot.reservation_id


def _live_per_candidate() -> list[int]:
    rows = Slot.objects.filter(status__in=LIVE_STATUSES).values_list("candidate_id", flat=True)
    return [list(rows).count(c) for c in set(rows)]


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(st.tuples(st.sampled_from(USERS), _step), min_size=1, max_size=8))
async def test_random_updates_never_crash_and_never_touch_a_slot_they_should_not(
    bot: BotDriver, world: World, bystander_booking: Slot, steps: list[tuple[int, tuple[str, Any]]]
) -> None:
    before = await db(_snapshot)(bystander_booking.pk)
    for user_id, (kind, value) in steps:
        if not bot.fake.chat(user_id):
            await bot.send(user_id, "/start")
        if kind == "text":
            await bot.send(user_id, value)
        elif kind == "data":
            await bot.press(user_id, value)
        else:
            buttons = [(m["message_id"], d) for m in bot.fake.chat(user_id) for _, d in bot.buttons(user_id, m)]
            if buttons:
                message_id, data = buttons[value % len(buttons)]
                await bot.press(user_id, data, message_id=message_id)
    assert await db(_snapshot)(bystander_booking.pk) == before
    assert all(n == 1 for n in await db(_live_per_candidate)())
    answered = {c.params["callback_query_id"] for c in bot.fake.calls_of("answerCallbackQuery")}
    assert len(answered) == bot.presses  # every press answered, each once
