"""Bot texts overridden per vacancy and city: refused when bad, applied to the next message, reverted (issue 14.4)."""

from __future__ import annotations

import datetime as dt
import logging
import uuid

import pytest
import time_machine
from django.utils import timezone

from candidates.models import Vacancy
from candidates.tests.factories import CandidateFactory
from notifications import tasks
from notifications.conversation import after_texts, texts
from notifications.copy import store, wording
from notifications.copy.catalog import CATALOG, KIND_KEYS
from notifications.copy.resolve import OverrideText
from notifications.copy.services import text_override_revert, text_override_save
from notifications.copy.validation import BUTTON_MAX_CHARS, override_errors
from notifications.kinds import KINDS
from notifications.models import NotificationKind, NotificationLog, Recipient, TextOverride
from notifications.services import notification_build
from notifications.tests.helpers import approved_booking, row_of
from scheduling import services
from scheduling.errors import InvalidInput
from scheduling.tests.factories import CityFactory, SlotFactory, UserFactory

pytestmark = pytest.mark.django_db

APPROVED_V1 = "Ура, согласовали!\n{when} ({zone}), рекрутёр {recruiter}."
APPROVED_V2 = "Встреча согласована: {when} ({zone}). Рекрутёр — {recruiter}."


def _save(key: str, text: str, *, vacancy: Vacancy | None = None, city_id: int | None = None, **kw: object) -> int:
    row = text_override_save(
        key=key,
        vacancy_id=vacancy.pk if vacancy else None,
        city_id=city_id,
        text=text,
        is_active=bool(kw.get("is_active", True)),
        user=kw.get("user"),
    )
    return row.pk


@pytest.fixture
def vacancy() -> Vacancy:
    return Vacancy.objects.create(title="Менеджер по продажам")


@pytest.mark.parametrize(
    ("key", "text", "expected"),
    [
        ("APPROVED", "Согласовано: {when} ({zone}), {recruiter}, {foo}", "Неизвестные подстановки: {foo}"),
        ("APPROVED", "Согласовано: {when}, рекрутёр {recruiter}", "Не хватает подстановок: {zone}"),
        ("APPROVED", "   \n", "Текст пустой"),
        ("APPROVED", "{when} {zone} {recruiter}" + "я" * 4096, "Слишком длинно"),
        ("APPROVED", "Согласовано: {when ({zone}), {recruiter}", "Фигурные скобки не парные"),
        ("APPROVED", "Согласовано: {when!r} ({zone}), {recruiter}", "только как {имя}"),
        ("APPROVED", "Согласовано: {when.year} ({zone}), {recruiter}", "только как {имя}"),
        ("BTN_CONFIRM", "✅ Приду", "слово «Подтверждаю»"),
        ("BTN_INTRO_CONFIRM", "✅ Буду", "слово «Приду»"),
        ("BTN_INTRO_DECLINE", "❌ Не приду", "слово «Не смогу»"),
        ("INTRO_DAY_INVITATION", "Ждём вас {when} ({zone}), {address}{note}", "Не хватает подстановок: {contact}"),
        ("BTN_CONFIRM", "Подтверждаю\nучастие", "в одну строку"),
        ("BTN_CONFIRM", "Подтверждаю " + "о" * BUTTON_MAX_CHARS, "Слишком длинно"),
        ("CONFIRMED_ANSWER", "Спасибо! " * 30, "можно не больше 200"),
        ("NO_SUCH_TEXT", "Привет", "Нет такого текста"),
    ],
)
def test_a_bad_override_gets_a_clear_russian_reason(key: str, text: str, expected: str) -> None:
    errors = override_errors(key, text)

    assert any(expected in error for error in errors), errors


def test_a_good_override_passes_and_keeps_literal_braces_doubled() -> None:
    assert override_errors("APPROVED", APPROVED_V1) == []
    assert override_errors("SLOT_TAKEN", "Занято {{увы}}. Вот что свободно:") == []
    assert override_errors("BTN_CONFIRM", "👍 Подтверждаю участие") == []


def test_every_catalog_default_passes_its_own_rules() -> None:
    refused = {key: override_errors(key, entry.default) for key, entry in CATALOG.items()}
    assert {key: errors for key, errors in refused.items() if errors} == {}


# The stage after the interview that only recruiters read (their card, their chat): not overridable on purpose.
RECRUITER_AFTER_TEXTS = {
    "RESULT_QUESTION",
    "BTN_RESULT_PASSED",
    "BTN_RESULT_FAILED",
    "RESULT_SAVED",
    "RECRUITER_TEST2_RESULT",
    "TEST2_VERDICT_PASSED",
    "TEST2_VERDICT_FAILED",
    "RECRUITER_INTRO_CONFIRMED",
    "RECRUITER_INTRO_DECLINED",
    "RECRUITER_INTRO_ATTENDANCE",
}


