"""«Воронка» at /admin/funnel/: where the candidates who started in a period dropped off.

Leads (superusers and the lead group) see everything and may narrow by recruiter; a recruiter sees
only the candidates who sent them a request; other staff get 403. The counting is in
scheduling/reports/funnel.py; this module only reads the filters and renders.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import ngettext

from candidates.models import Vacancy, VacancySource
from notifications.conversation.time_labels import iana_zone_label
from scheduling import access
from scheduling.admin.funnel_charts import funnel_charts
from scheduling.admin.scoping import viewer_tz
from scheduling.admin.slots import duration_label
from scheduling.models import City, Recruiter
from scheduling.reports.funnel import FunnelFilters, funnel_get

MAX_DAYS = 366
DATE_FORMATS = ["%d.%m.%Y", "%Y-%m-%d"]


class FunnelForm(forms.Form):
    """The page's GET filters; a recruiter's form has no recruiter choice (they see their own numbers)."""

    period = forms.ChoiceField(
        label="Период",
        choices=[("week", "Эта неделя"), ("4weeks", "Последние 4 недели"), ("custom", "Свои даты")],
        required=False,
    )
    date_from = forms.DateField(
        label="с",
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label="по",
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    # Plain choices filled once in __init__: a ModelChoiceField queries again to validate each chosen value.
    city = forms.TypedChoiceField(label="Город", required=False, coerce=int, empty_value=None)
    recruiter = forms.TypedChoiceField(label="Рекрутёр", required=False, coerce=int, empty_value=None)
    vacancy = forms.TypedChoiceField(label="Вакансия", required=False, coerce=int, empty_value=None)
    source = forms.TypedChoiceField(label="Источник", required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, for_recruiter: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if for_recruiter:
            del self.fields["recruiter"]
        options = {
            "city": ("все города", City.objects.values_list("pk", "name")),
            "recruiter": ("все рекрутёры", Recruiter.objects.values_list("pk", "name")),
            "vacancy": ("все вакансии", Vacancy.objects.values_list("pk", "title")),
            "source": ("все источники", VacancySource.objects.values_list("pk", "vacancy__title", "name")),
        }
        for name, (everything, rows) in options.items():
            if name in self.fields:
                self.fields[name].choices = [("", everything), *((pk, " — ".join(labels)) for pk, *labels in rows)]
        for name in ("date_from", "date_to"):
            label = self.fields[name].label
            self.fields[name].error_messages["invalid"] = (
                f"Дата в поле «{label}» не распознана: нужна дата вида 01.12.2026."
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("period") == "custom":
            start, end = data.get("date_from"), data.get("date_to")
            if not self.errors and (start is None or end is None):
                raise forms.ValidationError("Для своих дат укажите обе: «с» и «по».")
            if start and end and start > end:
                raise forms.ValidationError("Дата «с» позже даты «по».")
            if start and end and (end - start).days >= MAX_DAYS:
                raise forms.ValidationError(f"Период длиннее {MAX_DAYS} дней: выберите покороче.")
        return data

    def filters(self, *, tz: zoneinfo.ZoneInfo, now: dt.datetime, recruiter_id: int | None) -> FunnelFilters:
        """The chosen period as [start, end) in the viewer's zone, weeks starting on Monday."""
        data = self.cleaned_data
        today = timezone.localtime(now, tz).date()
        monday = today - dt.timedelta(days=today.weekday())
        period = data.get("period") or "week"
        if period == "custom":
            first, last = data["date_from"], data["date_to"]
        elif period == "4weeks":
            first, last = monday - dt.timedelta(weeks=3), monday + dt.timedelta(days=6)
        else:
            first, last = monday, monday + dt.timedelta(days=6)
        return FunnelFilters(
            start=dt.datetime.combine(first, dt.time(), tzinfo=tz),
            end=dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tzinfo=tz),
            tz=tz,
            city_id=data.get("city"),
            recruiter_id=recruiter_id if recruiter_id is not None else data.get("recruiter"),
            vacancy_id=data.get("vacancy"),
            source_id=data.get("source"),
        )


def candidates_label(count: int) -> str:
    return ngettext("%(count)d candidate", "%(count)d candidates", count) % {"count": count}


def requests_label(count: int) -> str:
    return ngettext("over %(count)d request", "over %(count)d requests", count) % {"count": count}


def funnel_view(request: HttpRequest) -> TemplateResponse:
    """The funnel page: the filters form, the table, the charts and the timing figures."""
    user = request.user
    is_lead = access.is_lead(user)
    own = access.recruiter_for(user)
    if not is_lead and own is None:
        raise PermissionDenied("Воронка доступна руководителям найма и рекрутёрам.")
    form = FunnelForm(request.GET or {"period": "week"}, for_recruiter=not is_lead)
    tz = zoneinfo.ZoneInfo(viewer_tz(user))
    now = timezone.now()
    report = charts = None
    if form.is_valid():
        report = funnel_get(form.filters(tz=tz, now=now, recruiter_id=None if is_lead else own.pk))  # type: ignore[union-attr]
        charts = funnel_charts(report)
    context = {
        **admin.site.each_context(request),
        "title": "Воронка найма",
        "form": form,
        "report": report,
        "charts": charts,
        "own": None if is_lead else own,
        "zone": iana_zone_label(str(tz), now),
    }
    if report is not None:
        last_day = report.filters.end - dt.timedelta(days=1)
        context |= {
            "period_label": f"с {report.filters.start:%d.%m.%Y} по {last_day:%d.%m.%Y}",
            "started_label": candidates_label(report.count("started") or 0)
            if report.count("started") is not None
            else "",
            "requested_label": candidates_label(report.count("requested") or 0),
            "decisions_label": requests_label(report.decisions),
            "p50_label": duration_label(report.decision_p50) if report.decision_p50 is not None else "—",
            "p90_label": duration_label(report.decision_p90) if report.decision_p90 is not None else "—",
        }
    return TemplateResponse(request, "admin/funnel.html", context)


urlpatterns = [path("", admin.site.admin_view(funnel_view), name="admin-funnel")]
