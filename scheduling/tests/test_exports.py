"""The slot list's export: the rows the viewer may see under the list's filters, CSV and XLSX, Russian headers."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from candidates.models import Vacancy, VacancySource
from candidates.privacy import candidate_erase, erased_label
from candidates.tests.factories import CandidateFactory
from scheduling import services
from scheduling.models import City, Recruiter, SlotStatus
from scheduling.tests.admin_pages import CHANGELIST
from scheduling.tests.factories import SlotFactory
from scheduling.tests.helpers import slot_in_status, through_test2

pytestmark = pytest.mark.django_db

EXPORT = f"{CHANGELIST}export/"
CSV_FORMAT, XLSX_FORMAT = "0", "1"


def export_rows(client: Client, query: str = "", fmt: str = CSV_FORMAT, url: str = EXPORT) -> list[dict[str, str]]:
    """Post the export form as the browser does (to the page's own URL, filters in the query string)."""
    response = client.post(f"{url}{query}", {"format": fmt, "resource": "0"})
    assert response.status_code == 200, response.content[:500]
    assert "attachment" in response["Content-Disposition"]
    if fmt == XLSX_FORMAT:
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        header, *rows = [[("" if v is None else str(v)) for v in row] for row in sheet.iter_rows(values_only=True)]
        return [dict(zip(header, row, strict=True)) for row in rows]
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_a_recruiter_exports_only_their_own_slots(anna_client: Client, anna: Recruiter, igor: Recruiter, moscow: City):
    mine = [SlotFactory(recruiter=anna, city=moscow) for _ in range(2)]
    SlotFactory(recruiter=igor, city=igor.cities.first())

    rows = export_rows(anna_client)

    assert sorted(int(r["Номер слота"]) for r in rows) == sorted(s.pk for s in mine)
    assert {r["Рекрутёр"] for r in rows} == {anna.name}


def test_the_export_keeps_the_lists_filters(anna_client: Client, anna: Recruiter, moscow: City):
    booked = slot_in_status(SlotStatus.BOOKED, slot=SlotFactory(recruiter=anna, city=moscow))
    slot_in_status(SlotStatus.PENDING, slot=SlotFactory(recruiter=anna, city=moscow))
    SlotFactory(recruiter=anna, city=moscow)

    rows = export_rows(anna_client, "?status__exact=booked")

    assert [int(r["Номер слота"]) for r in rows] == [booked.pk]
    assert rows[0]["Статус"] == "согласован"
    assert rows[0]["Кандидат"] == booked.candidate.full_name
    assert rows[0]["Номер заявки"] == str(booked.reservation_id)


def test_the_list_page_links_the_export_with_its_filters_and_keeps_its_counters(anna_client: Client, anna: Recruiter):
    page = anna_client.get(f"{CHANGELIST}?status__exact=free").content.decode()

    assert f'href="{EXPORT}?status__exact=free"' in page
    assert 'id="slot-counters"' in page and "Создать слоты пачкой" in page


def test_xlsx_has_russian_headers_times_in_the_recruiters_zone_and_the_vacancy(
    anna_client: Client, anna: Recruiter, moscow: City
):
    vacancy = Vacancy.objects.create(title="Менеджер по продажам")
    source = VacancySource.objects.create(vacancy=vacancy, name="hh.ru", code="hh_sales")
    candidate = CandidateFactory(vacancy=vacancy, source=source)
    slot = slot_in_status(SlotStatus.CONFIRMED, slot=SlotFactory(recruiter=anna, city=moscow), candidate=candidate)

    [row] = export_rows(anna_client, fmt=XLSX_FORMAT)

    assert row["Начало"] == slot.starts_at.astimezone(anna.zone).strftime("%Y-%m-%d %H:%M")
    assert row["Часовой пояс"] == "Europe/Moscow"
    assert row["Вакансия"] == "Менеджер по продажам" and row["Источник"] == "hh.ru"
    assert row["Статус"] == "подтверждён кандидатом"


def test_a_lead_exports_every_recruiter_in_each_citys_zone(admin_client: Client, anna: Recruiter, igor: Recruiter):
    novosibirsk = igor.cities.first()
    theirs = SlotFactory(recruiter=igor, city=novosibirsk)
    SlotFactory(recruiter=anna, city=anna.cities.first())

    rows = {int(r["Номер слота"]): r for r in export_rows(admin_client)}

    assert len(rows) == 2
    assert rows[theirs.pk]["Часовой пояс"] == "Asia/Novosibirsk"
    assert rows[theirs.pk]["Начало"] == theirs.starts_at.astimezone(novosibirsk.zone).strftime("%Y-%m-%d %H:%M")


def test_an_erased_candidates_past_interview_names_no_one(anna_client: Client, anna: Recruiter, moscow: City):
    soon = timezone.now().replace(second=0, microsecond=0) + dt.timedelta(hours=3)
    slot = slot_in_status(SlotStatus.BOOKED, slot=SlotFactory(recruiter=anna, city=moscow, starts_at=soon))
    candidate = slot.candidate
    # After the interview erasure keeps the past booking (the counts) and blanks the person.
    with time_machine.travel(slot.ends_at + dt.timedelta(hours=1)):
        candidate_erase(candidate_id=candidate.pk, erased_by="test")
        rows = export_rows(anna_client)

    assert [r["Кандидат"] for r in rows] == [erased_label(candidate.pk)]
    assert candidate.full_name not in str(rows) and candidate.username not in str(rows)


def test_a_user_without_view_permission_cannot_export(client: Client, django_user_model):
    user = django_user_model.objects.create_user("nobody", password="pass12345", is_staff=True)
    client.force_login(user)

    assert client.post(EXPORT, {"format": CSV_FORMAT}).status_code == 403


def test_the_export_page_says_how_many_rows_go_out_and_in_which_zone(anna_client: Client, anna: Recruiter):
    SlotFactory(recruiter=anna, city=anna.cities.first())
    slot_in_status(SlotStatus.BOOKED, slot=SlotFactory(recruiter=anna, city=anna.cities.first()))

    page = anna_client.get(f"{EXPORT}?status__exact=free").content.decode()

    assert "Будет выгружено строк: <strong>1</strong>" in page
    assert f'href="{CHANGELIST}?status__exact=free"' in page
    assert "по вашему часовому поясу (Europe/Moscow)" in page


def test_a_lead_exports_the_week_of_every_recruiter(admin_client: Client, anna: Recruiter, igor: Recruiter):
    # Wednesday noon in Moscow: Monday–Sunday of this week are the 1st–7th.
    wednesday = dt.datetime(2026, 12, 2, 12, 0, tzinfo=anna.zone)
    with time_machine.travel(wednesday, tick=False):
        this_week = [
            SlotFactory(recruiter=anna, city=anna.cities.first(), starts_at=wednesday + dt.timedelta(days=1)),
            SlotFactory(recruiter=igor, city=igor.cities.first(), starts_at=wednesday + dt.timedelta(days=3)),
        ]
        SlotFactory(recruiter=anna, city=anna.cities.first(), starts_at=wednesday + dt.timedelta(days=6))
        rows = export_rows(admin_client, "?date=week", fmt=XLSX_FORMAT)

    assert sorted(int(r["Номер слота"]) for r in rows) == sorted(s.pk for s in this_week)


def test_the_export_says_what_each_slot_is_for_and_where_an_intro_day_is(
    anna_client: Client, anna: Recruiter, moscow: City
):
    interview = through_test2(slot=SlotFactory(recruiter=anna, city=moscow))
    intro = services.intro_day_invite(
        candidate_id=interview.candidate_id,
        starts_at=timezone.now() + dt.timedelta(days=3),
        address="Москва, ул. Тверская, 1, офис 5",
        contact="Ольга, +7 900 000-00-00",
    )

    rows = {int(r["Номер слота"]): r for r in export_rows(anna_client, fmt=XLSX_FORMAT)}

    assert rows[interview.pk]["Назначение"] == "собеседование"
    assert rows[interview.pk]["Адрес ознакомительного дня"] in ("", None)
    assert rows[intro.pk]["Назначение"] == "ознакомительный день"
    assert rows[intro.pk]["Адрес ознакомительного дня"] == "Москва, ул. Тверская, 1, офис 5"
    assert rows[intro.pk]["Контактное лицо"] == "Ольга, +7 900 000-00-00"
    assert rows[intro.pk]["Статус"] == "согласован"
