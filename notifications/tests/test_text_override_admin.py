"""Bot texts in the admin: leads only, the default and placeholders shown, a bad text refused, history, revert."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from candidates.models import Vacancy
from notifications.conversation import texts
from notifications.models import TextOverride
from scheduling.access import LEAD_EXTRA_PERMISSIONS, LEAD_GROUP
from scheduling.tests.admin_pages import messages_of
from scheduling.tests.factories import UserFactory
from scheduling.tests.personas import client_for

pytestmark = pytest.mark.django_db

ADD = reverse("admin:notifications_textoverride_add")
PREVIEW = reverse("admin:notifications_textoverride_preview")
GOOD = "Отлично! Ждём вас {when} ({zone}). Рекрутёр: {recruiter}."
BETTER = "Встреча согласована: {when} ({zone}), рекрутёр {recruiter}."


@pytest.fixture
def lead() -> object:
    """Olga, a hiring lead (the leads' group, not a superuser)."""
    group, _ = Group.objects.get_or_create(name=LEAD_GROUP)
    group.permissions.add(
        *[Permission.objects.get(content_type__app_label=a, codename=c) for a, c in LEAD_EXTRA_PERMISSIONS]
    )
    user = UserFactory(username="olga")
    user.groups.add(group)
    return user


@pytest.fixture
def lead_client(lead: object) -> Client:
    return client_for(lead)


@pytest.fixture
def vacancy() -> Vacancy:
    return Vacancy.objects.create(title="Менеджер по продажам")


def _form(vacancy: Vacancy, text: str, **extra: str) -> dict[str, str]:
    return {"key": "APPROVED", "vacancy": str(vacancy.pk), "city": "", "text": text, "is_active": "on", **extra}


def test_the_add_form_starts_from_the_default_of_the_chosen_text(lead_client: Client) -> None:
    page = lead_client.get(ADD, {"key": "APPROVED"}).content.decode()

    assert "Собеседование согласовано!" in page
    assert 'srcdoc="' in page and "Так увидит кандидат" in page


def test_the_preview_shows_the_default_the_placeholders_and_sample_values(lead_client: Client) -> None:
    page = lead_client.get(PREVIEW, {"key": "APPROVED"}).content.decode()

    assert "Текст по умолчанию" in page and "Пожалуйста, подтвердите, что придёте." in page
    assert "<code>{when}</code>, <code>{zone}</code>, <code>{recruiter}</code>" in page
    assert "02.12 11:00 (по московскому времени)" in page  # sample values in the candidate's view


def test_a_button_previews_as_a_button_and_names_the_word_it_must_keep(lead_client: Client) -> None:
    page = lead_client.get(PREVIEW, {"key": "BTN_CONFIRM"}).content.decode()

    assert '<span class="button-preview">✅ Подтверждаю</span>' in page
    assert "На кнопке должно остаться слово «Подтверждаю»" in page


def test_the_preview_of_a_typed_text_says_why_it_would_be_refused(lead_client: Client, vacancy: Vacancy) -> None:
    page = lead_client.post(PREVIEW, _form(vacancy, "Ждём вас {when}, {foo}")).content.decode()

    assert "Так сохранить нельзя" in page
    assert "Неизвестные подстановки: {foo}" in page
    assert "Не хватает подстановок: {zone}, {recruiter}" in page
    assert not TextOverride.objects.exists()


def test_a_bad_text_is_refused_with_a_form_error_and_nothing_is_saved(lead_client: Client, vacancy: Vacancy) -> None:
    response = lead_client.post(ADD, _form(vacancy, "Ждём вас {when} ({zone}), {recruiter}, {foo}"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Неизвестные подстановки: {foo}" in page
    assert "Так сохранить нельзя" in page  # the preview beside the form says the same
    assert not TextOverride.objects.exists()


def test_each_save_is_a_new_version_with_who_and_when(lead_client: Client, lead: object, vacancy: Vacancy) -> None:
    lead_client.post(ADD, _form(vacancy, GOOD))
    first = TextOverride.objects.get()

    lead_client.post(reverse("admin:notifications_textoverride_change", args=[first.pk]), _form(vacancy, BETTER))

    first.refresh_from_db()
    latest = TextOverride.objects.latest("id")
    assert first.text == GOOD and latest.text == BETTER
    assert latest.created_by == lead and latest.created_at is not None


def test_the_history_marks_the_current_version_and_an_old_one_can_be_brought_back(
    lead_client: Client, vacancy: Vacancy
) -> None:
    lead_client.post(ADD, _form(vacancy, GOOD))
    lead_client.post(ADD, _form(vacancy, BETTER))
    old = TextOverride.objects.get(text=GOOD)

    history = lead_client.get(reverse("admin:notifications_textoverride_changelist"), {"key": "APPROVED"})
    old_page = lead_client.get(reverse("admin:notifications_textoverride_change", args=[old.pk])).content.decode()
    response = lead_client.post(reverse("admin:notifications_textoverride_revert", args=[old.pk]))

    assert "прежняя" in history.content.decode() and "действует" in history.content.decode()
    assert "Вернуть эту версию" in old_page
    [(level, message)] = messages_of(response)
    assert level == "success" and f"Вернули версию #{old.pk}" in message
    latest = TextOverride.objects.latest("id")
    assert latest.text == GOOD and latest.reverted_from_id == old.pk
    assert TextOverride.objects.count() == 3


def test_a_recruiter_cannot_open_bot_texts(anna_client: Client) -> None:
    assert anna_client.get(reverse("admin:notifications_textoverride_changelist")).status_code == 403
    assert anna_client.get(ADD).status_code == 403


def test_versions_cannot_be_deleted(lead_client: Client, vacancy: Vacancy) -> None:
    lead_client.post(ADD, _form(vacancy, GOOD))
    row = TextOverride.objects.get()

    response = lead_client.get(reverse("admin:notifications_textoverride_delete", args=[row.pk]))

    assert response.status_code == 403


def test_the_migration_gives_the_leads_group_the_bot_texts_and_can_run_twice() -> None:
    grant = importlib.import_module("notifications.migrations.0007_lead_group_text_permissions").grant
    Group.objects.filter(name=LEAD_GROUP).delete()

    grant(apps, None)
    grant(apps, None)

    codenames = set(Group.objects.get(name=LEAD_GROUP).permissions.values_list("codename", flat=True))
    assert {"add_textoverride", "change_textoverride", "view_textoverride"} <= codenames


def test_texts_module_is_the_default_so_an_untouched_bot_reads_as_before() -> None:
    from notifications.copy import wording

    assert wording(vacancy_id=None, city_id=None).APPROVED is texts.APPROVED


def test_a_come_button_without_its_word_is_refused_by_the_form(lead_client: Client, vacancy: Vacancy) -> None:
    response = lead_client.post(ADD, _form(vacancy, "✅ Буду", key="BTN_INTRO_CONFIRM"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "На кнопке должно остаться слово «Приду»" in page
    assert not TextOverride.objects.exists()

    lead_client.post(ADD, _form(vacancy, "✅ Приду обязательно", key="BTN_INTRO_CONFIRM"))
    assert TextOverride.objects.get().text == "✅ Приду обязательно"
