"""manage.py create_slots: free slots for a recruiter in a city from a working pattern."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from notifications.conversation.time_labels import date_time_label
from scheduling.errors import DomainError
from scheduling.models import City, Recruiter
from scheduling.services import slots_create_bulk
from scheduling.slot_planning import SlotPattern, parse_weekdays


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Дата «{value}»: ожидается ГГГГ-ММ-ДД.") from None


def _time(value: str) -> dt.time:
    try:
        return dt.datetime.strptime(value, "%H:%M").time()
    except ValueError:
        raise CommandError(f"Время «{value}»: ожидается ЧЧ:ММ.") from None


class Command(BaseCommand):
    help = "Create free interview slots (times in the recruiter's zone); skips past and overlapping times."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--recruiter", required=True, help="recruiter name")
        parser.add_argument("--city", required=True, help="city name")
        parser.add_argument("--from", dest="date_from", required=True, help="YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", required=True, help="YYYY-MM-DD")
        parser.add_argument("--start", required=True, help="HH:MM, first slot of the day")
        parser.add_argument("--end", required=True, help="HH:MM, the last slot ends by then")
        parser.add_argument("--step", type=int, required=True, help="minutes between slot starts")
        parser.add_argument("--duration", type=int, default=None, help="slot length in minutes (default: step)")
        parser.add_argument("--weekdays", default="1-7", help="ISO weekdays, e.g. 1-5 or 1,3,5 (default: every day)")
        parser.add_argument("--break-start", default=None, help="HH:MM")
        parser.add_argument("--break-end", default=None, help="HH:MM")
        parser.add_argument("--dry-run", action="store_true", help="only show what would be created")

    def handle(self, *args: object, **opts: object) -> None:
        try:
            recruiter = Recruiter.objects.get(name=opts["recruiter"])
        except Recruiter.DoesNotExist:
            raise CommandError(f"Рекрутёр «{opts['recruiter']}» не найден.") from None
        try:
            city = City.objects.get(name=opts["city"])
        except City.DoesNotExist:
            raise CommandError(f"Город «{opts['city']}» не найден.") from None
        date_from, date_to = _date(str(opts["date_from"])), _date(str(opts["date_to"]))
        today = timezone.now().astimezone(recruiter.zone).date()
        if date_from < today:
            raise CommandError(
                f"Дата --from {date_from} уже прошла (сегодня {today} в {recruiter.tz}): слоты в прошлом не создаются."
            )
        try:
            pattern = SlotPattern(
                tz=recruiter.tz,
                date_from=date_from,
                date_to=date_to,
                start=_time(str(opts["start"])),
                end=_time(str(opts["end"])),
                step_min=int(opts["step"]),  # type: ignore[arg-type]
                duration_min=opts["duration"],  # type: ignore[arg-type]
                weekdays=parse_weekdays(str(opts["weekdays"])),
                break_start=_time(str(opts["break_start"])) if opts["break_start"] else None,
                break_end=_time(str(opts["break_end"])) if opts["break_end"] else None,
            )
            report = slots_create_bulk(
                recruiter_id=recruiter.pk, city_id=city.pk, pattern=pattern, dry_run=bool(opts["dry_run"])
            )
        except DomainError as exc:
            raise CommandError(str(exc)) from None
        verb = "Будет создано" if opts["dry_run"] else "Создано"
        self.stdout.write(f"{verb} слотов: {len(report.created)} ({recruiter.name}, {city.name}, {recruiter.tz})")
        for start in report.created:
            self.stdout.write(f"  + {date_time_label(start, recruiter.tz)}")
        if report.skipped_overlap:
            self.stdout.write(f"Пропущено (пересечение с существующими): {len(report.skipped_overlap)}")
            for start in report.skipped_overlap:
                self.stdout.write(f"  = {date_time_label(start, recruiter.tz)}")
        if report.skipped_past:
            self.stdout.write(f"Пропущено (время прошло): {len(report.skipped_past)}")
