"""create_slots and seed_demo as an operator runs them."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from scheduling.models import Recruiter, Slot
from scheduling.tests.factories import CityFactory, RecruiterFactory, SlotFactory

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("create_slots", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def anna() -> Recruiter:
    return RecruiterFactory(name="Анна", tz="Asia/Novosibirsk", cities=[CityFactory(name="Новосибирск")])


def _next_monday() -> dt.date:
    today = timezone.now().date()
    return today + dt.timedelta(days=7 - today.weekday())


def test_create_slots_makes_slots_in_the_recruiters_zone_on_chosen_weekdays(anna: Recruiter) -> None:
    monday = _next_monday()
    sunday = monday + dt.timedelta(days=6)
    out = _run(
        "--recruiter", "Анна", "--city", "Новосибирск", "--from", str(monday), "--to", str(sunday),
        "--start", "10:00", "--end", "12:00", "--step", "60", "--weekdays", "1-5",
    )  # fmt: skip
    slots = Slot.objects.filter(recruiter=anna).order_by("starts_at")
    assert slots.count() == 10  # 5 weekdays x 2 slots
    first = slots.first().starts_at.astimezone(anna.zone)
    assert (first.date(), first.hour) == (monday, 10)
    assert "Создано слотов: 10" in out
    assert f"{monday:%d.%m.%Y} 10:00" in out


def test_create_slots_skips_existing_and_overlapping_times(anna: Recruiter) -> None:
    monday = _next_monday()
    args = ["--recruiter", "Анна", "--city", "Новосибирск", "--from", str(monday), "--to", str(monday),
            "--start", "10:00", "--end", "12:00", "--step", "60"]  # fmt: skip
    _run(*args)
    out = _run(*args[:-2], "--step", "30", "--duration", "30")
    assert "Создано слотов: 0" in out
    assert "Пропущено (пересечение с существующими): 4" in out
    assert Slot.objects.filter(recruiter=anna).count() == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2020-01-01", "--to", "2020-01-02"], "уже прошла"),
        (["--from", "2099-01-02", "--to", "2099-01-01"], "раньше даты"),
        (["--from", "2099-01-01", "--to", "2099-01-01", "--weekdays", "8"], "Дни недели"),
        (["--from", "01.01.2099", "--to", "2099-01-01"], "ГГГГ-ММ-ДД"),
    ],
)
def test_create_slots_refuses_bad_input_with_a_clear_message(anna: Recruiter, args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        _run(
            "--recruiter", "Анна", "--city", "Новосибирск", "--start", "10:00", "--end", "12:00", "--step", "60", *args
        )
    assert not Slot.objects.exists()


def test_create_slots_names_an_unknown_recruiter_or_city(anna: Recruiter) -> None:
    base = ["--from", "2099-01-01", "--to", "2099-01-01", "--start", "10:00", "--end", "12:00", "--step", "60"]
    with pytest.raises(CommandError, match="Рекрутёр «Борис» не найден"):
        _run("--recruiter", "Борис", "--city", "Новосибирск", *base)
    with pytest.raises(CommandError, match="Город «Тверь» не найден"):
        _run("--recruiter", "Анна", "--city", "Тверь", *base)


def test_create_slots_skips_the_nonexistent_hour_of_a_dst_jump() -> None:
    RecruiterFactory(name="Ann", tz="America/New_York", cities=[CityFactory(name="New York", tz="America/New_York")])
    # 2099-03-08 is the second Sunday of March: 02:00-03:00 does not exist in New York.
    out = _run(
        "--recruiter", "Ann", "--city", "New York", "--from", "2099-03-08", "--to", "2099-03-08",
        "--start", "01:00", "--end", "04:00", "--step", "60",
    )  # fmt: skip
    assert "Создано слотов: 2" in out  # 01:00 and 03:00
    hours = [s.starts_at.astimezone(dt.UTC).hour for s in Slot.objects.order_by("starts_at")]
    assert hours == [6, 7]  # 01:00 EST = 06:00 UTC, 03:00 EDT = 07:00 UTC


def test_seed_demo_is_idempotent_and_prints_the_login() -> None:
    out1, out2 = io.StringIO(), io.StringIO()
    call_command("seed_demo", stdout=out1)
    count = Slot.objects.count()
    call_command("seed_demo", stdout=out2)
    assert count > 0
    assert Slot.objects.count() == count
    assert "admin / demo12345" in out2.getvalue()
    assert Recruiter.objects.filter(user__username="anna").exists()


def test_free_slot_list_shows_future_free_slots_only() -> None:
    from scheduling.selectors import recruiter_list_with_free_slots, slot_list_free

    slot = SlotFactory()
    SlotFactory(recruiter=slot.recruiter, city=slot.city, starts_at=timezone.now() - dt.timedelta(hours=3))
    offers = recruiter_list_with_free_slots(city_id=slot.city_id)
    assert [(o.recruiter_id, o.free_count, o.nearest_at) for o in offers] == [(slot.recruiter_id, 1, slot.starts_at)]
    listed = slot_list_free(recruiter_id=slot.recruiter_id, city_id=slot.city_id)
    assert [(s.slot_id, s.starts_at, s.recruiter_name) for s in listed] == [
        (slot.pk, slot.starts_at, slot.recruiter.name)
    ]
