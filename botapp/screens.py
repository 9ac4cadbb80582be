"""Sync renderers: what the candidate sees at each stage, built from the DB into plain Replies."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from botapp import after_screens
from botapp.views import Reply
from candidates import questionnaire
from candidates.models import Candidate, CandidateStatus
from candidates.privacy import ErasureReport, PersonalDataSummary
from candidates.services import consent_is_current, consent_version, test1_hidden
from candidates.vacancies import bank
from candidates.vacancies.selectors import vacancy_cities, vacancy_recruiter_ids
from notifications.conversation import keyboards, privacy_texts, texts
from notifications.conversation.time_labels import date_time_label, slot_label, zone_label
from notifications.copy import wording_for
from scheduling.models import Recruiter, Slot, SlotOutcome
from scheduling.selectors import (
    city_list_active,
    recruiter_list_with_free_slots,
    slot_get_live_for_candidate,
    slot_list_free,
)

SLOT_LIST_LIMIT = 24


def consent(*, again: bool = False, words: Any = texts) -> Reply:
    """The consent text with «Согласен» / «Не согласен» (the consent text itself is versioned, never overridden)."""
    text = texts.CONSENT.format(policy_url=settings.PRIVACY_POLICY_URL)
    if again:
        text = f"{words.CONSENT_AGAIN}\n\n{text}"
    return Reply(text, keyboards.consent_markup(consent_version(), words))


def question(candidate: Candidate, *, hint: str = "") -> Reply:
    """The current Тест 1 question with «Вопрос n из N» and its buttons; a hint above when the answer was wrong."""
    words = wording_for(candidate)
    questions = bank.for_candidate(candidate)
    q = questions.question(candidate.test1_step)
    if q is None:
        return Reply(words.START_FIRST)
    answers = candidate.test1_answers or {}
    n, total = questions.progress(q.key, answers, hidden=test1_hidden(candidate))
    text = words.QUESTION.format(n=n, total=total, text=q.text)
    if hint:
        text = f"{hint}\n\n{text}"
    markup = None
    if q.kind == questionnaire.OPTIONS:
        markup = keyboards.options_markup(q.key, [(o.code, o.text) for o in q.options])
    elif q.kind == questionnaire.CITY:
        cities = list(vacancy_cities(candidate.vacancy_id).values_list("pk", "name"))
        if not cities:
            return Reply(words.NO_CITIES)
        options = [(str(pk), name) for pk, name in cities] + [(o.code, o.text) for o in q.options]
        markup = keyboards.options_markup(q.key, options)
    return Reply(text, markup)


def answered(candidate: Candidate, key: str, code: str) -> Reply:
    """The question message after a button answer: the question and the chosen option, no buttons."""
    q = bank.for_candidate(candidate).question(key)
    if q is None:
        return Reply(texts.STALE_QUESTION)
    option = q.option(code)
    shown = option.text if option else code
    if option is None and q.kind == questionnaire.CITY and code.isdigit():
        shown = city_list_active().filter(pk=int(code)).values_list("name", flat=True).first() or code
    return Reply(wording_for(candidate).ANSWERED.format(question=q.text, answer=shown))


def recruiters(candidate: Candidate, *, header: str = "") -> Reply:
    """Recruiters of the candidate's city with free slots; an honest message when there are none."""
    words = wording_for(candidate)
    city = candidate.city
    offers = recruiter_list_with_free_slots(city_id=city.pk) if city is not None and city.is_active else []
    allowed = vacancy_recruiter_ids(candidate.vacancy_id)  # the vacancy's recruiters interview for it
    offers = [offer for offer in offers if allowed is None or offer.recruiter_id in allowed]
    if not offers:
        text = words.NO_SLOTS if not header else f"{header}\n\n{words.NO_SLOTS}"
        return Reply(text, keyboards.no_slots_markup(words))
    assert city is not None
    buttons = [
        (
            offer.recruiter_id,
            words.RECRUITER_BUTTON.format(
                name=offer.name,
                nearest=slot_label(offer.nearest_at, city.tz),
                count=texts.slots_count(offer.free_count),
            ),
        )
        for offer in offers
    ]
    text = words.CHOOSE_RECRUITER.format(zone=zone_label(city.tz))
    if header:
        text = f"{header}\n\n{text}"
    return Reply(text, keyboards.recruiters_markup(buttons, words))


def slots(candidate: Candidate, *, recruiter_id: int, header: str = "") -> Reply:
    """A recruiter's free slots in the candidate's city, in the city's zone (named in the header)."""
    words = wording_for(candidate)
    city = candidate.city
    free = slot_list_free(recruiter_id=recruiter_id, city_id=city.pk, limit=SLOT_LIST_LIMIT) if city else []
    if not free:
        name = Recruiter.objects.filter(pk=recruiter_id).values_list("name", flat=True).first() or ""
        text = words.NO_SLOTS_RECRUITER.format(recruiter=name)
        if header:
            text = f"{header}\n\n{text}"
        return Reply(text, keyboards.other_recruiter_markup(words))
    assert city is not None
    text = words.CHOOSE_SLOT.format(recruiter=free[0].recruiter_name, zone=zone_label(city.tz, free[0].starts_at))
    if header:
        text = f"{header}\n\n{text}"
    buttons = [(slot.slot_id, slot_label(slot.starts_at, city.tz)) for slot in free]
    return Reply(text, keyboards.slots_markup(recruiter_id, buttons, words))


def slot_chosen(slot: Slot) -> Reply:
    """The slot list message after a tap: what was chosen, no buttons (the outbox sends the rest)."""
    return Reply(slot_words(slot).SLOT_CHOSEN.format(**when_label(slot), recruiter=slot.recruiter.name))


