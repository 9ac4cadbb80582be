"""A vacancy that names its recruiters: a slot or slot list of anyone else is refused, theirs is booked or shown."""

from __future__ import annotations

from typing import Any

import pytest

from botapp.flows.journey import recruiter_pressed, slot_pressed
from botapp.tests.conftest import World
from botapp.views import Press
from candidates import questionnaire
from candidates.models import Candidate
from candidates.tests.vacancies import make_vacancy
from notifications.conversation.callbacks import Action, encode
from scheduling.models import Slot, SlotStatus
from scheduling.tests.factories import RecruiterFactory, SlotFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _press(slot: Slot, n: int) -> Press:
    return Press(callback_id=f"cb-{n}", telegram_id=601, data=encode(Action.SLOT, slot.pk))


def test_a_slot_of_a_recruiter_outside_the_vacancy_is_refused_and_one_inside_is_booked(
    world: World, chooser: Any
) -> None:
    other = RecruiterFactory(name="Олег Петров", cities=[world.city])
    outside = SlotFactory(recruiter=other, city=world.city)
    vacancy = make_vacancy("Курьер", questionnaire.BANK, recruiters=[world.recruiter])
    Candidate.objects.filter(pk=chooser.pk).update(vacancy=vacancy)

    refused = slot_pressed(_press(outside, 1), slot_id=outside.pk)
    booked = slot_pressed(_press(world.slots[0], 2), slot_id=world.slots[0].pk)

    assert refused.result == "not_vacancy"
    assert Slot.objects.get(pk=outside.pk).status == SlotStatus.FREE
    assert booked.result == "reserved"
    assert Slot.objects.get(pk=world.slots[0].pk).candidate_id == chooser.pk


def test_the_slot_list_of_a_recruiter_outside_the_vacancy_is_refused_and_one_inside_is_shown(
    world: World, chooser: Any
) -> None:
    other = RecruiterFactory(name="Олег Петров", cities=[world.city])
    SlotFactory(recruiter=other, city=world.city)
    vacancy = make_vacancy("Курьер", questionnaire.BANK, recruiters=[world.recruiter])
    Candidate.objects.filter(pk=chooser.pk).update(vacancy=vacancy)

    def press(recruiter_id: int, n: int) -> Press:
        return Press(callback_id=f"cb-{n}", telegram_id=601, data=encode(Action.RECRUITER, recruiter_id))

    refused = recruiter_pressed(press(other.pk, 1), recruiter_id=other.pk)
    shown = recruiter_pressed(press(world.recruiter.pk, 2), recruiter_id=world.recruiter.pk)

    assert refused.result == "not_choosing"
    assert refused.edit is None or other.name not in refused.edit.text
    assert shown.edit is not None and world.recruiter.name in shown.edit.text