def test_every_text_after_the_interview_is_in_the_catalog_or_a_recruiters() -> None:
    names = {name for name in vars(after_texts) if name.isupper()}

    assert names - RECRUITER_AFTER_TEXTS - set(CATALOG) == set()
    assert {key for key in CATALOG if hasattr(after_texts, key)} == names - RECRUITER_AFTER_TEXTS
    assert not {name for name in names if hasattr(texts, name)}  # one key, one default


def test_every_message_kind_a_candidate_reads_has_its_catalog_text() -> None:
    candidate_kinds = {kind for kind, rule in KINDS.items() if rule.audience == Recipient.CANDIDATE}

    assert candidate_kinds - set(KIND_KEYS) == set()
    assert all(CATALOG[KIND_KEYS[kind]].default == KINDS[kind].template for kind in candidate_kinds)


def test_an_intro_day_invitation_override_reaches_the_outbox_row_and_its_buttons(vacancy: Vacancy) -> None:
    _save("INTRO_DAY_INVITATION", "Ждём: {when} ({zone}), {address}, {contact}{note}", vacancy=vacancy)
    _save("BTN_INTRO_CONFIRM", "Приду!", vacancy=vacancy)
    ours, theirs = CandidateFactory(vacancy=vacancy), CandidateFactory()
    slot = SlotFactory(intro_address="Тверская, 1", intro_contact="Ольга", intro_note="Паспорт")

    row = notification_build(
        kind=NotificationKind.INTRO_DAY_INVITATION, slot=slot, candidate=ours, reservation_id=uuid.uuid4()
    )
    other = notification_build(
        kind=NotificationKind.INTRO_DAY_INVITATION, slot=slot, candidate=theirs, reservation_id=uuid.uuid4()
    )

    assert row is not None and other is not None
    assert row.text.startswith("Ждём: ") and row.text.endswith("Тверская, 1, Ольга\n📝 Паспорт")
    assert [b["text"] for b in row.reply_markup["inline_keyboard"][0]] == ["Приду!", after_texts.BTN_INTRO_DECLINE]
    assert other.text.startswith("Приглашаем вас на ознакомительный день!")
    assert other.reply_markup["inline_keyboard"][0][0]["text"] == after_texts.BTN_INTRO_CONFIRM


def test_an_override_appears_in_the_next_outbox_message(vacancy: Vacancy) -> None:
    _save("APPROVED", APPROVED_V1, vacancy=vacancy)

    slot, _ = approved_booking(candidate=CandidateFactory(vacancy=vacancy))

    text = row_of(slot, NotificationKind.APPROVED).text
    assert text.startswith("Ура, согласовали!") and slot.recruiter.name in text


def test_a_candidate_of_another_vacancy_keeps_the_default(vacancy: Vacancy) -> None:
    _save("APPROVED", APPROVED_V1, vacancy=vacancy)
    other = Vacancy.objects.create(title="Кассир")

    slot, _ = approved_booking(candidate=CandidateFactory(vacancy=other))

    assert row_of(slot, NotificationKind.APPROVED).text.startswith("Собеседование согласовано!")


def test_a_bad_override_is_refused_and_the_bot_keeps_the_last_good_text(vacancy: Vacancy) -> None:
    _save("APPROVED", APPROVED_V1, vacancy=vacancy)

    with pytest.raises(InvalidInput, match="Неизвестные подстановки"):
        _save("APPROVED", "Согласовано {when} ({zone}) {recruiter} {foo}", vacancy=vacancy)

    assert TextOverride.objects.filter(key="APPROVED").count() == 1
    slot, _ = approved_booking(candidate=CandidateFactory(vacancy=vacancy))
    assert row_of(slot, NotificationKind.APPROVED).text.startswith("Ура, согласовали!")


def test_a_button_override_reaches_the_stored_keyboard(vacancy: Vacancy) -> None:
    _save("BTN_CONFIRM", "👍 Подтверждаю, приду", vacancy=vacancy)

    slot, _ = approved_booking(candidate=CandidateFactory(vacancy=vacancy))

    buttons = row_of(slot, NotificationKind.APPROVED).reply_markup["inline_keyboard"][0]
    assert [b["text"] for b in buttons] == ["👍 Подтверждаю, приду", texts.BTN_DECLINE]


