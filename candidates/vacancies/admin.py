"""The lead's pages: vacancies with their start links and QR codes, Тест 1 versions, questions and options.

Only superusers and the lead group («Руководители найма») see or change any of it; recruiters don't.
A published version is shown read-only: «Изменить Тест 1» opens a draft copy, «Опубликовать» switches to it.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_POST

from candidates.models import Vacancy, VacancySource
from candidates.vacancies import editing, links, preview, selectors
from candidates.vacancies.models import QuestionnaireOption, QuestionnaireQuestion, QuestionnaireVersion
from scheduling import access
from scheduling.admin.titles import RussianTitlesMixin
from scheduling.errors import DomainError


class LeadOnly:
    """Every permission is the lead's: recruiters neither see nor change vacancies."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return access.is_lead(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return access.is_lead(request.user)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return access.is_lead(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return access.is_lead(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # candidates point at vacancies, links and versions: switch them off instead


def _link_html(source: VacancySource) -> str:
    link = links.deep_link(source.code)
    if link is None:
        return format_html("<code>/start {}</code> — укажите TELEGRAM_BOT_USERNAME, чтобы получить ссылку", source.code)
    qr = reverse("admin:candidates_vacancysource_qr", args=[source.pk])
    return format_html(
        '<a href="{}" target="_blank" rel="noopener">{}</a> · <a href="{}">QR-код (SVG)</a>', link, link, qr
    )


class VacancySourceInline(LeadOnly, admin.TabularInline):
    model = VacancySource
    extra = 1
    fields = ("name", "code", "is_active", "link")
    readonly_fields = ("link",)
    verbose_name_plural = "Ссылки для старта (по одной на источник)"

    @admin.display(description="ссылка и QR-код")
    def link(self, obj: VacancySource) -> str:
        return _link_html(obj) if obj.pk else "появится после сохранения"


@admin.register(Vacancy)
class VacancyAdmin(LeadOnly, RussianTitlesMixin, admin.ModelAdmin):
    accusative = "вакансию"
    list_display = ("title", "is_active", "city_names", "current_test1", "source_count")
    list_filter = ("is_active",)
    search_fields = ("title",)
    filter_horizontal = ("cities", "recruiters")
    fields = ("title", "is_active", "cities", "recruiters", "test1")
    readonly_fields = ("test1",)
    inlines = (VacancySourceInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Vacancy]:
        return super().get_queryset(request).prefetch_related("cities", "sources")

    @admin.display(description="города")
    def city_names(self, obj: Vacancy) -> str:
        return ", ".join(c.name for c in obj.cities.all()) or "все"

    @admin.display(description="Тест 1")
    def current_test1(self, obj: Vacancy) -> str:
        version = selectors.current_version(obj.pk)
        if version is None or version.vacancy_id != obj.pk:
            return "как у вакансии по умолчанию"
        return f"версия {version.number}"

    @admin.display(description="ссылок")
    def source_count(self, obj: Vacancy) -> int:
        return len(obj.sources.all())

    @admin.display(description="Тест 1")
    def test1(self, obj: Vacancy) -> str:
        if not obj.pk:
            return "Вопросы можно будет задать после сохранения: сначала копия вопросов по умолчанию."
        versions = obj.test1_versions.order_by("-number")
        rows = format_html_join(
            "",
            '<li><a href="{}">{}</a> · <a href="{}">как увидит кандидат</a></li>',
            (
                (
                    reverse("admin:candidates_questionnaireversion_change", args=[v.pk]),
                    str(v).removeprefix(f"{obj} — "),
                    reverse("admin:candidates_questionnaireversion_preview", args=[v.pk]),
                )
                for v in versions
            ),
        )
        return format_html("<ul>{}</ul>", rows or format_html("<li>{}</li>", "своих версий нет"))

    def get_urls(self) -> list[Any]:
        view = self.admin_site.admin_view(self.draft_view)
        return [path("<int:pk>/test1/draft/", view, name="candidates_vacancy_draft"), *super().get_urls()]

    def draft_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not access.is_lead(request.user):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:candidates_vacancy_change", args=[pk]))
        get_object_or_404(Vacancy, pk=pk)
        draft = editing.draft_open(vacancy_id=pk)
        messages.info(request, f"Черновик версии {draft.number}: измените вопросы и опубликуйте.")
        return HttpResponseRedirect(reverse("admin:candidates_questionnaireversion_change", args=[draft.pk]))


@admin.register(VacancySource)
class VacancySourceAdmin(LeadOnly, RussianTitlesMixin, admin.ModelAdmin):
    accusative = "ссылку"
    list_display = ("__str__", "code", "is_active", "link", "candidate_count")
    list_filter = ("is_active", "vacancy")
    list_select_related = ("vacancy",)
    fields = ("vacancy", "name", "code", "is_active", "link", "qr")
    readonly_fields = ("link", "qr")

    @admin.display(description="ссылка")
    def link(self, obj: VacancySource) -> str:
        return _link_html(obj) if obj.pk else "появится после сохранения"

    @admin.display(description="QR-код")
    def qr(self, obj: VacancySource) -> str:
        link = links.deep_link(obj.code) if obj.pk else None
        if link is None:
            return "—"
        url = reverse("admin:candidates_vacancysource_qr", args=[obj.pk])
        return format_html(
            '<img src="{}" alt="QR-код ссылки" width="180" height="180"><br><a href="{}" download>Скачать SVG</a>',
            url,
            url,
        )

    @admin.display(description="кандидатов")
    def candidate_count(self, obj: VacancySource) -> int:
        return obj.candidates.count()

    def get_urls(self) -> list[Any]:
        view = self.admin_site.admin_view(self.qr_view)
        return [path("<int:pk>/qr.svg", view, name="candidates_vacancysource_qr"), *super().get_urls()]

    def qr_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not access.is_lead(request.user):
            raise PermissionDenied
        source = get_object_or_404(VacancySource, pk=pk)
        link = links.deep_link(source.code)
        if link is None:
            raise Http404("Не указано имя бота (TELEGRAM_BOT_USERNAME): ссылку не из чего построить.")
        response = HttpResponse(links.qr_svg(link), content_type="image/svg+xml")
        response["Content-Disposition"] = f'inline; filename="start-{source.code}.svg"'
        return response


