"""A stale or refused press always answers with visible text, never a silent spinner stop (issue 12, item 2)."""

from __future__ import annotations

from typing import Any

import pytest

from botapp.tests.conftest import BotDriver, World, db
from candidates.models import Candidate, CandidateStatus
from notifications.conversation import texts
from notifications.conversation.callbacks import Action, encode
from scheduling import services

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

A = 601


def _last_answer(bot: BotDriver) -> str:
    return bot.fake.answered_callbacks()[-1].get("text") or ""


async def test_confirm_on_the_approval_of_a_rescheduled_booking_says_it_is_stale(
    bot: BotDriver, world: World, chooser: Any
) -> None:
    slot = await db(services.slot_reserve)(slot_id=world.slots[0].pk, candidate_id=chooser.pk)
    await db(services.slot_approve)(slot_id=slot.pk)
    approval_id, confirm = bot.find_button(A, "Подтверждаю")
    await db(services.slot_reschedule)(slot_id=slot.pk)

    await bot.press(A, confirm, message_id=approval_id)

    assert _last_answer(bot) == texts.STALE_BOOKING


async def test_list_buttons_pressed_while_a_booking_is_live_say_why_nothing_changed(
    bot: BotDriver, world: World, chooser: Any
) -> None:
    await db(services.slot_reserve)(slot_id=world.slots[0].pk, candidate_id=chooser.pk)

    for data in (
        encode(Action.RECRUITERS),
        encode(Action.RECRUITER, world.recruiter.pk),
        encode(Action.PREFERRED_TIME),
        encode(Action.SLOT, world.slots[1].pk),
    ):
        await bot.press(A, data)
        assert _last_answer(bot), data


async def test_a_slot_pressed_by_a_candidate_who_may_not_book_is_answered(
    bot: BotDriver, world: World, chooser: Any
) -> None:
    await db(lambda: Candidate.objects.filter(pk=chooser.pk).update(status=CandidateStatus.KNOCKED_OUT))()
    await bot.send(A, "/start")

    await bot.press(A, encode(Action.SLOT, world.slots[0].pk))

    assert _last_answer(bot) == texts.STALE_BUTTON


async def test_agreeing_again_to_the_current_consent_is_answered(bot: BotDriver, world: World, chooser: Any) -> None:
    await bot.send(A, "/start")
    from candidates.services import consent_version

    version = await db(consent_version)()

    await bot.press(A, encode(Action.CONSENT, f"{version}.y"))

    assert _last_answer(bot) == texts.STALE_BUTTON