def test_the_most_specific_override_wins(vacancy: Vacancy) -> None:
    tver, moscow = CityFactory(name="Тверь"), CityFactory(name="Москва")
    _save("SLOT_TAKEN", "для всех")
    _save("SLOT_TAKEN", "город", city_id=tver.pk)
    _save("SLOT_TAKEN", "вакансия", vacancy=vacancy)
    _save("SLOT_TAKEN", "вакансия и город", vacancy=vacancy, city_id=tver.pk)

    assert wording(vacancy_id=vacancy.pk, city_id=tver.pk).SLOT_TAKEN == "вакансия и город"
    assert wording(vacancy_id=vacancy.pk, city_id=moscow.pk).SLOT_TAKEN == "вакансия"
    assert wording(vacancy_id=None, city_id=tver.pk).SLOT_TAKEN == "город"
    assert wording(vacancy_id=None, city_id=moscow.pk).SLOT_TAKEN == "для всех"


def test_an_inactive_version_returns_the_scope_to_the_default(vacancy: Vacancy) -> None:
    _save("SLOT_TAKEN", "занято!", vacancy=vacancy)
    _save("SLOT_TAKEN", "", vacancy=vacancy, is_active=False)

    assert wording(vacancy_id=vacancy.pk, city_id=None).SLOT_TAKEN == texts.SLOT_TAKEN


def test_revert_makes_an_older_version_current_and_keeps_the_history(vacancy: Vacancy) -> None:
    lead = UserFactory(username="lead")
    first = _save("APPROVED", APPROVED_V1, vacancy=vacancy)
    _save("APPROVED", APPROVED_V2, vacancy=vacancy)

    reverted = text_override_revert(override_id=first, user=lead)

    assert reverted.reverted_from_id == first and reverted.created_by == lead
    history = TextOverride.objects.filter(key="APPROVED").order_by("id").values_list("text", flat=True)
    assert list(history) == [APPROVED_V1, APPROVED_V2, APPROVED_V1]
    assert wording(vacancy_id=vacancy.pk, city_id=None).APPROVED == APPROVED_V1


def test_a_stored_row_that_no_longer_passes_is_skipped_for_the_default(
    vacancy: Vacancy, caplog: pytest.LogCaptureFixture
) -> None:
    # Written behind the service's back (or the default gained a placeholder since).
    TextOverride.objects.create(key="APPROVED", vacancy=vacancy, text="Согласовано, {foo}!")
    store.forget()

    with caplog.at_level(logging.ERROR, logger="notifications.copy.store"):
        assert wording(vacancy_id=vacancy.pk, city_id=None).APPROVED == texts.APPROVED
    assert "is not valid" in caplog.text


def test_an_override_that_fails_to_format_sends_the_default(caplog: pytest.LogCaptureFixture) -> None:
    # A format spec validation refuses: on a text value it raises ValueError at render time.
    broken = OverrideText("{when:d} ({zone}), {recruiter}", key="SLOT_CHOSEN", default=texts.SLOT_CHOSEN)

    with caplog.at_level(logging.ERROR, logger="notifications.copy.resolve"):
        text = broken.format(when="02.12 11:00", zone="по московскому времени", recruiter="Анна")

    assert text.startswith("Вы выбрали 02.12 11:00")
    assert "failed to format" in caplog.text


def test_another_process_change_is_seen_once_the_check_interval_passes(vacancy: Vacancy, settings: object) -> None:
    settings.TEXT_OVERRIDES_CHECK_SECONDS = 3600  # type: ignore[attr-defined]
    store.forget()
    assert wording(vacancy_id=vacancy.pk, city_id=None).SLOT_TAKEN == texts.SLOT_TAKEN
    # Another process (the admin) adds a version: this process has not been told.
    TextOverride.objects.create(key="SLOT_TAKEN", vacancy=vacancy, text="Уже заняли.")

    assert wording(vacancy_id=vacancy.pk, city_id=None).SLOT_TAKEN == texts.SLOT_TAKEN
    settings.TEXT_OVERRIDES_CHECK_SECONDS = 0  # type: ignore[attr-defined]  # the interval has passed
    assert wording(vacancy_id=vacancy.pk, city_id=None).SLOT_TAKEN == "Уже заняли."


def test_the_workers_sweep_writes_the_expiry_message_with_the_vacancys_text(vacancy: Vacancy) -> None:
    starts_at = timezone.now().replace(second=0, microsecond=0) - dt.timedelta(minutes=5)
    slot = SlotFactory(starts_at=starts_at)
    with time_machine.travel(starts_at - dt.timedelta(hours=3), tick=False):
        reservation_id = services.slot_reserve(
            slot_id=slot.pk, candidate_id=CandidateFactory(vacancy=vacancy).pk
        ).reservation_id
    _save("PENDING_EXPIRED", "Рекрутёр не успел ответить про {when} ({zone}). Выберите другое время!", vacancy=vacancy)

    tasks.sweep()  # what the worker's minute schedule runs

    row = NotificationLog.objects.get(reservation_id=reservation_id, kind=NotificationKind.PENDING_EXPIRED)
    assert row.text.startswith("Рекрутёр не успел ответить про")
