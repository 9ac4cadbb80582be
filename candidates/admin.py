"""Candidate pages for recruiters: answers, journey, slot history and every message with its delivery."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.translation import ngettext_lazy

from candidates.admin_actions import erase_personal_data
from candidates.admin_after import CandidateAfterInterviewMixin
from candidates.exports import CandidateExportResource
from candidates.models import Candidate
from notifications.models import NotificationLog, NotificationStatus
from scheduling import access
from scheduling.admin.exports import ScopedExportMixin
from scheduling.admin.scoping import ReadOnlyInline, ScopedObjectMixin, slot_when
from scheduling.admin.titles import RussianTitlesMixin
from scheduling.models import Slot, SlotEvent, SlotOutcome
from scheduling.selectors import candidate_rejection_reason

logger = logging.getLogger(__name__)


def answers_in_order(answers: Mapping[str, Any], candidate: Candidate | None = None) -> list[tuple[str, str]]:
    """(question, answer) rows in the order of the candidate's Тест 1 version, each question as they saw it."""
    if not isinstance(answers, Mapping):
        return []
    rows: list[tuple[str, str]] = []
    known: set[str] = set()
    try:
        from candidates.vacancies import bank

        asked = (candidate.test1_questions or {}) if candidate is not None else {}
        # The bank's rows already end with the keys it lacks, each under the question as stored.
        rows = (bank.for_candidate(candidate) if candidate else bank.for_version(None)).answers_display(answers, asked)
        known = set(answers)
    except Exception:
        # The bank is another module's data: a change there must not take the candidate page down.
        logger.exception("could not order Тест 1 answers by the question bank; showing them as stored")
        rows, known = [], set()
    rows.extend((str(key), str(value)) for key, value in answers.items() if key not in known)
    return rows


class CandidateEventInline(ReadOnlyInline):
    model = SlotEvent
    fk_name = "candidate"
    fields = ("created_at", "slot_time", "recruiter", "actor", "from_status", "to_status", "reason")
    readonly_fields = fields
    verbose_name_plural = "История записей (слоты)"

    def get_queryset(self, request: HttpRequest) -> QuerySet[SlotEvent]:
        # Django builds inlines afresh for every request, so the viewer kept here is this request's.
        self.viewer = request.user
        qs = super().get_queryset(request).select_related("slot__recruiter", "slot__city").order_by("created_at", "id")
        return access.slot_events_visible(qs, request.user)

    @admin.display(description="время слота")
    def slot_time(self, obj: SlotEvent) -> str:
        return slot_when(self.viewer, obj.slot)

    @admin.display(description="рекрутёр")
    def recruiter(self, obj: SlotEvent) -> str:
        return str(obj.slot.recruiter)


class CandidateAttendanceInline(ReadOnlyInline):
    """One line per interview with a recorded outcome: a no-show is seen at a glance, not found in the history."""

    model = Slot
    fk_name = "candidate"
    fields = ("attendance",)
    readonly_fields = fields
    verbose_name = "собеседование"
    verbose_name_plural = "Явка на собеседования"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Slot]:
        self.viewer = request.user
        qs = super().get_queryset(request).exclude(outcome=SlotOutcome.NONE).select_related("recruiter", "city")
        return access.slots_visible(qs.order_by("starts_at"), request.user)

    @admin.display(description="итог")
    def attendance(self, obj: Slot) -> str:
        when = slot_when(self.viewer, obj)
        what = "ознакомительный день" if obj.is_intro_day else "собеседование"
        if obj.outcome == SlotOutcome.NO_SHOW:
            return format_html('<strong style="color:#c62828">Не пришёл на {} {}</strong>', what, when)
        if obj.is_intro_day:
            return f"Пришёл на ознакомительный день {when}"
        # «Прошёл собеседование» names the interview already; «пришёл» alone would not.
        label = "Пришёл на собеседование" if obj.outcome == SlotOutcome.ATTENDED else obj.get_outcome_display()
        return f"{label[0].upper()}{label[1:]} {when}"


