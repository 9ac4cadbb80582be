"""The fake Bot API as its own process, as `make run` starts it, and the client the sandbox page plays it with."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from telegram import Bot

from ops.fake_telegram import FakeTelegramAPI, FakeTelegramClient, UnknownMessageError
from tests.ops.ptb_driver import USER_ID, keyboard, run

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def fake() -> Iterator[FakeTelegramAPI]:
    with FakeTelegramAPI() as server:
        yield server


def test_the_client_plays_the_person_over_http(fake: FakeTelegramAPI) -> None:
    client = FakeTelegramClient(fake.http_url)
    update = client.push_message(USER_ID, "/help", first_name="Борис", username="boris")
    assert update["message"]["from"] == {"id": USER_ID, "is_bot": False, "first_name": "Борис", "username": "boris"}

    async def scenario(bot: Bot) -> None:
        [got] = await bot.get_updates()
        assert got.update_id == update["update_id"]
        await bot.send_message(USER_ID, "Справка", reply_markup=keyboard(("Далее", "next")))

    run(scenario, fake)
    [message] = client.chat(USER_ID)
    assert message["text"] == "Справка"
    assert client.wait_for_message(USER_ID, "Справка")["message_id"] == message["message_id"]
    callback = client.push_callback(USER_ID, "next", message_id=message["message_id"])
    assert callback["callback_query"]["data"] == "next"
    callback_id = callback["callback_query"]["id"]
    assert client.callback_answer(callback_id) is None

    async def answer(bot: Bot) -> None:
        [tap] = await bot.get_updates(offset=update["update_id"] + 1)
        assert await tap.callback_query.answer(text="Дальше")

    run(answer, fake)
    assert client.callback_answer(callback_id) == {"callback_query_id": callback_id, "text": "Дальше"}
    assert fake.push_callback(USER_ID, "next")["callback_query"]["message"]["message_id"] == message["message_id"]
    with pytest.raises(UnknownMessageError):
        client.push_callback(USER_ID, "next", message_id=999)
    with pytest.raises(AssertionError, match="Справка"):
        client.wait_for_message(USER_ID, "нет такого", timeout=0.1)


def test_the_client_accepts_the_bot_api_base_url_and_reports_a_bad_request(fake: FakeTelegramAPI) -> None:
    client = FakeTelegramClient(fake.base_url)
    assert client.chat(USER_ID) == []
    with pytest.raises(ValueError, match="400"):
        client.push_message("not-a-number", "hi")  # type: ignore[arg-type]


def test_the_command_line_prints_the_base_url_and_exits_cleanly_on_sigterm() -> None:
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "ops.fake_telegram", "--port", "0", "--token", "42:CLI"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        base_url = process.stdout.readline().strip()
        assert base_url.startswith("http://127.0.0.1:") and base_url.endswith("/bot")
        client = FakeTelegramClient(base_url)
        assert client.push_message(5, "hello")["message"]["text"] == "hello"
        assert client.chat(5) == []
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
        assert process.stdout.read() == ""
    finally:
        if process.poll() is None:
            process.kill()
