"""The recruiters' UI: slots with status counters and decisions, bulk creation, cities, recruiters.

Every decision goes through `scheduling.services`; the admin only translates clicks into
service calls, one row at a time, and reports each row's own result.
"""

from __future__ import annotations

import datetime as dt
import logging
import zoneinfo
from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import ShowFacets
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Case, F, OuterRef, QuerySet, Subquery, Value, When
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from notifications.conversation.time_labels import date_time_label, zone_label
from notifications.models import NotificationLog, NotificationStatus, Recipient
from scheduling import access
from scheduling.errors import DomainError, TransitionNotAllowed
from scheduling.forms import BulkSlotForm
from scheduling.models import LIVE_STATUSES, City, Recruiter, Slot, SlotEvent, SlotStatus
from scheduling.selectors import slot_counters
from scheduling.services import (
    recruiter_bind_code_issue,
    slot_approve,
    slot_cancel,
    slot_reject,
    slot_reschedule,
    slots_create_bulk,
)

logger = logging.getLogger(__name__)

admin.site.site_header = "Interview Scheduler — рабочее место рекрутёра"
admin.site.site_title = "Interview Scheduler"
admin.site.index_title = "Слоты, кандидаты и уведомления"

# Day boundaries of the date filter for users without a recruiter profile (leads, superusers).
DEFAULT_ADMIN_TZ = "Europe/Moscow"

COUNTER_LABELS = [
    (SlotStatus.FREE.value, "свободные"),
    (SlotStatus.PENDING.value, "ожидают решения"),
    (SlotStatus.BOOKED.value, "согласованы"),
    (SlotStatus.CONFIRMED.value, "подтверждены кандидатом"),
    (SlotStatus.CANCELED.value, "отменены"),
    ("total", "всего"),
]

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


# Decision name -> (service, what a success says, button label, statuses it applies to).
DECISIONS: dict[str, tuple[Callable[..., Slot], str, str, tuple[str, ...]]] = {
    "approve": (slot_approve, "согласовано", "Согласовать", (SlotStatus.PENDING,)),
    "reschedule": (
        slot_reschedule,
        "кандидата попросили выбрать другое время",
        "Попросить другое время",
        LIVE_STATUSES,
    ),
    "reject": (slot_reject, "кандидату отказано", "Отказать", LIVE_STATUSES),
    "cancel": (
        slot_cancel,
        "слот отменён",
        "Отменить слот",
        (SlotStatus.FREE, SlotStatus.PENDING, SlotStatus.BOOKED, SlotStatus.CONFIRMED),
    ),
}


def _user_tz(user: Any) -> str:
    recruiter = access.recruiter_for(user)
    return recruiter.tz if recruiter else DEFAULT_ADMIN_TZ


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
        self.tz = _user_tz(request.user)
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


class CountedPaginator(Paginator):
    """A paginator told the total up front: the status counters already counted the rows."""

    def __init__(self, object_list: Any, per_page: int, *, total: int, **kwargs: Any) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.__dict__["count"] = total

    def page(self, number: Any) -> Page:
        """Pick the page's ids with a narrow sorted query, then load just those rows with their joins.

        Sorting only slot columns lets PostgreSQL do a top-N sort without first joining every row to
        candidates, recruiters and cities: the page costs the same at 1,000 and 100,000 slots.
        """
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        ids = list(self.object_list.values_list("pk", flat=True)[bottom : bottom + self.per_page])
        rows = {row.pk: row for row in self.object_list.filter(pk__in=ids).order_by()}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)


class SlotChangeList(ChangeList):
    """The slot list always loads its rows through CountedPaginator.page: the same queries at any size."""

    def get_results(self, request: HttpRequest) -> None:
        super().get_results(request)
        if isinstance(self.result_list, QuerySet) and not self.show_all:
            self.result_list = self.paginator.page(1).object_list


class ReadOnlyInline(admin.TabularInline):
    """A history table on a change page: nothing added, edited or deleted from here."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


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


class ScopedObjectMixin:
    """Refuse (404) any object outside the user's scope, instead of admin's «doesn't exist» redirect."""

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None) -> Any:
        obj = super().get_object(request, object_id, from_field)  # type: ignore[misc]
        if obj is None:
            raise Http404("Нет такого объекта или нет доступа к нему.")
        return obj


