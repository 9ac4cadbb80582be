"""What every app's admin shares about the viewer: objects outside their scope, history tables, their zone."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import Http404, HttpRequest

from notifications.conversation.time_labels import date_time_label, iana_zone_label
from scheduling import access
from scheduling.models import Slot

# Day boundaries and the zone shown to users without a recruiter profile (leads, superusers).
DEFAULT_ADMIN_TZ = "Europe/Moscow"


def viewer_tz(user: Any) -> str:
    """The zone the viewer's days begin in: their recruiter profile's, else the default."""
    recruiter = access.recruiter_for(user)
    return recruiter.tz if recruiter else DEFAULT_ADMIN_TZ


def slot_tz(user: Any, slot: Slot) -> str:
    """The zone a slot's time is shown in: the viewer's own as a recruiter, else the slot's city's."""
    recruiter = access.recruiter_for(user)
    return recruiter.tz if recruiter else slot.city.tz


def slot_when(user: Any, slot: Slot) -> str:
    """«02.12.2026 12:00 (Europe/Moscow, UTC+03:00)»: the slot's start for this viewer, the zone named."""
    tz = slot_tz(user, slot)
    return f"{date_time_label(slot.starts_at, tz)} ({iana_zone_label(tz, slot.starts_at)})"


def slot_title(user: Any, slot: Slot) -> str:
    """The slot's title on admin pages: Slot.__str__ with the time in the viewer's zone."""
    return f"{slot.recruiter}, {slot_when(user, slot)}, {slot.get_status_display()}"


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
