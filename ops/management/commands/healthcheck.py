"""manage.py healthcheck: database, migrations, worker heartbeat, Telegram getMe, failed/overdue messages."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ops.health import ALL_CHECKS, health_report


class Command(BaseCommand):
    help = (
        "Проверить здоровье системы: база, миграции, воркер django-q2, Telegram getMe, "
        "уведомления с ошибкой и просроченные. Код выхода 1, если что-то не так."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="Вывести отчёт одним JSON-объектом.")
        parser.add_argument("--no-telegram", action="store_true", help="Не обращаться к Telegram (getMe).")
        parser.add_argument(
            "--checks",
            default="",
            help=f"Только эти проверки, через запятую (из: {', '.join(ALL_CHECKS)}).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        names = [n.strip() for n in options["checks"].split(",") if n.strip()] or list(ALL_CHECKS)
        unknown = [n for n in names if n not in ALL_CHECKS]
        if unknown:
            raise CommandError(f"неизвестные проверки: {', '.join(unknown)}")
        if options["no_telegram"]:
            names = [n for n in names if n != "telegram"]
        report = health_report(names)
        if options["json"]:
            self.stdout.write(report.as_json())
        else:
            for check in report.checks:
                mark = self.style.SUCCESS("ok  ") if check.ok else self.style.ERROR("FAIL")
                self.stdout.write(f"{mark} {check.name:<14} {check.detail}")
            verdict = "здоров" if report.is_healthy else "есть проблемы"
            self.stdout.write(verdict)
        if not report.is_healthy:
            sys.exit(1)
