"""Tests for the fake Telegram Bot API, driven by a real python-telegram-bot ``Bot``."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
import warnings
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from ops.fake_telegram import Call, FakeTelegramAPI, FakeTelegramClient, UnknownMessageError

pytestmark: list[Any] = []

PROJECT_ROOT = Path(__file__).resolve().parents[2]
USER_ID = 777
T = TypeVar("T")


@pytest.fixture
def fake() -> Iterator[FakeTelegramAPI]:
    """A running fake server."""
    with FakeTelegramAPI() as server:
        yield server


def run(coro_factory: Callable[[Bot], Awaitable[T]], fake: FakeTelegramAPI, **bot_kwargs: Any) -> T:
    """Run ``coro_factory(bot)`` with an initialised PTB bot talking to ``fake``."""

    async def main() -> T:
        bot = Bot(fake.token, base_url=fake.base_url, base_file_url=fake.base_file_url, **bot_kwargs)
        async with bot:
            return await coro_factory(bot)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PTB's RetryAfter int/timedelta deprecation warning
        return asyncio.run(main())


def keyboard(*pairs: tuple[str, str]) -> InlineKeyboardMarkup:
    """One-row inline keyboard from (text, callback_data) pairs."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(text, callback_data=data) for text, data in pairs]])


def retry_seconds(exc: RetryAfter) -> float:
    """``RetryAfter.retry_after`` as seconds whatever PTB_TIMEDELTA says."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = exc.retry_after
    return value if isinstance(value, int | float) else value.total_seconds()


def test_get_me(fake: FakeTelegramAPI) -> None:
    """getMe answers a User PTB accepts; initialisation itself calls it."""

    async def scenario(bot: Bot) -> Any:
        return await bot.get_me()

    me = run(scenario, fake)
    assert me.id == 123456
    assert me.is_bot
    assert me.username == "interview_test_bot"
    assert [call.method for call in fake.calls] == ["getMe", "getMe"]
    assert all(call.status == 200 for call in fake.calls)


def test_wrong_token_and_unknown_method(fake: FakeTelegramAPI) -> None:
    """A wrong token gives 401 (InvalidToken); an unknown method 404 (EndPointNotFound)."""

    async def wrong_token() -> None:
        async with Bot("999:WRONG", base_url=fake.base_url):
            pass

    with pytest.raises(InvalidToken):
        asyncio.run(wrong_token())
    assert fake.calls[-1].status == 401

    async def unknown(bot: Bot) -> Any:
        return await bot.do_api_request("noSuchMethod")

    with pytest.raises(EndPointNotFound):
        run(unknown, fake)
    assert fake.calls_of("noSuchMethod")[0].status == 404


def test_send_message_records_decoded_keyboard(fake: FakeTelegramAPI) -> None:
    """sendMessage is recorded with the keyboard decoded and stored as a full Message."""
    markup = keyboard(("Да", "confirm:1"), ("Нет", "decline:1"))

    async def scenario(bot: Bot) -> Any:
        return await bot.send_message(USER_ID, "Подтвердите встречу", reply_markup=markup)

    message = run(scenario, fake)
    assert message.text == "Подтвердите встречу"
    assert message.chat.id == USER_ID
    assert message.from_user is not None and message.from_user.is_bot
    assert message.reply_markup == markup
    call = fake.calls_of("sendMessage")[0]
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


def test_edit_without_markup_removes_keyboard(fake: FakeTelegramAPI) -> None:
    """editMessageText without reply_markup drops the keyboard; an identical edit is 'not modified'."""

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


def test_edit_reply_markup_and_delete(fake: FakeTelegramAPI) -> None:
    """editMessageReplyMarkup replaces/removes keyboards; deleteMessage removes from chat()."""

    async def scenario(bot: Bot) -> None:
        first = await bot.send_message(USER_ID, "one", reply_markup=keyboard(("a", "a")))
        second = await bot.send_message(USER_ID, "two")
        await bot.edit_message_reply_markup(USER_ID, first.message_id, reply_markup=keyboard(("b", "b")))
        assert fake.chat(USER_ID)[0]["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "b"
        await bot.edit_message_reply_markup(USER_ID, first.message_id)
        assert "reply_markup" not in fake.chat(USER_ID)[0]
        assert await bot.delete_message(USER_ID, second.message_id)
        with pytest.raises(BadRequest, match="(?i)message to delete not found"):
            await bot.delete_message(USER_ID, second.message_id)

    run(scenario, fake)
    assert [m["text"] for m in fake.chat(USER_ID)] == ["one"]
    assert [m["text"] for m in fake.sent_messages(USER_ID)] == ["one", "two"]


@pytest.mark.parametrize(
    ("status", "description", "error"),
    [
        (403, "", Forbidden),
        (400, "", BadRequest),
        (500, "", NetworkError),
        (502, "", NetworkError),
        (401, "", InvalidToken),
        (409, "", Conflict),
    ],
)
def test_fail_next_maps_to_ptb_errors(
    fake: FakeTelegramAPI, status: int, description: str, error: type[Exception]
) -> None:
    """Scripted error statuses surface as the matching PTB exception and nothing is stored."""
    fake.fail_next("sendMessage", status=status, description=description)

    async def scenario(bot: Bot) -> None:
        with pytest.raises(error):
            await bot.send_message(USER_ID, "hello")
        await bot.send_message(USER_ID, "second try")

    run(scenario, fake)
    assert [m["text"] for m in fake.sent_messages()] == ["second try"]
    assert [c.status for c in fake.calls_of("sendMessage")] == [status, 200]


def test_fail_next_descriptions(fake: FakeTelegramAPI) -> None:
    """Default descriptions match Telegram's; exceptions carry them."""
    fake.fail_next("sendMessage", status=403)
    fake.fail_next("sendMessage", status=400)

    async def scenario(bot: Bot) -> None:
        with pytest.raises(Forbidden, match="bot was blocked by the user"):
            await bot.send_message(USER_ID, "x")
        with pytest.raises(BadRequest, match="(?i)chat not found"):
            await bot.send_message(USER_ID, "x")

    run(scenario, fake)


