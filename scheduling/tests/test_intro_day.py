"""After the interview: the result decides the next step; the intro day's transitions, rules and messages.

Every state is reached through the real services; the database rules are tested by the database refusing raw SQL.
"""

from __future__ import annotations

import datetime as dt
import itertools
import uuid

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from candidates.models import Candidate, CandidateStatus, RejectedStage, Test2Attempt
from candidates.tests.factories import CandidateFactory
from notifications.conversation import after_texts, texts
from notifications.models import NotificationKind, NotificationLog, NotificationStatus
from scheduling import services
from scheduling.errors import (
    AlreadyHasLiveSlot,
    CandidateNotEligible,
    InvalidInput,
    SlotNotFound,
    SlotOverlap,
    StaleReservation,
    TransitionNotAllowed,
)
from scheduling.models import Slot, SlotEvent, SlotOutcome, SlotPurpose, SlotStatus
from scheduling.selectors import recruiter_list_with_free_slots, slot_list_free
from scheduling.services.transitions import INTRO_INTENTS, TRANSITIONS
from scheduling.tests.factories import RecruiterFactory, SlotFactory
from scheduling.tests.helpers import (
    answer_test2,
    interview_moved_to_past,
    interview_passed,
    slot_in_status,
    through_test2,
)

pytestmark = pytest.mark.django_db

K = NotificationKind
CHATS = itertools.count(880_001)
ADDRESS = "Москва, ул. Тверская, 1, офис 5"
CONTACT = "Ольга, +7 900 000-00-00"


def _in(days: int, hour: int = 10) -> dt.datetime:
    return (timezone.now() + dt.timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)


def _interview(**kwargs: object) -> Slot:
    """A free interview slot of a recruiter with a bound chat (recruiter notices are written only then)."""
    recruiter = RecruiterFactory(telegram_chat_id=next(CHATS))
    return SlotFactory(recruiter=recruiter, **kwargs)


def _invite(candidate_id: int, starts_at: dt.datetime | None = None, **kwargs: object) -> Slot:
    return services.intro_day_invite(
        candidate_id=candidate_id,
        starts_at=starts_at or _in(5),
        address=kwargs.pop("address", ADDRESS),  # type: ignore[arg-type]
        contact=kwargs.pop("contact", CONTACT),  # type: ignore[arg-type]
        **kwargs,  # type: ignore[arg-type]
    )


def _rows(candidate_id: int, *kinds: str) -> list[NotificationLog]:
    return list(NotificationLog.objects.filter(candidate_id=candidate_id, kind__in=kinds).order_by("pk"))


def _sql(statement: str, params: list[object]) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)


INSERT_SLOT = (
    "INSERT INTO scheduling_slot (recruiter_id, city_id, starts_at, duration_min, ends_at, status, purpose,"
    " candidate_id, reservation_id, outcome, outcome_note, created_at, updated_at)"
    " VALUES (%s, %s, %s, 60, %s, %s, %s, %s, %s, '', '', now(), now())"
)


# The interview's result.


def test_a_passed_interview_opens_test2_and_sends_its_invitation_keyed_by_the_attempt() -> None:
    slot = interview_passed(slot=_interview())

    attempt = Test2Attempt.objects.get(candidate_id=slot.candidate_id)
    assert (attempt.slot_id, attempt.reservation_id, attempt.finished_at) == (slot.pk, slot.reservation_id, None)
    [invitation] = _rows(slot.candidate_id, K.TEST2_INVITATION)
    assert (invitation.status, invitation.reservation_id) == (NotificationStatus.PENDING, slot.reservation_id)
    assert invitation.reply_markup["inline_keyboard"][0][0]["callback_data"] == f"t2s:{attempt.key.hex}"
    assert "вопросов: 4" in invitation.text
    slot.candidate.refresh_from_db()
    assert slot.candidate.status == CandidateStatus.TEST2_INVITED


