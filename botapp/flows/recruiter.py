"""The recruiter's commands in their bound chat: /today, /week, /help, /unbind, and /start there.

A chat is a recruiter's when a recruiter bound it (/bind CODE). Anywhere else these commands get
what a candidate gets for any text, so candidates never see recruiter commands or texts.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from botapp import screens
from botapp.views import Outcome, Reply, outcome
from candidates import services as candidate_services
from notifications.agenda import WEEK_DAYS, agenda_messages, recruiter_today
from notifications.conversation import texts
from scheduling.models import Recruiter
from scheduling.selectors import recruiter_get_by_chat
from scheduling.services.recruiters import recruiter_unbind_chat

NOT_A_RECRUITER_CHAT = Outcome(result="not_a_recruiter_chat")


def agenda(recruiter: Recruiter, *, days: int, heading: str) -> tuple[Reply, ...]:
    """The recruiter's agenda from today for `days` days, as one or more messages."""
    first_day = recruiter_today(recruiter)
    messages = agenda_messages(recruiter, first_day=first_day, days=days, heading=heading)
    return tuple(Reply(m.text, m.markup) for m in messages)


def recruiter_home(recruiter: Recruiter) -> Outcome:
    """/start in a recruiter's chat: their commands, then today's agenda (never the candidate's journey)."""
    return outcome(Reply(texts.RECRUITER_HELP), *agenda(recruiter, days=1, heading=texts.AGENDA_TODAY))


def _candidate_step(telegram_id: int, username: str) -> Outcome:
    candidate = candidate_services.candidate_touch(telegram_id=telegram_id, username=username)
    return outcome(screens.current(candidate))


RecruiterCommand = Callable[..., Outcome]


def _recruiter_command(
    for_recruiter: Callable[[Recruiter], Outcome],
    for_candidate: Callable[[int, str], Outcome] = _candidate_step,
) -> RecruiterCommand:
    """A command that serves the recruiter of a bound chat; a candidate in a private chat gets for_candidate."""

    @transaction.atomic
    def flow(*, chat_id: int, telegram_id: int, username: str = "", private: bool = True) -> Outcome:
        recruiter = recruiter_get_by_chat(chat_id=chat_id)
        if recruiter is not None:
            return for_recruiter(recruiter)
        if not private:
            return NOT_A_RECRUITER_CHAT  # a group nobody bound: stay silent
        return for_candidate(telegram_id, username)

    return flow


def _unbind(recruiter: Recruiter) -> Outcome:
    assert recruiter.telegram_chat_id is not None  # found by this very chat
    recruiter_unbind_chat(chat_id=recruiter.telegram_chat_id)
    return outcome(Reply(texts.UNBIND_DONE.format(name=recruiter.name)), result="unbound")


today = _recruiter_command(lambda r: outcome(*agenda(r, days=1, heading=texts.AGENDA_TODAY)))
week = _recruiter_command(lambda r: outcome(*agenda(r, days=WEEK_DAYS, heading=texts.AGENDA_WEEK)))
help_command = _recruiter_command(
    lambda _r: outcome(Reply(texts.RECRUITER_HELP)), for_candidate=lambda _id, _name: outcome(screens.help_text())
)
unbind = _recruiter_command(_unbind)
