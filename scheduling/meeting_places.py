"""Where a booking's meeting happens: the recruiter's place for the slot's city, else their general link.

Saving and removing a place are services (scheduling/services/meeting_places.py): they also rewrite planned reminders.
"""

from __future__ import annotations

from typing import Any

from scheduling.models import MeetingPlace


def meeting_place_for(*, recruiter: Any, city_id: int) -> str:
    """The link or address for this recruiter in this city; '' when the recruiter has set none."""
    place = MeetingPlace.objects.filter(recruiter_id=recruiter.pk, city_id=city_id).values_list("place", flat=True)
    return place.first() or recruiter.meeting_url


def meeting_places_of(recruiter: Any) -> dict[int, str]:
    """city id → place of one recruiter (the agenda lists many slots at once)."""
    return dict(MeetingPlace.objects.filter(recruiter_id=recruiter.pk).values_list("city_id", "place"))