def test_a_failed_interview_sends_a_polite_refusal_without_the_recruiters_note() -> None:
    slot = slot_in_status(SlotStatus.BOOKED)
    interview_moved_to_past(slot)
    services.slot_record_outcome(slot_id=slot.pk, outcome=SlotOutcome.ATTENDED)

    services.slot_record_outcome(slot_id=slot.pk, outcome=SlotOutcome.FAILED, note="слабая мотивация")

    [refusal] = _rows(slot.candidate_id, K.INTERVIEW_FAILED)
    assert refusal.text == after_texts.INTERVIEW_FAILED
    assert "мотивац" not in refusal.text
    assert not Test2Attempt.objects.filter(candidate_id=slot.candidate_id).exists()
    slot.candidate.refresh_from_db()
    assert (slot.candidate.status, slot.candidate.rejected_stage) == (CandidateStatus.REJECTED, RejectedStage.INTERVIEW)


@pytest.mark.parametrize("result", [SlotOutcome.PASSED, SlotOutcome.FAILED])
def test_nothing_goes_to_a_candidate_who_did_not_come(result: str) -> None:
    slot = slot_in_status(SlotStatus.CONFIRMED)
    interview_moved_to_past(slot)
    before = NotificationLog.objects.filter(candidate_id=slot.candidate_id).count()

    with pytest.raises(TransitionNotAllowed, match="Сначала отметьте «Пришёл»"):
        services.slot_record_outcome(slot_id=slot.pk, outcome=result)
    services.slot_record_outcome(slot_id=slot.pk, outcome=SlotOutcome.NO_SHOW)
    with pytest.raises(TransitionNotAllowed):
        services.slot_record_outcome(slot_id=slot.pk, outcome=result)

    assert NotificationLog.objects.filter(candidate_id=slot.candidate_id).count() == before
    assert not Test2Attempt.objects.exists()


def test_a_result_is_final() -> None:
    slot = interview_passed(slot=_interview())
    for outcome in (SlotOutcome.FAILED, SlotOutcome.NO_SHOW, SlotOutcome.ATTENDED, SlotOutcome.PASSED):
        with pytest.raises(TransitionNotAllowed, match="Итог уже записан"):
            services.slot_record_outcome(slot_id=slot.pk, outcome=outcome)
    assert Test2Attempt.objects.count() == 1
    assert len(_rows(slot.candidate_id, K.TEST2_INVITATION)) == 1


# Inviting to an intro day.


def test_the_invitation_books_an_intro_day_with_its_own_messages_and_an_event() -> None:
    interview = through_test2(slot=_interview())
    candidate_id = interview.candidate_id
    starts_at = _in(5, hour=9)

    intro = _invite(candidate_id, starts_at, note="Возьмите паспорт")

    assert (intro.purpose, intro.status, intro.candidate_id) == (SlotPurpose.INTRO_DAY, SlotStatus.BOOKED, candidate_id)
    assert (intro.recruiter_id, intro.city_id) == (interview.recruiter_id, interview.city_id)
    assert intro.reservation_id not in (None, interview.reservation_id)
    invitation, reminder, attendance = _rows(
        candidate_id, K.INTRO_DAY_INVITATION, K.INTRO_DAY_REMINDER, K.RECRUITER_INTRO_ATTENDANCE
    )
    assert [b["text"] for b in invitation.reply_markup["inline_keyboard"][0]] == ["✅ Приду", "❌ Не смогу"]
    assert ADDRESS in invitation.text and CONTACT in invitation.text and "Возьмите паспорт" in invitation.text
    assert reminder.due_at == starts_at - dt.timedelta(hours=3)
    assert reminder.text.startswith("Через 3 часа ознакомительный день")
    assert texts.REMINDER_1H.split(":")[0] not in reminder.text  # never the interview's words
    assert attendance.due_at == intro.ends_at
    event = SlotEvent.objects.filter(slot=intro).latest("pk")
    assert (event.from_status, event.to_status, event.reservation_id) == ("free", "booked", intro.reservation_id)
    intro.candidate.refresh_from_db()
    assert intro.candidate.status == CandidateStatus.INTRO_DAY_INVITED


