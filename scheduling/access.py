"""Who sees what in the admin: a recruiter sees their own rows, a lead or superuser sees all."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from scheduling.models import Recruiter, Slot, SlotEvent

# Created by migrations (scheduling 0005, candidates 0006) with get_or_create: either may run first.
LEAD_GROUP = "Руководители найма"
RECRUITER_GROUP = "recruiters"
# (app label, codename) of what each group may do in the admin; seed_demo and the deploy guide set them up.
RECRUITER_PERMISSIONS = [
    ("scheduling", "view_slot"),
    ("scheduling", "change_slot"),
    ("scheduling", "add_slot"),
    ("scheduling", "view_slotevent"),
    ("scheduling", "view_city"),
    ("scheduling", "view_recruiter"),
    ("candidates", "view_candidate"),
    ("candidates", "change_candidate"),
    ("notifications", "view_notificationlog"),
    ("notifications", "change_notificationlog"),
    ("scheduling", "view_meetingplace"),
    ("scheduling", "add_meetingplace"),
    ("scheduling", "change_meetingplace"),
    ("scheduling", "delete_meetingplace"),
]
# A lead sees every recruiter's data (is_lead below) and also manages cities and recruiters.
LEAD_EXTRA_PERMISSIONS = [
    ("scheduling", "add_city"),
    ("scheduling", "change_city"),
    ("scheduling", "add_recruiter"),
    ("scheduling", "change_recruiter"),
    ("botapp", "view_telegramcallbacklog"),
    ("notifications", "view_textoverride"),
    ("notifications", "add_textoverride"),
    ("notifications", "change_textoverride"),
]

_UNSET = object()


def is_lead(user: Any) -> bool:
    """Superusers and members of the lead group (LEAD_GROUP) see every recruiter's data."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_is_lead_cache", None)
    if cached is None:
        cached = user.groups.filter(name=LEAD_GROUP).exists()
        user._is_lead_cache = cached
    return cached


def recruiter_for(user: Any) -> Recruiter | None:
    """The recruiter profile linked to this admin user, if any (cached on the user object)."""
    cached = getattr(user, "_recruiter_cache", _UNSET)
    if cached is _UNSET:
        cached = Recruiter.objects.filter(user_id=user.pk).first() if getattr(user, "pk", None) else None
        user._recruiter_cache = cached
    return cached  # type: ignore[return-value]


def recruiter_id_for(user: Any) -> int | None:
    """The id of the user's recruiter profile, or None."""
    recruiter = recruiter_for(user)
    return recruiter.pk if recruiter else None


def _scoped(queryset: QuerySet[Any], user: Any, recruiter_field: str) -> QuerySet[Any]:
    """All rows for a lead, the rows whose recruiter_field is the user's recruiter, else none."""
    if is_lead(user):
        return queryset
    recruiter_id = recruiter_id_for(user)
    if recruiter_id is None:
        return queryset.none()
    return queryset.filter(**{recruiter_field: recruiter_id})


def slots_visible(queryset: QuerySet[Slot], user: Any) -> QuerySet[Slot]:
    """Slots the user may see: all for a lead, their own for a recruiter, none otherwise."""
    return _scoped(queryset, user, "recruiter_id")


def recruiters_visible(queryset: QuerySet[Recruiter], user: Any) -> QuerySet[Recruiter]:
    """Recruiter profiles the user may see: all for a lead, only their own for a recruiter."""
    return _scoped(queryset, user, "pk")


def candidates_visible(queryset: QuerySet[Any], user: Any) -> QuerySet[Any]:
    """Candidates the user may see.

    A recruiter sees a candidate who ever held one of their slots (the slot history says so),
    and candidates in the recruiter's cities who left a preferred time because no slot fitted.
    """
    if is_lead(user):
        return queryset
    recruiter = recruiter_for(user)
    if recruiter is None:
        return queryset.none()
    had_slot = Exists(SlotEvent.objects.filter(candidate_id=OuterRef("pk"), slot__recruiter_id=recruiter.pk))
    holds_slot = Exists(Slot.objects.filter(candidate_id=OuterRef("pk"), recruiter_id=recruiter.pk))
    waiting_in_city = Q(city__recruiters=recruiter.pk) & ~Q(preferred_time_note="")
    in_city = queryset.filter(waiting_in_city).values("pk")
    return queryset.filter(had_slot | holds_slot | Q(pk__in=in_city))


def slot_events_visible(queryset: QuerySet[SlotEvent], user: Any) -> QuerySet[SlotEvent]:
    """Slot history rows the user may see: those of their own slots."""
    return _scoped(queryset, user, "slot__recruiter_id")


def notifications_visible(queryset: QuerySet[Any], user: Any) -> QuerySet[Any]:
    """Outbox rows the user may see: those written for their own slots."""
    return _scoped(queryset, user, "recruiter_id")


def can_touch_slot(user: Any, slot: Slot) -> bool:
    """Object-level check: may this user see or act on this slot?"""
    return is_lead(user) or (slot.recruiter_id is not None and slot.recruiter_id == recruiter_id_for(user))


def meeting_places_visible(queryset: QuerySet[Any], user: Any) -> QuerySet[Any]:
    """Meeting places the user may see and edit: their own for a recruiter, all for a lead."""
    return _scoped(queryset, user, "recruiter_id")
