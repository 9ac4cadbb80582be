"""The candidate list's export: only candidates the viewer may see, erased ones without personal data."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from candidates.models import CandidateStatus, RejectedStage, Vacancy, VacancySource
from candidates.privacy import candidate_erase, erased_label
from candidates.tests.factories import CandidateFactory
from scheduling.models import City, Recruiter, SlotStatus
from scheduling.tests.factories import SlotFactory
from scheduling.tests.helpers import slot_in_status
from scheduling.tests.test_exports import CSV_FORMAT, XLSX_FORMAT, export_rows

pytestmark = pytest.mark.django_db

EXPORT = reverse("admin:candidates_candidate_export")


def test_a_recruiter_exports_only_candidates_of_their_own_slots(
    anna_client: Client, anna: Recruiter, igor: Recruiter, moscow: City
):
    mine = slot_in_status(SlotStatus.PENDING, slot=SlotFactory(recruiter=anna, city=moscow)).candidate
    slot_in_status(SlotStatus.PENDING, slot=SlotFactory(recruiter=igor, city=igor.cities.first()))
    CandidateFactory()  # never booked anyone

    rows = export_rows(anna_client, url=EXPORT)

    assert [int(r["Номер кандидата"]) for r in rows] == [mine.pk]
    assert rows[0]["ФИО"] == mine.full_name
    assert rows[0]["Имя пользователя в Telegram"] == mine.username
    assert rows[0]["id в Telegram"] == str(mine.telegram_id)
    assert "Иванов Иван Иванович" in rows[0]["Ответы Теста 1"]


def test_a_lead_exports_with_filters_and_sees_vacancy_and_source(admin_client: Client, moscow: City):
    vacancy = Vacancy.objects.create(title="Торговый представитель")
    source = VacancySource.objects.create(vacancy=vacancy, name="Плакат в магазине", code="poster_1")
    in_moscow = CandidateFactory(city=moscow, vacancy=vacancy, source=source)
    CandidateFactory(city=None)

    rows = export_rows(admin_client, f"?city__id__exact={moscow.pk}", fmt=XLSX_FORMAT, url=EXPORT)

    assert [int(r["Номер кандидата"]) for r in rows] == [in_moscow.pk]
    assert rows[0]["Вакансия"] == "Торговый представитель"
    assert rows[0]["Источник"] == "Плакат в магазине"
    assert rows[0]["Город"] == "Москва"


def test_an_erased_candidate_is_exported_without_personal_data(admin_client: Client):
    kept = CandidateFactory(preferred_time_note="после 18:00")
    erased = CandidateFactory(preferred_time_note="утром, звонить Ивану")
    name, username, telegram_id = erased.full_name, erased.username, erased.telegram_id
    candidate_erase(candidate_id=erased.pk, erased_by="test")

    rows = {int(r["Номер кандидата"]): r for r in export_rows(admin_client, fmt=CSV_FORMAT, url=EXPORT)}

    row = rows[erased.pk]
    assert row["ФИО"] == erased_label(erased.pk)
    assert row["Имя пользователя в Telegram"] == row["id в Telegram"] == ""
    assert row["Ответы Теста 1"] == row["Пожелание по времени"] == ""
    assert row["Этап"] == "данные стёрты" and row["Данные стёрты"]
    assert not any(value in str(row) for value in (name, username, str(telegram_id), "Ивану"))
    assert rows[kept.pk]["Пожелание по времени"] == "после 18:00"


def test_the_candidate_list_shows_the_export_button(anna_client: Client):
    page = anna_client.get(reverse("admin:candidates_candidate_changelist") + "?status__exact=erased").content.decode()

    assert f'href="{EXPORT}?status__exact=erased"' in page


def test_the_query_count_does_not_grow_with_candidates(admin_client: Client, django_assert_max_num_queries):
    CandidateFactory.create_batch(2)
    with django_assert_max_num_queries(30) as few:
        export_rows(admin_client, url=EXPORT)
    CandidateFactory.create_batch(8)

    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(export_rows(admin_client, url=EXPORT)) == 10


def test_later_stages_and_the_rejection_stage_are_exported_in_russian(admin_client: Client):
    invited = CandidateFactory(status=CandidateStatus.INTRO_DAY_INVITED)
    rejected = CandidateFactory(status=CandidateStatus.REJECTED, rejected_stage=RejectedStage.TEST2)

    rows = {int(r["Номер кандидата"]): r for r in export_rows(admin_client, fmt=XLSX_FORMAT, url=EXPORT)}

    assert rows[invited.pk]["Этап"] == "приглашён на ознакомительный день"
    assert rows[invited.pk]["Этап отказа"] in ("", None)
    assert (rows[rejected.pk]["Этап"], rows[rejected.pk]["Этап отказа"]) == ("отказ", "Тест 2")