class CandidateMessageInline(ReadOnlyInline):
    model = NotificationLog
    fk_name = "candidate"
    fields = ("created_at", "kind", "recipient", "due_at", "delivery", "attempts", "sent_at", "text")
    readonly_fields = fields
    verbose_name_plural = "Сообщения и их доставка"

    def get_queryset(self, request: HttpRequest) -> QuerySet[NotificationLog]:
        qs = super().get_queryset(request).order_by("created_at", "id")
        return access.notifications_visible(qs, request.user)

    @admin.display(description="доставка")
    def delivery(self, obj: NotificationLog) -> str:
        if obj.status == NotificationStatus.FAILED:
            return format_html('<strong style="color:#c62828">ошибка: {}</strong>', obj.last_error or "—")
        return obj.get_status_display()


@admin.register(Candidate)
class CandidateAdmin(
    CandidateAfterInterviewMixin, RussianTitlesMixin, ScopedObjectMixin, ScopedExportMixin, admin.ModelAdmin
):
    resource_classes = (CandidateExportResource,)
    accusative = "кандидата"
    count_forms = ngettext_lazy("%(count)d candidate", "%(count)d candidates", "count")
    list_display = ("__str__", "username", "city", "status", "reachable", "test1_completed_at", "created_at")
    list_filter = ("status", "rejected_stage", "is_reachable", "city")
    list_select_related = ("city",)
    search_fields = ("full_name", "username")
    show_full_result_count = False
    actions = (erase_personal_data,)  # acts only on the candidates get_queryset lets this user see
    inlines = (CandidateAttendanceInline, CandidateEventInline, CandidateMessageInline)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "full_name",
                    "telegram_link",
                    "city",
                    "status",
                    "test1_knockout",
                    "rejection_reason",
                    "reachable",
                )
            },
        ),
        ("Тест 1", {"fields": ("test1_table", "test1_step", "test1_completed_at")}),
        ("Вакансия", {"fields": ("vacancy", "source", "test1_version")}),
        ("После собеседования", {"fields": CandidateAfterInterviewMixin.after_fields}),
        ("Пожелание по времени", {"fields": ("preferred_time_note", "preferred_time_at")}),
        ("Согласие на обработку данных", {"fields": ("consent_given_at", "consent_version", "consent_declined_at")}),
        ("Служебное", {"classes": ("collapse",), "fields": ("telegram_id", "created_at", "last_activity_at")}),
    )
    # Everything on the page is read-only: erasure and the bot are the only ways to change a candidate.
    readonly_fields = tuple(name for _, options in fieldsets for name in options["fields"])

    def get_queryset(self, request: HttpRequest) -> QuerySet[Candidate]:
        return access.candidates_visible(super().get_queryset(request), request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # candidates come from the bot

    def has_delete_permission(self, request: HttpRequest, obj: Candidate | None = None) -> bool:
        return False  # erasure goes through /delete_my_data, which keeps the audit trail consistent

    @admin.display(description="Отсев по Тесту 1")
    def test1_knockout(self, obj: Candidate) -> str:
        return obj.knockout_reason or "—"

    @admin.display(description="Причина отсева")
    def rejection_reason(self, obj: Candidate) -> str:
        return candidate_rejection_reason(candidate_id=obj.pk) or "—"

    @admin.display(description="доступен в Telegram", boolean=False)
    def reachable(self, obj: Candidate) -> str:
        if obj.is_reachable:
            return "да"
        return format_html(
            '<strong style="color:#c62828">недоступен</strong>{}',
            f": {obj.unreachable_reason}" if obj.unreachable_reason else "",
        )

    @admin.display(description="Telegram")
    def telegram_link(self, obj: Candidate) -> str:
        if obj.username:
            return format_html(
                '<a href="https://t.me/{}" target="_blank" rel="noopener">@{} — открыть чат</a>',
                obj.username,
                obj.username,
            )
        return "username не указан"

    @admin.display(description="Ответы")
    def test1_table(self, obj: Candidate) -> str:
        rows = answers_in_order(obj.test1_answers or {}, obj)
        if not rows:
            return "нет ответов"
        body = format_html_join("", "<tr><th>{}</th><td>{}</td></tr>", rows)
        return format_html('<table class="test1-answers">{}</table>', body)


import candidates.vacancies.admin  # noqa: E402, F401  (the lead's vacancy pages register themselves)
