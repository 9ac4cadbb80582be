"""The one page outside the admin that scheduling serves: a recruiter's calendar feed, for calendar apps."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from scheduling.calendar_feed import feed_calendar
from scheduling.models import Recruiter


@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """No login: calendar apps cannot sign in, so the unguessable token in the URL is the credential.

    A regenerated token or a deactivated recruiter answers 404, the same as a token that never existed.
    """
    recruiter = Recruiter.objects.filter(calendar_token=token, is_active=True).first() if token else None
    if recruiter is None:
        raise Http404("Нет такого календаря.")
    body = feed_calendar(recruiter, request).to_ical()
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="interviews.ics"'
    # The URL is a secret: no shared cache may keep the recruiter's candidates.
    response["Cache-Control"] = "private, max-age=300"
    return response