def booking(slot: Slot, *, header: str = "") -> Reply:
    """The candidate's live booking: time in the city's zone, recruiter, status, cancel / other time."""
    words = slot_words(slot)
    text = words.BOOKING.format(
        when=slot_label(slot.starts_at, slot.city.tz),
        zone=zone_label(slot.city.tz, slot.starts_at),
        recruiter=slot.recruiter.name,
        status=texts.BOOKING_STATUS.get(slot.status, slot.get_status_display()),
    )
    if header:
        text = f"{header}\n\n{text}"
    assert slot.reservation_id is not None
    return Reply(text, keyboards.booking_markup(slot.reservation_id, words))


def slot_words(slot: Slot) -> Any:
    """The texts the candidate of this booking reads (their vacancy, the slot's city)."""
    return wording_for(slot.candidate, city_id=slot.city_id)


def when_label(slot: Slot) -> dict[str, str]:
    """{when, zone} of a slot in its city's zone, for texts."""
    return {"when": slot_label(slot.starts_at, slot.city.tz), "zone": zone_label(slot.city.tz, slot.starts_at)}


def recruiter_told(slot: Slot, words: Any = None) -> str:
    """The {told} of a text: the promise that the recruiter is told, only when their chat is bound."""
    return (words or slot_words(slot)).RECRUITER_TOLD if slot.recruiter.telegram_chat_id is not None else ""


def cancel_question(slot: Slot) -> Reply:
    """«Отменить запись на 02.12 11:00?» with «Да, отменить» / «Нет», before an agreed booking goes."""
    assert slot.reservation_id is not None
    words = slot_words(slot)
    text = words.CANCEL_ASK.format(**when_label(slot), told=recruiter_told(slot, words))
    return Reply(text, keyboards.cancel_question_markup(slot.reservation_id, words))


def current(candidate: Candidate) -> Reply:
    """Where this candidate is in the journey, as the message /start or any text shows."""
    status = candidate.status
    words = wording_for(candidate)
    if not consent_is_current(candidate):
        return consent(again=status not in (CandidateStatus.NEW, CandidateStatus.CONSENT_DECLINED), words=words)
    if status == CandidateStatus.IN_TEST1 and not candidate.test1_step and candidate.vacancy_id is None:
        from botapp.vacancy_screens import city_choice

        return city_choice()
    if status == CandidateStatus.IN_TEST1:
        return question(candidate)
    if status == CandidateStatus.KNOCKED_OUT:
        return knocked_out(candidate)
    if status == CandidateStatus.REJECTED:
        return Reply(words.REJECTED_FINAL)
    if status == CandidateStatus.INTERVIEWED:
        return Reply(words.INTERVIEWED)
    if status == CandidateStatus.ERASED:
        return Reply(texts.ERASED)
    after = after_screens.current_after(candidate)
    if after is not None:
        return after
    live = slot_get_live_for_candidate(candidate_id=candidate.pk)
    if live is not None:
        return booking(live)
    if candidate.test1_completed_at is None:
        return Reply(words.START_FIRST)
    return recruiters(candidate)


def knocked_out(candidate: Candidate) -> Reply:
    """The polite end of Тест 1: a city we do not serve is named; any other reason stays unsaid."""
    typed_city = bank.for_candidate(candidate).of_type(questionnaire.CITY_NAME)
    city = (candidate.test1_answers or {}).get(typed_city.key) if typed_city else None
    words = wording_for(candidate)
    return Reply(words.CITY_NOT_SERVED.format(city=city) if city else words.KNOCKED_OUT)


def help_text() -> Reply:
    """/help: the commands, and «Удалить мои данные»."""
    return Reply(texts.HELP, keyboards.delete_my_data_markup())


def erasure_question(summary: PersonalDataSummary) -> Reply:
    """«Удалить все ваши данные?» naming the bookings it would cancel; or that there is nothing to erase."""
    if not summary.has_data:
        return Reply(privacy_texts.NOTHING_TO_ERASE)
    bookings = [privacy_texts.ASK_BOOKING.format(when=when, zone=zone) for when, zone in summary.bookings]
    return Reply("\n\n".join([privacy_texts.ASK, *bookings]), keyboards.erase_confirm_markup())


def erasure_done(report: ErasureReport | None) -> Reply:
    """The question message after «Да, удалить» (None: there was nothing to erase)."""
    if report is None:
        return Reply(privacy_texts.NOTHING_TO_ERASE)
    if report.bookings_canceled:
        return Reply(f"{privacy_texts.ERASED}\n{privacy_texts.ERASED_BOOKINGS}")
    return Reply(privacy_texts.ERASED)


def outcome_label(slot: Slot) -> str:
    """«Пришёл ✓», «Не пришёл», or «Итог: прошёл собеседование» when the admin recorded more."""
    if slot.outcome == SlotOutcome.ATTENDED:
        return texts.OUTCOME_ATTENDED
    if slot.outcome == SlotOutcome.NO_SHOW:
        return texts.OUTCOME_NO_SHOW
    return texts.OUTCOME_OTHER.format(outcome=slot.get_outcome_display())


def attendance_recorded(slot: Slot) -> Reply:
    """The recruiter's «Кандидат пришёл?» once answered: who, when (their zone) and the outcome, no buttons."""
    tz = slot.recruiter.tz
    return Reply(
        texts.ATTENDANCE_RECORDED.format(
            candidate=str(slot.candidate),
            when=date_time_label(slot.starts_at, tz),
            zone=zone_label(tz, slot.starts_at),
            outcome=outcome_label(slot),
        )
    )