def test_fail_next_retry_after(fake: FakeTelegramAPI) -> None:
    """429 with retry_after raises RetryAfter carrying the value; times and chat_id are honoured."""
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


def test_fail_next_chat_migrated(fake: FakeTelegramAPI) -> None:
    """migrate_to_chat_id produces ChatMigrated."""
    fake.fail_next(
        "sendMessage", status=400, description="Bad Request: group chat was upgraded", migrate_to_chat_id=-1009
    )

    async def scenario(bot: Bot) -> None:
        with pytest.raises(ChatMigrated) as info:
            await bot.send_message(-5, "x")
        assert info.value.new_chat_id == -1009

    run(scenario, fake)


def test_get_updates_long_poll_and_offset(fake: FakeTelegramAPI) -> None:
    """A pending long poll returns a pushed message promptly; offset confirms it."""

    async def scenario(bot: Bot) -> tuple[float, Any, Any]:
        started = time.monotonic()
        poll = asyncio.create_task(bot.get_updates(timeout=10, allowed_updates=["message", "callback_query"]))
        await asyncio.sleep(0.3)
        fake.push_message(USER_ID, "/start ref_42", username="candidate")
        updates = await poll
        elapsed = time.monotonic() - started
        again = await bot.get_updates(offset=updates[-1].update_id + 1, timeout=0)
        return elapsed, updates, again

    elapsed, updates, again = run(scenario, fake)
    assert elapsed < 3
    [update] = updates
    assert update.message.text == "/start ref_42"
    assert update.message.chat.id == USER_ID
    assert update.message.chat.type == "private"
    assert update.message.from_user.first_name == "Тест"
    assert update.message.from_user.username == "candidate"
    [entity] = update.message.entities
    assert (entity.type, entity.offset, entity.length) == ("bot_command", 0, 6)
    assert again == ()
    assert fake.allowed_updates == ["message", "callback_query"]


