"""The slot list with status counters and delivery state, the slot page, and bulk creation.

Every change goes through `scheduling.services`; the admin only translates clicks into service
calls and reports each result. The decisions themselves live in `decisions.py`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.options import ShowFacets
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, F, OuterRef, QuerySet, Subquery, Value, When
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import ngettext_lazy

from notifications.conversation.time_labels import date_time_label, iana_zone_label
from notifications.models import NotificationLog, NotificationStatus, Recipient
from scheduling import access
from scheduling.admin.attendance import NO_SHOW, OUTCOME_PARAM, AttendanceFilter, SlotAttendanceMixin
from scheduling.admin.changelist import STATUS_PARAM, CountedPaginator, SlotChangeList
from scheduling.admin.decisions import SlotDecisionsMixin
from scheduling.admin.exports import ScopedExportMixin, SlotExportResource
from scheduling.admin.filters import ServedCityFilter, SlotDateFilter
from scheduling.admin.scoping import ReadOnlyInline, ScopedObjectMixin, slot_title, viewer_tz
from scheduling.admin.titles import RussianTitlesMixin
from scheduling.errors import DomainError
from scheduling.forms import BulkSlotForm
from scheduling.models import City, Recruiter, Slot, SlotEvent, SlotStatus
from scheduling.services import slots_create_bulk

COUNTER_LABELS = [
    (SlotStatus.FREE.value, "свободные"),
    (SlotStatus.PENDING.value, "ожидают решения"),
    (SlotStatus.BOOKED.value, "согласованы"),
    (SlotStatus.CONFIRMED.value, "подтверждены кандидатом"),
    (SlotStatus.CANCELED.value, "отменены"),
    ("total", "всего"),
    # Not statuses: they link to the attendance filter (slot_counters names them like its values).
    ("attended", "пришли"),
    (NO_SHOW, "не пришли"),
]
ATTENDANCE_COUNTERS = ("attended", NO_SHOW)

BADGE_COLORS = {
    SlotStatus.FREE: "#2e7d32",
    SlotStatus.PENDING: "#ef6c00",
    SlotStatus.BOOKED: "#1565c0",
    SlotStatus.CONFIRMED: "#6a1b9a",
    SlotStatus.CANCELED: "#757575",
}

DELIVERY_MARKS = {
    NotificationStatus.SENT: "✓",
    NotificationStatus.PENDING: "…",
    NotificationStatus.SENDING: "…",
    NotificationStatus.FAILED: "✗",
    NotificationStatus.CANCELED: "—",
    NotificationStatus.SKIPPED: "—",
}


def duration_label(delta: dt.timedelta) -> str:
    """«2 ч 05 мин» / «3 дн 4 ч»: how long something has been waiting."""
    minutes = max(int(delta.total_seconds() // 60), 0)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} дн {hours} ч"
    if hours:
        return f"{hours} ч {mins:02d} мин"
    return f"{mins} мин"


def _counter_link(cl: ChangeList, key: str) -> dict[str, Any]:
    """Where a counter leads and whether it is the chosen one: a status, all slots, or an attendance."""
    if key in ATTENDANCE_COUNTERS:
        return {
            "url": cl.get_query_string({OUTCOME_PARAM: key}, [STATUS_PARAM, "p"]),
            "selected": cl.params.get(OUTCOME_PARAM) == key,
        }
    return {
        "url": cl.get_query_string({STATUS_PARAM: key} if key != "total" else {}, [STATUS_PARAM, "p"]),
        "selected": cl.params.get(STATUS_PARAM) == key or (key == "total" and STATUS_PARAM not in cl.params),
    }


class SlotEventInline(ReadOnlyInline):
    model = SlotEvent
    fk_name = "slot"
    fields = ("created_at", "actor", "actor_user", "from_status", "to_status", "candidate", "reason")
    readonly_fields = fields
    ordering = ("created_at", "id")
    verbose_name_plural = "История слота"

    def get_queryset(self, request: HttpRequest) -> QuerySet[SlotEvent]:
        return super().get_queryset(request).select_related("actor_user", "candidate")


class SlotNotificationInline(ReadOnlyInline):
    model = NotificationLog
    fk_name = "slot"
    fields = ("created_at", "kind", "recipient", "candidate", "status", "attempts", "sent_at", "last_error")
    readonly_fields = fields
    verbose_name_plural = "Сообщения по слоту"

    def get_queryset(self, request: HttpRequest) -> QuerySet[NotificationLog]:
        return super().get_queryset(request).select_related("candidate").order_by("created_at", "id")


@admin.register(Slot)
class SlotAdmin(RussianTitlesMixin, ScopedObjectMixin, ScopedExportMixin, SlotAttendanceMixin):
    resource_classes = (SlotExportResource,)
    count_forms = ngettext_lazy("%(count)d slot", "%(count)d slots", "count")
    change_list_template = "admin/scheduling/slot/change_list.html"
    actions = (*SlotDecisionsMixin.actions, *SlotAttendanceMixin.attendance_actions)
    change_form_template = "admin/scheduling/slot/change_form.html"
    list_display = (
        "starts_local",
        "city",
        "recruiter",
        "candidate_link",
        "status_badge",
        "outcome",
        "pending_age",
        "delivery_state",
    )
    list_display_links = ("starts_local",)
    list_select_related = ("recruiter", "city", "candidate")
    list_per_page = 50
    show_full_result_count = False
    show_facets = ShowFacets.NEVER
    inlines = (SlotEventInline, SlotNotificationInline)
    fields = (
        "recruiter",
        "city",
        "starts_local",
        "duration_min",
        "status_badge",
        "candidate_link",
        "reservation_id",
        "reserved_at",
        "decided_at",
        "confirmed_at",
        "outcome",
        "outcome_note",
    )
    readonly_fields = fields

    # ---- scoping and permissions -------------------------------------------------------------

    def get_queryset(self, request: HttpRequest) -> QuerySet[Slot]:
        latest = NotificationLog.objects.filter(slot_id=OuterRef("pk"), recipient=Recipient.CANDIDATE).order_by(
            "-created_at", "-id"
        )
        # The ChangeList orders by get_ordering itself; ModelAdmin.get_queryset would add the same terms twice.
        qs = (
            super()
            .get_queryset(request)
            .order_by()
            .annotate(
                last_msg_status=Subquery(latest.values("status")[:1]),
                last_msg_error=Subquery(latest.values("last_error")[:1]),
                last_msg_kind=Subquery(latest.values("kind")[:1]),
            )
        )
        return access.slots_visible(qs, request.user)

    def get_ordering(self, request: HttpRequest) -> list[Any]:
        # Upcoming slots first (soonest on top), then past ones (most recent first).
        now = timezone.now()
        is_past = Case(When(starts_at__lt=now, then=Value(1)), default=Value(0))
        upcoming_at = Case(When(starts_at__gte=now, then=F("starts_at")))
        return [is_past.asc(), upcoming_at.asc(nulls_last=True), F("starts_at").desc()]

    def get_list_display(self, request: HttpRequest) -> tuple[str, ...]:
        if access.is_lead(request.user):
            # A lead has no zone of their own: each slot in its city's zone.
            return tuple("starts_city_local" if name == "starts_local" else name for name in self.list_display)
        return tuple(name for name in self.list_display if name != "recruiter")

    def get_list_display_links(self, request: HttpRequest, list_display: Any) -> tuple[str, ...]:
        return (list_display[0],)

    def get_fields(self, request: HttpRequest, obj: Slot | None = None) -> Any:
        if access.is_lead(request.user):
            return tuple("starts_city_local" if name == "starts_local" else name for name in self.fields)
        return self.fields

    def get_readonly_fields(self, request: HttpRequest, obj: Slot | None = None) -> Any:
        return self.get_fields(request, obj)

    def render_change_form(self, request: HttpRequest, context: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        obj = kwargs.get("obj")
        if obj is not None:
            context["subtitle"] = slot_title(request.user, obj)
        return super().render_change_form(request, context, *args, **kwargs)

    def get_list_filter(self, request: HttpRequest) -> list[Any]:
        filters: list[Any] = ["status", ("city", ServedCityFilter), SlotDateFilter, AttendanceFilter, "purpose"]
        if access.is_lead(request.user):
            filters.insert(1, "recruiter")
        return filters

    def has_view_permission(self, request: HttpRequest, obj: Slot | None = None) -> bool:
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or access.can_touch_slot(request.user, obj))

    def has_change_permission(self, request: HttpRequest, obj: Slot | None = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or access.can_touch_slot(request.user, obj))

    def has_delete_permission(self, request: HttpRequest, obj: Slot | None = None) -> bool:
        # Deleting a live slot would skip the cancel transition and leave the candidate uninformed.
        if obj is not None and (obj.is_live or not access.can_touch_slot(request.user, obj)):
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # bulk delete would not check each slot's status
        return actions

    # ---- list: counters, columns ---------------------------------------------------------------

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return SlotChangeList

    def get_paginator(self, request: HttpRequest, queryset: QuerySet[Slot], per_page: int, **kwargs: Any) -> Paginator:
        # SlotChangeList counted the slots per status just before; the chosen status's count is the row count.
        counters = request.slot_counters  # type: ignore[attr-defined]
        chosen = request.GET.get(STATUS_PARAM)
        total = counters["total"] if chosen is None else counters.get(chosen, 0) if chosen != "total" else 0
        return CountedPaginator(queryset, per_page, total=total, **kwargs)

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        counters = getattr(request, "slot_counters", None)
        context = getattr(response, "context_data", None)
        if counters is not None and context is not None and "cl" in context:
            cl = context["cl"]
            context["slot_counters"] = [
                {"key": key, "label": label, "value": counters[key], **_counter_link(cl, key)}
                for key, label in COUNTER_LABELS
            ]
            context["bulk_url"] = reverse("admin:scheduling_slot_bulk")
            context["viewer_zone"] = iana_zone_label(viewer_tz(request.user))
        return response

    @admin.display(description="Начало", ordering="starts_at")
    def starts_local(self, obj: Slot) -> str:
        # A recruiter sees only their own slots: their zone is the slot recruiter's.
        return _start_label(obj, obj.recruiter.tz)

    @admin.display(description="Начало (время города)", ordering="starts_at")
    def starts_city_local(self, obj: Slot) -> str:
        return _start_label(obj, obj.city.tz)

    @admin.display(description="Кандидат", ordering="candidate__full_name")
    def candidate_link(self, obj: Slot) -> str:
        if obj.candidate_id is None:
            return "—"
        url = reverse("admin:candidates_candidate_change", args=[obj.candidate_id])
        return format_html('<a href="{}">{}</a>', url, str(obj.candidate))

    @admin.display(description="Статус", ordering="status")
    def status_badge(self, obj: Slot) -> str:
        return format_html(
            '<span class="slot-badge slot-badge-{}" style="background:{};color:#fff;padding:2px 8px;'
            'border-radius:10px;white-space:nowrap">{}</span>',
            obj.status,
            BADGE_COLORS.get(obj.status, "#555"),
            obj.get_status_display(),
        )

    @admin.display(description="Ждёт решения")
    def pending_age(self, obj: Slot) -> str:
        if obj.status != SlotStatus.PENDING or obj.reserved_at is None:
            return "—"
        return duration_label(timezone.now() - obj.reserved_at)

    @admin.display(description="Последнее сообщение кандидату")
    def delivery_state(self, obj: Slot) -> str:
        status = getattr(obj, "last_msg_status", None)
        if status is None:
            return "—"
        label = NotificationStatus(status).label
        kind = getattr(obj, "last_msg_kind", "") or ""
        kind_label = NotificationLog(kind=kind).get_kind_display() if kind else ""
        error = getattr(obj, "last_msg_error", "") or ""
        if status == NotificationStatus.FAILED and error:
            return format_html(
                '<span class="delivery delivery-failed" style="color:#c62828">{} {}: {}</span><br><small>{}</small>',
                DELIVERY_MARKS[status],
                label,
                error[:120],
                kind_label,
            )
        return format_html(
            '<span class="delivery delivery-{}">{} {}</span><br><small>{}</small>',
            status,
            DELIVERY_MARKS.get(status, ""),
            label,
            kind_label,
        )

    # ---- bulk creation -------------------------------------------------------------------------

    def get_urls(self) -> list[Any]:
        bulk = path("bulk/", self.admin_site.admin_view(self.bulk_view), name="scheduling_slot_bulk")
        return [bulk, *super().get_urls()]

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context: dict[str, Any] | None = None) -> Any:
        # One creation path for one slot or many: the bulk page (a one-day, one-step pattern is one slot).
        return HttpResponseRedirect(reverse("admin:scheduling_slot_bulk"))

    def bulk_view(self, request: HttpRequest) -> HttpResponse:
        """Create free slots from a pattern; preview the count first, then create and report skips."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        recruiters = access.recruiters_visible(Recruiter.objects.filter(is_active=True), request.user)
        form = BulkSlotForm(request.POST or None, recruiters=recruiters)
        report = None
        if request.method == "POST" and form.is_valid():
            recruiter, city = form.cleaned_data["recruiter"], form.cleaned_data["city"]
            create = "_create" in request.POST
            try:
                report = slots_create_bulk(
                    recruiter_id=recruiter.pk, city_id=city.pk, pattern=form.pattern(), dry_run=not create
                )
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                if create:
                    self._report_created(request, recruiter, city, report)
                    changelist = reverse("admin:scheduling_slot_changelist")
                    return HttpResponseRedirect(f"{changelist}?recruiter__id__exact={recruiter.pk}&date=upcoming")
        tz = form.cleaned_data["recruiter"].tz if report is not None else None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Создать слоты пачкой",
            "form": form,
            "report": report,
            "preview": _report_lines(report, tz) if report is not None and tz else None,
        }
        return TemplateResponse(request, "admin/scheduling/slot/bulk_create.html", context)

    def _report_created(self, request: HttpRequest, recruiter: Recruiter, city: City, report: Any) -> None:
        lines = _report_lines(report, recruiter.tz)
        self.message_user(
            request, f"Создано слотов: {len(report.created)} ({recruiter}, {city}, {recruiter.tz}).", messages.SUCCESS
        )
        if report.skipped_overlap:
            self.message_user(
                request,
                f"Пропущено из-за пересечения с существующими слотами: {len(report.skipped_overlap)} — "
                + ", ".join(lines["overlap"]),
                messages.WARNING,
            )
        if report.skipped_past:
            self.message_user(
                request,
                f"Пропущено, время уже прошло: {len(report.skipped_past)} — " + ", ".join(lines["past"]),
                messages.WARNING,
            )


def _start_label(slot: Slot, tz: str) -> str:
    return format_html(
        '{}<br><small class="slot-zone">{}</small>',
        date_time_label(slot.starts_at, tz),
        iana_zone_label(tz, slot.starts_at),
    )


def _report_lines(report: Any, tz: str, limit: int = 30) -> dict[str, list[str]]:
    def labels(starts: list[dt.datetime]) -> list[str]:
        shown = [date_time_label(start, tz) for start in starts[:limit]]
        if len(starts) > limit:
            shown.append(f"… и ещё {len(starts) - limit}")
        return shown

    return {
        "created": labels(report.created),
        "overlap": labels(report.skipped_overlap),
        "past": labels(report.skipped_past),
    }
