"""Admin action «Стереть персональные данные»: the service does the work, the admin records who asked."""

from __future__ import annotations

import logging

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from candidates.models import Candidate
from candidates.privacy import candidate_erase
from notifications.conversation import privacy_texts as texts
from scheduling.errors import DomainError

logger = logging.getLogger(__name__)


@admin.action(description=texts.ADMIN_ACTION, permissions=["change"])
def erase_personal_data(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Candidate]) -> None:
    """Erase the selected candidates' personal data (upcoming bookings released), as this admin user."""
    erased_by = request.user.get_username()
    erased = bookings = 0
    for candidate_id in queryset.order_by("pk").values_list("pk", flat=True):
        try:
            report = candidate_erase(candidate_id=candidate_id, erased_by=erased_by)
        except DomainError as exc:
            modeladmin.message_user(
                request, texts.ADMIN_FAILED.format(id=candidate_id, error=exc), level=messages.ERROR
            )
            continue
        erased += 1
        bookings += report.bookings_canceled
        # The history entry is written after the erasure, so it names the candidate only by number.
        modeladmin.log_change(request, Candidate.objects.get(pk=candidate_id), texts.ADMIN_LOG)
    if erased:
        logger.info("admin user %s erased %s candidates", request.user.pk, erased)
        modeladmin.message_user(request, texts.ADMIN_DONE.format(count=erased, bookings=bookings), messages.SUCCESS)
