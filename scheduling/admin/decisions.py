"""The recruiter's decisions on a slot, as list actions and as buttons on the slot page.

Which statuses a decision accepts is the services' TRANSITIONS table; the admin only names the
service to call and words the button and the result. Each row gets its own result message.
A decision that takes a reason, or that touches more than one slot, first shows a page (Django's
pattern for actions with input): it lists the slots and acts only when posted back confirmed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from scheduling import access
from scheduling.admin.scoping import slot_when
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
    takes_reason: bool = False  # the recruiter may say why; only the admin ever shows it

    def accepts(self, status: str) -> bool:
        return status in TRANSITIONS[self.intent]


DECISIONS: dict[str, Decision] = {
    "approve": Decision("approve", slot_approve, "Согласовать", "согласовано"),
    "reschedule": Decision(
        "reschedule",
        slot_reschedule,
        "Попросить другое время",
        "кандидата попросили выбрать другое время",
        takes_reason=True,
    ),
    "reject": Decision("reject", slot_reject, "Отказать", "кандидату отказано", takes_reason=True),
    "cancel": Decision("cancel_slot", slot_cancel, "Отменить слот", "слот отменён"),
}


# Posted back by the confirmation page: without it, a decision that needs a second look only asks.
CONFIRMED_FIELD = "confirmed"


class DecisionReasonForm(forms.Form):
    reason = forms.CharField(
        label="Причина (необязательно)",
        required=False,
        max_length=500,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="Сохранится в истории слота и на странице кандидата; кандидат её не увидит.",
    )


def _slot_title(user: Any, slot: Slot) -> str:
    """«02.12.2026 12:00 (Europe/Moscow, UTC+03:00), Москва — Иванов Иван»: the time in the viewer's zone."""
    who = f" — {slot.candidate}" if slot.candidate_id else ""
    return f"{slot_when(user, slot)}, {slot.city}{who}"


class SlotDecisionsMixin(admin.ModelAdmin):
    """The slot admin's decisions: four list actions and, on the slot page, the buttons its status allows."""

    actions = ("approve_slots", "reschedule_slots", "reject_slots", "cancel_slots")

    def _decide(
        self, request: HttpRequest, queryset: QuerySet[Slot], decision: str, *, slot_page: bool = False
    ) -> TemplateResponse | None:
        """Ask first when the decision needs it; else run it on each slot the user may touch."""
        rule = DECISIONS[decision]
        slots = self._slots_in_scope(request, queryset, decision)
        if not slots:
            return None
        if request.POST.get(CONFIRMED_FIELD) != "yes" and (rule.takes_reason or len(slots) > 1):
            form = DecisionReasonForm() if rule.takes_reason else None
            return self._confirmation_page(request, slots, decision, form, slot_page=slot_page)
        reason = ""
        if rule.takes_reason:
            form = DecisionReasonForm(request.POST)
            if not form.is_valid():
                return self._confirmation_page(request, slots, decision, form, slot_page=slot_page)
            reason = form.cleaned_data["reason"]
        for slot in slots:
            self._decide_one(request, slot, rule, reason)
        return None

    def _slots_in_scope(self, request: HttpRequest, queryset: QuerySet[Slot], decision: str) -> list[Slot]:
        """The chosen slots the user may see; ids posted for anyone else's slots are reported, never acted on."""
        slots = list(queryset.select_related("recruiter", "city", "candidate").order_by("starts_at"))
        if request.method == "POST" and request.POST.get("select_across", "0") != "1":
            requested = set(request.POST.getlist(helpers.ACTION_CHECKBOX_NAME))
            refused = sorted(requested - {str(slot.pk) for slot in slots})
            if refused:
                # Crafted ids of someone else's slots: not in the user's queryset, so never acted on.
                logger.warning("user %s asked to %s slots outside their scope: %s", request.user.pk, decision, refused)
                self.message_user(request, f"Слоты {', '.join(refused)}: нет доступа или не найдены.", messages.ERROR)
        return slots

    def _decide_one(self, request: HttpRequest, slot: Slot, rule: Decision, reason: str) -> None:
        title = _slot_title(request.user, slot)
        if not access.can_touch_slot(request.user, slot):
            self.message_user(request, f"{title}: нет доступа.", messages.ERROR)
            return
        extra = {"reason": reason} if rule.takes_reason else {}
        try:
            rule.service(slot_id=slot.pk, actor_user=request.user, **extra)
        except TransitionNotAllowed:
            current = Slot.objects.filter(pk=slot.pk).first()
            now_label = current.get_status_display() if current else "удалён"
            self.message_user(request, f"{title}: уже обработано (сейчас: {now_label}).", messages.WARNING)
        except DomainError as exc:
            self.message_user(request, f"{title}: {exc}", messages.ERROR)
        else:
            self.message_user(request, f"{title}: {rule.done}.", messages.SUCCESS)

    def _confirmation_page(
        self,
        request: HttpRequest,
        slots: list[Slot],
        decision: str,
        form: DecisionReasonForm | None,
        *,
        slot_page: bool,
    ) -> TemplateResponse:
        """The slots about to be decided, times in the viewer's zone, with the reason box if the decision takes one.

        The page posts back to the address it was asked from (the list with its filters, or the
        slot's button), so the same scoping applies to the confirmed POST.
        """
        rule = DECISIONS[decision]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"{rule.button}: проверьте и подтвердите",
            "button": rule.button,
            "rows": [
                {
                    "pk": slot.pk,
                    "title": _slot_title(request.user, slot),
                    "status": slot.get_status_display(),
                    "applies": rule.accepts(slot.status),
                }
                for slot in slots
            ],
            "form": form,
            "action_name": None if slot_page else f"{decision}_slots",
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "confirmed_field": CONFIRMED_FIELD,
            "back_url": (
                reverse("admin:scheduling_slot_change", args=[slots[0].pk]) if slot_page else request.get_full_path()
            ),
        }
        return TemplateResponse(request, "admin/scheduling/slot/decision_confirm.html", context)

    @admin.action(description="Согласовать выбранные заявки", permissions=["change"])
    def approve_slots(self, request: HttpRequest, queryset: QuerySet[Slot]) -> TemplateResponse | None:
        return self._decide(request, queryset, "approve")

    @admin.action(description="Попросить выбрать другое время", permissions=["change"])
    def reschedule_slots(self, request: HttpRequest, queryset: QuerySet[Slot]) -> TemplateResponse | None:
        return self._decide(request, queryset, "reschedule")

    @admin.action(description="Отказать кандидатам", permissions=["change"])
    def reject_slots(self, request: HttpRequest, queryset: QuerySet[Slot]) -> TemplateResponse | None:
        return self._decide(request, queryset, "reject")

    @admin.action(description="Отменить выбранные слоты", permissions=["change"])
    def cancel_slots(self, request: HttpRequest, queryset: QuerySet[Slot]) -> TemplateResponse | None:
        return self._decide(request, queryset, "cancel")

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
        asked = self._decide(request, self.get_queryset(request).filter(pk=slot.pk), decision, slot_page=True)
        if asked is not None:
            return asked
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
