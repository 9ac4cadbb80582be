"""FakeTelegramClient: plays the person against a fake running in another process (the sandbox page, make-run tests)."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from typing import Any

from ops.fake_telegram.state import DEFAULT_FIRST_NAME, UnknownMessageError, message_text
from ops.fake_telegram.wire import JSONDict


class FakeTelegramClient:
    """Standard-library client of the ``/_fake/...`` endpoints (see ``ops.fake_telegram.control``)."""

    def __init__(self, base_http_url: str, timeout: float = 10.0) -> None:
        """Accept ``http://host:port`` (a trailing ``/bot`` or ``/_fake`` is ignored)."""
        url = base_http_url.rstrip("/")
        for suffix in ("/_fake", "/bot"):
            url = url.removesuffix(suffix)
        self.base_http_url = url
        self.timeout = timeout
        # The fake listens on localhost: an HTTP(S)_PROXY from the environment must not see these calls.
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def _request(self, verb: str, path: str, payload: JSONDict | None = None) -> Any:
        data = json.dumps(payload).encode("utf-8") if payload is not None else None
        request = urllib.request.Request(f"{self.base_http_url}/_fake/{path}", data=data, method=verb)
        request.add_header("Content-Type", "application/json")
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                return json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace")
            if exc.code == 404:
                raise UnknownMessageError(detail) from exc
            raise ValueError(f"{verb} /_fake/{path} -> {exc.code}: {detail}") from exc

    def push_message(
        self, user_id: int, text: str, *, first_name: str = DEFAULT_FIRST_NAME, username: str | None = None
    ) -> JSONDict:
        """The person types ``text``; returns the queued Update."""
        payload = {"user_id": user_id, "text": text, "first_name": first_name, "username": username}
        return self._request("POST", "messages", payload)

    def push_callback(self, user_id: int, data: str, *, message_id: int | None = None) -> JSONDict:
        """The person taps a button (UnknownMessageError when the message is gone); returns the queued Update."""
        return self._request("POST", "callbacks", {"user_id": user_id, "data": data, "message_id": message_id})

    def chat(self, chat_id: int) -> list[JSONDict]:
        """The bot's messages in a chat, current state."""
        return self._request("GET", f"chats/{chat_id}")

    def callback_answer(self, callback_query_id: str) -> JSONDict | None:
        """The bot's answerCallbackQuery parameters for one tap (``text`` is the pop-up line), or None yet."""
        return self._request("GET", f"answers/{callback_query_id}")

    def wait_for_message(self, chat_id: int, contains: str = "", timeout: float = 5.0, after: int = 0) -> JSONDict:
        """Poll until a bot message at index >= ``after`` contains ``contains``."""
        deadline = time.monotonic() + timeout
        while True:
            messages = self.chat(chat_id)
            for message in messages[after:]:
                if contains in message_text(message):
                    return message
            if time.monotonic() >= deadline:
                texts = [message_text(m) for m in messages]
                raise AssertionError(f"no bot message containing {contains!r} in chat {chat_id}; chat: {texts}")
            time.sleep(0.05)  # polling another process, with a deadline
