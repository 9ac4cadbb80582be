"""Send one failed outbox row again (after the cause was fixed)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from notifications.models import NotificationLog
from notifications.services import notification_retry
from scheduling.errors import InvalidInput


class Command(BaseCommand):
    help = "Повторно отправить одно уведомление со статусом «ошибка»."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("notification_id", type=int)

    def handle(self, *args: Any, notification_id: int, **options: Any) -> None:
        try:
            row = notification_retry(notification_id=notification_id)
        except NotificationLog.DoesNotExist:
            raise CommandError(f"уведомление #{notification_id} не найдено") from None
        except InvalidInput as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(f"уведомление #{row.pk} снова в очереди"))
