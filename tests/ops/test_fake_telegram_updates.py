"""The person's side of the fake Bot API: queued updates, long polling, button taps and their answers."""

from __future__ import annotations

import asyncio
import json
import threading
import time
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from telegram import Bot, Update
from telegram.error import BadRequest, Conflict
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from ops.fake_telegram import FakeTelegramAPI, UnknownMessageError
from tests.ops.ptb_driver import USER_ID, keyboard, run


@pytest.fixture
def fake() -> Iterator[FakeTelegramAPI]:
    with FakeTelegramAPI() as server:
        yield server


def test_a_pending_long_poll_returns_a_pushed_message_promptly_and_offset_confirms_it(fake: FakeTelegramAPI) -> None:
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
    assert (update.message.chat.id, update.message.chat.type) == (USER_ID, "private")
    assert update.message.from_user.first_name == "Тест"
    assert update.message.from_user.username == "candidate"
    [entity] = update.message.entities
    assert (entity.type, entity.offset, entity.length) == ("bot_command", 0, 6)
    assert again == ()
    assert fake.allowed_updates == ["message", "callback_query"]


def test_limit_caps_the_batch_and_unconfirmed_updates_come_again(fake: FakeTelegramAPI) -> None:
    for text in ("a", "b", "c"):
        fake.push_message(USER_ID, text)

    async def scenario(bot: Bot) -> tuple[Any, Any, Any]:
        return await bot.get_updates(limit=2), await bot.get_updates(), await bot.get_updates(offset=-1)

    first, again, last = run(scenario, fake)
    assert [u.message.text for u in first] == ["a", "b"]
    assert [u.message.text for u in again] == ["a", "b", "c"]
    assert [u.message.text for u in last] == ["c"]


def test_get_updates_conflicts_with_a_webhook_and_a_newer_poll_ends_an_older_one(fake: FakeTelegramAPI) -> None:
    async def scenario(bot: Bot) -> None:
        assert await bot.set_webhook("https://example.com/telegram/webhook")
        with pytest.raises(Conflict, match="webhook is active"):
            await bot.get_updates()
        assert await bot.delete_webhook()
        older = asyncio.create_task(bot.get_updates(timeout=5))
        await asyncio.sleep(0.3)
        async with Bot(fake.token, base_url=fake.base_url) as second_instance:
            assert await second_instance.get_updates(timeout=0) == ()
        with pytest.raises(Conflict, match="terminated by other getUpdates"):
            await older

    run(scenario, fake)


def test_a_tap_carries_the_bot_message_and_its_query_can_be_answered_once(fake: FakeTelegramAPI) -> None:
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
    assert (latest.data, latest.message.text, latest.from_user.id) == ("b", "second", USER_ID)
    assert older.data == "a"
    assert older.message.message_id == first.message_id
    assert older.message.reply_markup == keyboard(("A", "a"))
    assert latest.id != older.id
    assert [a["callback_query_id"] for a in fake.answered_callbacks()] == [latest.id, older.id]
    assert fake.answered_callbacks()[0]["text"] == "Принято"


def test_a_tap_on_a_message_the_chat_does_not_have_is_refused(fake: FakeTelegramAPI) -> None:
    with pytest.raises(UnknownMessageError):
        fake.push_callback(USER_ID, "x")
    fake.push_message(USER_ID, "привет")
    with pytest.raises(UnknownMessageError):
        fake.push_callback(USER_ID, "x", message_id=1)  # the person's own message has no buttons


def test_made_updates_feed_application_process_update_with_increasing_ids(fake: FakeTelegramAPI) -> None:
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


def test_a_polling_application_answers_a_pushed_start(fake: FakeTelegramAPI) -> None:
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

    assert asyncio.run(scenario())["text"] == "Здравствуйте, Анна!"
    assert fake.calls_of("deleteWebhook")
    assert len(fake.calls_of("getUpdates")) >= 2


def test_wait_for_message_sees_messages_sent_from_another_thread_and_explains_a_miss(fake: FakeTelegramAPI) -> None:
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
    assert "первое" in str(info.value) and "[user #3] 'привет'" in str(info.value)
    assert fake.wait_for(lambda: len(fake.chat(USER_ID)) == 2, timeout=0.1)
    assert not fake.wait_for(lambda: False, timeout=0.1)


def test_stop_answers_a_pending_long_poll_at_once_with_no_updates() -> None:
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


def test_reset_forgets_calls_messages_and_updates_but_ids_keep_growing(fake: FakeTelegramAPI) -> None:
    first = fake.push_message(USER_ID, "hi")
    fake.fail_next("sendMessage", status=500)
    fake.reset()
    assert fake.calls == [] and fake.chat(USER_ID) == [] and fake.stats()["sent_count"] == 0

    async def scenario(bot: Bot) -> Any:
        await bot.send_message(USER_ID, "fresh")  # the scripted failure is gone too
        return await bot.get_updates()

    assert run(scenario, fake) == ()
    assert fake.push_message(USER_ID, "again")["update_id"] > first["update_id"]
