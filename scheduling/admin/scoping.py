"""What every app's admin shares about the viewer: objects outside their scope, history tables, their zone."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import Http404, HttpRequest

from scheduling import access

# Day boundaries and the zone shown to users without a recruiter profile (leads, superusers).
DEFAULT_ADMIN_TZ = "Europe/Moscow"


def viewer_tz(user: Any) -> str:
    """The zone the viewer's days begin in: their recruiter profile's, else the default."""
    recruiter = access.recruiter_for(user)
    return recruiter.tz if recruiter else DEFAULT_ADMIN_TZ


class ScopedObjectMixin:
    """Refuse (404) any object outside the user's scope, instead of admin's «doesn't exist» redirect."""

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None) -> Any:
        obj = super().get_object(request, object_id, from_field)  # type: ignore[misc]
        if obj is None:
            raise Http404("Нет такого объекта или нет доступа к нему.")
        return obj


class ReadOnlyInline(admin.TabularInline):
    """A history table on a change page: nothing added, edited or deleted from here."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
