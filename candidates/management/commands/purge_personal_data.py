"""Retention: erase the personal data of candidates inactive for longer than --older-than days."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from candidates.privacy import candidates_purge
from scheduling.errors import DomainError


class Command(BaseCommand):
    help = (
        "Стереть персональные данные кандидатов без предстоящей записи и без активности дольше N дней. "
        "С --dry-run только показывает, кого это коснётся."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--older-than", type=int, required=True, metavar="DAYS", help="Дней без активности.")
        parser.add_argument("--dry-run", action="store_true", help="Ничего не менять, только показать.")

    def handle(self, *args: Any, older_than: int, dry_run: bool = False, **options: Any) -> None:
        try:
            report = candidates_purge(older_than_days=older_than, dry_run=dry_run)
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        zone = timezone.get_current_timezone()
        self.stdout.write(f"без активности с {report.cutoff.astimezone(zone):%Y-%m-%d %H:%M} ({older_than} дн.)")
        skipped = set(report.skipped_ids)
        for candidate_id, last_activity_at in report.last_activity:
            if dry_run:
                verb = "будет стёрт"
            else:
                verb = "пропущен: снова активен или записался" if candidate_id in skipped else "стёрт"
            self.stdout.write(
                f"кандидат #{candidate_id}\tпоследняя активность {last_activity_at.astimezone(zone):%Y-%m-%d %H:%M}"
                f"\t{verb}"
            )
        if dry_run:
            self.stdout.write(f"пробный запуск: будет стёрто {len(report.candidate_ids)}, ничего не изменено")
        else:
            self.stdout.write(f"стёрто: {len(report.candidate_ids)}, пропущено: {len(report.skipped_ids)}")
