"""The recruiter invites a candidate who passed Тест 2 to an intro day, from the result message in their chat.

A short conversation: when (дд.мм чч:мм in the city's zone), address (or the recruiter's meeting place for
the city), contact («Я»), note («Без примечания»), then a summary with «Отправить приглашение» / «Отмена».
The answers so far live on the recruiter row (`Recruiter.intro_draft`), so a bot restart loses nothing.
Every button names the Тест 2 attempt; only the chat bound to the recruiter who interviewed the candidate
may act. «Отправить» calls the admin's service (`intro_day_invite`); the draft is cleared in the same
transaction, so a second «Отправить» finds nothing to send.
"""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from typing import Any

from django.db import transaction
from django.utils import timezone

from botapp.flows.once import recruiter_callback_once
from botapp.views import Outcome, Press, Reply
from candidates.models import CandidateStatus, Test2Attempt
from notifications.conversation import intro_invite_keyboards as kb
from notifications.conversation import texts
from notifications.conversation.time_labels import date_time_label, to_local
from scheduling import services as slot_services
from scheduling.errors import DomainError
from scheduling.meeting_places import meeting_place_for
from scheduling.models import Recruiter

NOT_YOURS = Outcome(answer=texts.INTRO_NOT_YOURS, result="not_yours")
STALE = Outcome(answer=texts.INTRO_STALE, drop_keyboard=True, result="stale")
# «15.03» typed in December means next March, not last one: a date this far behind is taken as next year's.
NEXT_YEAR_AFTER = dt.timedelta(days=180)


def _attempt(attempt_key: uuid.UUID) -> Test2Attempt | None:
    return (
        Test2Attempt.objects.filter(key=attempt_key, passed=True)
        .select_related("candidate", "slot__recruiter", "slot__city")
        .first()
    )


def _owner(attempt: Test2Attempt | None, chat_id: int | None) -> Recruiter | None:
    """The interviewing recruiter, locked, when the press came from their bound chat; else None."""
    if attempt is None or chat_id is None or attempt.slot.recruiter.telegram_chat_id != chat_id:
        return None
    return Recruiter.objects.select_for_update().get(pk=attempt.slot.recruiter_id)


def _draft_of(recruiter: Recruiter, attempt: Test2Attempt) -> dict[str, Any] | None:
    draft = recruiter.intro_draft or {}
    return draft if draft.get("attempt") == attempt.key.hex else None


def _save(recruiter: Recruiter, draft: dict[str, Any]) -> None:
    recruiter.intro_draft = draft
    recruiter.save(update_fields=["intro_draft"])


def _question(step: str, recruiter: Recruiter, attempt: Test2Attempt) -> Reply:
    city = attempt.slot.city
    if step == "when":
        name = attempt.candidate.full_name
        return Reply(texts.INTRO_ASK_WHEN.format(name=name, city=city.name, tz=city.tz))
    if step == "address":
        place = meeting_place_for(recruiter=recruiter, city_id=city.pk)
        if place:
            return Reply(texts.INTRO_ASK_ADDRESS_PLACE, kb.place_markup(attempt.key, place))
        return Reply(texts.INTRO_ASK_ADDRESS)
    if step == "contact":
        return Reply(texts.INTRO_ASK_CONTACT, kb.me_markup(attempt.key))
    if step == "note":
        return Reply(texts.INTRO_ASK_NOTE, kb.no_note_markup(attempt.key))
    return _summary(recruiter.intro_draft, attempt)


def _summary(draft: dict[str, Any], attempt: Test2Attempt) -> Reply:
    tz = attempt.slot.city.tz
    text = texts.INTRO_SUMMARY.format(
        name=attempt.candidate.full_name,
        when=date_time_label(dt.datetime.fromisoformat(draft["starts_at"]), tz),
        tz=tz,
        address=draft["address"],
        contact=draft["contact"],
        note=draft.get("note") or texts.INTRO_NO_NOTE,
    )
    return Reply(text, kb.summary_markup(attempt.key))


def _advance(recruiter: Recruiter, attempt: Test2Attempt, draft: dict[str, Any], **answer: str) -> Outcome:
    """Store one answer and ask the next question (or show the summary)."""
    following = {"when": "address", "address": "contact", "contact": "note", "note": "confirm"}[draft["step"]]
    _save(recruiter, {**draft, **answer, "step": following})
    return Outcome(send=(_question(following, recruiter, attempt),), result=following)


def parse_when(text: str, tz: str, now: dt.datetime) -> dt.datetime | None:
    """«15.03 12:00» in the zone tz as an aware moment (this year, or next if the date is long gone); None if bad."""
    local_now = to_local(now, tz)
    try:
        parsed = dt.datetime.strptime(f"{text.strip()} {local_now.year}", "%d.%m %H:%M %Y")
    except ValueError:
        return None
    moment = parsed.replace(tzinfo=zoneinfo.ZoneInfo(tz))
    if local_now - moment > NEXT_YEAR_AFTER:
        try:
            moment = moment.replace(year=moment.year + 1)
        except ValueError:  # 29.02 with no such day next year
            return None
    return moment


@recruiter_callback_once
def invite_pressed(press: Press, *, attempt_key: uuid.UUID, chat_id: int | None) -> Outcome:
    """«Пригласить на ознакомительный день»: start (or restart) the questions for this candidate."""
    attempt = _attempt(attempt_key)
    recruiter = _owner(attempt, chat_id)
    if recruiter is None or attempt is None:
        return NOT_YOURS
    if attempt.candidate.status != CandidateStatus.TEST2_PASSED:
        return Outcome(answer=texts.INTRO_NOT_ELIGIBLE.format(name=attempt.candidate.full_name), result="not_eligible")
    _save(recruiter, {"attempt": attempt.key.hex, "step": "when"})
    return Outcome(send=(_question("when", recruiter, attempt),), result="asked")