def test_only_a_candidate_who_passed_test2_can_be_invited() -> None:
    interview = interview_passed(slot=_interview())
    with pytest.raises(CandidateNotEligible):
        _invite(interview.candidate_id)  # Тест 2 not taken yet
    answer_test2(interview.candidate, right=1)
    with pytest.raises(CandidateNotEligible):
        _invite(interview.candidate_id)  # failed it
    assert not Slot.objects.filter(purpose=SlotPurpose.INTRO_DAY).exists()


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [("address", "  ", InvalidInput), ("contact", "", InvalidInput), ("starts_at", "past", Exception)],
)
def test_bad_input_is_refused_and_changes_nothing(field: str, value: str, error: type[Exception]) -> None:
    interview = through_test2(slot=_interview())
    kwargs: dict[str, object] = {field: value}
    if field == "starts_at":
        kwargs = {"starts_at": timezone.now() - dt.timedelta(hours=1)}
    with pytest.raises(error):
        services.intro_day_invite(
            candidate_id=interview.candidate_id,
            **{"starts_at": _in(5), "address": ADDRESS, "contact": CONTACT, **kwargs},
        )
    assert not Slot.objects.filter(purpose=SlotPurpose.INTRO_DAY).exists()


def test_a_second_invitation_is_refused_naming_the_first() -> None:
    interview = through_test2(slot=_interview())
    first = _invite(interview.candidate_id)
    with pytest.raises(AlreadyHasLiveSlot, match="уже приглашён на ознакомительный день") as refusal:
        _invite(interview.candidate_id, _in(6))
    assert refusal.value.slot_id == first.pk
    assert Slot.objects.filter(purpose=SlotPurpose.INTRO_DAY).count() == 1


def test_an_intro_day_over_the_recruiters_interview_is_refused_by_the_service() -> None:
    interview = through_test2(slot=_interview())
    other = SlotFactory(recruiter=interview.recruiter, city=interview.city, starts_at=_in(5, hour=10))
    with pytest.raises(SlotOverlap, match="собеседование"):
        _invite(interview.candidate_id, other.starts_at + dt.timedelta(minutes=30))
    assert not Slot.objects.filter(purpose=SlotPurpose.INTRO_DAY).exists()


def test_intro_days_of_a_group_may_share_the_hour() -> None:
    starts_at = _in(5)
    first = through_test2(slot=_interview())
    second = through_test2(slot=SlotFactory(recruiter=first.recruiter, city=first.city))
    a = _invite(first.candidate_id, starts_at)
    b = _invite(second.candidate_id, starts_at)
    assert (a.recruiter_id, a.starts_at) == (b.recruiter_id, b.starts_at)
    assert a.pk != b.pk and a.is_live and b.is_live


# The database holds the rules even against raw SQL.


def test_the_database_refuses_an_intro_day_overlapping_the_recruiters_interview() -> None:
    interview = SlotFactory()
    start = interview.starts_at + dt.timedelta(minutes=30)
    with pytest.raises(IntegrityError, match="slot_recruiter_no_overlap_purposes"):
        _sql(
            INSERT_SLOT,
            [interview.recruiter_id, interview.city_id, start, start + dt.timedelta(hours=1), "free", "intro_day",
             None, None],
        )  # fmt: skip


def test_the_database_lets_intro_days_overlap_each_other_but_not_interviews() -> None:
    slot = SlotFactory()
    intro_at = slot.ends_at + dt.timedelta(hours=2)
    row = [slot.recruiter_id, slot.city_id, intro_at, intro_at + dt.timedelta(hours=1), "free", "intro_day", None, None]
    _sql(INSERT_SLOT, row)
    _sql(INSERT_SLOT, row)
    assert Slot.objects.filter(purpose=SlotPurpose.INTRO_DAY).count() == 2
    with pytest.raises(IntegrityError, match="slot_recruiter_no_overlap"):
        _sql(INSERT_SLOT, [*row[:5], "interview", None, None])


def test_the_database_refuses_a_second_live_intro_day_for_one_candidate() -> None:
    interview = through_test2(slot=_interview())
    intro = _invite(interview.candidate_id)
    later = intro.starts_at + dt.timedelta(days=1)
    with pytest.raises(IntegrityError, match="slot_one_live_intro_day_per_candidate"):
        _sql(
            INSERT_SLOT,
            [intro.recruiter_id, intro.city_id, later, later + dt.timedelta(hours=1), "booked", "intro_day",
             intro.candidate_id, uuid.uuid4()],
        )  # fmt: skip


