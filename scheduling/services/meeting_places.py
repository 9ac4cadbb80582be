"""Saving and removing a recruiter's meeting place for a city.

A change also rewrites the unsent one-hour reminders of confirmed bookings it applies to (the only planned
message that shows the place), so a candidate is never sent to the old office.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from notifications.services import notifications_rerender
from scheduling.models import MeetingPlace, Slot, SlotStatus


@transaction.atomic
def meeting_place_save(*, place: MeetingPlace) -> MeetingPlace:
    """Save a recruiter's place for a city; planned reminders of confirmed bookings there show the new one."""
    place.save()
    _reminders_rerender(recruiter_id=place.recruiter_id, city_id=place.city_id)
    return place


@transaction.atomic
def meeting_place_delete(*, place: MeetingPlace) -> None:
    """Remove a place: the recruiter's general link applies again, planned reminders included."""
    recruiter_id, city_id = place.recruiter_id, place.city_id
    place.delete()
    _reminders_rerender(recruiter_id=recruiter_id, city_id=city_id)


def _reminders_rerender(*, recruiter_id: int, city_id: int) -> None:
    confirmed = Slot.objects.filter(
        recruiter_id=recruiter_id, city_id=city_id, status=SlotStatus.CONFIRMED, starts_at__gt=timezone.now()
    ).select_related("recruiter", "city", "candidate")
    for slot in confirmed:
        notifications_rerender(slot=slot, candidate=slot.candidate, reservation_id=slot.reservation_id)
