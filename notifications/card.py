"""The recruiter's decision card: the request as the recruiter reads it, and the line it ends with once decided.

The card is the RECRUITER_NEW_REQUEST outbox row; its text is rendered once, when the candidate
reserves. Its result line is rendered by whoever closes the request (a press in Telegram, the
admin, the candidate, the expiry) and appended to the stored text when the card is edited.
"""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from typing import Any

from candidates import questionnaire
from notifications.conversation import texts
from notifications.conversation.time_labels import date_time_label, slot_label, zone_label
from notifications.models import NotificationKind, NotificationLog, NotificationStatus

# A free answer longer than this is cut with «…»: the card stays readable on a phone.
ANSWER_MAX_CHARS = 80
# Shown above the answers, not among them.
PERSON_KEYS = ("full_name", "city", questionnaire.CITY_REQUESTED, "age")
PERSON_TYPES = (questionnaire.FULL_NAME, questionnaire.CITY, questionnaire.CITY_NAME, questionnaire.AGE)


class Via(StrEnum):
    """Where a recruiter's decision was made: the card says so."""

    TELEGRAM = "telegram"
    ADMIN = "admin"


def _cut(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= ANSWER_MAX_CHARS else text[: ANSWER_MAX_CHARS - 1].rstrip() + "…"


def _answer_lines(candidate: Any, answers: dict[str, Any]) -> list[str]:
    from candidates.vacancies import bank

    # The candidate's own version, and each question as they saw it: the lead may have reworded it since.
    questions = bank.for_candidate(candidate)
    person = {q.key for q in questions.questions if questionnaire.answer_type(q) in PERSON_TYPES}
    return [
        texts.CARD_ANSWER_LINE.format(label=_label(key, question), answer=_cut(answer))
        for key, question, answer in questions.rows(answers, candidate.test1_questions or {})
        if key not in PERSON_KEYS and key not in person
    ]


def _label(key: str, question: str) -> str:
    """The short label of an unchanged question of the code bank; any other question is named by its text."""
    original = questionnaire.question(key)
    if original is not None and original.text == question and key in texts.CARD_ANSWER_LABELS:
        return texts.CARD_ANSWER_LABELS[key]
    return question


def request_card_text(*, slot: Any, candidate: Any) -> str:
    """The card of a fresh request: who, when (recruiter's zone, and the city's when it differs), Тест 1."""
    recruiter_tz, city_tz = slot.recruiter.tz, slot.city.tz
    answers = candidate.test1_answers if isinstance(candidate.test1_answers, dict) else {}
    person = texts.CARD_PERSON.format(
        name=candidate.full_name or str(candidate), age=answers.get("age", "—"), city=slot.city.name
    )
    city_when = ""
    if zone_label(city_tz, slot.starts_at) != zone_label(recruiter_tz, slot.starts_at):
        city_when = texts.CARD_CITY_WHEN.format(
            when=date_time_label(slot.starts_at, city_tz), zone=zone_label(city_tz, slot.starts_at)
        )
    lines = _answer_lines(candidate, answers)
    return texts.RECRUITER_NEW_REQUEST.format(
        requested_at=slot_label(slot.reserved_at or slot.updated_at, recruiter_tz),
        person=person,
        when=date_time_label(slot.starts_at, recruiter_tz),
        zone=zone_label(recruiter_tz, slot.starts_at),
        city_when=city_when,
        answers=texts.CARD_ANSWERS.format(lines="\n".join(lines)) if lines else "",
    )


def result_line(*, intent: str, at: dt.datetime, tz: str, via: str = "", who: str = "", reason: str = "") -> str:
    """What became of the request, appended to the card: «✅ Согласовано 01.12 12:03 · в Telegram, Анна»."""
    by = texts.CARD_RESULT_BY.format(where=texts.CARD_VIA[via], who=who) if via and who else ""
    return texts.CARD_RESULT.format(
        verdict=texts.CARD_VERDICTS[intent],
        at=slot_label(at, tz),
        by=by,
        reason=texts.CARD_RESULT_REASON.format(reason=reason) if reason else "",
    )


def decider_name(*, via: str, recruiter: Any, actor_user: Any) -> str:
    """Who decided, as the card names them: the bound recruiter in Telegram, the signed-in user in the admin."""
    if via == Via.TELEGRAM:
        return str(recruiter.name)
    if actor_user is None:
        return ""
    return actor_user.get_full_name() or actor_user.get_username()


def sent_request_card(reservation_id: uuid.UUID) -> NotificationLog | None:
    """The request's card as Telegram has it (sent, with its message id), or None."""
    return (
        NotificationLog.objects.filter(
            reservation_id=reservation_id,
            kind=NotificationKind.RECRUITER_NEW_REQUEST,
            status=NotificationStatus.SENT,
            telegram_message_id__isnull=False,
        )
        .order_by("-pk")
        .first()
    )
