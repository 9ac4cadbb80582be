"""Named personas for admin tests: Anna and Igor, recruiters with staff logins (hc/test.py style)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission
from django.test import Client

from scheduling.access import RECRUITER_PERMISSIONS
from scheduling.models import City, Recruiter
from scheduling.tests.factories import CityFactory, RecruiterFactory, UserFactory


def recruiter_group() -> Group:
    """The «recruiters» group with the permissions seed_demo gives it."""
    group, _ = Group.objects.get_or_create(name="recruiters")
    group.permissions.set(
        [Permission.objects.get(content_type__app_label=app, codename=code) for app, code in RECRUITER_PERMISSIONS]
    )
    return group


def staff_user_for(recruiter: Recruiter, username: str, *, password: str = "") -> Any:
    """A staff login linked to the recruiter, in the recruiters group; with a password, one a browser can type."""
    user = UserFactory(username=username)
    if password:
        user.set_password(password)
        user.save()
    user.groups.add(recruiter_group())
    recruiter.user = user
    recruiter.save(update_fields=["user"])
    return user


def client_for(user: Any) -> Client:
    user.save()  # the factory sets the password without saving; the session hash must match the DB
    client = Client()
    client.force_login(user)
    return client


def make_moscow() -> City:
    return CityFactory(name="Москва", tz="Europe/Moscow")


def make_anna(city: City) -> Recruiter:
    """Persona: Anna, a recruiter in Moscow (her own zone)."""
    return RecruiterFactory(name="Анна Смирнова", tz="Europe/Moscow", cities=[city])


def make_igor() -> Recruiter:
    """Persona: Igor, another recruiter, in Novosibirsk."""
    city = CityFactory(name="Новосибирск", tz="Asia/Novosibirsk")
    return RecruiterFactory(name="Игорь Петров", tz="Asia/Novosibirsk", cities=[city])
