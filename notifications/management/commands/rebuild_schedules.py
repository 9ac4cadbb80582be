"""After an outage or a restore: rebuild every django-q2 schedule and task from the outbox rows."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django_q.models import Schedule

from notifications import dispatch
from notifications.delivery import stale_sending_release
from notifications.models import NotificationLog, NotificationStatus
from notifications.sweep import periodic_schedules_ensure


class Command(BaseCommand):
    help = (
        "Пересоздать расписания доставки по строкам уведомлений: периодическую проверку, "
        "разовые расписания будущих сообщений и задачи для уже наступивших."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--release-sending",
            action="store_true",
            help="Вернуть в очередь и строки «отправляется» (только когда ни один воркер не запущен).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Только показать, что будет сделано.")

    def handle(self, *args: Any, release_sending: bool = False, dry_run: bool = False, **options: Any) -> None:
        now = timezone.now()
        pending = NotificationLog.objects.filter(status=NotificationStatus.PENDING)
        due = list(pending.filter(due_at__lte=now).values_list("pk", "due_at"))
        future = list(pending.filter(due_at__gt=now).values_list("pk", "due_at"))
        live_names = {dispatch.schedule_name(pk) for pk, _ in future}
        orphans = Schedule.objects.filter(name__startswith="notification-").exclude(name__in=live_names)
        sending = NotificationLog.objects.filter(status=NotificationStatus.SENDING).count()
        self.stdout.write(
            f"к отправке сейчас: {len(due)}, по расписанию: {len(future)}, "
            f"лишних расписаний: {orphans.count()}, в состоянии «отправляется»: {sending}"
        )
        if dry_run:
            return
        periodic_schedules_ensure()
        orphans.delete()
        released = stale_sending_release(now=now, lease_override=0.0 if release_sending else None)
        dispatch.enqueue_now(due + [(pk, now) for pk in released] + future)
        self.stdout.write(
            self.style.SUCCESS(
                f"готово: поставлено в очередь {len(due) + len(released)}, расписаний {len(future)}, "
                f"возвращено из «отправляется» {len(released)}"
            )
        )
