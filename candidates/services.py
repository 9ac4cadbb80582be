"""Every candidate state change outside a slot: registration, consent, Тест 1, preferred time.

Each function runs in one transaction and locks the candidate row before it checks anything.
Before consent nothing personal is stored: only the Telegram id and the status.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from candidates import questionnaire as q
from candidates.lookup_sql import candidate_with_city
from candidates.models import Candidate, CandidateStatus
from scheduling.errors import InvalidInput, TransitionNotAllowed
from scheduling.models import City

logger = logging.getLogger(__name__)

# The stages in which a candidate is answering Тест 1 or has not started it.
_BEFORE_TEST1 = {CandidateStatus.NEW, CandidateStatus.CONSENT_DECLINED}

BOT_STATE_PREFERRED_TIME = "preferred_time"
ACTIVITY_RESOLUTION = dt.timedelta(minutes=1)


def consent_version() -> str:
    """The version of the consent text in force; a new one asks everybody again."""
    return str(getattr(settings, "CONSENT_VERSION", "1"))


def consent_is_current(candidate: Candidate) -> bool:
    """Whether the candidate agreed to the consent text in force."""
    return candidate.consent_given_at is not None and candidate.consent_version == consent_version()


def _locked(candidate_id: int) -> Candidate:
    candidate = Candidate.objects.select_for_update().filter(pk=candidate_id).first()
    if candidate is None:
        raise InvalidInput("Кандидат не найден.", candidate_id=candidate_id)
    return candidate


@transaction.atomic
def candidate_register(*, telegram_id: int) -> Candidate:
    """The candidate of this Telegram id, created (status «new», nothing else) on first contact."""
    candidate, created = Candidate.objects.get_or_create(telegram_id=telegram_id)
    if created:
        logger.info("candidate %s registered", candidate.pk)
    return candidate


# No savepoint: this runs at the start of every bot update, and nothing here is caught and retried.
@transaction.atomic(savepoint=False)
def candidate_touch(*, telegram_id: int, username: str = "", now: dt.datetime | None = None) -> Candidate:
    """Register if new, lock the row (with its city), note activity; the username is kept only with current consent."""
    now = now or timezone.now()
    candidate = candidate_with_city(telegram_id, lock=True)
    if candidate is None:
        candidate_register(telegram_id=telegram_id)
        candidate = candidate_with_city(telegram_id, lock=True)
        assert candidate is not None  # registered just now, in this transaction
    fields = _touch(candidate, username=username, now=now)
    if fields:
        candidate.save(update_fields=fields)
    return candidate


def candidate_if_untouched(*, telegram_id: int, username: str = "", now: dt.datetime | None = None) -> Candidate | None:
    """The candidate (with their city), unlocked, when candidate_touch would write nothing; else None.

    For presses that only show something: they need no lock, and most need no write either.
    """
    candidate = candidate_with_city(telegram_id)
    if candidate is None or _touch(candidate, username=username, now=now or timezone.now()):
        return None
    return candidate


def _touch(candidate: Candidate, *, username: str, now: dt.datetime) -> list[str]:
    """Set what a message or press from this person changes on their row; the fields to save ([]: none)."""
    fields = []
    if not candidate.is_reachable:
        # Writing to the bot again means Telegram delivers to this chat again (e.g. after an unblock).
        candidate.is_reachable = True
        candidate.unreachable_reason = ""
        fields += ["is_reachable", "unreachable_reason"]
    username = (username or "")[:64]
    if consent_is_current(candidate) and candidate.username != username:
        candidate.username = username
        fields.append("username")
    # Activity matters in days (retention), so one write a minute is plenty.
    if fields or candidate.last_activity_at is None or now - candidate.last_activity_at > ACTIVITY_RESOLUTION:
        candidate.last_activity_at = now
        fields.append("last_activity_at")
    return fields


@transaction.atomic
def consent_give(*, candidate_id: int, username: str = "", now: dt.datetime | None = None) -> Candidate:
    """«Согласен»: store the time and version; a first consent starts Тест 1, a renewed one resumes."""
    now = now or timezone.now()
    candidate = _locked(candidate_id)
    candidate.consent_given_at = now
    candidate.consent_version = consent_version()
    candidate.consent_declined_at = None
    candidate.username = (username or "")[:64]
    if candidate.status in _BEFORE_TEST1:
        candidate.status = CandidateStatus.IN_TEST1
        candidate.test1_completed_at = None
        candidate.knockout_reason = ""
        test1_begin(candidate)
    candidate.save()
    logger.info("candidate %s consented (version %s)", candidate.pk, candidate.consent_version)
    return candidate


@transaction.atomic
def consent_decline(*, candidate_id: int, now: dt.datetime | None = None) -> Candidate:
    """«Не согласен»: store only the refusal; a live booking is released, since we may not keep processing."""
    from scheduling.services import candidate_bookings_release  # scheduling.services imports this app's models

    now = now or timezone.now()
    candidate = _locked(candidate_id)
    if candidate.status == CandidateStatus.ERASED:
        raise TransitionNotAllowed("Данные кандидата уже стёрты.")
    candidate_bookings_release(candidate_id=candidate.pk, reason="отказ от обработки данных")
    candidate.refresh_from_db()
    candidate.status = CandidateStatus.CONSENT_DECLINED
    candidate.consent_declined_at = now
    candidate.consent_given_at = None
    candidate.consent_version = ""
    candidate.test1_step = ""
    candidate.bot_state = ""
    candidate.save()
    logger.info("candidate %s declined consent", candidate.pk)
    return candidate


def test1_begin(candidate: Candidate, *, city: City | None = None) -> None:
    """Pin the Тест 1 version of the candidate's vacancy and point at its first question (the caller saves).

    Without a vacancy: the only open one is taken; among several the bot asks first (the step stays empty).
    A city chosen with the vacancy answers the version's city question, which is then never shown.
    """
    from candidates.vacancies import bank, selectors

    candidate.test1_answers, candidate.test1_questions = {}, {}
    if candidate.vacancy_id is None:
        choices = selectors.vacancies_open()
        if len(choices) > 1:
            candidate.test1_version, candidate.test1_step = None, ""
            return
        candidate.vacancy = choices[0] if choices else None
    candidate.test1_version = selectors.current_version(candidate.vacancy_id)
    questions = bank.for_version(candidate.test1_version)
    city_question = questions.of_type(q.CITY)
    if city is not None and city_question is not None:
        candidate.test1_answers = {city_question.key: {"id": city.pk, "name": city.name}}
        candidate.city = city
    candidate.test1_step = questions.first_key(candidate.test1_answers)


def test1_hidden(candidate: Candidate) -> frozenset[str]:
    """Questions answered before Тест 1 (the city of the vacancy choice): not shown, not numbered."""
    asked = candidate.test1_questions or {}
    return frozenset(k for k in (candidate.test1_answers or {}) if k not in asked)


@dataclass(frozen=True)
class Test1Step:
    """What an answer led to: the next question key, a knockout, or the end of Тест 1."""

    next_key: str | None
    is_knocked_out: bool
    is_completed: bool


@transaction.atomic
def test1_answer(
    *, candidate_id: int, key: str, raw: str, is_button: bool, now: dt.datetime | None = None
) -> Test1Step:
    """Validate and store one answer, then advance, knock out or finish; saved at once."""
    now = now or timezone.now()
    candidate = _locked(candidate_id)
    if candidate.status != CandidateStatus.IN_TEST1 or candidate.test1_step != key:
        raise q.StaleQuestion(candidate_id=candidate_id, key=key)
    if candidate.consent_given_at is None:
        raise TransitionNotAllowed("Нет согласия на обработку данных.")
    from candidates.vacancies import bank

    questions = bank.for_candidate(candidate)
    question = questions.question(key)
    if question is None:
        raise q.StaleQuestion(candidate_id=candidate_id, key=key)
    answers = dict(candidate.test1_answers or {})
    asked = dict(candidate.test1_questions or {})
    asked[key] = question.text
    knockout = ""
    if question.kind == q.CITY:
        city = (
            _city_from_button(raw, candidate.vacancy_id) if is_button else _city_from_typed(raw, candidate.vacancy_id)
        )
        typed_city = questions.of_type(q.CITY_NAME)
        if city is not None:
            answers[key] = {"id": city.pk, "name": city.name}
            candidate.city = city
        elif is_button and raw != q.OTHER_CITY:
            raise q.InvalidAnswer("Пожалуйста, выберите город кнопкой ниже.")
        else:
            answers[key] = q.OTHER_CITY
            if not is_button and typed_city is None:
                raise q.InvalidAnswer("Пожалуйста, выберите город кнопкой ниже.")
            if not is_button and typed_city is not None:
                # A typed city we do not serve is the answer to the follow-up that would ask for it.
                key, question = typed_city.key, typed_city
                answers[key] = q.clean_text(question, raw)
                asked[key] = question.text
                knockout = question.knockout_reason(answers[key])
    elif question.kind == q.OPTIONS:
        if not is_button:
            raise q.InvalidAnswer("Пожалуйста, выберите вариант кнопкой ниже.")
        option = q.clean_option(question, raw)
        answers[key] = option.code
        knockout = option.knockout
    else:
        if is_button:
            raise q.StaleQuestion(candidate_id=candidate_id, key=key)
        answers[key] = q.clean_text(question, raw)
        knockout = question.knockout_reason(answers[key])
        if q.answer_type(question) == q.FULL_NAME:
            candidate.full_name = answers[key]
    candidate.test1_answers = answers
    candidate.test1_questions = asked
    if knockout:
        candidate.status = CandidateStatus.KNOCKED_OUT
        candidate.knockout_reason = knockout
        candidate.test1_step = ""
        candidate.save()
        logger.info("candidate %s knocked out at %s", candidate.pk, key)
        return Test1Step(next_key=None, is_knocked_out=True, is_completed=False)
    following = questions.next_key(answers)
    candidate.test1_step = following or ""
    if following is None:
        candidate.status = CandidateStatus.CHOOSING_SLOT
        candidate.test1_completed_at = now
        logger.info("candidate %s completed Тест 1", candidate.pk)
    candidate.save()
    return Test1Step(next_key=following, is_knocked_out=False, is_completed=following is None)


def _city_from_button(raw: str, vacancy_id: int | None) -> City | None:
    from candidates.vacancies.selectors import vacancy_cities

    if not raw.isdigit() or len(raw) > 18:
        return None
    return vacancy_cities(vacancy_id).filter(pk=int(raw)).first()


def _city_from_typed(raw: str, vacancy_id: int | None) -> City | None:
    from candidates.vacancies.selectors import vacancy_cities

    return vacancy_cities(vacancy_id).filter(name__iexact=" ".join(raw.split())).first()


@transaction.atomic
def preferred_time_request(*, candidate_id: int) -> Candidate:
    """The candidate wants to leave a preferred time: the next plain message is taken as it."""
    candidate = _locked(candidate_id)
    if candidate.test1_completed_at is None or candidate.status != CandidateStatus.CHOOSING_SLOT:
        raise TransitionNotAllowed("Сейчас оставить пожелание нельзя.")
    candidate.bot_state = BOT_STATE_PREFERRED_TIME
    candidate.save(update_fields=["bot_state", "last_activity_at"])
    return candidate


@transaction.atomic
def preferred_time_leave(*, candidate_id: int, note: str, now: dt.datetime | None = None) -> Candidate:
    """Store the candidate's preferred time for recruiters to see in the admin."""
    now = now or timezone.now()
    candidate = _locked(candidate_id)
    if candidate.test1_completed_at is None:
        raise TransitionNotAllowed("Сначала нужно пройти Тест 1.")
    text = " ".join(note.split())
    if not 2 <= len(text) <= 500:
        raise InvalidInput("Напишите удобное время коротко, до 500 символов: например, «будни после 18:00».")
    candidate.preferred_time_note = text
    candidate.preferred_time_at = now
    candidate.bot_state = ""
    candidate.save(update_fields=["preferred_time_note", "preferred_time_at", "bot_state", "last_activity_at"])
    logger.info("candidate %s left a preferred time", candidate.pk)
    return candidate


@transaction.atomic
def candidate_bot_state_clear(*, candidate_id: int) -> Candidate:
    """Forget what the bot was waiting for from this candidate (e.g. after /cancel)."""
    candidate = _locked(candidate_id)
    if candidate.bot_state:
        candidate.bot_state = ""
        candidate.save(update_fields=["bot_state", "last_activity_at"])
    return candidate
