"""The candidate page after the interview: Тест 2 with its answers, the intro day, the invitation form, stage counters.

Admin only displays and asks; `candidates.test2_services` and `scheduling.services.intro_day` decide.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from candidates import test2
from candidates.models import Candidate, CandidateStatus, Test2Attempt
from candidates.test2_services import answers_display
from notifications.conversation.time_labels import date_time_label
from scheduling import access
from scheduling.errors import DomainError
from scheduling.models import LIVE_STATUSES, Slot, SlotPurpose, SlotStatus
from scheduling.services import intro_day_invite


class IntroDayForm(forms.Form):
    """Date and time in the city's zone (named on the form), where, who meets them, a note."""

    date = forms.DateField(label="Дата", widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label="Время", widget=forms.TimeInput(attrs={"type": "time"}))
    duration_min = forms.IntegerField(label="Длительность, мин", min_value=15, max_value=12 * 60, initial=180)
    # The admin's wide text inputs: an address is read in full before it is sent.
    address = forms.CharField(label="Адрес", max_length=300, widget=forms.TextInput(attrs={"class": "vTextField"}))
    contact = forms.CharField(
        label="Контактное лицо",
        max_length=200,
        help_text="Имя и телефон того, кто встретит.",
        widget=forms.TextInput(attrs={"class": "vTextField"}),
    )
    note = forms.CharField(
        label="Примечание", required=False, widget=forms.Textarea(attrs={"rows": 3, "class": "vLargeTextField"})
    )

    def starts_at(self, tz: str) -> dt.datetime:
        """The chosen moment in the city's zone, as an aware datetime."""
        naive = dt.datetime.combine(self.cleaned_data["date"], self.cleaned_data["time"])
        return naive.replace(tzinfo=zoneinfo.ZoneInfo(tz))


# An intro day's slot statuses in the words of the invitation.
INTRO_STATES = {SlotStatus.BOOKED: "приглашён", SlotStatus.CONFIRMED: "придёт («Приду»)"}


def _last_attempt(candidate: Candidate) -> Test2Attempt | None:
    return candidate.test2_attempts.select_related("slot__recruiter", "slot__city").order_by("-invited_at").first()


class CandidateAfterInterviewMixin:
    """Fields, the invitation page and the counters of the stage after the interview (CandidateAdmin mixes it in)."""

    after_fields = ("rejected_stage", "test2_result", "test2_answers", "intro_day")
    change_list_template = "admin/candidates/candidate/change_list.html"

    @admin.display(description="Тест 2")
    def test2_result(self, obj: Candidate) -> str:
        attempt = _last_attempt(obj)
        if attempt is None:
            return "не приглашён"
        if attempt.finished_at is None:
            total = len(test2.QUESTIONS)
            return (
                f"приглашён, отвечено {len(attempt.answers)} из {total}" if attempt.answers else "приглашён, не начат"
            )
        verdict = "прошёл" if attempt.passed else "не прошёл"
        colour = "#2e7d32" if attempt.passed else "#c62828"
        total = len(test2.QUESTIONS)
        return format_html('<strong style="color:{}">{}</strong>: {} из {}', colour, verdict, attempt.score, total)

    @admin.display(description="Ответы Теста 2")
    def test2_answers(self, obj: Candidate) -> str:
        attempt = _last_attempt(obj)
        rows = answers_display(attempt) if attempt else []
        if not rows:
            return "—"
        body = format_html_join(
            "", "<tr><th>{}</th><td>{} {}</td></tr>", ((q, a, "✓" if right else "✗") for q, a, right in rows)
        )
        return format_html('<table class="test1-answers">{}</table>', body)

    @admin.display(description="Ознакомительный день")
    def intro_day(self, obj: Candidate) -> str:
        slot = (
            Slot.objects.filter(candidate=obj, purpose=SlotPurpose.INTRO_DAY, status__in=LIVE_STATUSES)
            .select_related("city")
            .first()
        )
        if slot is not None:
            when = f"{date_time_label(slot.starts_at, slot.city.tz)} ({slot.city.tz})"
            state = INTRO_STATES.get(slot.status, slot.get_status_display())
            return format_html("{} — {}, {}; {}", state, when, slot.intro_address, slot.intro_contact)
        if obj.status == CandidateStatus.TEST2_PASSED:
            url = reverse("admin:candidates_candidate_intro_day", args=[obj.pk])
            return format_html('<a class="button" href="{}">Пригласить на ознакомительный день</a>', url)
        return "—"

    def get_urls(self) -> list[Any]:
        view = self.admin_site.admin_view(self.intro_day_view)  # type: ignore[attr-defined]
        return [path("<int:pk>/intro-day/", view, name="candidates_candidate_intro_day"), *super().get_urls()]  # type: ignore[misc]

    def intro_day_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """«Пригласить на ознакомительный день»: the form, then the service; a refusal stays on the form."""
        candidate = get_object_or_404(self.get_queryset(request), pk=pk)  # type: ignore[attr-defined]
        attempt = _last_attempt(candidate)
        if attempt is None or not access.can_touch_slot(request.user, attempt.slot):
            raise PermissionDenied
        tz = attempt.slot.city.tz
        form = IntroDayForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                intro_day_invite(
                    candidate_id=candidate.pk,
                    starts_at=form.starts_at(tz),
                    duration_min=form.cleaned_data["duration_min"],
                    address=form.cleaned_data["address"],
                    contact=form.cleaned_data["contact"],
                    note=form.cleaned_data["note"],
                    actor_user=request.user,
                )
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                self.message_user(request, f"{candidate}: приглашение отправлено.", messages.SUCCESS)  # type: ignore[attr-defined]
                return HttpResponseRedirect(reverse("admin:candidates_candidate_change", args=[candidate.pk]))
        context = {
            **self.admin_site.each_context(request),  # type: ignore[attr-defined]
            "opts": Candidate._meta,
            "title": f"Пригласить на ознакомительный день: {candidate}",
            "candidate": candidate,
            "form": form,
            "tz": tz,
            "city": attempt.slot.city,
            "recruiter": attempt.slot.recruiter,
        }
        return TemplateResponse(request, "admin/candidates/candidate/intro_day_invite.html", context)

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        """Counters of every stage over the candidates this user may see, in one query."""
        visible: QuerySet[Candidate] = self.get_queryset(request)  # type: ignore[attr-defined]
        counts = dict(visible.order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
        current = request.GET.get("status__exact", "")
        stage_counters = [
            (value, label, counts.get(value, 0), value == current)
            for value, label in CandidateStatus.choices
            if counts.get(value) or value == current
        ]
        extra = {**(extra_context or {}), "stage_counters": stage_counters, "stage_total": sum(counts.values())}
        return super().changelist_view(request, extra_context=extra)  # type: ignore[misc]
