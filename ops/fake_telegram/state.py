"""What Telegram keeps for one bot: users, the messages of each chat, pending updates, webhook, answered queries.

Not thread-safe on its own: the fake holds its lock around every use. What leaves that lock is a copy; a Bot API
method's result is not, as the fake writes it out as JSON before it lets the lock go.
"""

from __future__ import annotations

import re
import time
from typing import Any

from ops.fake_telegram.wire import APIError, JSONDict, copy_json

DEFAULT_FIRST_NAME = "Тест"
BOT_USERNAME = "interview_test_bot"
_COMMAND_RE = re.compile(r"^/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?")


class UnknownMessageError(LookupError):
    """Raised when a callback refers to a bot message the fake does not know."""


def message_text(message: JSONDict) -> str:
    """The text of a stored message ('' when it has none)."""
    return str(message.get("text", ""))


def _utf16_len(text: str) -> int:
    """Length in UTF-16 code units, Telegram's unit for entity offsets."""
    return len(text.encode("utf-16-le")) // 2


class TelegramState:
    """The bot's world as Telegram holds it; ``clear()`` forgets it but ids keep increasing."""

    def __init__(self, *, bot_id: int) -> None:
        self.bot_id = bot_id
        # Counters survive clear() so ids never repeat while a client keeps polling.
        self._next_update_id = 1
        self._next_message_ids: dict[int, int] = {}
        self._callback_seq = 0
        # Each getUpdates takes the next number; a poll that sees a newer one was superseded.
        self.poll_generation = 0
        self.clear()

    def clear(self) -> None:
        self.updates: list[JSONDict] = []
        self.allowed_updates: list[str] | None = None
        self.webhook_url = ""
        self.answered: list[JSONDict] = []
        self._bot_messages: dict[tuple[int, int], JSONDict] = {}
        self._user_messages: dict[tuple[int, int], JSONDict] = {}
        self._chat_bot_ids: dict[int, list[int]] = {}
        self._history: dict[int, list[tuple[str, int]]] = {}
        self._sent_keys: list[tuple[int, int]] = []
        self._users: dict[int, JSONDict] = {}
        self._issued_callbacks: set[str] = set()
        self._answered_ids: set[str] = set()

    # ----------------------------------------------------------------- objects Telegram builds

    def bot_user(self) -> JSONDict:
        """The bot as a User object."""
        return {"id": self.bot_id, "is_bot": True, "first_name": "Interview Test Bot", "username": BOT_USERNAME}

    def chat_object(self, chat_id: int) -> JSONDict:
        """A Chat object: private for positive ids (the person's name), a group otherwise."""
        if chat_id > 0:
            user = self._users.get(chat_id)
            chat: JSONDict = {"id": chat_id, "type": "private"}
            chat["first_name"] = user["first_name"] if user else DEFAULT_FIRST_NAME
            if user and user.get("username"):
                chat["username"] = user["username"]
            return chat
        kind = "supergroup" if str(chat_id).startswith("-100") else "group"
        return {"id": chat_id, "type": kind, "title": f"Chat {chat_id}"}

    def _new_update_id(self) -> int:
        update_id = self._next_update_id
        self._next_update_id += 1
        return update_id

    def _new_message_id(self, chat_id: int) -> int:
        # One sequence per chat, shared by the person's and the bot's messages, as in Telegram.
        message_id = self._next_message_ids.get(chat_id, 0) + 1
        self._next_message_ids[chat_id] = message_id
        return message_id

    # ----------------------------------------------------------------- the person's side

    def message_update(
        self, user_id: int, text: str, *, first_name: str, username: str | None, language_code: str | None
    ) -> JSONDict:
        """A private-chat message Update from the person (recorded in the chat, not queued)."""
        user: JSONDict = {"id": user_id, "is_bot": False, "first_name": first_name}
        if username:
            user["username"] = username
        if language_code:
            user["language_code"] = language_code
        self._users[user_id] = user
        message: JSONDict = {
            "message_id": self._new_message_id(user_id),
            "from": dict(user),
            "chat": self.chat_object(user_id),
            "date": int(time.time()),
            "text": text,
        }
        command = _COMMAND_RE.match(text)
        if command:
            message["entities"] = [{"offset": 0, "length": _utf16_len(command.group(0)), "type": "bot_command"}]
        self._user_messages[(user_id, message["message_id"])] = message
        self._history.setdefault(user_id, []).append(("user", message["message_id"]))
        return copy_json({"update_id": self._new_update_id(), "message": message})

    def callback_update(self, user_id: int, data: str, *, message_id: int | None) -> JSONDict:
        """A callback_query Update: the person taps a button of a bot message (default: the chat's last)."""
        present = self._chat_bot_ids.get(user_id, [])
        if message_id is None:
            if not present:
                raise UnknownMessageError(f"chat {user_id} has no bot message to press a button on")
            message_id = present[-1]
        elif message_id not in present:
            raise UnknownMessageError(f"chat {user_id} has no bot message #{message_id}")
        self._callback_seq += 1
        callback_id = str(self.bot_id * 10**9 + self._callback_seq)
        self._issued_callbacks.add(callback_id)
        user = self._users.get(user_id) or {"id": user_id, "is_bot": False, "first_name": DEFAULT_FIRST_NAME}
        query = {
            "id": callback_id,
            "from": dict(user),
            "message": self._bot_messages[(user_id, message_id)],
            "chat_instance": str(abs(user_id * 7919 + self.bot_id) % 10**18),
            "data": data,
        }
        return copy_json({"update_id": self._new_update_id(), "callback_query": query})

    # ----------------------------------------------------------------- the bot's side

    def store_bot_message(self, chat_id: int, text: str, markup: JSONDict | None, params: JSONDict) -> JSONDict:
        """A message the bot sent: give it the chat's next id, keep it and return it (the method's result)."""
        message: JSONDict = {
            "message_id": self._new_message_id(chat_id),
            "from": self.bot_user(),
            "chat": self.chat_object(chat_id),
            "date": int(time.time()),
            "text": text,
        }
        if isinstance(params.get("entities"), list):
            message["entities"] = params["entities"]
        if markup:
            message["reply_markup"] = markup
        key = (chat_id, message["message_id"])
        self._bot_messages[key] = message
        self._chat_bot_ids.setdefault(chat_id, []).append(message["message_id"])
        self._history.setdefault(chat_id, []).append(("bot", message["message_id"]))
        self._sent_keys.append(key)
        return message

    def message_for_edit(self, chat_id: int, message_id: int) -> JSONDict:
        """The stored bot message an edit targets (changed in place), or Telegram's 400."""
        if not message_id:
            raise APIError(400, "Bad Request: message identifier is not specified")
        key = (chat_id, message_id)
        if key not in self._bot_messages:
            if key in self._user_messages:
                raise APIError(400, "Bad Request: message can't be edited")
            raise APIError(400, "Bad Request: message to edit not found")
        return self._bot_messages[key]

    def answer_callback(self, params: JSONDict) -> None:
        """Record an answerCallbackQuery; a query the fake issued can be answered once, as in Telegram."""
        query_id = str(params.get("callback_query_id") or "")
        if not query_id or query_id in self._answered_ids:
            raise APIError(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
        if query_id in self._issued_callbacks:
            self._answered_ids.add(query_id)
        self.answered.append(copy_json(params))

    # ----------------------------------------------------------------- reading

    def chat(self, chat_id: int) -> list[JSONDict]:
        """The bot's messages in a chat, in order, in their current state."""
        return [copy_json(self._bot_messages[(chat_id, m)]) for m in self._chat_bot_ids.get(chat_id, [])]

    def sent(self, chat_id: int | None) -> list[JSONDict]:
        """Every message the bot sent (current state), of one chat or all, in sending order."""
        keys = [key for key in self._sent_keys if chat_id is None or key[0] == chat_id]
        return [copy_json(self._bot_messages[key]) for key in keys]

    @property
    def sent_count(self) -> int:
        return len(self._sent_keys)

    def transcript_lines(self, chat_id: int) -> list[str]:
        """Both sides of a chat, one line a message, with the buttons."""
        lines = []
        for sender, message_id in self._history.get(chat_id, []):
            key = (chat_id, message_id)
            message: Any = self._bot_messages[key] if sender == "bot" else self._user_messages[key]
            line = f"  [{sender} #{message_id}] {message_text(message)!r}"
            rows = message.get("reply_markup", {}).get("inline_keyboard", [])
            buttons = [button.get("text") for row in rows for button in row]
            if buttons:
                line += f" buttons={buttons}"
            lines.append(line)
        return lines
