"""The slot list's filters: dates in the viewer's zone, and only the cities the recruiter serves."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from scheduling import access
from scheduling.admin.scoping import viewer_tz
from scheduling.models import City, Slot


class SlotDateFilter(admin.ListFilter):
    """Today / tomorrow / this week / upcoming / past, or a date range, in the viewer's zone."""

    title = "дата"
    template = "admin/scheduling/slot/date_filter.html"
    parameter_names = ("date", "date_from", "date_to")
    choices_list = [
        ("today", "Сегодня"),
        ("tomorrow", "Завтра"),
        ("week", "Эта неделя"),
        ("upcoming", "Предстоящие"),
        ("past", "Прошедшие"),
    ]

    def __init__(self, request: HttpRequest, params: dict[str, list[str]], model: Any, model_admin: Any) -> None:
        super().__init__(request, params, model, model_admin)
        for name in self.parameter_names:
            if name in params:
                self.used_parameters[name] = params.pop(name)[-1]
        self.tz = viewer_tz(request.user)
        self.preserved = [
            (key, value)
            for key, values in request.GET.lists()
            if key not in (*self.parameter_names, "p")
            for value in values
        ]

    def has_output(self) -> bool:
        return True

    def expected_parameters(self) -> list[str]:
        return list(self.parameter_names)

    def choices(self, changelist: Any) -> Any:
        current = self.used_parameters.get("date")
        yield {
            "selected": not self.used_parameters,
            "query_string": changelist.get_query_string(remove=list(self.parameter_names)),
            "display": "Любая",
        }
        for value, label in self.choices_list:
            yield {
                "selected": current == value,
                "query_string": changelist.get_query_string({"date": value}, ["date_from", "date_to"]),
                "display": label,
            }

    def _day_start(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time.min, tzinfo=zoneinfo.ZoneInfo(self.tz))

    def queryset(self, request: HttpRequest, queryset: QuerySet[Slot]) -> QuerySet[Slot]:
        now = timezone.now()
        today = timezone.localtime(now, zoneinfo.ZoneInfo(self.tz)).date()
        one_day = dt.timedelta(days=1)
        value = self.used_parameters.get("date")
        if value == "today":
            queryset = queryset.filter(
                starts_at__gte=self._day_start(today), starts_at__lt=self._day_start(today + one_day)
            )
        elif value == "tomorrow":
            queryset = queryset.filter(
                starts_at__gte=self._day_start(today + one_day), starts_at__lt=self._day_start(today + 2 * one_day)
            )
        elif value == "week":
            monday = today - dt.timedelta(days=today.weekday())
            queryset = queryset.filter(
                starts_at__gte=self._day_start(monday), starts_at__lt=self._day_start(monday + 7 * one_day)
            )
        elif value == "upcoming":
            queryset = queryset.filter(starts_at__gte=now)
        elif value == "past":
            queryset = queryset.filter(starts_at__lt=now)
        for name, lookup, shift in (("date_from", "starts_at__gte", 0), ("date_to", "starts_at__lt", 1)):
            raw = self.used_parameters.get(name)
            if raw:
                try:
                    day = dt.date.fromisoformat(raw)
                except ValueError:
                    raise admin.options.IncorrectLookupParameters(f"{name}: {raw}") from None
                queryset = queryset.filter(**{lookup: self._day_start(day + dt.timedelta(days=shift))})
        return queryset


class ServedCityFilter(admin.RelatedFieldListFilter):
    """City filter limited to the recruiter's own cities (all cities for a lead)."""

    def field_choices(self, field: Any, request: HttpRequest, model_admin: Any) -> list[tuple[Any, str]]:
        recruiter = None if access.is_lead(request.user) else access.recruiter_for(request.user)
        cities = recruiter.cities.all() if recruiter else City.objects.all()
        return [(city.pk, str(city)) for city in cities.order_by("name")]
