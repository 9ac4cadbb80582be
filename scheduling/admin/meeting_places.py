"""Meeting places: a recruiter sets a link or an address per city (their own only); a lead sets anyone's."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from scheduling import access
from scheduling.admin.scoping import ScopedObjectMixin
from scheduling.admin.titles import RussianTitlesMixin
from scheduling.models import City, MeetingPlace, Recruiter
from scheduling.services.meeting_places import meeting_place_delete, meeting_place_save


@admin.register(MeetingPlace)
class MeetingPlaceAdmin(RussianTitlesMixin, ScopedObjectMixin, admin.ModelAdmin):
    list_display = ("recruiter", "city", "place", "updated_at")
    list_filter = ("city",)
    list_select_related = ("recruiter", "city")
    search_fields = ("recruiter__name", "city__name", "place")

    def get_queryset(self, request: HttpRequest) -> QuerySet[MeetingPlace]:
        return access.meeting_places_visible(super().get_queryset(request), request.user)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # A recruiter's own places: the recruiter is who is signed in, not a choice.
        return ["recruiter", "city", "place"] if access.is_lead(request.user) else ["city", "place"]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> forms.Field | None:
        recruiter = access.recruiter_for(request.user)
        if db_field.name == "city" and not access.is_lead(request.user):
            kwargs["queryset"] = City.objects.filter(recruiters=recruiter) if recruiter else City.objects.none()
        if db_field.name == "recruiter":
            kwargs["queryset"] = access.recruiters_visible(Recruiter.objects.all(), request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        if access.is_lead(request.user):
            return form
        recruiter = access.recruiter_for(request.user)

        class OwnPlaceForm(form):  # type: ignore[misc, valid-type]
            def clean(self) -> dict[str, Any]:
                # The recruiter is not a form field here, so the model's «one place per city» check would skip it.
                data = super().clean()
                city = data.get("city")
                taken = MeetingPlace.objects.filter(recruiter=recruiter, city=city).exclude(pk=self.instance.pk)
                if city is not None and taken.exists():
                    self.add_error("city", "В этом городе у вас уже есть место встречи — измените его.")
                return data

        return OwnPlaceForm

    def save_model(self, request: HttpRequest, obj: MeetingPlace, form: Any, change: bool) -> None:
        if not access.is_lead(request.user):
            obj.recruiter = access.recruiter_for(request.user)
        meeting_place_save(place=obj)

    def delete_model(self, request: HttpRequest, obj: MeetingPlace) -> None:
        meeting_place_delete(place=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[MeetingPlace]) -> None:
        for place in queryset:
            meeting_place_delete(place=place)

    def has_add_permission(self, request: HttpRequest) -> bool:
        can_own = access.is_lead(request.user) or access.recruiter_for(request.user) is not None
        return can_own and super().has_add_permission(request)
