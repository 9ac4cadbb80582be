"""PRIVACY_POLICY_URL: the consent text links to it, production must set it, the demo serves its own page."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.test import Client

from botapp import screens
from tests.ops.test_deploy import ROOT, production_env


@pytest.mark.django_db
def test_the_demo_policy_page_answers_in_russian_with_how_to_erase(client: Client) -> None:
    response = client.get("/privacy/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Политика обработки персональных данных" in html and "152-ФЗ" in html
    assert "/delete_my_data" in html


def test_the_consent_text_links_to_the_configured_policy(settings) -> None:
    settings.PRIVACY_POLICY_URL = "https://hr.example.ru/personal-data"

    assert "https://hr.example.ru/personal-data" in screens.consent().text


def test_production_refuses_to_start_without_a_privacy_policy_url() -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=production_env(PRIVACY_POLICY_URL=""),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode != 0
    assert "PRIVACY_POLICY_URL is not set" in result.stderr


def test_local_work_links_to_the_demo_page_when_unset() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.PRIVACY_POLICY_URL)"],
        cwd=ROOT,
        env={**production_env(PRIVACY_POLICY_URL="", DJANGO_DEBUG="1"), "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("/privacy/")
