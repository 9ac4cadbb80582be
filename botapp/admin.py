"""Handled button presses, read-only: for leads checking what a candidate actually pressed."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import ngettext_lazy

from botapp.models import TelegramCallbackLog
from scheduling.admin.titles import RussianTitlesMixin


@admin.register(TelegramCallbackLog)
class TelegramCallbackLogAdmin(RussianTitlesMixin, admin.ModelAdmin):
    count_forms = ngettext_lazy("%(count)d button press", "%(count)d button presses", "count")
    list_display = ("created_at", "telegram_user_id", "data", "result")
    search_fields = ("callback_query_id", "data")
    readonly_fields = ("callback_query_id", "telegram_user_id", "data", "result", "created_at")
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: TelegramCallbackLog | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: TelegramCallbackLog | None = None) -> bool:
        return False
