"""The fake Bot API's methods, driven by a real python-telegram-bot ``Bot``: Telegram's answers and errors."""

from __future__ import annotations

import asyncio
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from telegram import Bot
from telegram.error import BadRequest, EndPointNotFound, InvalidToken

from ops.fake_telegram import Call, FakeTelegramAPI
from tests.ops.ptb_driver import USER_ID, keyboard, run


@pytest.fixture
def fake() -> Iterator[FakeTelegramAPI]:
    with FakeTelegramAPI() as server:
        yield server


def test_get_me_answers_a_bot_user_that_ptb_accepts(fake: FakeTelegramAPI) -> None:
    async def scenario(bot: Bot) -> Any:
        return await bot.get_me()

    me = run(scenario, fake)
    assert (me.id, me.is_bot, me.username) == (123456, True, "interview_test_bot")
    # PTB's initialize() calls getMe too.
    assert [(call.method, call.status) for call in fake.calls] == [("getMe", 200), ("getMe", 200)]


def test_a_wrong_token_is_401_and_an_unknown_method_404(fake: FakeTelegramAPI) -> None:
    async def wrong_token() -> None:
        async with Bot("999:WRONG", base_url=fake.base_url):
            pass

    with pytest.raises(InvalidToken):
        asyncio.run(wrong_token())
    assert fake.calls[-1].status == 401

    async def unknown(bot: Bot) -> Any:
        # A method the product does not use (do_api_request is how PTB tells 404 from a bad token).
        return await bot.do_api_request("sendPhoto", api_kwargs={"chat_id": USER_ID, "photo": "AgACAgIAAxkBAAI"})

    with pytest.raises(EndPointNotFound):
        run(unknown, fake)
    assert fake.calls_of("sendPhoto")[0].status == 404


def test_send_message_records_the_decoded_keyboard_and_stores_a_full_message(fake: FakeTelegramAPI) -> None:
    markup = keyboard(("Да", "confirm:1"), ("Нет", "decline:1"))

    async def scenario(bot: Bot) -> Any:
        return await bot.send_message(USER_ID, "Подтвердите встречу", reply_markup=markup)

    message = run(scenario, fake)
    assert message.text == "Подтвердите встречу"
    assert message.chat.id == USER_ID
    assert message.from_user is not None and message.from_user.is_bot
    assert message.reply_markup == markup
    call = fake.calls_of("sendmessage")[0]  # method names are case-insensitive, as in Telegram
    assert isinstance(call, Call)
    assert call.params["chat_id"] == USER_ID
    assert call.params["reply_markup"] == {
        "inline_keyboard": [
            [{"text": "Да", "callback_data": "confirm:1"}, {"text": "Нет", "callback_data": "decline:1"}]
        ]
    }
    stored = fake.last_message(USER_ID)
    assert stored is not None
    assert stored["message_id"] == message.message_id
    assert stored["reply_markup"] == call.params["reply_markup"]
    assert fake.sent_messages(USER_ID) == [stored]
    assert fake.sent_messages(USER_ID + 1) == []


def test_send_message_refuses_what_telegram_refuses(fake: FakeTelegramAPI) -> None:
    async def scenario(bot: Bot) -> None:
        with pytest.raises(BadRequest, match="(?i)message text is empty"):
            await bot.send_message(USER_ID, "   ")
        with pytest.raises(BadRequest, match="(?i)message is too long"):
            await bot.send_message(USER_ID, "x" * 4097)
        with pytest.raises(BadRequest, match="(?i)button_data_invalid"):
            await bot.send_message(USER_ID, "x", reply_markup=keyboard(("x", "y" * 65)))
        with pytest.raises(BadRequest, match="(?i)chat_id is empty"):
            await bot.do_api_request("sendMessage", api_kwargs={"text": "x"})
        message = await bot.send_message(USER_ID, "  Пробелы по краям убираются  ")
        assert message.text == "Пробелы по краям убираются"

    run(scenario, fake)
    assert [m["text"] for m in fake.chat(USER_ID)] == ["Пробелы по краям убираются"]


