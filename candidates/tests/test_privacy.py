"""Erasing a candidate's personal data (issue 7): bookings released, nothing personal left, counts still add up."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.db import connection
from django.test import RequestFactory
from django.utils import timezone
from django_q.models import Schedule, Task

from botapp.models import TelegramCallbackLog, TelegramMessageLog
from candidates.admin_actions import erase_personal_data
from candidates.models import Candidate, CandidateStatus
from candidates.privacy import (
    candidate_erase,
    candidate_erase_by_telegram_id,
)
from candidates.tests.factories import CandidateFactory, NewCandidateFactory
from notifications.conversation import privacy_texts as texts_privacy
from notifications.delivery import deliver_one
from notifications.models import NotificationKind, NotificationLog, NotificationStatus, Recipient
from ops.fake_telegram import FakeTelegramAPI
from scheduling import services
from scheduling.errors import InvalidInput
from scheduling.models import City, Recruiter, Slot, SlotEvent, SlotStatus
from scheduling.selectors import slot_counters
from scheduling.tests.factories import CityFactory, RecruiterFactory, SlotFactory, UserFactory
from scheduling.tests.helpers import through_test2

pytestmark = pytest.mark.django_db

RECRUITER_CHAT = 880_001
NAME = "Заглушкина Мирослава Эдуардовна"
USERNAME = "miroslava_zgl"
TELEGRAM_ID = 5_550_123_987
ANSWERS = {
    "full_name": NAME,
    "age": 27,
    "sales_experience": "Продавала кофемашины Юпитер три года",
    "motivation": "Мечтаю о команде как в Альбатросе",
    "strengths": "Терпение и каллиграфия",
    "expectations": "Наставник и ясный план роста",
}
PREFERRED = "Вторники после обеда у метро Кропоткинская"


@pytest.fixture
def moscow() -> City:
    return CityFactory(name="Москва", tz="Europe/Moscow")


@pytest.fixture
def anna(moscow: City) -> Recruiter:
    return RecruiterFactory(name="Анна Смирнова", cities=[moscow], telegram_chat_id=RECRUITER_CHAT)


def _slot(recruiter: Recruiter, city: City, *, days: int = 2, hour: int = 10) -> Slot:
    starts_at = (timezone.now() + dt.timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)
    return SlotFactory(recruiter=recruiter, city=city, starts_at=starts_at)


def _miroslava(city: City) -> Candidate:
    return CandidateFactory(
        telegram_id=TELEGRAM_ID,
        username=USERNAME,
        full_name=NAME,
        city=city,
        test1_answers=ANSWERS,
        preferred_time_note=PREFERRED,
        preferred_time_at=timezone.now(),
        unreachable_reason=f"Forbidden: chat {TELEGRAM_ID}",
    )


def _booked(candidate: Candidate, slot: Slot) -> Slot:
    services.slot_reserve(slot_id=slot.pk, candidate_id=candidate.pk)
    return services.slot_approve(slot_id=slot.pk)


def _deliver_due() -> None:
    due = NotificationLog.objects.filter(status=NotificationStatus.PENDING, due_at__lte=timezone.now())
    for pk in due.order_by("due_at", "pk").values_list("pk", flat=True):
        deliver_one(pk)


def _personal_values() -> list[str]:
    free_text = [v for v in ANSWERS.values() if isinstance(v, str)]
    return [NAME, *NAME.split(), USERNAME, str(TELEGRAM_ID), PREFERRED, *free_text]


_TEXT_TYPES = {"character varying", "text", "character", "json", "jsonb"}
_INT_TYPES = {"bigint", "integer", "numeric"}


def _scan_database() -> list[str]:
    """Every table.column of the database that still holds one of the personal values."""
    patterns = [f"%{value}%" for value in _personal_values()]
    hits: list[str] = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position"
        )
        columns = cursor.fetchall()
        for table, column, data_type in columns:
            quoted = f"{connection.ops.quote_name(table)}.{connection.ops.quote_name(column)}"
            if data_type in _TEXT_TYPES:
                cursor.execute(
                    f"SELECT count(*) FROM {connection.ops.quote_name(table)} WHERE {quoted}::text ILIKE ANY(%s)",
                    [patterns],
                )
            elif data_type in _INT_TYPES:
                cursor.execute(
                    f"SELECT count(*) FROM {connection.ops.quote_name(table)} WHERE {quoted} = %s", [TELEGRAM_ID]
                )
            else:
                continue
            if cursor.fetchone()[0]:
                hits.append(f"{table}.{column}")
    # django-q2 pickles task arguments and results: look at them unpickled too.
    for task in Task.objects.all():
        if any(v.lower() in repr((task.name, task.args, task.kwargs, task.result)).lower() for v in _personal_values()):
            hits.append(f"django_q_task #{task.pk} (unpickled)")
    for schedule in Schedule.objects.all():
        if any(v.lower() in f"{schedule.name} {schedule.args} {schedule.kwargs}".lower() for v in _personal_values()):
            hits.append(f"django_q_schedule #{schedule.pk}")
    return hits


def _admin_request(username: str) -> Any:
    request = RequestFactory().post("/admin/candidates/candidate/")
    request.user = UserFactory(username=username, is_superuser=True) if username else AnonymousUser()
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


# ----------------------------------------------------------------- erasure


def test_erasure_releases_the_live_booking_and_tells_the_recruiter_without_the_name(
    anna: Recruiter, moscow: City
) -> None:
    candidate = _miroslava(moscow)
    slot = _booked(candidate, _slot(anna, moscow))
    reservation_id = slot.reservation_id

    report = candidate_erase(candidate_id=candidate.pk, erased_by="operator")

    slot.refresh_from_db()
    assert slot.status == SlotStatus.FREE and slot.candidate_id is None
    assert report.bookings_canceled == 1
    notice = NotificationLog.objects.get(
        kind=NotificationKind.RECRUITER_CANDIDATE_CANCELED, reservation_id=reservation_id
    )
    assert notice.status == NotificationStatus.PENDING and notice.recipient == Recipient.RECRUITER
    assert f"#{candidate.pk} (данные удалены)" in notice.text
    assert "отменена" in notice.text
    assert "Заглушкина" not in notice.text and "кандидат #" not in notice.text


def test_erasure_clears_the_personal_fields_and_records_who_and_when(anna: Recruiter, moscow: City) -> None:
    candidate = _miroslava(moscow)
    consent_at = candidate.consent_given_at

    candidate_erase(candidate_id=candidate.pk, erased_by="operator")

    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.ERASED
    assert (candidate.telegram_id, candidate.username, candidate.full_name) == (None, "", "")
    assert (candidate.test1_answers, candidate.preferred_time_note, candidate.unreachable_reason) == ({}, "", "")
    assert candidate.preferred_time_at is None and candidate.bot_state == "" and candidate.test1_step == ""
    assert candidate.erased_by == "operator" and candidate.erased_at is not None
    # Kept as proof that processing was lawful while it happened; it identifies nobody now.
    assert candidate.consent_given_at == consent_at and candidate.consent_version == "1"
    assert str(candidate) == f"кандидат #{candidate.pk}"


def test_erasure_cancels_the_unsent_messages_and_blanks_every_text(anna: Recruiter, moscow: City) -> None:
    candidate = _miroslava(moscow)
    slot = _booked(candidate, _slot(anna, moscow))
    reminders = NotificationLog.objects.filter(slot=slot, kind__in=["confirm_request", "reminder_1h"])
    assert reminders.filter(status=NotificationStatus.PENDING).count() == 2

    candidate_erase(candidate_id=candidate.pk, erased_by="operator")

    rows = NotificationLog.objects.filter(candidate=candidate)
    notice = rows.get(kind=NotificationKind.RECRUITER_CANDIDATE_CANCELED)
    assert set(rows.exclude(pk=notice.pk).values_list("status", flat=True)) == {NotificationStatus.CANCELED}
    assert set(rows.exclude(pk=notice.pk).values_list("text", flat=True)) == {""}
    # Received, new request, approved, 2 reminders, «Кандидат пришёл?», the cancellation notice: none deleted.
    assert rows.count() == 7


def test_erasure_drops_the_one_off_schedules_of_canceled_reminders(
    anna: Recruiter, moscow: City, django_capture_on_commit_callbacks: Any
) -> None:
    candidate = _miroslava(moscow)
    with django_capture_on_commit_callbacks(execute=True):
        slot = _booked(candidate, _slot(anna, moscow))
    reminders = NotificationLog.objects.filter(slot=slot, kind__in=["confirm_request", "reminder_1h"])
    names = [f"notification-{pk}" for pk in reminders.values_list("pk", flat=True)]
    assert Schedule.objects.filter(name__in=names).count() == 2

    with django_capture_on_commit_callbacks(execute=True):
        candidate_erase(candidate_id=candidate.pk, erased_by="operator")

    assert not Schedule.objects.filter(name__in=names).exists()


def test_erasure_releases_an_upcoming_intro_day_as_the_candidates_no_and_tells_the_recruiter(
    anna: Recruiter, moscow: City
) -> None:
    candidate = _miroslava(moscow)
    interview = through_test2(slot=_slot(anna, moscow), candidate=candidate)
    intro = services.intro_day_invite(
        candidate_id=candidate.pk,
        starts_at=timezone.now() + dt.timedelta(days=3),
        address="Москва, ул. Тверская, 1",
        contact="Анна, +7 900 000-00-00",
    )

    report = candidate_erase(candidate_id=candidate.pk, erased_by="operator")

    assert report.bookings_canceled == 1  # the interview is over: it stays with its outcome
    intro.refresh_from_db()
    assert (intro.status, intro.candidate_id) == (SlotStatus.FREE, None)
    assert Slot.objects.get(pk=interview.pk).status == SlotStatus.BOOKED
    notice = NotificationLog.objects.get(kind=NotificationKind.RECRUITER_INTRO_DECLINED)
    assert NAME not in notice.text


def test_a_past_interview_stays_in_the_history_with_an_anonymous_candidate(anna: Recruiter, moscow: City) -> None:
    candidate = _miroslava(moscow)
    slot = _booked(candidate, _slot(anna, moscow))
    Slot.objects.filter(pk=slot.pk).update(
        starts_at=timezone.now() - dt.timedelta(days=3),
        ends_at=timezone.now() - dt.timedelta(days=3) + dt.timedelta(hours=1),
    )
    services.slot_record_outcome(slot_id=slot.pk, outcome="attended", note=f"{NAME} пришла вовремя")

    report = candidate_erase(candidate_id=candidate.pk, erased_by="operator")

    slot.refresh_from_db()
    assert report.bookings_canceled == 0
    assert (slot.status, slot.candidate_id, slot.outcome) == (SlotStatus.BOOKED, candidate.pk, "attended")
    assert slot.outcome_note == ""


def test_erasing_twice_changes_nothing_more_and_keeps_the_first_record(anna: Recruiter, moscow: City) -> None:
    candidate = _miroslava(moscow)
    candidate_erase(candidate_id=candidate.pk, erased_by="first")
    erased_at = Candidate.objects.get(pk=candidate.pk).erased_at

    report = candidate_erase(candidate_id=candidate.pk, erased_by="second")

    candidate.refresh_from_db()
    assert report.was_already_erased and report.bookings_canceled == 0
    assert (candidate.erased_by, candidate.erased_at) == ("first", erased_at)


def test_erasing_an_unknown_candidate_is_refused() -> None:
    with pytest.raises(InvalidInput):
        candidate_erase(candidate_id=999_999, erased_by="operator")


def test_a_telegram_user_we_know_nothing_about_gets_none_and_loses_their_button_and_message_logs() -> None:
    TelegramCallbackLog.objects.create(callback_query_id="q-1", telegram_user_id=TELEGRAM_ID, data="cs:1.n")
    TelegramMessageLog.objects.create(chat_id=TELEGRAM_ID, message_id=3)

    assert candidate_erase_by_telegram_id(telegram_id=TELEGRAM_ID) is None

    assert not TelegramCallbackLog.objects.filter(telegram_user_id=TELEGRAM_ID).exists()
    assert not TelegramMessageLog.objects.filter(chat_id=TELEGRAM_ID).exists()


def test_after_erasure_the_same_telegram_user_starts_as_a_new_candidate(anna: Recruiter, moscow: City) -> None:
    old = _miroslava(moscow)
    candidate_erase_by_telegram_id(telegram_id=TELEGRAM_ID)

    new = NewCandidateFactory(telegram_id=TELEGRAM_ID)

    assert new.pk != old.pk and Candidate.objects.get(pk=old.pk).telegram_id is None


def test_no_personal_value_remains_anywhere_in_the_database(
    anna: Recruiter, moscow: City, telegram_api: FakeTelegramAPI, settings: Any
) -> None:
    settings.TELEGRAM_PER_CHAT_INTERVAL_MS = 0
    candidate = _miroslava(moscow)
    earlier = _slot(anna, moscow, days=2, hour=8)
    services.slot_reserve(slot_id=earlier.pk, candidate_id=candidate.pk)
    _deliver_due()
    services.slot_reschedule(slot_id=earlier.pk, reason="Заглушкина просила время попозже")
    _booked(candidate, _slot(anna, moscow, days=3))
    _deliver_due()
    TelegramCallbackLog.objects.create(callback_query_id="q-77", telegram_user_id=TELEGRAM_ID, data="cf:x")
    TelegramMessageLog.objects.create(chat_id=TELEGRAM_ID, message_id=12)
    admin_user = UserFactory(username="boss", is_superuser=True)
    LogEntry.objects.log_actions(admin_user.pk, [candidate], CHANGE, change_message="Проверены ответы")
    LogEntry.objects.log_actions(admin_user.pk, [earlier], CHANGE, change_message=f"Перенос для {NAME}")
    before = _scan_database()
    # The scan sees every kind of place the values live in, or it would prove nothing.
    for place in (
        "candidates_candidate.full_name",
        "candidates_candidate.test1_answers",
        "notifications_notificationlog.text",
        "notifications_notificationlog.chat_id",
        "notifications_deliverypace.key",
        "botapp_telegramcallbacklog.telegram_user_id",
        "botapp_telegrammessagelog.chat_id",
        "scheduling_slotevent.reason",
        "django_admin_log.object_repr",
        "django_admin_log.change_message",
    ):
        assert place in before

    candidate_erase(candidate_id=candidate.pk, erased_by="boss")
    _deliver_due()

    assert _scan_database() == []
    assert telegram_api.wait_for_message(RECRUITER_CHAT, contains="(данные удалены)", timeout=5)
    assert NotificationLog.objects.get(kind=NotificationKind.RECRUITER_CANDIDATE_CANCELED).status == "sent"


def test_counters_and_the_audit_trail_still_add_up_after_erasure(anna: Recruiter, moscow: City) -> None:
    candidate = _miroslava(moscow)
    other = CandidateFactory()
    _slot(anna, moscow, days=5)
    booked = _booked(candidate, _slot(anna, moscow, days=2))
    _booked(other, _slot(anna, moscow, days=3))
    rejected = services.slot_reserve(slot_id=_slot(anna, moscow, days=4).pk, candidate_id=CandidateFactory().pk)
    services.slot_reject(slot_id=rejected.pk)
    counters = slot_counters()
    events = list(SlotEvent.objects.filter(candidate=candidate).values_list("pk", "from_status", "to_status"))

    candidate_erase(candidate_id=candidate.pk, erased_by="operator")

    after = slot_counters()
    assert after["total"] == counters["total"] == 4
    assert (after["booked"], after["free"]) == (counters["booked"] - 1, counters["free"] + 1)
    assert sum(after[s] for s in SlotStatus.values) == after["total"]
    trail = list(SlotEvent.objects.filter(candidate=candidate).order_by("created_at", "id"))
    assert [(e.pk, e.from_status, e.to_status) for e in trail[:-1]] == events
    last = trail[-1]
    assert (last.slot_id, last.from_status, last.to_status) == (booked.pk, SlotStatus.BOOKED, SlotStatus.FREE)
    assert last.reason == texts_privacy.REASON_ERASED and last.candidate_id == candidate.pk
    assert SlotEvent.objects.filter(candidate=other).count() == 2


# ----------------------------------------------------------------- admin action


def test_the_admin_action_erases_the_selected_and_records_the_admin_user(anna: Recruiter, moscow: City) -> None:
    candidate = _miroslava(moscow)
    kept = CandidateFactory()
    _booked(candidate, _slot(anna, moscow))
    request = _admin_request("olga")
    modeladmin = admin.site._registry[Candidate]

    erase_personal_data(modeladmin, request, Candidate.objects.filter(pk=candidate.pk))

    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.ERASED and candidate.erased_by == "olga"
    assert Candidate.objects.get(pk=kept.pk).status == CandidateStatus.CHOOSING_SLOT
    assert [str(m) for m in request._messages] == ["Персональные данные стёрты: 1. Отменено записей: 1."]
    entry = LogEntry.objects.get(object_id=str(candidate.pk), user__username="olga")
    assert entry.object_repr == f"кандидат #{candidate.pk}" and "стёрты" in entry.get_change_message()


def test_the_admin_action_is_described_and_needs_the_change_permission() -> None:
    assert erase_personal_data.short_description == "Стереть персональные данные"
    assert erase_personal_data.allowed_permissions == ["change"]