def test_a_live_intro_day_and_a_live_interview_of_one_candidate_may_coexist_in_the_database() -> None:
    interview = through_test2(slot=_interview())
    intro = _invite(interview.candidate_id)
    assert {s.purpose for s in Slot.objects.filter(candidate_id=interview.candidate_id, status="booked")} == {
        SlotPurpose.INTERVIEW,
        SlotPurpose.INTRO_DAY,
    }
    assert intro.is_live


# «Приду», «Не смогу», attendance.


def test_confirming_tells_the_recruiter_and_keeps_the_reminder() -> None:
    intro = _invite(through_test2(slot=_interview()).candidate_id)
    confirmed = services.intro_day_confirm(reservation_id=intro.reservation_id, candidate_id=intro.candidate_id)
    assert confirmed.status == SlotStatus.CONFIRMED
    [notice] = _rows(intro.candidate_id, K.RECRUITER_INTRO_CONFIRMED)
    assert "придёт" in notice.text
    [reminder] = _rows(intro.candidate_id, K.INTRO_DAY_REMINDER)
    assert reminder.status == NotificationStatus.PENDING
    confirmed.candidate.refresh_from_db()
    assert confirmed.candidate.status == CandidateStatus.INTRO_DAY_CONFIRMED


def test_declining_releases_the_day_cancels_its_reminder_and_tells_the_recruiter() -> None:
    intro = _invite(through_test2(slot=_interview()).candidate_id)
    candidate_id, reservation_id = intro.candidate_id, intro.reservation_id

    released = services.intro_day_decline(reservation_id=reservation_id, candidate_id=candidate_id)

    assert (released.status, released.candidate_id, released.reservation_id) == (SlotStatus.FREE, None, None)
    statuses = dict(NotificationLog.objects.filter(reservation_id=reservation_id).values_list("kind", "status"))
    assert statuses[K.INTRO_DAY_REMINDER] == NotificationStatus.CANCELED
    assert statuses[K.RECRUITER_INTRO_ATTENDANCE] == NotificationStatus.CANCELED
    assert statuses[K.RECRUITER_INTRO_DECLINED] == NotificationStatus.PENDING
    assert K.RECRUITER_CANDIDATE_DECLINED not in statuses  # the interview's notice is not reused
    assert (
        Candidate.objects.get(pk=candidate_id).status == CandidateStatus.TEST2_PASSED
    )  # may be invited to another day
    with pytest.raises(StaleReservation):
        services.intro_day_confirm(reservation_id=reservation_id, candidate_id=candidate_id)


def test_a_freed_intro_day_given_to_another_candidate_gets_fresh_messages() -> None:
    starts_at = _in(5)
    first = through_test2(slot=_interview())
    second = through_test2(slot=SlotFactory(recruiter=first.recruiter, city=first.city))
    intro = _invite(first.candidate_id, starts_at)
    services.intro_day_decline(reservation_id=intro.reservation_id, candidate_id=first.candidate_id)

    again = _invite(second.candidate_id, starts_at)

    assert again.pk == intro.pk  # the same slot, a new booking
    assert again.reservation_id != intro.reservation_id
    fresh = NotificationLog.objects.filter(slot=again, candidate_id=second.candidate_id)
    assert set(fresh.values_list("kind", "status")) == {
        (K.INTRO_DAY_INVITATION, NotificationStatus.PENDING),
        (K.INTRO_DAY_REMINDER, NotificationStatus.PENDING),
        (K.RECRUITER_INTRO_ATTENDANCE, NotificationStatus.PENDING),
    }
    old = NotificationLog.objects.filter(slot=again, candidate_id=first.candidate_id, kind=K.INTRO_DAY_REMINDER)
    assert old.get().status == NotificationStatus.CANCELED


