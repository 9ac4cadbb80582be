"""Consent before Тест 1 (issue 7): nothing stored before it, refusal, a new version asks again."""

from __future__ import annotations

from typing import Any

import pytest

from botapp.tests.conftest import BotDriver, World, db
from candidates.models import Candidate, CandidateStatus
from notifications.conversation.callbacks import Action, encode

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

USER = 801


def _candidate(telegram_id: int = USER) -> Candidate:
    return Candidate.objects.get(telegram_id=telegram_id)


async def test_nothing_personal_is_stored_before_consent(bot: BotDriver, world: World, settings: Any) -> None:
    settings.PRIVACY_POLICY_URL = "https://hr.example.ru/privacy"
    await bot.send(USER, "/start", username="ivan_secret")
    assert "https://hr.example.ru/privacy" in bot.last_text(USER)
    assert [t for t, _ in bot.buttons(USER)] == ["Согласен", "Не согласен"]

    await bot.send(USER, "Иванов Иван Иванович", username="ivan_secret")
    await bot.press(USER, encode(Action.ANSWER, "full_name.x"))

    candidate = await db(_candidate)()
    assert candidate.status == CandidateStatus.NEW
    assert (candidate.username, candidate.full_name, candidate.test1_answers) == ("", "", {})
    assert candidate.consent_given_at is None and candidate.city_id is None
    assert "Вы согласны?" in bot.last_text(USER)


async def test_consent_is_stored_with_its_time_and_version(bot: BotDriver, world: World, settings: Any) -> None:
    settings.CONSENT_VERSION = "2025-11"
    await bot.send(USER, "/start", username="ivan")
    await bot.tap(USER, "Согласен")

    candidate = await db(_candidate)()
    assert candidate.consent_version == "2025-11" and candidate.consent_given_at is not None
    assert candidate.username == "ivan" and candidate.status == CandidateStatus.IN_TEST1
    assert bot.last_text(USER).startswith("Вопрос 1 из 10")


async def test_refusal_ends_politely_and_stores_only_the_refusal(bot: BotDriver, world: World) -> None:
    await bot.send(USER, "/start", username="ivan")
    message_id = await bot.tap(USER, "Не согласен")

    assert "ничего не сохраняем" in bot.last_text(USER)
    assert "reply_markup" not in bot.message(USER, message_id)
    candidate = await db(_candidate)()
    assert candidate.status == CandidateStatus.CONSENT_DECLINED and candidate.consent_declined_at is not None
    assert (candidate.username, candidate.test1_answers, candidate.consent_version) == ("", {}, "")
    await bot.send(USER, "Иванов Иван")
    assert (await db(_candidate)()).full_name == ""


async def test_a_new_consent_version_asks_a_returning_candidate_again(
    bot: BotDriver, world: World, chooser: Any, settings: Any
) -> None:
    await bot.send(chooser.telegram_id, "/start")
    old_agree = bot.find_button(chooser.telegram_id, "Анна")  # the recruiter list: consent v1 is current
    settings.CONSENT_VERSION = "2"

    await bot.send(chooser.telegram_id, "/start")

    assert "обновили условия" in bot.last_text(chooser.telegram_id)
    await bot.press(chooser.telegram_id, encode(Action.CONSENT, "1.y"))  # a button of the old text
    assert (await db(_candidate)(chooser.telegram_id)).consent_version == "1"
    await bot.press(chooser.telegram_id, old_agree[1], message_id=old_agree[0])
    assert "обновили условия" in bot.last_text(chooser.telegram_id)

    await bot.tap(chooser.telegram_id, "Согласен")

    candidate = await db(_candidate)(chooser.telegram_id)
    assert candidate.consent_version == "2" and candidate.status == CandidateStatus.CHOOSING_SLOT
    assert "Выберите рекрутёра" in bot.last_text(chooser.telegram_id)
