"""Every time the admin renders is in the viewer's zone: Django formats datetimes in the active zone."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from scheduling.admin.scoping import viewer_tz


class ViewerZoneMiddleware:
    """Activate the signed-in staff member's zone for the request (the recruiter's, else the default).

    The recruiter lookup is cached on request.user, so the admin's own scoping reuses it: no extra query.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not getattr(user, "is_staff", False):
            return self.get_response(request)
        with timezone.override(viewer_tz(user)):
            return self.get_response(request)
