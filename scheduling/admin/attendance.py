"""Attendance in the slot list: «Пришёл» / «Не пришёл» actions and the filter by outcome.

The same service as the bot's buttons records the outcome; here a recruiter may also correct it.
Each chosen slot gets its own result message, like the decisions.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from scheduling import access
from scheduling.admin.decisions import SlotDecisionsMixin
from scheduling.admin.scoping import slot_when
from scheduling.errors import DomainError
from scheduling.models import Slot, SlotOutcome
from scheduling.selectors import CAME_OUTCOMES
from scheduling.services import slot_record_outcome

# The filter's parameter; the attended / no-show counters link to it.
OUTCOME_PARAM = "attendance"
ATTENDED = "attended"
NO_SHOW = "no_show"
NOT_RECORDED = "none"


class AttendanceFilter(admin.SimpleListFilter):
    """Came (whatever the result), did not come, or nothing recorded yet for an agreed interview."""

    title = "явка"
    parameter_name = OUTCOME_PARAM

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(ATTENDED, "Пришёл"), (NO_SHOW, "Не пришёл"), (NOT_RECORDED, "Итог не записан")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Slot]) -> QuerySet[Slot]:
        value = self.value()
        if value == ATTENDED:
            return queryset.filter(outcome__in=CAME_OUTCOMES)
        if value == NO_SHOW:
            return queryset.filter(outcome=SlotOutcome.NO_SHOW)
        if value == NOT_RECORDED:
            return queryset.filter(outcome=SlotOutcome.NONE)
        return queryset


class SlotAttendanceMixin(SlotDecisionsMixin):
    """The two attendance actions; SlotAdmin lists them after the decisions."""

    attendance_actions = ("attended_slots", "no_show_slots", "passed_slots", "failed_slots")

    def _record_attendance(self, request: HttpRequest, queryset: QuerySet[Slot], outcome: str) -> None:
        label = SlotOutcome(outcome).label
        for slot in self._slots_in_scope(request, queryset, f"record {outcome}"):
            who = f" — {slot.candidate}" if slot.candidate_id else ""
            title = f"{slot_when(request.user, slot)}{who}"
            if not access.can_touch_slot(request.user, slot):
                self.message_user(request, f"{title}: нет доступа.", messages.ERROR)
                continue
            try:
                slot_record_outcome(slot_id=slot.pk, outcome=outcome, actor_user=request.user)
            except DomainError as exc:
                self.message_user(request, f"{title}: {exc}", messages.ERROR)
            else:
                self.message_user(request, f"{title}: записано «{label}».", messages.SUCCESS)

    @admin.action(description="Пришёл", permissions=["change"])
    def attended_slots(self, request: HttpRequest, queryset: QuerySet[Slot]) -> None:
        self._record_attendance(request, queryset, SlotOutcome.ATTENDED)

    @admin.action(description="Не пришёл", permissions=["change"])
    def no_show_slots(self, request: HttpRequest, queryset: QuerySet[Slot]) -> None:
        self._record_attendance(request, queryset, SlotOutcome.NO_SHOW)

    # The interview's result after «Пришёл»: passed sends Тест 2, failed a polite refusal (the service decides).
    @admin.action(description="Прошёл собеседование", permissions=["change"])
    def passed_slots(self, request: HttpRequest, queryset: QuerySet[Slot]) -> None:
        self._record_attendance(request, queryset, SlotOutcome.PASSED)

    @admin.action(description="Не прошёл собеседование", permissions=["change"])
    def failed_slots(self, request: HttpRequest, queryset: QuerySet[Slot]) -> None:
        self._record_attendance(request, queryset, SlotOutcome.FAILED)