def test_a_freed_intro_day_is_never_offered_as_an_interview_slot() -> None:
    interview = through_test2(slot=_interview())
    intro = _invite(interview.candidate_id)
    services.intro_day_decline(reservation_id=intro.reservation_id, candidate_id=interview.candidate_id)
    free_interview = SlotFactory(recruiter=intro.recruiter, city=intro.city, starts_at=_in(7))

    listed = [s.slot_id for s in slot_list_free(recruiter_id=intro.recruiter_id, city_id=intro.city_id)]
    offers = {o.recruiter_id: o.free_count for o in recruiter_list_with_free_slots(city_id=intro.city_id)}

    assert listed == [free_interview.pk]
    assert offers[intro.recruiter_id] == 1
    with pytest.raises(SlotNotFound):
        services.slot_reserve(slot_id=intro.pk, candidate_id=CandidateFactory().pk)


@pytest.mark.parametrize(
    ("outcome", "status", "stage"),
    [
        (SlotOutcome.ATTENDED, CandidateStatus.HIRED, RejectedStage.NONE),
        (SlotOutcome.NO_SHOW, CandidateStatus.REJECTED, RejectedStage.INTRO_DAY),
    ],
)
def test_intro_day_attendance_ends_the_journey(outcome: str, status: str, stage: str) -> None:
    intro = _invite(through_test2(slot=_interview()).candidate_id)
    interview_moved_to_past(intro)
    with pytest.raises(InvalidInput):
        services.slot_record_outcome(slot_id=intro.pk, outcome=SlotOutcome.PASSED)

    services.slot_record_outcome(slot_id=intro.pk, outcome=outcome)

    intro.candidate.refresh_from_db()
    assert (intro.candidate.status, intro.candidate.rejected_stage) == (status, stage)
    [question] = _rows(intro.candidate_id, K.RECRUITER_INTRO_ATTENDANCE)
    assert question.status == NotificationStatus.CANCELED  # already answered in the admin


def test_interview_intents_never_act_on_an_intro_day_and_the_table_names_its_own() -> None:
    intro = _invite(through_test2(slot=_interview()).candidate_id)
    button = {"reservation_id": intro.reservation_id, "candidate_id": intro.candidate_id}
    for act in (
        lambda: services.booking_confirm(**button),
        lambda: services.booking_decline(**button),
        lambda: services.booking_cancel(**button),
        lambda: services.slot_approve(slot_id=intro.pk),
        lambda: services.slot_reject(slot_id=intro.pk),
        lambda: services.slot_reschedule(slot_id=intro.pk),
    ):
        with pytest.raises(TransitionNotAllowed):
            act()
    intro.refresh_from_db()
    assert intro.status == SlotStatus.BOOKED
    assert {"intro_invite", "intro_confirm", "intro_decline"} == INTRO_INTENTS <= set(TRANSITIONS)


def test_the_recruiter_canceling_an_intro_day_uses_its_own_words() -> None:
    intro = _invite(through_test2(slot=_interview()).candidate_id)
    services.slot_cancel(slot_id=intro.pk, reason="офис закрыт")
    [notice] = _rows(intro.candidate_id, K.INTRO_DAY_CANCELED)
    assert "ознакомительный день" in notice.text and "офис" not in notice.text
    assert not _rows(intro.candidate_id, K.SLOT_CANCELED)
    intro.candidate.refresh_from_db()
    assert intro.candidate.status == CandidateStatus.TEST2_PASSED


def test_an_old_cancel_button_of_a_held_interview_cannot_rewind_the_candidate() -> None:
    slot = interview_passed(slot=_interview())
    with pytest.raises(TransitionNotAllowed, match="Итог уже записан"):
        services.booking_cancel(reservation_id=slot.reservation_id, candidate_id=slot.candidate_id)
    with pytest.raises(TransitionNotAllowed):
        services.slot_cancel(slot_id=slot.pk)
    slot.refresh_from_db()
    assert (slot.status, slot.candidate_id) == (SlotStatus.BOOKED, slot.candidate.pk)
    assert Candidate.objects.get(pk=slot.candidate_id).status == CandidateStatus.TEST2_INVITED
