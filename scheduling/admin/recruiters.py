"""Cities, and recruiters with the one-time code that binds their Telegram chat."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import ngettext_lazy
from django.views.decorators.http import require_POST

from scheduling import access
from scheduling.admin.scoping import ScopedObjectMixin
from scheduling.admin.titles import RussianTitlesMixin
from scheduling.calendar_feed import feed_path, feed_url
from scheduling.models import City, Recruiter
from scheduling.services import bind_code_ttl, recruiter_bind_code_issue, recruiter_calendar_token_regenerate


def bind_code_ttl_label(ttl: dt.timedelta | None = None) -> str:
    """«1 минута», «2 минуты», «15 минут»: how long a bind code lives, in the nominative."""
    minutes = int((ttl or bind_code_ttl()).total_seconds() // 60)
    # Django's own Russian catalog holds the plural forms; the sentence around the count is Russian
    # whatever language the browser asks the admin for.
    with translation.override("ru"):
        return translation.ngettext("%(num)d minute", "%(num)d minutes", minutes) % {"num": minutes}


@admin.register(City)
class CityAdmin(RussianTitlesMixin, admin.ModelAdmin):
    count_forms = ngettext_lazy("%(count)d city", "%(count)d cities", "count")
    list_display = ("name", "tz", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name",)


@admin.register(Recruiter)
class RecruiterAdmin(RussianTitlesMixin, ScopedObjectMixin, admin.ModelAdmin):
    accusative = "рекрутёра"
    count_forms = ngettext_lazy("%(count)d recruiter", "%(count)d recruiters", "count")
    change_form_template = "admin/scheduling/recruiter/change_form.html"
    list_display = ("name", "tz", "user", "telegram_state", "calendar_link", "is_active")
    list_filter = ("is_active", "cities")
    list_select_related = ("user",)
    search_fields = ("name",)
    filter_horizontal = ("cities",)
    fields = ("name", "user", "tz", "meeting_url", "cities", "is_active", "daily_digest", "telegram_state")
    readonly_fields = ("telegram_state",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Recruiter]:
        return access.recruiters_visible(super().get_queryset(request), request.user)

    @admin.display(description="Telegram")
    def telegram_state(self, obj: Recruiter) -> str:
        return "привязан" if obj.telegram_chat_id else "не привязан"

    @admin.display(description="Календарь")
    def calendar_link(self, obj: Recruiter) -> str:
        # A lead copies each recruiter's feed from one list (the browser makes the link absolute).
        return format_html('<a href="{}" class="calendar-feed-link">ссылка .ics</a>', feed_path(obj))

    def get_urls(self) -> list[Any]:
        return [
            path(
                "<path:object_id>/bind-code/",
                self.admin_site.admin_view(require_POST(self.bind_code_view)),
                name="scheduling_recruiter_bind_code",
            ),
            path(
                "<path:object_id>/calendar-token/",
                self.admin_site.admin_view(require_POST(self.calendar_token_view)),
                name="scheduling_recruiter_calendar_token",
            ),
            *super().get_urls(),
        ]

    def calendar_token_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """A new calendar feed URL; the old one answers 404 from now on."""
        recruiter = self.get_object(request, object_id)
        if not self.has_view_permission(request, recruiter):
            raise PermissionDenied
        recruiter_calendar_token_regenerate(recruiter_id=recruiter.pk)
        self.message_user(
            request,
            "Создана новая ссылка на календарь, старая больше не работает. Удалите старую подписку в календаре "
            "и подпишитесь на новую ссылку.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:scheduling_recruiter_change", args=[recruiter.pk]))

    def bind_code_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Issue a one-time code the recruiter sends to the bot to bind their Telegram chat."""
        recruiter = self.get_object(request, object_id)
        if not self.has_view_permission(request, recruiter):
            raise PermissionDenied
        code = recruiter_bind_code_issue(recruiter_id=recruiter.pk)
        self.message_user(
            request,
            f"Код привязки Telegram: {code}, срок действия — {bind_code_ttl_label()}. Отправьте боту сообщение "
            f"«/bind {code}» — после этого уведомления о заявках будут приходить вам в Telegram.",
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
            "bind_code_ttl": bind_code_ttl_label(),
            "calendar_feed_url": feed_url(recruiter, request),
            "calendar_token_url": reverse("admin:scheduling_recruiter_calendar_token", args=[recruiter.pk]),
        }
        return super().change_view(request, object_id, form_url, extra)
