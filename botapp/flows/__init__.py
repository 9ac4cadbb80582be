"""The sync side of every update: one call per update, one transaction, an Outcome back.

Handlers parse the update and call exactly one function here through `run_sync`. Each function
calls the services (every state change lives there), catches the domain errors it expects and
renders the reply with `screens`. Button presses go through `callback_once` (once.py), which
records the callback id in the same transaction as the action, so a redelivered press is a no-op.
"""

from botapp.flows.booking import (
    cancel_no_pressed,
    cancel_pressed,
    cancel_yes_pressed,
    confirm_pressed,
    decline_pressed,
    other_time_pressed,
)
from botapp.flows.commands import bind, cancel_command, start, text_received
from botapp.flows.journey import (
    answer_pressed,
    consent_pressed,
    preferred_time_pressed,
    recruiter_pressed,
    recruiters_pressed,
    slot_pressed,
)
from botapp.flows.once import DUPLICATE, anonymous_callback_once, callback_once
from botapp.flows.privacy import delete_my_data, delete_my_data_pressed, erase_no_pressed, erase_yes_pressed
from botapp.flows.vacancy import vacancy_city_pressed, vacancy_pressed

__all__ = [
    "DUPLICATE",
    "anonymous_callback_once",
    "answer_pressed",
    "bind",
    "callback_once",
    "cancel_command",
    "cancel_no_pressed",
    "cancel_pressed",
    "cancel_yes_pressed",
    "confirm_pressed",
    "consent_pressed",
    "decline_pressed",
    "delete_my_data",
    "delete_my_data_pressed",
    "erase_no_pressed",
    "erase_yes_pressed",
    "other_time_pressed",
    "preferred_time_pressed",
    "recruiter_pressed",
    "recruiters_pressed",
    "slot_pressed",
    "start",
    "text_received",
    "vacancy_city_pressed",
    "vacancy_pressed",
]
