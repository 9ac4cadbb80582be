"""manage.py seed_demo: cities, recruiters with admin logins and a week of free slots. Idempotent."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from scheduling.access import LEAD_EXTRA_PERMISSIONS, LEAD_GROUP, RECRUITER_GROUP, RECRUITER_PERMISSIONS
from scheduling.models import City, Recruiter
from scheduling.services import slots_create_bulk
from scheduling.slot_planning import SlotPattern

CITIES = [("Москва", "Europe/Moscow"), ("Новосибирск", "Asia/Novosibirsk"), ("Екатеринбург", "Asia/Yekaterinburg")]
RECRUITERS = [
    # name, login, zone, cities, meeting
    ("Анна Смирнова", "anna", "Europe/Moscow", ["Москва", "Екатеринбург"], "https://meet.example.com/anna"),
    ("Игорь Петров", "igor", "Asia/Novosibirsk", ["Новосибирск"], "Новосибирск, ул. Ленина, 1, офис 5"),
]


class Command(BaseCommand):
    help = "Load demo data: cities, recruiters with admin logins, a week of slots (safe to run again)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password", default="demo12345", help="password of the demo logins")
        parser.add_argument("--days", type=int, default=7)

    @transaction.atomic
    def handle(self, *args: object, **opts: object) -> None:
        password = str(opts["password"])
        days = int(opts["days"])  # type: ignore[arg-type]
        User = get_user_model()
        cities = {name: City.objects.get_or_create(name=name, defaults={"tz": tz})[0] for name, tz in CITIES}
        group, _ = Group.objects.get_or_create(name=RECRUITER_GROUP)
        group.permissions.set(
            [Permission.objects.get(content_type__app_label=app, codename=code) for app, code in RECRUITER_PERMISSIONS]
        )
        Group.objects.get_or_create(name=LEAD_GROUP)[0].permissions.set(
            [*group.permissions.all()]
            + [
                Permission.objects.get(content_type__app_label=app, codename=code)
                for app, code in LEAD_EXTRA_PERMISSIONS
            ]
        )
        admin, created = User.objects.get_or_create(username="admin", defaults={"is_staff": True, "is_superuser": True})
        if created:
            admin.set_password(password)
            admin.save()
        total = 0
        for name, login, tz, city_names, meeting in RECRUITERS:
            user, created = User.objects.get_or_create(username=login, defaults={"is_staff": True, "first_name": name})
            if created:
                user.set_password(password)
                user.save()
            user.groups.add(group)
            recruiter, _ = Recruiter.objects.get_or_create(
                name=name, defaults={"user": user, "tz": tz, "meeting_url": meeting}
            )
            recruiter.cities.add(*(cities[c] for c in city_names))
            today = timezone.now().astimezone(recruiter.zone).date()
            for city_name in city_names:
                pattern = SlotPattern(
                    tz=tz,
                    date_from=today + dt.timedelta(days=1),
                    date_to=today + dt.timedelta(days=days),
                    start=dt.time(10, 0) if city_name == city_names[0] else dt.time(15, 0),
                    end=dt.time(14, 0) if city_name == city_names[0] else dt.time(18, 0),
                    step_min=60,
                    weekdays=frozenset(range(1, 8)),
                )
                report = slots_create_bulk(recruiter_id=recruiter.pk, city_id=cities[city_name].pk, pattern=pattern)
                total += len(report.created)
        self.stdout.write(
            f"Демо-данные готовы: городов {len(cities)}, рекрутёров {len(RECRUITERS)}, новых слотов {total}."
        )
        self.stdout.write(
            f"Вход в админку: admin / {password} (всё видит); рекрутёры: anna / {password}, igor / {password}"
        )
