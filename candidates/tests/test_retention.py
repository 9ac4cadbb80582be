"""Retention (issue 7): candidates inactive longer than the configured days are erased, by command and daily task."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_q.models import Schedule

from candidates.models import Candidate, CandidateStatus
from candidates.privacy import RETENTION_SCHEDULE_NAME, candidate_erase, candidates_purge, retention_schedule_ensure
from candidates.tasks import purge_personal_data
from candidates.tests.factories import CandidateFactory, NewCandidateFactory
from notifications.models import NotificationLog
from scheduling import services
from scheduling.errors import InvalidInput
from scheduling.models import City, Recruiter, Slot, SlotStatus
from scheduling.tests.factories import CityFactory, RecruiterFactory, SlotFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def moscow() -> City:
    return CityFactory(name="Москва", tz="Europe/Moscow")


@pytest.fixture
def anna(moscow: City) -> Recruiter:
    return RecruiterFactory(name="Анна Смирнова", cities=[moscow])


def _slot(recruiter: Recruiter, city: City, *, hour: int) -> Slot:
    starts_at = (timezone.now() + dt.timedelta(days=2)).replace(hour=hour, minute=0, second=0, microsecond=0)
    return SlotFactory(recruiter=recruiter, city=city, starts_at=starts_at)


def _inactive_since(candidate: Candidate, days: int, now: dt.datetime) -> Candidate:
    Candidate.objects.filter(pk=candidate.pk).update(last_activity_at=now - dt.timedelta(days=days))
    return candidate


@pytest.fixture
def population(anna: Recruiter, moscow: City) -> dict[str, Candidate]:
    """Candidates on both sides of a 30-day retention, with and without bookings."""
    now = timezone.now()
    stale = _inactive_since(CandidateFactory(), 40, now)
    declined = _inactive_since(
        NewCandidateFactory(status=CandidateStatus.CONSENT_DECLINED, consent_declined_at=now), 31, now
    )
    recent = _inactive_since(CandidateFactory(), 10, now)
    waiting = CandidateFactory()
    services.slot_reserve(slot_id=_slot(anna, moscow, hour=10).pk, candidate_id=waiting.pk)
    _inactive_since(waiting, 40, now)
    interviewed = CandidateFactory()
    slot = _slot(anna, moscow, hour=14)
    services.slot_reserve(slot_id=slot.pk, candidate_id=interviewed.pk)
    past = services.slot_approve(slot_id=slot.pk)
    Slot.objects.filter(pk=past.pk).update(
        starts_at=now - dt.timedelta(days=35), ends_at=now - dt.timedelta(days=35) + dt.timedelta(hours=1)
    )
    _inactive_since(interviewed, 35, now)
    gone = CandidateFactory()
    candidate_erase(candidate_id=gone.pk, erased_by="earlier")
    _inactive_since(gone, 90, now)
    return {
        "stale": stale,
        "declined": declined,
        "recent": recent,
        "waiting": waiting,
        "interviewed": interviewed,
        "gone": gone,
    }


def _snapshot() -> list[tuple[Any, ...]]:
    return list(
        Candidate.objects.order_by("pk").values_list("pk", "status", "telegram_id", "full_name", "last_activity_at")
    )


def test_a_purge_dry_run_lists_the_eligible_and_changes_nothing(population: dict[str, Candidate]) -> None:
    before = _snapshot()
    rows = NotificationLog.objects.count()

    report = candidates_purge(older_than_days=30, dry_run=True)

    assert set(report.candidate_ids) == {population[k].pk for k in ("stale", "declined", "interviewed")}
    assert _snapshot() == before and NotificationLog.objects.count() == rows


def test_a_purge_erases_exactly_the_eligible_candidates(population: dict[str, Candidate]) -> None:
    report = candidates_purge(older_than_days=30, dry_run=False)

    eligible = {population[k].pk for k in ("stale", "declined", "interviewed")}
    assert set(report.candidate_ids) == eligible and report.skipped_ids == ()
    erased = set(Candidate.objects.filter(status=CandidateStatus.ERASED).values_list("pk", flat=True))
    assert erased == eligible | {population["gone"].pk}
    assert Candidate.objects.get(pk=population["stale"].pk).erased_by == "автоудаление: нет активности 30 дн."
    assert Candidate.objects.get(pk=population["gone"].pk).erased_by == "earlier"
    assert Slot.objects.get(candidate=population["waiting"]).status == SlotStatus.PENDING


def test_a_purge_at_a_later_moment_reaches_the_recently_active_too(population: dict[str, Candidate]) -> None:
    later = timezone.now() + dt.timedelta(days=25)

    report = candidates_purge(older_than_days=30, dry_run=True, now=later)

    assert population["recent"].pk in report.candidate_ids
    assert population["waiting"].pk not in report.candidate_ids  # its pending request is still ahead


def test_a_purge_with_less_than_a_day_is_refused() -> None:
    with pytest.raises(InvalidInput):
        candidates_purge(older_than_days=0, dry_run=True)


def test_the_purge_command_prints_what_it_would_do_and_then_does_it(population: dict[str, Candidate]) -> None:
    out = io.StringIO()
    call_command("purge_personal_data", "--older-than", "30", "--dry-run", stdout=out)
    text = out.getvalue()
    assert f"кандидат #{population['stale'].pk}" in text and "будет стёрт" in text
    assert "будет стёрто 3, ничего не изменено" in text
    assert not Candidate.objects.filter(pk=population["stale"].pk, status=CandidateStatus.ERASED).exists()

    out = io.StringIO()
    call_command("purge_personal_data", "--older-than", "30", stdout=out)

    assert "стёрто: 3, пропущено: 0" in out.getvalue()
    assert Candidate.objects.get(pk=population["stale"].pk).status == CandidateStatus.ERASED
    assert population["stale"].full_name not in out.getvalue()


def test_the_daily_task_does_nothing_while_retention_is_off(population: dict[str, Candidate], settings: Any) -> None:
    settings.PERSONAL_DATA_RETENTION_DAYS = 0

    assert purge_personal_data() == {"erased": 0, "skipped": 0}

    assert Candidate.objects.filter(status=CandidateStatus.ERASED).count() == 1


def test_the_daily_task_purges_with_the_configured_retention(population: dict[str, Candidate], settings: Any) -> None:
    settings.PERSONAL_DATA_RETENTION_DAYS = 30

    assert purge_personal_data() == {"erased": 3, "skipped": 0}


def test_the_retention_schedule_exists_exactly_while_retention_is_on(settings: Any) -> None:
    settings.PERSONAL_DATA_RETENTION_DAYS = 180
    assert retention_schedule_ensure() == "created"
    schedule = Schedule.objects.get(name=RETENTION_SCHEDULE_NAME)
    assert (schedule.func, schedule.schedule_type) == ("candidates.tasks.purge_personal_data", Schedule.DAILY)
    assert schedule.next_run > timezone.now()
    next_run = schedule.next_run

    assert retention_schedule_ensure() == "kept"
    assert Schedule.objects.get(name=RETENTION_SCHEDULE_NAME).next_run == next_run

    settings.PERSONAL_DATA_RETENTION_DAYS = 0
    out = io.StringIO()
    call_command("setup_retention_schedule", stdout=out)
    assert "удалено" in out.getvalue()
    assert not Schedule.objects.filter(name=RETENTION_SCHEDULE_NAME).exists()