def text_received(*, chat_id: int, text: str | None, now: dt.datetime | None = None) -> Outcome | None:
    """A typed answer in a recruiter's chat with an invitation under way; None when there is none (not ours)."""
    if not Recruiter.objects.filter(telegram_chat_id=chat_id).exclude(intro_draft={}).exists():
        return None
    with transaction.atomic():
        recruiter = Recruiter.objects.select_for_update().filter(telegram_chat_id=chat_id).first()
        draft = (recruiter.intro_draft or {}) if recruiter is not None else {}
        attempt = _attempt(uuid.UUID(hex=draft["attempt"])) if draft.get("attempt") else None
        if recruiter is None or attempt is None:
            if recruiter is not None:
                _save(recruiter, {})  # the attempt is gone (the candidate erased): nothing left to ask
            return None
        if draft.get("step") == "confirm":
            # At the summary only its buttons act: show them again rather than guess what the text meant.
            return Outcome(send=(_summary(draft, attempt),), result="summary_again")
        step, value = draft["step"], (text or "").strip()
        if not value:
            question = _question(step, recruiter, attempt)
            return Outcome(send=(Reply(texts.INTRO_EMPTY.format(question=question.text), question.markup),))
        if step != "when":
            return _advance(recruiter, attempt, draft, **{step: value[:500]})
        tz = attempt.slot.city.tz
        now = now or timezone.now()
        moment = parse_when(value, tz, now)
        if moment is None or moment <= now:
            hint = texts.INTRO_BAD_WHEN if moment is None else texts.INTRO_PAST_WHEN
            return Outcome(send=(Reply(hint.format(tz=tz)), _question("when", recruiter, attempt)), result="bad_when")
        return _advance(recruiter, attempt, draft, starts_at=moment.isoformat())


def _button_step(attempt_key: uuid.UUID, chat_id: int | None, step: str, **answer: str) -> Outcome:
    attempt = _attempt(attempt_key)
    recruiter = _owner(attempt, chat_id)
    if recruiter is None or attempt is None:
        return NOT_YOURS
    draft = _draft_of(recruiter, attempt)
    if draft is None or draft.get("step") != step:
        return STALE
    if step == "address":
        answer = {"address": meeting_place_for(recruiter=recruiter, city_id=attempt.slot.city_id)}
    elif step == "contact":
        answer = {"contact": recruiter.name}
    outcome = _advance(recruiter, attempt, draft, **answer)
    return Outcome(send=outcome.send, drop_keyboard=True, result=outcome.result)


@recruiter_callback_once
def place_pressed(press: Press, *, attempt_key: uuid.UUID, chat_id: int | None) -> Outcome:
    """The recruiter's meeting place for the city as the address."""
    return _button_step(attempt_key, chat_id, "address")


@recruiter_callback_once
def me_pressed(press: Press, *, attempt_key: uuid.UUID, chat_id: int | None) -> Outcome:
    """«Я»: the recruiter is the contact person."""
    return _button_step(attempt_key, chat_id, "contact")


@recruiter_callback_once
def no_note_pressed(press: Press, *, attempt_key: uuid.UUID, chat_id: int | None) -> Outcome:
    """«Без примечания»."""
    return _button_step(attempt_key, chat_id, "note", note="")


@recruiter_callback_once
def cancel_pressed(press: Press, *, attempt_key: uuid.UUID, chat_id: int | None) -> Outcome:
    """«Отмена»: the draft goes, nothing is sent."""
    attempt = _attempt(attempt_key)
    recruiter = _owner(attempt, chat_id)
    if recruiter is None or attempt is None:
        return NOT_YOURS
    if _draft_of(recruiter, attempt) is None:
        return STALE
    _save(recruiter, {})
    return Outcome(edit=Reply(texts.INTRO_CANCELED), result="canceled")


@recruiter_callback_once
def send_pressed(press: Press, *, attempt_key: uuid.UUID, chat_id: int | None) -> Outcome:
    """«Отправить приглашение»: the admin's service invites; its refusal is told as it is."""
    attempt = _attempt(attempt_key)
    recruiter = _owner(attempt, chat_id)
    if recruiter is None or attempt is None:
        return NOT_YOURS
    draft = _draft_of(recruiter, attempt)
    if draft is None or draft.get("step") != "confirm":
        # Sent (or canceled) already: a second tap finds the draft gone and changes nothing.
        return STALE
    _save(recruiter, {})
    starts_at = dt.datetime.fromisoformat(draft["starts_at"])
    try:
        with transaction.atomic():
            slot = slot_services.intro_day_invite(
                candidate_id=attempt.candidate_id,
                starts_at=starts_at,
                address=draft["address"],
                contact=draft["contact"],
                note=draft.get("note", ""),
                actor_user=recruiter.user,
            )
    except DomainError as exc:
        return Outcome(edit=Reply(texts.INTRO_REFUSED.format(reason=exc)), result=exc.code)
    tz = slot.city.tz
    sent = texts.INTRO_SENT.format(name=attempt.candidate.full_name, when=date_time_label(slot.starts_at, tz), tz=tz)
    return Outcome(edit=Reply(sent), result="invited")
