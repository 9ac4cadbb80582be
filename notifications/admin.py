"""The outbox, read-only: what was sent to whom and whether it arrived; failed rows can be sent again."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import ngettext_lazy

from notifications.conversation.time_labels import date_time_label, iana_zone_label
from notifications.copy import admin as copy_admin  # noqa: F401 - registers the bot texts' pages
from notifications.models import NotificationLog, NotificationStatus
from notifications.services import notification_retry
from scheduling import access
from scheduling.admin.scoping import ScopedObjectMixin
from scheduling.admin.titles import RussianTitlesMixin
from scheduling.errors import DomainError


@admin.register(NotificationLog)
class NotificationLogAdmin(RussianTitlesMixin, ScopedObjectMixin, admin.ModelAdmin):
    count_forms = ngettext_lazy("%(count)d notification", "%(count)d notifications", "count")
    list_display = ("created_at", "kind", "recipient", "candidate", "slot_time", "status_label", "attempts", "sent_at")
    list_filter = ("kind", "status", "recipient")
    list_select_related = ("candidate", "slot__recruiter", "slot__city")
    search_fields = ("candidate__full_name", "candidate__username")
    show_full_result_count = False
    actions = ("retry_notifications",)
    readonly_fields = (
        "kind",
        "recipient",
        "candidate",
        "recruiter",
        "slot",
        "reservation_id",
        "text",
        "reply_markup",
        "due_at",
        "status",
        "attempts",
        "last_error",
        "telegram_message_id",
        "chat_id",
        "sent_at",
        "created_at",
        "updated_at",
    )
    fields = readonly_fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[NotificationLog]:
        return access.notifications_visible(super().get_queryset(request), request.user)

    @admin.display(description="слот", ordering="slot__starts_at")
    def slot_time(self, obj: NotificationLog) -> str:
        # The page's zone (ViewerZoneMiddleware made it the viewer's), like every other time on the page.
        if obj.slot_id is None:
            return "—"
        tz, starts_at = timezone.get_current_timezone_name(), obj.slot.starts_at
        return f"{obj.slot.recruiter}, {date_time_label(starts_at, tz)} ({iana_zone_label(tz, starts_at)})"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: NotificationLog | None = None) -> bool:
        return False  # the outbox is the delivery record: rows are never deleted

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.display(description="статус", ordering="status")
    def status_label(self, obj: NotificationLog) -> str:
        if obj.status == NotificationStatus.FAILED:
            return format_html('<strong style="color:#c62828">ошибка</strong>: {}', (obj.last_error or "—")[:120])
        return obj.get_status_display()

    @admin.action(description="Повторить отправку", permissions=["change"])
    def retry_notifications(self, request: HttpRequest, queryset: QuerySet[NotificationLog]) -> None:
        for row in queryset.select_related("candidate"):
            title = f"Сообщение #{row.pk} ({row.get_kind_display()})"
            try:
                notification_retry(notification_id=row.pk)
            except DomainError as exc:
                self.message_user(request, f"{title}: {exc}", messages.WARNING)
            else:
                self.message_user(request, f"{title}: поставлено в очередь на отправку.", messages.SUCCESS)
