"""List outbox rows that could not be delivered, with the reason."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from notifications.models import NotificationLog, NotificationStatus


class Command(BaseCommand):
    help = "Показать уведомления, которые не удалось доставить, и причину."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=50)

    def handle(self, *args: Any, limit: int = 50, **options: Any) -> None:
        rows = (
            NotificationLog.objects.filter(status=NotificationStatus.FAILED)
            .select_related("candidate", "recruiter")
            .order_by("-updated_at")[:limit]
        )
        count = 0
        for row in rows:
            count += 1
            whom = row.candidate if row.recipient == "candidate" else row.recruiter
            self.stdout.write(
                f"#{row.pk}\t{row.updated_at:%Y-%m-%d %H:%M}\t{row.kind}\t{whom}\t"
                f"попыток {row.attempts}\t{row.last_error}"
            )
        if not count:
            self.stdout.write("неотправленных с ошибкой нет")
