"""GET /privacy/: the demo's own privacy policy, the page the consent text links to when no other is set."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def privacy_policy(request: HttpRequest) -> HttpResponse:
    """The policy text in Russian: what is kept, why, for how long, and how to have it erased."""
    return render(
        request,
        "privacy/policy.html",
        {
            "retention_days": settings.PERSONAL_DATA_RETENTION_DAYS,
            "consent_version": settings.CONSENT_VERSION,
        },
    )