def test_get_updates_limit_and_negative_offset(fake: FakeTelegramAPI) -> None:
    """limit caps the batch; without confirmation updates are redelivered."""
    for text in ("a", "b", "c"):
        fake.push_message(USER_ID, text)

    async def scenario(bot: Bot) -> tuple[Any, Any, Any]:
        first = await bot.get_updates(limit=2)
        again = await bot.get_updates()
        last = await bot.get_updates(offset=-1)
        return first, again, last

    first, again, last = run(scenario, fake)
    assert [u.message.text for u in first] == ["a", "b"]
    assert [u.message.text for u in again] == ["a", "b", "c"]
    assert [u.message.text for u in last] == ["c"]


def test_get_updates_conflicts(fake: FakeTelegramAPI) -> None:
    """getUpdates while a webhook is set is a Conflict; a newer poll terminates an older one."""

    async def scenario(bot: Bot) -> None:
        assert await bot.set_webhook("https://example.com/telegram/webhook")
        info = await bot.get_webhook_info()
        assert info.url == "https://example.com/telegram/webhook"
        with pytest.raises(Conflict):
            await bot.get_updates()
        assert await bot.delete_webhook()
        assert (await bot.get_webhook_info()).url == ""
        older = asyncio.create_task(bot.get_updates(timeout=5))
        await asyncio.sleep(0.3)
        async with Bot(fake.token, base_url=fake.base_url) as second_instance:
            assert await second_instance.get_updates(timeout=0) == ()
        with pytest.raises(Conflict, match="terminated by other getUpdates"):
            await older

    run(scenario, fake)


def test_push_callback_carries_the_bot_message(fake: FakeTelegramAPI) -> None:
    """push_callback wraps the chat's current bot message; ids are unique; answers are recorded."""

    async def scenario(bot: Bot) -> tuple[Any, Any]:
        first = await bot.send_message(USER_ID, "first", reply_markup=keyboard(("A", "a")))
        await bot.send_message(USER_ID, "second", reply_markup=keyboard(("B", "b")))
        fake.push_callback(USER_ID, "b")
        fake.push_callback(USER_ID, "a", message_id=first.message_id)
        updates = await bot.get_updates()
        for update in updates:
            assert await update.callback_query.answer(text="Принято")
        with pytest.raises(BadRequest, match="(?i)query is too old"):
            await updates[0].callback_query.answer()
        return first, updates

    first, updates = run(scenario, fake)
    latest, older = (u.callback_query for u in updates)
    assert latest.data == "b"
    assert latest.message.text == "second"
    assert latest.from_user.id == USER_ID
    assert older.data == "a"
    assert older.message.message_id == first.message_id
    assert older.message.reply_markup == keyboard(("A", "a"))
    assert latest.id != older.id
    assert [a["callback_query_id"] for a in fake.answered_callbacks()] == [latest.id, older.id]
    assert fake.answered_callbacks()[0]["text"] == "Принято"
    with pytest.raises(UnknownMessageError):
        fake.push_callback(USER_ID + 5, "x")


def test_make_updates_feed_application_process_update(fake: FakeTelegramAPI) -> None:
    """make_*_update payloads drive Application.process_update; update ids increase monotonically."""
    seen: list[str] = []

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.effective_message.reply_text("Привет!", reply_markup=keyboard(("Ок", "ok")))

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.callback_query.answer()
        seen.append(update.callback_query.data)
        await update.callback_query.edit_message_text("Готово")

    async def scenario() -> None:
        app = Application.builder().token(fake.token).base_url(fake.base_url).build()
        app.add_handler(CommandHandler("start", start))
        app.add_handler(CallbackQueryHandler(pressed))
        async with app:
            message_update = fake.make_message_update(USER_ID, "/start")
            await app.process_update(Update.de_json(message_update, app.bot))
            callback_update = fake.make_callback_update(USER_ID, "ok")
            assert callback_update["update_id"] > message_update["update_id"]
            await app.process_update(Update.de_json(callback_update, app.bot))

    asyncio.run(scenario())
    assert seen == ["ok"]
    [message] = fake.chat(USER_ID)
    assert message["text"] == "Готово"
    assert "reply_markup" not in message
    assert fake.calls_of("getUpdates") == []