@admin.register(Slot)
class SlotAdmin(ScopedObjectMixin, admin.ModelAdmin):
    change_list_template = "admin/scheduling/slot/change_list.html"
    change_form_template = "admin/scheduling/slot/change_form.html"
    list_display = (
        "starts_local",
        "city",
        "recruiter",
        "candidate_link",
        "status_badge",
        "pending_age",
        "delivery_state",
    )
    list_display_links = ("starts_local",)
    list_select_related = ("recruiter", "city", "candidate")
    list_per_page = 50
    show_full_result_count = False
    show_facets = ShowFacets.NEVER
    actions = ("approve_slots", "reschedule_slots", "reject_slots", "cancel_slots")
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
            return self.list_display
        return tuple(name for name in self.list_display if name != "recruiter")

    def get_list_filter(self, request: HttpRequest) -> list[Any]:
        filters: list[Any] = ["status", ("city", ServedCityFilter), SlotDateFilter]
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
        # The counters run over the filtered queryset in one aggregate; their total is the row count.
        counters = slot_counters(queryset)
        request.slot_counters = counters  # type: ignore[attr-defined]
        return CountedPaginator(queryset, per_page, total=counters["total"], **kwargs)

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        counters = getattr(request, "slot_counters", None)
        context = getattr(response, "context_data", None)
        if counters is not None and context is not None and "cl" in context:
            cl = context["cl"]
            context["slot_counters"] = [
                {
                    "key": key,
                    "label": label,
                    "value": counters[key],
                    "url": cl.get_query_string(
                        {"status__exact": key} if key != "total" else {}, ["status__exact", "p"]
                    ),
                    "selected": cl.params.get("status__exact") == key
                    or (key == "total" and "status__exact" not in cl.params),
                }
                for key, label in COUNTER_LABELS
            ]
            context["bulk_url"] = reverse("admin:scheduling_slot_bulk")
            context["viewer_zone"] = zone_label(_user_tz(request.user))
        return response

    @admin.display(description="Начало (время рекрутёра)", ordering="starts_at")
    def starts_local(self, obj: Slot) -> str:
        tz = obj.recruiter.tz
        return format_html(
            '{}<br><small class="slot-zone">{}</small>',
            date_time_label(obj.starts_at, tz),
            zone_label(tz, obj.starts_at),
        )

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

    # ---- decisions -----------------------------------------------------------------------------

    def _slot_title(self, slot: Slot) -> str:
        who = f" — {slot.candidate}" if slot.candidate_id else ""
        return f"{date_time_label(slot.starts_at, slot.recruiter.tz)} ({slot.city}){who}"

    def _decide(self, request: HttpRequest, queryset: QuerySet[Slot], decision: str) -> None:
        """Run one decision on each slot the user may touch; report every slot's own result."""
        service, done, _label, _statuses = DECISIONS[decision]
        slots = list(queryset.select_related("recruiter", "city", "candidate").order_by("starts_at"))
        if request.method == "POST" and request.POST.get("select_across", "0") != "1":
            requested = set(request.POST.getlist(helpers.ACTION_CHECKBOX_NAME))
            refused = sorted(requested - {str(slot.pk) for slot in slots})
            if refused:
                # Crafted ids of someone else's slots: not in the user's queryset, so never acted on.
                logger.warning("user %s asked to %s slots outside their scope: %s", request.user.pk, decision, refused)
                self.message_user(request, f"Слоты {', '.join(refused)}: нет доступа или не найдены.", messages.ERROR)
        for slot in slots:
            title = self._slot_title(slot)
            if not access.can_touch_slot(request.user, slot):
                self.message_user(request, f"{title}: нет доступа.", messages.ERROR)
                continue
            try:
                service(slot_id=slot.pk, actor_user=request.user)
            except TransitionNotAllowed:
                current = Slot.objects.filter(pk=slot.pk).first()
                now_label = current.get_status_display() if current else "удалён"
                self.message_user(request, f"{title}: уже обработано (сейчас: {now_label}).", messages.WARNING)
            except DomainError as exc:
                self.message_user(request, f"{title}: {exc}", messages.ERROR)
            else:
                self.message_user(request, f"{title}: {done}.", messages.SUCCESS)

    @admin.action(description="Согласовать выбранные заявки", permissions=["change"])
    def approve_slots(self, request: HttpRequest, queryset: QuerySet[Slot]) -> None:
        self._decide(request, queryset, "approve")

    @admin.action(description="Попросить выбрать другое время", permissions=["change"])
    def reschedule_slots(self, request: HttpRequest, queryset: QuerySet[Slot]) -> None:
        self._decide(request, queryset, "reschedule")

    @admin.action(description="Отказать кандидатам", permissions=["change"])
    def reject_slots(self, request: HttpRequest, queryset: QuerySet[Slot]) -> None:
        self._decide(request, queryset, "reject")

    @admin.action(description="Отменить выбранные слоты", permissions=["change"])
    def cancel_slots(self, request: HttpRequest, queryset: QuerySet[Slot]) -> None:
        self._decide(request, queryset, "cancel")

    # ---- slot page buttons, bulk creation ------------------------------------------------------

    def get_urls(self) -> list[Any]:
        urls = [
            path("bulk/", self.admin_site.admin_view(self.bulk_view), name="scheduling_slot_bulk"),
            path(
                "<path:object_id>/decide/<str:decision>/",
                self.admin_site.admin_view(require_POST(self.decide_view)),
                name="scheduling_slot_decide",
            ),
        ]
        return urls + super().get_urls()

    def decide_view(self, request: HttpRequest, object_id: str, decision: str) -> HttpResponse:
        """A button on the slot page: the same decision as the list action, for this one slot."""
        if decision not in DECISIONS:
            raise Http404("Неизвестное действие.")
        slot = self.get_object(request, object_id)
        if not self.has_change_permission(request, slot):
            raise PermissionDenied
        self._decide(request, self.get_queryset(request).filter(pk=slot.pk), decision)
        return HttpResponseRedirect(reverse("admin:scheduling_slot_change", args=[slot.pk]))

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        slot = self.get_object(request, object_id)
        can_change = self.has_change_permission(request, slot)
        buttons = [
            {"name": name, "label": label, "url": reverse("admin:scheduling_slot_decide", args=[slot.pk, name])}
            for name, (_service, _done, label, statuses) in DECISIONS.items()
            if can_change and slot.status in statuses
        ]
        extra = {**(extra_context or {}), "decision_buttons": buttons}
        return super().change_view(request, object_id, form_url, extra)

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


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ("name", "tz", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name",)


@admin.register(Recruiter)
class RecruiterAdmin(ScopedObjectMixin, admin.ModelAdmin):
    change_form_template = "admin/scheduling/recruiter/change_form.html"
    list_display = ("name", "tz", "user", "telegram_state", "is_active")
    list_filter = ("is_active", "cities")
    list_select_related = ("user",)
    search_fields = ("name",)
    filter_horizontal = ("cities",)
    fields = ("name", "user", "tz", "meeting_url", "cities", "is_active", "telegram_state")
    readonly_fields = ("telegram_state",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Recruiter]:
        return access.recruiters_visible(super().get_queryset(request), request.user)

    @admin.display(description="Telegram")
    def telegram_state(self, obj: Recruiter) -> str:
        return "привязан" if obj.telegram_chat_id else "не привязан"

    def get_urls(self) -> list[Any]:
        return [
            path(
                "<path:object_id>/bind-code/",
                self.admin_site.admin_view(require_POST(self.bind_code_view)),
                name="scheduling_recruiter_bind_code",
            ),
            *super().get_urls(),
        ]

    def bind_code_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Issue a one-time code the recruiter sends to the bot to bind their Telegram chat."""
        recruiter = self.get_object(request, object_id)
        if not self.has_view_permission(request, recruiter):
            raise PermissionDenied
        code = recruiter_bind_code_issue(recruiter_id=recruiter.pk)
        self.message_user(
            request,
            f"Код привязки Telegram: {code}. Отправьте боту сообщение «/bind {code}» в течение 15 минут — "
            "после этого уведомления о заявках будут приходить вам в Telegram.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:scheduling_recruiter_change", args=[recruiter.pk]))

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        recruiter = self.get_object(request, object_id)
        extra = {
            **(extra_context or {}),
            "bind_code_url": reverse("admin:scheduling_recruiter_bind_code", args=[recruiter.pk]),
        }
        return super().change_view(request, object_id, form_url, extra)