class QuestionnaireQuestionInline(LeadOnly, admin.TabularInline):
    model = QuestionnaireQuestion
    extra = 0
    fields = (
        "position",
        "key",
        "text",
        "answer_type",
        "when_key",
        "when_codes",
        "is_knockout",
        "knockout_reason",
        "option_list",
    )
    readonly_fields = ("option_list",)
    show_change_link = True

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        # Narrow inputs: the whole table fits 1280 px, the question text wraps instead of widening it.
        kwargs["widgets"] = {
            "position": forms.NumberInput(attrs={"style": "width:4em"}),
            "key": forms.TextInput(attrs={"size": 9}),
            "text": forms.Textarea(attrs={"rows": 3, "cols": 28}),
            "when_key": forms.TextInput(attrs={"size": 8}),
            "when_codes": forms.TextInput(attrs={"size": 8}),
            "knockout_reason": forms.TextInput(attrs={"size": 12}),
            "answer_type": forms.Select(attrs={"style": "max-width:10em"}),
        }
        return super().get_formset(request, obj, **kwargs)

    @admin.display(description="варианты")
    def option_list(self, obj: QuestionnaireQuestion) -> str:
        return ", ".join(o.text for o in obj.options.all()) or "—" if obj.pk else "—"

    def get_queryset(self, request: HttpRequest) -> QuerySet[QuestionnaireQuestion]:
        return super().get_queryset(request).prefetch_related("options")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _editable(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _editable(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _editable(request, obj)


def _editable(request: HttpRequest, version: QuestionnaireVersion | None) -> bool:
    """A lead may edit a draft; a published version stays as candidates saw it."""
    return access.is_lead(request.user) and (version is None or not version.is_published)


@admin.register(QuestionnaireVersion)
class QuestionnaireVersionAdmin(LeadOnly, RussianTitlesMixin, admin.ModelAdmin):
    accusative = "версию Теста 1"
    list_display = ("__str__", "published_at", "candidate_count")
    list_filter = ("vacancy",)
    list_select_related = ("vacancy",)
    fields = ("vacancy", "number", "note", "state")
    readonly_fields = ("vacancy", "number", "state")
    inlines = (QuestionnaireQuestionInline,)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a draft comes from the vacancy's «Изменить Тест 1»

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _editable(request, obj)

    @admin.display(description="состояние")
    def state(self, obj: QuestionnaireVersion) -> str:
        if obj.published_at:
            return "опубликована: новые кандидаты отвечают на неё (пока нет более новой)"
        return "черновик: кандидаты его не видят, пока вы его не опубликуете"

    @admin.display(description="кандидатов")
    def candidate_count(self, obj: QuestionnaireVersion) -> int:
        return obj.candidates.count()

    def get_urls(self) -> list[Any]:
        return [
            path(
                "<int:pk>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="candidates_questionnaireversion_preview",
            ),
            path(
                "<int:pk>/publish/",
                self.admin_site.admin_view(require_POST(self.publish_view)),
                name="candidates_questionnaireversion_publish",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not access.is_lead(request.user):
            raise PermissionDenied
        version = get_object_or_404(QuestionnaireVersion.objects.select_related("vacancy"), pk=pk)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Тест 1 глазами кандидата: {version.vacancy}, версия {version.number}",
            "version": version,
            "preview": preview.build(version),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/candidates/questionnaireversion/preview.html", context)

    def publish_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not access.is_lead(request.user):
            raise PermissionDenied
        try:
            version = editing.version_publish(version_id=pk)
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"Версия {version.number} опубликована: новые кандидаты увидят её.")
        return HttpResponseRedirect(reverse("admin:candidates_questionnaireversion_change", args=[pk]))


class QuestionnaireOptionInline(LeadOnly, admin.TabularInline):
    model = QuestionnaireOption
    extra = 1
    fields = ("position", "code", "text", "is_knockout", "knockout_reason")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _editable(request, obj.version if obj else None)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _editable(request, obj.version if obj else None)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _editable(request, obj.version if obj else None)


@admin.register(QuestionnaireQuestion)
class QuestionnaireQuestionAdmin(LeadOnly, RussianTitlesMixin, admin.ModelAdmin):
    accusative = "вопрос Теста 1"
    fields = (
        "version",
        "position",
        "key",
        "text",
        "answer_type",
        "when_key",
        "when_codes",
        "is_knockout",
        "knockout_reason",
    )
    readonly_fields = ("version",)
    inlines = (QuestionnaireOptionInline,)

    def get_model_perms(self, request: HttpRequest) -> dict[str, bool]:
        return {}  # reached from its version's page, not from the index

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _editable(request, obj.version if obj else None)

    def response_change(self, request: HttpRequest, obj: QuestionnaireQuestion) -> HttpResponse:
        if "_continue" in request.POST:
            return super().response_change(request, obj)
        return HttpResponseRedirect(reverse("admin:candidates_questionnaireversion_change", args=[obj.version_id]))
