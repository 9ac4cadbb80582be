from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _periodic_schedules_ensure(using: str = "default", **_: Any) -> None:
    from notifications.sweep import periodic_schedules_ensure

    periodic_schedules_ensure(using=using)


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Уведомления"

    def ready(self) -> None:
        # The periodic schedules exist on every migrated database, defined once (notifications.sweep).
        post_migrate.connect(_periodic_schedules_ensure, sender=self, dispatch_uid="notifications.periodic_schedules")
