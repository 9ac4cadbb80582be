"""Factories with minimal valid defaults; live states are made by the real services."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from scheduling.models import City, Recruiter, Slot


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "pass12345")


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = City
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Город {n}")
    tz = "Europe/Moscow"


class RecruiterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recruiter
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Рекрутёр {n}")
    tz = "Europe/Moscow"
    meeting_url = "https://meet.example.com/room"

    @factory.post_generation
    def cities(self, create: bool, extracted: list[City] | None, **kwargs: object) -> None:
        if create and extracted:
            self.cities.add(*extracted)


def _in_days(days: int = 1, hour: int = 10) -> dt.datetime:
    base = timezone.now().replace(minute=0, second=0, microsecond=0) + dt.timedelta(days=days)
    return base.replace(hour=hour)


class SlotFactory(factory.django.DjangoModelFactory):
    """A free slot of a recruiter who serves the slot's city."""

    class Meta:
        model = Slot
        skip_postgeneration_save = True

    recruiter = factory.SubFactory(RecruiterFactory)
    city = factory.SubFactory(CityFactory)
    starts_at = factory.Sequence(lambda n: _in_days(1 + n // 8, hour=8 + n % 8))
    duration_min = 60
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(minutes=o.duration_min))

    @factory.post_generation
    def serve_city(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.recruiter.cities.add(self.city)
