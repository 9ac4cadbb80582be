"""Admin forms: bulk slot creation (a working pattern in the recruiter's zone)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet

from scheduling.errors import InvalidInput
from scheduling.models import City, Recruiter
from scheduling.slot_planning import SlotPattern, validate

WEEKDAY_CHOICES = [
    ("1", "пн"),
    ("2", "вт"),
    ("3", "ср"),
    ("4", "чт"),
    ("5", "пт"),
    ("6", "сб"),
    ("7", "вс"),
]

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class BulkSlotForm(forms.Form):
    """Dates, weekdays, a daily window, a step and an optional break: what `create_slots` takes."""

    recruiter = forms.ModelChoiceField(label="Рекрутёр", queryset=Recruiter.objects.none())
    city = forms.ModelChoiceField(label="Город", queryset=City.objects.filter(is_active=True))
    date_from = forms.DateField(label="С даты", widget=_DATE)
    date_to = forms.DateField(label="По дату", widget=_DATE)
    weekdays = forms.MultipleChoiceField(
        label="Дни недели",
        choices=WEEKDAY_CHOICES,
        initial=["1", "2", "3", "4", "5"],
        widget=forms.CheckboxSelectMultiple,
    )
    start = forms.TimeField(label="Начало дня", widget=_TIME, initial=dt.time(10, 0))
    end = forms.TimeField(
        label="Конец дня",
        widget=_TIME,
        initial=dt.time(18, 0),
        help_text="Последний слот к этому времени заканчивается.",
    )
    step_min = forms.IntegerField(label="Шаг, мин", min_value=5, max_value=24 * 60, initial=60)
    duration_min = forms.IntegerField(
        label="Длительность, мин", min_value=5, max_value=24 * 60, required=False, help_text="По умолчанию равна шагу."
    )
    break_start = forms.TimeField(label="Перерыв с", widget=_TIME, required=False)
    break_end = forms.TimeField(label="Перерыв до", widget=_TIME, required=False)

    def __init__(self, *args: Any, recruiters: QuerySet[Recruiter], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recruiter"].queryset = recruiters
        if recruiters.count() == 1:
            self.fields["recruiter"].initial = recruiters.first()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        city, recruiter = data.get("city"), data.get("recruiter")
        if city is not None and recruiter is not None and not recruiter.cities.filter(pk=city.pk).exists():
            self.add_error("city", f"Рекрутёр {recruiter} не работает в городе {city}.")
        if self.errors:
            return data
        try:
            validate(self.pattern())
        except InvalidInput as exc:
            raise forms.ValidationError(str(exc)) from None
        return data

    def pattern(self) -> SlotPattern:
        """The SlotPattern the form describes, times in the chosen recruiter's zone."""
        data = self.cleaned_data
        return SlotPattern(
            tz=data["recruiter"].tz,
            date_from=data["date_from"],
            date_to=data["date_to"],
            start=data["start"],
            end=data["end"],
            step_min=data["step_min"],
            duration_min=data.get("duration_min") or None,
            weekdays=frozenset(int(day) for day in data["weekdays"]),
            break_start=data.get("break_start"),
            break_end=data.get("break_end"),
        )
