"""Page titles and counts that read as Russian.

Django's ru catalog puts the model's verbose_name into «Выберите %s для изменения», «Изменить %s» and
«Добавить %s» as it is, in the nominative: «Выберите кандидат». Animate nouns need the accusative
(«кандидата», «рекрутёра»), so each admin names it; counts go through ngettext with our own catalog
(«1 слот», «3 слота», «49 слотов»), since Django's pagination writes «49 слоты».
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.functional import Promise


class RussianTitlesMixin:
    """Titles built with the accusative, and the list's row count with proper plural forms."""

    # «кандидата»: the object after a verb; inanimate nouns («слот», «уведомление») leave it empty.
    accusative: str = ""
    # ngettext_lazy("%(count)d slot", "%(count)d slots", "count"): the count with its noun.
    count_forms: Promise | None = None

    def _object_name(self) -> str:
        return self.accusative or str(self.model._meta.verbose_name)  # type: ignore[attr-defined]

    def count_label(self, count: int) -> str:
        if self.count_forms is None:
            return str(count)
        return self.count_forms % {"count": count}

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        verb = "изменения" if self.has_change_permission(request) else "просмотра"  # type: ignore[attr-defined]
        extra = {
            "title": f"Выберите {self._object_name()} для {verb}",
            "add_label": f"Добавить {self._object_name()}",
            **(extra_context or {}),
        }
        response = super().changelist_view(request, extra)  # type: ignore[misc]
        context = getattr(response, "context_data", None) or {}
        if "cl" in context:
            context["cl"].result_count_label = self.count_label(context["cl"].result_count)
        return response

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if object_id is None:
            verb = "Добавить"
        elif self.has_change_permission(request):  # type: ignore[attr-defined]
            verb = "Изменить"
        else:
            verb = "Просмотреть"
        extra = {"title": f"{verb} {self._object_name()}", **(extra_context or {})}
        return super().changeform_view(request, object_id, form_url, extra)  # type: ignore[misc]
