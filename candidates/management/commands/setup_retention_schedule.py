"""Deploy step: create or delete the daily personal-data purge schedule to match PERSONAL_DATA_RETENTION_DAYS."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from candidates.privacy import RETENTION_SCHEDULE_NAME, retention_schedule_ensure

_SAID = {
    "created": "расписание «{name}» создано: ежедневно стирать неактивных дольше {days} дн.",
    "kept": "расписание «{name}» уже есть: ежедневно стирать неактивных дольше {days} дн.",
    "deleted": "автоудаление выключено (PERSONAL_DATA_RETENTION_DAYS=0): расписание «{name}» удалено",
    "absent": "автоудаление выключено (PERSONAL_DATA_RETENTION_DAYS=0): расписания нет",
}


class Command(BaseCommand):
    help = (
        "Создать или удалить ежедневное расписание автоудаления персональных данных "
        "по настройке PERSONAL_DATA_RETENTION_DAYS (0 — выключено). Можно запускать повторно."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = retention_schedule_ensure()
        days = settings.PERSONAL_DATA_RETENTION_DAYS
        self.stdout.write(_SAID[result].format(name=RETENTION_SCHEDULE_NAME, days=days))
