"""The recruiter's decisions on a slot, as list actions and as buttons on the slot page.

Which statuses a decision accepts is the services' TRANSITIONS table; the admin only names the
service to call and words the button and the result. Each row gets its own result message.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from notifications.conversation.time_labels import date_time_label
from scheduling import access
from scheduling.errors import DomainError, TransitionNotAllowed
from scheduling.models import Slot
from scheduling.services import TRANSITIONS, slot_approve, slot_cancel, slot_reject, slot_reschedule

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Decision:
    intent: str  # the service's row in TRANSITIONS
    service: Callable[..., Slot]
    button: str
    done: str  # what a success says after the slot's title

    def accepts(self, status: str) -> bool:
        return status in TRANSITIONS[self.intent]


DECISIONS: dict[str, Decision] = {
    "approve": Decision("approve", slot_approve, "Согласовать", "согласовано"),
    "reschedule": Decision(
        "reschedule", slot_reschedule, "Попросить другое время", "кандидата попросили выбрать другое время"
    ),
    "reject": Decision("reject", slot_reject, "Отказать", "кандидату отказано"),
    "cancel": Decision("cancel_slot", slot_cancel, "Отменить слот", "слот отменён"),
}


def _slot_title(slot: Slot) -> str:
    who = f" — {slot.candidate}" if slot.candidate_id else ""
    return f"{date_time_label(slot.starts_at, slot.recruiter.tz)} ({slot.city}){who}"


class SlotDecisionsMixin(admin.ModelAdmin):
    """The slot admin's decisions: four list actions and, on the slot page, the buttons its status allows."""

    actions = ("approve_slots", "reschedule_slots", "reject_slots", "cancel_slots")

    def _decide(self, request: HttpRequest, queryset: QuerySet[Slot], decision: str) -> None:
        """Run one decision on each slot the user may touch; report every slot's own result."""
        service, done = DECISIONS[decision].service, DECISIONS[decision].done
        slots = list(queryset.select_related("recruiter", "city", "candidate").order_by("starts_at"))
        if request.method == "POST" and request.POST.get("select_across", "0") != "1":
            requested = set(request.POST.getlist(helpers.ACTION_CHECKBOX_NAME))
            refused = sorted(requested - {str(slot.pk) for slot in slots})
            if refused:
                # Crafted ids of someone else's slots: not in the user's queryset, so never acted on.
                logger.warning("user %s asked to %s slots outside their scope: %s", request.user.pk, decision, refused)
                self.message_user(request, f"Слоты {', '.join(refused)}: нет доступа или не найдены.", messages.ERROR)
        for slot in slots:
            title = _slot_title(slot)
            if not access.can_touch_slot(request.user, slot):
                self.message_user(request, f"{title}: нет доступа.", messages.ERROR)
                continue
            try:
                service(slot_id=slot.pk, actor_user=request.user)
            except TransitionNotAllowed:
                current = Slot.objects.filter(pk=slot.pk).first()
                now_label = current.get_status_display() if current else "удалён"
                self.message_user(request, f"{title}: уже обработано (сейчас: {now_label}).", messages.WARNING)
            except DomainError as exc:
                self.message_user(request, f"{title}: {exc}", messages.ERROR)
            else:
                self.message_user(request, f"{title}: {done}.", messages.SUCCESS)

    @admin.action(description="Согласовать выбранные заявки", permissions=["change"])
    def approve_slots(self, request: HttpRequest, queryset: QuerySet[Slot]) -> None:
        self._decide(request, queryset, "approve")

    @admin.action(description="Попросить выбрать другое время", permissions=["change"])
    def reschedule_slots(self, request: HttpRequest, queryset: QuerySet[Slot]) -> None:
        self._decide(request, queryset, "reschedule")

    @admin.action(description="Отказать кандидатам", permissions=["change"])
    def reject_slots(self, request: HttpRequest, queryset: QuerySet[Slot]) -> None:
        self._decide(request, queryset, "reject")

    @admin.action(description="Отменить выбранные слоты", permissions=["change"])
    def cancel_slots(self, request: HttpRequest, queryset: QuerySet[Slot]) -> None:
        self._decide(request, queryset, "cancel")

    def get_urls(self) -> list[Any]:
        decide = path(
            "<path:object_id>/decide/<str:decision>/",
            self.admin_site.admin_view(require_POST(self.decide_view)),
            name="scheduling_slot_decide",
        )
        return [decide, *super().get_urls()]

    def decide_view(self, request: HttpRequest, object_id: str, decision: str) -> HttpResponse:
        """A button on the slot page: the same decision as the list action, for this one slot."""
        if decision not in DECISIONS:
            raise Http404("Неизвестное действие.")
        slot = self.get_object(request, object_id)
        if not self.has_change_permission(request, slot):
            raise PermissionDenied
        self._decide(request, self.get_queryset(request).filter(pk=slot.pk), decision)
        return HttpResponseRedirect(reverse("admin:scheduling_slot_change", args=[slot.pk]))

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        slot = self.get_object(request, object_id)
        can_change = self.has_change_permission(request, slot)
        buttons = [
            {
                "name": name,
                "label": decision.button,
                "url": reverse("admin:scheduling_slot_decide", args=[slot.pk, name]),
            }
            for name, decision in DECISIONS.items()
            if can_change and decision.accepts(slot.status)
        ]
        extra = {**(extra_context or {}), "decision_buttons": buttons}
        return super().change_view(request, object_id, form_url, extra)
