"""Play a candidate against a fake Bot API running in another process (FakeTelegramClient over HTTP)."""

from __future__ import annotations

import time
from typing import Any

from ops.fake_telegram import FakeTelegramClient

# Answers that pass Тест 1 as someone who works now (no follow-ups about studies); the demo data has Москва.
WORKER_PATH: list[tuple[str, str]] = [
    ("text", "Иванов Иван Иванович"),
    ("button", "Москва"),
    ("text", "25"),
    ("button", "Работаю"),
    ("button", "Сразу"),
    ("button", "60 000–90 000 ₽"),
    ("button", "Да, подходит"),
    ("text", "Продавал телефоны два года"),
    ("text", "Хочу расти в продажах"),
    ("text", "Общительность, упорство"),
    ("text", "Дружная команда и честный доход"),
]


def _texts(messages: list[dict[str, Any]]) -> list[str]:
    return [m.get("text", "") for m in messages]


class RemoteCandidate:
    """One Telegram user typing and tapping in a chat held by a fake Bot API in another process."""

    def __init__(self, client: FakeTelegramClient, user_id: int, timeout: float = 30.0) -> None:
        self.client = client
        self.user_id = user_id
        self.timeout = timeout

    def wait_for(self, contains: str, after: int = 0) -> dict[str, Any]:
        """The first bot message at index >= after containing the text (polls with a deadline)."""
        return self.client.wait_for_message(self.user_id, contains, timeout=self.timeout, after=after)

    def say(self, text: str, expect: str) -> dict[str, Any]:
        """Type a message and wait for a new bot message containing `expect`."""
        before = len(self.client.chat(self.user_id))
        self.client.push_message(self.user_id, text, first_name="Иван")
        return self.wait_for(expect, after=before)

    def tap(self, label: str, expect: str) -> dict[str, Any]:
        """Tap the newest button whose text contains `label`; wait until some bot message contains `expect`."""
        deadline = time.monotonic() + self.timeout
        while True:
            chat = self.client.chat(self.user_id)
            for message in reversed(chat):
                for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
                    for button in row:
                        if label in button["text"] and "callback_data" in button:
                            before_texts = _texts(chat)
                            self.client.push_callback(
                                self.user_id, button["callback_data"], message_id=message["message_id"]
                            )
                            return self._wait_changed(expect, before_texts)
            if time.monotonic() > deadline:
                raise AssertionError(f"no button {label!r} in chat {self.user_id}: {_texts(chat)}")
            time.sleep(0.1)

    def _wait_changed(self, expect: str, before_texts: list[str]) -> dict[str, Any]:
        """Wait for a new or edited bot message containing `expect` (a tap often edits in place)."""
        deadline = time.monotonic() + self.timeout
        while True:
            chat = self.client.chat(self.user_id)
            for index, message in enumerate(chat):
                text = message.get("text", "")
                fresh = index >= len(before_texts) or before_texts[index] != text
                if fresh and expect in text:
                    return message
            if time.monotonic() > deadline:
                raise AssertionError(f"no bot message with {expect!r} in chat {self.user_id}: {_texts(chat)}")
            time.sleep(0.1)

    def play_to_slot_list(self, recruiter: str = "Анна Смирнова") -> dict[str, Any]:
        """/start → consent → Тест 1 → recruiter: returns the slot list message."""
        self.say("/start", "Вы согласны?")
        self.tap("Согласен", "Вопрос 1 из")
        for kind, value in WORKER_PATH[:-1]:
            if kind == "text":
                self.say(value, "Вопрос")
            else:
                self.tap(value, "Вопрос")
        self.say(WORKER_PATH[-1][1], "Выберите рекрутёра")
        return self.tap(recruiter, "Свободное время")
