"""The slot list's export to CSV and XLSX: the rows the list shows under its filters, Russian headers.

django-import-export builds the file; ExportMixin feeds the resource the changelist's own queryset (the
viewer's scope, the chosen filters), so this module only says which columns there are and how a value reads.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from import_export import fields, resources
from import_export.admin import ExportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ExportForm

from candidates.labels import candidate_label
from notifications.conversation.time_labels import to_local
from scheduling import access
from scheduling.models import Slot

# Sortable as text in any spreadsheet and unambiguous with the zone column beside it.
EXPORT_TIME_FORMAT = "%Y-%m-%d %H:%M"
EXPORT_FORMATS = [CSV, XLSX]


def local_time(moment: Any, tz: str) -> str:
    return to_local(moment, tz).strftime(EXPORT_TIME_FORMAT) if moment else ""


def export_zone(viewer: Any) -> str | None:
    """A recruiter's own zone for every time in their file; None for a lead: each row in its city's zone."""
    recruiter = access.recruiter_for(viewer) if viewer is not None else None
    return recruiter.tz if recruiter and not access.is_lead(viewer) else None


class ViewerExportMixin:
    """The viewer's zone for every time in the file: a recruiter's own, a lead's each slot's city's."""

    def __init__(self, *, viewer: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.viewer_tz = export_zone(viewer)

    @classmethod
    def get_display_name(cls) -> str:
        # The export form names each resource (ModelResource has this; a plain Resource, without a model, not).
        return getattr(cls._meta, "name", None) or cls.__name__


class SlotExportResource(ViewerExportMixin, resources.Resource):
    slot_id = fields.Field(attribute="pk", column_name="Номер слота")
    purpose = fields.Field(column_name="Назначение")
    starts = fields.Field(column_name="Начало")
    zone = fields.Field(column_name="Часовой пояс")
    duration_min = fields.Field(attribute="duration_min", column_name="Длительность, мин")
    city = fields.Field(attribute="city__name", column_name="Город")
    recruiter = fields.Field(attribute="recruiter__name", column_name="Рекрутёр")
    status = fields.Field(column_name="Статус")
    candidate = fields.Field(column_name="Кандидат")
    vacancy = fields.Field(attribute="candidate__vacancy__title", column_name="Вакансия")
    source = fields.Field(attribute="candidate__source__name", column_name="Источник")
    reservation_id = fields.Field(attribute="reservation_id", column_name="Номер заявки")
    reserved_at = fields.Field(column_name="Заявка создана")
    decided_at = fields.Field(column_name="Решение принято")
    confirmed_at = fields.Field(column_name="Подтверждён кандидатом")
    outcome = fields.Field(column_name="Итог")
    outcome_note = fields.Field(attribute="outcome_note", column_name="Комментарий к итогу")
    # An intro day's own place and people; empty for an interview.
    intro_address = fields.Field(attribute="intro_address", column_name="Адрес ознакомительного дня")
    intro_contact = fields.Field(attribute="intro_contact", column_name="Контактное лицо")

    class Meta:
        name = "Слоты"

    def filter_export(self, queryset: Any, **kwargs: Any) -> Any:
        # The changelist selects recruiter, city and candidate; the vacancy and source come along in the same query.
        return queryset.select_related("recruiter", "city", "candidate__vacancy", "candidate__source")

    def _tz(self, slot: Slot) -> str:
        return self.viewer_tz or slot.city.tz

    def dehydrate_starts(self, slot: Slot) -> str:
        return local_time(slot.starts_at, self._tz(slot))

    def dehydrate_zone(self, slot: Slot) -> str:
        return self._tz(slot)

    def dehydrate_purpose(self, slot: Slot) -> str:
        return slot.get_purpose_display()

    def dehydrate_status(self, slot: Slot) -> str:
        return slot.get_status_display()

    def dehydrate_candidate(self, slot: Slot) -> str:
        return candidate_label(slot.candidate)

    def dehydrate_reserved_at(self, slot: Slot) -> str:
        return local_time(slot.reserved_at, self._tz(slot))

    def dehydrate_decided_at(self, slot: Slot) -> str:
        return local_time(slot.decided_at, self._tz(slot))

    def dehydrate_confirmed_at(self, slot: Slot) -> str:
        return local_time(slot.confirmed_at, self._tz(slot))

    def dehydrate_outcome(self, slot: Slot) -> str:
        return slot.get_outcome_display() if slot.outcome else ""


class ScopedExportMixin(ExportMixin):
    """import-export's export button as the project uses it: CSV and XLSX of the list's rows, no import.

    The file holds what get_export_queryset gives: the changelist's queryset under its filters, built on the
    admin's get_queryset, so a recruiter exports only their own rows. The viewer goes to the resource.
    """

    # Only the format is asked: every column goes out (a spreadsheet hides what a reader does not need).
    export_form_class = ExportForm
    # Excel opens a UTF-8 CSV with Cyrillic correctly only when the file starts with a BOM.
    to_encoding = "utf-8-sig"

    export_template_name = "admin/import_export/export_scoped.html"

    def get_export_formats(self) -> list[Any]:
        return EXPORT_FORMATS

    def get_export_resource_kwargs(self, request: Any, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_export_resource_kwargs(request, **kwargs), "viewer": request.user}

    def init_request_context_data(self, request: Any, form: Any) -> dict[str, Any]:
        """The export page says how many rows go out and links back to the list they come from."""
        context = super().init_request_context_data(request, form)
        changelist = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
        zone = export_zone(request.user)
        context.update(
            export_row_count=self.get_export_queryset(request).count(),
            export_list_url=f"{changelist}?{request.GET.urlencode()}" if request.GET else changelist,
            export_viewer_zone=f"по вашему часовому поясу ({zone})" if zone else "по часовому поясу города",
        )
        return context
