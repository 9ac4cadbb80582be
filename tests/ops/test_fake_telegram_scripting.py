"""What a test makes the fake Bot API do wrong: scripted errors, late answers, Telegram's flood limits."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from telegram import Bot
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)

from ops.fake_telegram import FakeTelegramAPI
from tests.ops.ptb_driver import USER_ID, retry_seconds, run


@pytest.fixture
def fake() -> Iterator[FakeTelegramAPI]:
    with FakeTelegramAPI() as server:
        yield server


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (403, Forbidden),
        (400, BadRequest),
        (500, NetworkError),
        (502, NetworkError),
        (401, InvalidToken),
        (409, Conflict),
    ],
)
def test_a_scripted_status_surfaces_as_ptbs_error_and_stores_nothing(
    fake: FakeTelegramAPI, status: int, error: type[Exception]
) -> None:
    fake.fail_next("sendMessage", status=status)

    async def scenario(bot: Bot) -> None:
        with pytest.raises(error):
            await bot.send_message(USER_ID, "hello")
        await bot.send_message(USER_ID, "second try")

    run(scenario, fake)
    assert [m["text"] for m in fake.sent_messages()] == ["second try"]
    assert [c.status for c in fake.calls_of("sendMessage")] == [status, 200]
    assert f"[error] sendMessage -> {status}" in fake.transcript(USER_ID)


def test_scripted_errors_carry_telegrams_descriptions(fake: FakeTelegramAPI) -> None:
    fake.fail_next("sendMessage", status=403)
    fake.fail_next("sendMessage", status=400)

    async def scenario(bot: Bot) -> None:
        with pytest.raises(Forbidden, match="bot was blocked by the user"):
            await bot.send_message(USER_ID, "x")
        with pytest.raises(BadRequest, match="(?i)chat not found"):
            await bot.send_message(USER_ID, "x")

    run(scenario, fake)


def test_a_scripted_429_carries_retry_after_for_the_given_times_and_chat_only(fake: FakeTelegramAPI) -> None:
    fake.fail_next("sendMessage", status=429, retry_after=7, times=2, chat_id=USER_ID)
    errors: list[RetryAfter] = []

    async def scenario(bot: Bot) -> None:
        await bot.send_message(USER_ID + 1, "other chat is not affected")
        for _ in range(2):
            with pytest.raises(RetryAfter) as info:
                await bot.send_message(USER_ID, "x")
            errors.append(info.value)
        await bot.send_message(USER_ID, "after the flood wait")

    run(scenario, fake)
    assert [retry_seconds(e) for e in errors] == [7, 7]
    assert [m["text"] for m in fake.sent_messages()] == ["other chat is not affected", "after the flood wait"]
    assert fake.rate_limited_count == 0


def test_a_scripted_migration_is_chat_migrated(fake: FakeTelegramAPI) -> None:
    fake.fail_next("sendMessage", status=400, description="Bad Request: group chat was upgraded", migrate_to_chat_id=-9)

    async def scenario(bot: Bot) -> None:
        with pytest.raises(ChatMigrated) as info:
            await bot.send_message(-5, "x")
        assert info.value.new_chat_id == -9

    run(scenario, fake)


async def _send_all(bot: Bot, chat_ids: list[int]) -> list[str]:
    """Send to all chats concurrently; "ok" or "429/<retry after>" per send."""
    results = await asyncio.gather(*(bot.send_message(c, "hi") for c in chat_ids), return_exceptions=True)
    outcomes = []
    for result in results:
        if isinstance(result, RetryAfter):
            outcomes.append(f"429/{retry_seconds(result):g}")
        elif isinstance(result, BaseException):
            raise result
        else:
            outcomes.append("ok")
    return outcomes


def test_with_limits_enforced_a_burst_to_one_chat_gets_one_429(fake: FakeTelegramAPI) -> None:
    fake.enforce_rate_limits = True

    async def scenario(bot: Bot) -> list[str]:
        return await _send_all(bot, [USER_ID, USER_ID])

    assert sorted(run(scenario, fake)) == ["429/1", "ok"]
    assert fake.rate_limited_count == 1
    assert len(fake.sent_messages(USER_ID)) == 1
    assert [c.status for c in fake.calls_of("sendMessage")].count(429) == 1


def test_beyond_the_global_rate_telegram_answers_429_retry_after_1(fake: FakeTelegramAPI) -> None:
    fake.enforce_rate_limits = True
    fake.global_rate = 3
    fake.per_chat_rate = 0

    async def scenario(bot: Bot) -> list[str]:
        return await _send_all(bot, [1, 2, 3, 4, 5, 6])

    assert sorted(run(scenario, fake)) == ["429/1", "429/1", "429/1", "ok", "ok", "ok"]
    assert fake.stats()["rate_limited_count"] == 3
    assert len(fake.sent_messages()) == 3


def test_a_chat_over_its_rate_may_send_again_after_the_window(fake: FakeTelegramAPI) -> None:
    fake.enforce_rate_limits = True
    fake.per_chat_rate = 0.5  # one message per two seconds

    async def scenario(bot: Bot) -> None:
        await bot.send_message(1, "one")
        with pytest.raises(RetryAfter):
            await bot.send_message(1, "two")
        await bot.send_message(2, "other chat")
        await asyncio.sleep(2.05)
        await bot.send_message(1, "three")

    run(scenario, fake)
    assert [m["text"] for m in fake.chat(1)] == ["one", "three"]
    assert fake.rate_limited_count == 1


def test_a_late_answer_times_out_although_the_message_was_sent(fake: FakeTelegramAPI) -> None:
    fake.delay_next("sendMessage", 1.5)

    async def scenario(bot: Bot) -> None:
        with pytest.raises(TimedOut):
            await bot.send_message(USER_ID, "доставлено, но ответ потерян", read_timeout=0.3)

    run(scenario, fake)
    assert [m["text"] for m in fake.sent_messages(USER_ID)] == ["доставлено, но ответ потерян"]
    assert fake.calls_of("sendMessage")[0].status == 200


def test_a_dropped_call_times_out_and_sends_nothing(fake: FakeTelegramAPI) -> None:
    fake.delay_next("sendMessage", 1.5, accept=False)

    async def scenario(bot: Bot) -> None:
        with pytest.raises(TimedOut):
            await bot.send_message(USER_ID, "lost", read_timeout=0.3)

    run(scenario, fake)
    assert fake.sent_messages() == []
    assert fake.calls_of("sendMessage")[0].status == 502
