"""The scheduling service layer: every slot and recruiter state change goes through these names."""

from scheduling.services.booking import (
    booking_cancel,
    booking_confirm,
    booking_decline,
    candidate_bookings_release,
    slot_reserve,
)
from scheduling.services.decisions import slot_approve, slot_cancel, slot_record_outcome, slot_reject, slot_reschedule
from scheduling.services.expiry import pending_expire_due, pending_expiry_cutoff, slot_expire_pending
from scheduling.services.intro_day import intro_day_confirm, intro_day_decline, intro_day_invite
from scheduling.services.recruiters import (
    bind_code_ttl,
    recruiter_bind_chat,
    recruiter_bind_code_issue,
    recruiter_calendar_token_regenerate,
)
from scheduling.services.slots import BulkCreateReport, slot_create, slots_create_bulk
from scheduling.services.transitions import TRANSITIONS

__all__ = [
    "TRANSITIONS",
    "BulkCreateReport",
    "bind_code_ttl",
    "booking_cancel",
    "booking_confirm",
    "booking_decline",
    "candidate_bookings_release",
    "intro_day_confirm",
    "intro_day_decline",
    "intro_day_invite",
    "pending_expire_due",
    "pending_expiry_cutoff",
    "recruiter_bind_chat",
    "recruiter_bind_code_issue",
    "recruiter_calendar_token_regenerate",
    "slot_approve",
    "slot_cancel",
    "slot_create",
    "slot_expire_pending",
    "slot_record_outcome",
    "slot_reject",
    "slot_reschedule",
    "slot_reserve",
    "slots_create_bulk",
]
