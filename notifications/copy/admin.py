"""Bot texts in the admin: the history of every override, a form that refuses a bad text, a preview, revert.

Leads only (superusers and the leads' group). Every save is a new version (the service); nothing is deleted.
The preview is a small server-rendered page in an iframe, filled by the form's «Предпросмотр» button
(formaction/formtarget): no JavaScript, and the form stays as typed.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_http_methods

from notifications.copy.catalog import CATALOG, entry_choices
from notifications.copy.services import text_override_current_id, text_override_revert, text_override_save
from notifications.copy.validation import override_errors, preview
from notifications.models import TextOverride
from scheduling import access
from scheduling.admin.scoping import ScopedObjectMixin
from scheduling.admin.titles import RussianTitlesMixin
from scheduling.errors import DomainError


class TextOverrideForm(forms.ModelForm):
    key = forms.ChoiceField(label="Текст", choices=entry_choices())

    class Meta:
        model = TextOverride
        fields = ("key", "vacancy", "city", "text", "is_active")
        widgets = {"text": forms.Textarea(attrs={"rows": 8, "cols": 90})}
        help_texts = {"vacancy": "Пусто — для всех вакансий.", "city": "Пусто — для всех городов."}

    def clean_text(self) -> str:
        # Browsers send CRLF line breaks; Telegram and the defaults use LF.
        return str(self.cleaned_data.get("text") or "").replace("\r\n", "\n")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("is_active") and data.get("key"):
            for error in override_errors(data["key"], data.get("text") or ""):
                self.add_error("text", error)
        return data


class KeyFilter(admin.SimpleListFilter):
    title = "текст"
    parameter_name = "key"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return entry_choices()

    def queryset(self, request: HttpRequest, queryset: QuerySet[TextOverride]) -> QuerySet[TextOverride]:
        return queryset.filter(key=self.value()) if self.value() else queryset


def scope_label(row: TextOverride) -> str:
    """«вакансия «Продавец», Тверь», or «все вакансии и города»."""
    parts = [f"вакансия «{row.vacancy}»" if row.vacancy_id else "", str(row.city) if row.city_id else ""]
    return ", ".join(part for part in parts if part) or "все вакансии и города"


@admin.register(TextOverride)
class TextOverrideAdmin(RussianTitlesMixin, ScopedObjectMixin, admin.ModelAdmin):
    form = TextOverrideForm
    change_form_template = "admin/notifications/textoverride/change_form.html"
    list_display = ("label", "where", "version_state", "short_text", "created_by", "created_at")
    list_filter = (KeyFilter, "vacancy", "city")
    list_select_related = ("vacancy", "city", "created_by")
    search_fields = ("text",)
    actions = ("revert_versions",)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return access.is_lead(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return access.is_lead(request.user) and super().has_view_permission(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return access.is_lead(request.user) and super().has_add_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return access.is_lead(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # the history is the audit trail: a wrong text is fixed by a new version or a revert

    @admin.display(description="текст", ordering="key")
    def label(self, row: TextOverride) -> str:
        entry = CATALOG.get(row.key)
        return entry.label if entry else row.key

    @admin.display(description="где")
    def where(self, row: TextOverride) -> str:
        return scope_label(row)

    def get_queryset(self, request: HttpRequest) -> QuerySet[TextOverride]:
        # Scopes compared with NULL as a value (0): "all vacancies" is a scope like any other.
        scoped = TextOverride.objects.annotate(v=Coalesce("vacancy_id", 0), c=Coalesce("city_id", 0))
        newer = scoped.filter(key=OuterRef("key"), v=OuterRef("v"), c=OuterRef("c"), id__gt=OuterRef("id"))
        return (
            super()
            .get_queryset(request)
            .annotate(v=Coalesce("vacancy_id", 0), c=Coalesce("city_id", 0))
            .annotate(is_superseded=Exists(newer))
        )

    @admin.display(description="версия")
    def version_state(self, row: TextOverride) -> str:
        if getattr(row, "is_superseded", False):
            return "прежняя"
        return "действует" if row.is_active else "действует: текст по умолчанию"

    @admin.display(description="текст сообщения")
    def short_text(self, row: TextOverride) -> str:
        text = row.text if row.is_active else "— по умолчанию —"
        return text if len(text) <= 90 else text[:89] + "…"

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        initial = super().get_changeform_initial_data(request)
        entry = CATALOG.get(str(initial.get("key", "")))
        if entry is not None and "text" not in initial:
            initial["text"] = entry.default  # start from the default: editing beats retyping
        return initial

    def save_model(self, request: HttpRequest, obj: TextOverride, form: forms.ModelForm, change: bool) -> None:
        # Never an UPDATE: the service adds the new version; the admin then shows that row.
        row = text_override_save(
            key=obj.key,
            vacancy_id=obj.vacancy_id,
            city_id=obj.city_id,
            text=obj.text,
            is_active=obj.is_active,
            user=request.user,
        )
        obj.pk, obj.created_at, obj.created_by = row.pk, row.created_at, row.created_by
        obj._state.adding = False

    def get_urls(self) -> list[Any]:
        return [
            path("preview/", self.admin_site.admin_view(self.preview_view), name="notifications_textoverride_preview"),
            path(
                "<path:object_id>/revert/",
                self.admin_site.admin_view(require_http_methods(["POST"])(self.revert_view)),
                name="notifications_textoverride_revert",
            ),
            *super().get_urls(),
        ]

    @xframe_options_sameorigin
    def preview_view(self, request: HttpRequest) -> HttpResponse:
        """The form's «Предпросмотр» (POST), or a text's default (GET ?key=)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        data = request.POST if request.method == "POST" else request.GET
        is_active = request.method == "GET" or data.get("is_active") == "on"
        return HttpResponse(_preview_html(data.get("key", ""), data.get("text"), is_active=is_active))

    def revert_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        row = self.get_object(request, object_id)
        if not self.has_change_permission(request, row):
            raise PermissionDenied
        self._revert(request, row)
        return HttpResponseRedirect(reverse("admin:notifications_textoverride_changelist") + f"?key={row.key}")

    def _revert(self, request: HttpRequest, row: TextOverride) -> None:
        try:
            new = text_override_revert(override_id=row.pk, user=request.user)
        except DomainError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        self.log_change(request, new, f"Возврат к версии #{row.pk}")
        where = f"{self.label(row)}, {scope_label(row)}"
        self.message_user(
            request, f"Вернули версию #{row.pk} ({where}): бот покажет её в течение минуты.", messages.SUCCESS
        )

    @admin.action(description="Вернуть выбранную версию", permissions=["change"])
    def revert_versions(self, request: HttpRequest, queryset: QuerySet[TextOverride]) -> None:
        rows = list(queryset[:2])
        if len(rows) != 1:
            self.message_user(request, "Выберите одну версию, которую вернуть.", messages.ERROR)
            return
        self._revert(request, rows[0])

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        row = self.get_object(request, object_id)
        current = text_override_current_id(key=row.key, vacancy_id=row.vacancy_id, city_id=row.city_id)
        revert_url = reverse("admin:notifications_textoverride_revert", args=[row.pk])
        extra = {
            **(extra_context or {}),
            "revert_url": "" if row.pk == current else revert_url,
            "history_url": reverse("admin:notifications_textoverride_changelist") + f"?key={row.key}",
        }
        return super().change_view(request, object_id, form_url, extra)

    def render_change_form(self, request: HttpRequest, context: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        # The preview of what the form holds now (as typed, after a refused save too), rendered into the page.
        form = context["adminform"].form
        is_active = form.data.get("is_active") == "on" if form.is_bound else bool(form["is_active"].value())
        context["preview_url"] = reverse("admin:notifications_textoverride_preview")
        context["preview_html"] = _preview_html(form["key"].value() or "", form["text"].value(), is_active=is_active)
        return super().render_change_form(request, context, *args, **kwargs)


def _preview_html(key: str, text: str | None, *, is_active: bool) -> str:
    """The default, the placeholders and the text with sample values, or why it would be refused."""
    entry = CATALOG.get(key)
    context: dict[str, Any] = {"entry": entry, "is_active": is_active}
    if entry is not None:
        shown = (text or "").replace("\r\n", "\n") if is_active and text is not None else entry.default
        errors = override_errors(key, shown) if is_active else []
        context.update(errors=errors, preview=None if errors else preview(key, shown))
    return render_to_string("admin/notifications/textoverride/preview.html", context)