def test_parse_mode_is_refused_so_a_formatted_text_cannot_pass_unparsed(fake: FakeTelegramAPI) -> None:
    async def scenario(bot: Bot) -> None:
        with pytest.raises(BadRequest, match="does not implement parse_mode"):
            await bot.send_message(USER_ID, "<b>Собеседование</b>", parse_mode="HTML")

    run(scenario, fake)
    assert fake.chat(USER_ID) == []


def test_a_file_upload_is_refused(fake: FakeTelegramAPI) -> None:
    request = urllib.request.Request(
        f"{fake.base_url}{fake.token}/sendMessage",
        data=b'--b\r\nContent-Disposition: form-data; name="chat_id"\r\n\r\n1\r\n--b--\r\n',
        headers={"Content-Type": "multipart/form-data; boundary=b"},
    )
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.build_opener(urllib.request.ProxyHandler({})).open(request, timeout=5)
    assert info.value.code == 400
    assert b"does not accept file uploads" in info.value.read()


def test_an_edit_without_markup_removes_the_keyboard_and_an_identical_edit_is_not_modified(
    fake: FakeTelegramAPI,
) -> None:
    async def scenario(bot: Bot) -> Any:
        sent = await bot.send_message(USER_ID, "Выберите слот", reply_markup=keyboard(("10:00", "slot:1")))
        edited = await bot.edit_message_text("Слот выбран", chat_id=USER_ID, message_id=sent.message_id)
        with pytest.raises(BadRequest, match="(?i)message is not modified"):
            await bot.edit_message_text("Слот выбран", chat_id=USER_ID, message_id=sent.message_id)
        with pytest.raises(BadRequest, match="(?i)message to edit not found"):
            await bot.edit_message_text("x", chat_id=USER_ID, message_id=999)
        return sent, edited

    sent, edited = run(scenario, fake)
    assert edited.message_id == sent.message_id
    assert edited.reply_markup is None
    assert edited.edit_date is not None
    [current] = fake.chat(USER_ID)
    assert current["text"] == "Слот выбран"
    assert "reply_markup" not in current
    assert fake.sent_messages(USER_ID)[0]["text"] == "Слот выбран"


def test_a_persons_message_cannot_be_edited(fake: FakeTelegramAPI) -> None:
    update = fake.push_message(USER_ID, "привет")

    async def scenario(bot: Bot) -> None:
        with pytest.raises(BadRequest, match="(?i)message can't be edited"):
            await bot.edit_message_text("x", chat_id=USER_ID, message_id=update["message"]["message_id"])

    run(scenario, fake)


def test_edit_reply_markup_replaces_or_removes_the_keyboard(fake: FakeTelegramAPI) -> None:
    async def scenario(bot: Bot) -> None:
        first = await bot.send_message(USER_ID, "one", reply_markup=keyboard(("a", "a")))
        await bot.send_message(USER_ID, "two")
        await bot.edit_message_reply_markup(USER_ID, first.message_id, reply_markup=keyboard(("b", "b")))
        assert fake.chat(USER_ID)[0]["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "b"
        await bot.edit_message_reply_markup(USER_ID, first.message_id)

    run(scenario, fake)
    assert [(m["text"], "reply_markup" in m) for m in fake.chat(USER_ID)] == [("one", False), ("two", False)]
    assert "buttons" not in fake.transcript(USER_ID)


def test_a_webhook_must_be_https_and_is_recorded(fake: FakeTelegramAPI) -> None:
    async def scenario(bot: Bot) -> None:
        with pytest.raises(BadRequest, match="(?i)https url"):
            await bot.set_webhook("http://insecure.example.com/hook")
        assert await bot.set_webhook("https://example.com/hook", allowed_updates=["message"])
        assert await bot.delete_webhook()

    run(scenario, fake)
    assert fake.calls_of("setWebhook")[-1].params["url"] == "https://example.com/hook"
    assert fake.allowed_updates == ["message"]