def test_application_polling_end_to_end(fake: FakeTelegramAPI) -> None:
    """A real PTB Application polling the fake answers a pushed /start."""

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.effective_message.reply_text(f"Здравствуйте, {update.effective_user.first_name}!")

    async def scenario() -> dict[str, Any]:
        app = Application.builder().token(fake.token).base_url(fake.base_url).build()
        app.add_handler(CommandHandler("start", start))
        async with app:
            await app.updater.start_polling(poll_interval=0.0, timeout=1)
            await app.start()
            fake.push_message(USER_ID, "/start", first_name="Анна")
            message = await asyncio.to_thread(fake.wait_for_message, USER_ID, "Анна", 5.0)
            await app.updater.stop()
            await app.stop()
        return message

    message = asyncio.run(scenario())
    assert message["text"] == "Здравствуйте, Анна!"
    assert fake.calls_of("deleteWebhook")
    assert len(fake.calls_of("getUpdates")) >= 2


async def _send_all(bot: Bot, chat_ids: list[int]) -> list[str]:
    """Send to all chats concurrently; return "ok" or the RetryAfter seconds per send."""
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


def test_default_per_chat_rate_limit(fake: FakeTelegramAPI) -> None:
    """With the default 1 message/second per chat, a burst to one chat gets one 429."""
    fake.enforce_rate_limits = True

    async def scenario(bot: Bot) -> list[str]:
        return await _send_all(bot, [USER_ID, USER_ID])

    assert sorted(run(scenario, fake)) == ["429/1", "ok"]
    assert fake.rate_limited_count == 1
    assert len(fake.sent_messages(USER_ID)) == 1
    assert [c.status for c in fake.calls_of("sendMessage")].count(429) == 1


def test_global_rate_limit(fake: FakeTelegramAPI) -> None:
    """Beyond global_rate sends per second across chats Telegram answers 429 retry_after=1."""
    fake.enforce_rate_limits = True
    fake.global_rate = 3
    fake.per_chat_rate = 0

    async def scenario(bot: Bot) -> list[str]:
        return await _send_all(bot, [1, 2, 3, 4, 5, 6])

    assert sorted(run(scenario, fake)) == ["429/1", "429/1", "429/1", "ok", "ok", "ok"]
    assert fake.rate_limited_count == 3
    assert len(fake.sent_messages()) == 3
    assert fake.stats()["rate_limited_count"] == 3


def test_per_chat_rate_window_rolls(fake: FakeTelegramAPI) -> None:
    """A chat over its rate gets 429 while other chats do not; after the window it may send again."""
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


def test_delay_next_times_out_but_message_is_sent(fake: FakeTelegramAPI) -> None:
    """delay_next(accept=True): PTB times out although Telegram stored the message."""
    fake.delay_next("sendMessage", 1.5)

    async def scenario(bot: Bot) -> None:
        with pytest.raises(TimedOut):
            await bot.send_message(USER_ID, "доставлено, но ответ потерян", read_timeout=0.3)

    run(scenario, fake)
    assert [m["text"] for m in fake.sent_messages(USER_ID)] == ["доставлено, но ответ потерян"]
    assert fake.calls_of("sendMessage")[0].status == 200


def test_delay_next_without_accept_stores_nothing(fake: FakeTelegramAPI) -> None:
    """delay_next(accept=False): the client times out and nothing was sent."""
    fake.delay_next("sendMessage", 1.5, accept=False)

    async def scenario(bot: Bot) -> None:
        with pytest.raises(TimedOut):
            await bot.send_message(USER_ID, "lost", read_timeout=0.3)

    run(scenario, fake)
    assert fake.sent_messages() == []
    assert len(fake.calls_of("sendMessage")) == 1


def test_control_endpoints_via_client(fake: FakeTelegramAPI) -> None:
    """FakeTelegramClient drives the fake over HTTP like another process would."""
    client = FakeTelegramClient(fake.http_url)
    update = client.push_message(USER_ID, "/help", first_name="Борис")
    assert update["message"]["text"] == "/help"

    async def scenario(bot: Bot) -> None:
        [got] = await bot.get_updates()
        assert got.update_id == update["update_id"]
        await bot.send_message(USER_ID, "Справка", reply_markup=keyboard(("Далее", "next")))
        client.fail_next("sendMessage", status=403)
        with pytest.raises(Forbidden):
            await bot.send_message(USER_ID, "blocked")

    run(scenario, fake)
    [message] = client.chat(USER_ID)
    assert message["text"] == "Справка"
    assert client.wait_for_message(USER_ID, "Справка")["message_id"] == message["message_id"]
    callback = client.push_callback(USER_ID, "next")
    assert callback["callback_query"]["message"]["message_id"] == message["message_id"]
    with pytest.raises(UnknownMessageError):
        client.push_callback(USER_ID, "next", message_id=999)
    calls = client.calls("sendMessage")
    assert [c["status"] for c in calls] == [200, 403]
    assert calls[0]["params"]["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "next"
    assert client.stats() == {"rate_limited_count": 0, "sent_count": 1, "calls_count": len(fake.calls)}
    client.reset()
    assert client.chat(USER_ID) == []
    assert client.stats()["calls_count"] == 0
    assert FakeTelegramClient(fake.base_url).stats()["sent_count"] == 0


def test_wait_for_message(fake: FakeTelegramAPI) -> None:
    """wait_for_message sees messages sent from another thread and explains failures."""

    async def scenario(bot: Bot) -> None:
        await bot.send_message(USER_ID, "первое")
        await asyncio.sleep(0.2)
        await bot.send_message(USER_ID, "второе")

    thread = threading.Thread(target=run, args=(scenario, fake))
    thread.start()
    try:
        assert fake.wait_for_message(USER_ID, "второе", timeout=5)["text"] == "второе"
    finally:
        thread.join()
    assert fake.wait_for_message(USER_ID, after=1)["text"] == "второе"
    fake.push_message(USER_ID, "привет")
    with pytest.raises(AssertionError) as info:
        fake.wait_for_message(USER_ID, "третье", timeout=0.2)
    assert "первое" in str(info.value)
    assert "[user" in str(info.value)
    assert fake.wait_for(lambda: len(fake.chat(USER_ID)) == 2, timeout=0.1)
    assert not fake.wait_for(lambda: False, timeout=0.1)


def test_parse_modes_like_telegram(fake: FakeTelegramAPI) -> None:
    """HTML/MarkdownV2 are turned into plain text plus entities; bad markup is a BadRequest."""

    async def scenario(bot: Bot) -> None:
        html = await bot.send_message(
            USER_ID, "<b>Собеседование</b> в 10:00 &amp; <a href='https://x.io'>ссылка</a>", parse_mode="HTML"
        )
        assert html.text == "Собеседование в 10:00 & ссылка"
        assert [(e.type, e.offset, e.length) for e in html.entities] == [("bold", 0, 13), ("text_link", 24, 6)]
        with pytest.raises(BadRequest, match="(?i)unsupported start tag"):
            await bot.send_message(USER_ID, "line<br>break", parse_mode="HTML")
        with pytest.raises(BadRequest, match="(?i)can't parse entities"):
            await bot.send_message(USER_ID, "<b>open", parse_mode="HTML")
        md = await bot.send_message(USER_ID, "*Итог*: 10\\.00", parse_mode="MarkdownV2")
        assert md.text == "Итог: 10.00"
        with pytest.raises(BadRequest, match="(?i)reserved"):
            await bot.send_message(USER_ID, "10.00", parse_mode="MarkdownV2")
        with pytest.raises(BadRequest, match="(?i)message text is empty"):
            await bot.send_message(USER_ID, "   ")
        with pytest.raises(BadRequest, match="(?i)message is too long"):
            await bot.send_message(USER_ID, "x" * 4097)
        with pytest.raises(BadRequest, match="(?i)button_data_invalid"):
            await bot.send_message(USER_ID, "x", reply_markup=keyboard(("x", "y" * 65)))

    run(scenario, fake)
    assert len(fake.chat(USER_ID)) == 2


def test_commands_webhook_and_misc(fake: FakeTelegramAPI) -> None:
    """setMyCommands/getMyCommands round-trip; close/logOut/sendChatAction/getChat answer."""
    from telegram import BotCommand

    async def scenario(bot: Bot) -> None:
        assert await bot.set_my_commands([BotCommand("start", "Начать"), BotCommand("help", "Помощь")])
        assert [c.command for c in await bot.get_my_commands()] == ["start", "help"]
        assert await bot.delete_my_commands()
        assert await bot.get_my_commands() == ()
        assert await bot.send_chat_action(USER_ID, "typing")
        chat = await bot.get_chat(USER_ID)
        assert chat.id == USER_ID
        with pytest.raises(BadRequest, match="(?i)https url"):
            await bot.set_webhook("http://insecure.example.com/hook")
        assert await bot.close()
        assert await bot.log_out()

    run(scenario, fake)


def test_multipart_upload_and_file_download(fake: FakeTelegramAPI) -> None:
    """sendDocument arrives as multipart; getFile plus the file URL return the bytes."""
    content = b"BEGIN:VCALENDAR\r\n\x00\xff END:VCALENDAR"

    async def scenario(bot: Bot) -> bytes:
        message = await bot.send_document(
            USER_ID, content, filename="invite.ics", caption="<i>Приглашение</i>", parse_mode="HTML"
        )
        assert message.caption == "Приглашение"
        file = await bot.get_file(message.document.file_id)
        return bytes(await file.download_as_bytearray())

    assert run(scenario, fake) == content
    params = fake.calls_of("sendDocument")[0].params
    assert params["document"] == {"filename": "invite.ics", "content_type": "text/calendar", "size": len(content)}
    assert params["chat_id"] == USER_ID


def test_stop_interrupts_long_poll() -> None:
    """stop() returns promptly and answers a pending long poll with an empty result."""
    fake = FakeTelegramAPI().start()
    url = f"{fake.base_url}{fake.token}/getUpdates?timeout=30"
    results: list[Any] = []

    def poll() -> None:
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        try:
            with opener.open(url, timeout=10) as response:
                results.append(json.loads(response.read()))
        except Exception as exc:  # recorded so the assertion below shows it
            results.append(exc)

    thread = threading.Thread(target=poll)
    thread.start()
    assert fake.wait_for(lambda: bool(fake.calls_of("getUpdates")), timeout=5)
    started = time.monotonic()
    fake.stop()
    thread.join(timeout=5)
    assert time.monotonic() - started < 3
    assert not thread.is_alive()
    assert results == [{"ok": True, "result": []}]


def test_reset_forgets_state_but_ids_keep_growing(fake: FakeTelegramAPI) -> None:
    """reset() clears calls, messages, updates and scripts; update ids stay monotonic."""
    first = fake.push_message(USER_ID, "hi")
    fake.fail_next("sendMessage", status=500)
    fake.reset()
    assert fake.calls == [] and fake.chat(USER_ID) == [] and fake.stats()["sent_count"] == 0

    async def scenario(bot: Bot) -> Any:
        await bot.send_message(USER_ID, "fresh")
        return await bot.get_updates()

    assert run(scenario, fake) == ()
    assert fake.push_message(USER_ID, "again")["update_id"] > first["update_id"]


def test_cli_runs_until_sigterm(tmp_path: Path) -> None:
    """``python -m ops.fake_telegram`` prints the base_url and exits cleanly on SIGTERM."""
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
        client.push_message(5, "hello")
        assert client.stats() == {"rate_limited_count": 0, "sent_count": 0, "calls_count": 0}
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
        assert process.stdout.read() == ""
    finally:
        if process.poll() is None:
            process.kill()
