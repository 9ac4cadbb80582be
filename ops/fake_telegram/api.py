"""FakeTelegramAPI: the fake Bot API server a test, a benchmark or the sandbox starts, inspects and scripts."""

from __future__ import annotations

import dataclasses
import json
import threading
import time
import urllib.parse
from collections.abc import Callable
from typing import Any

from ops.fake_telegram import control
from ops.fake_telegram.http_server import HTTPServerThread
from ops.fake_telegram.methods import METHODS, get_updates
from ops.fake_telegram.scripting import (
    RATE_LIMITED_METHODS,
    FloodControl,
    ScriptedDelay,
    ScriptedFailure,
    take_scripted,
)
from ops.fake_telegram.state import DEFAULT_FIRST_NAME, TelegramState, message_text
from ops.fake_telegram.wire import (
    APIError,
    JSONDict,
    Response,
    bot_api_call,
    copy_json,
    decode_params,
    default_description,
    error_response,
    json_response,
    same_chat,
)

DEFAULT_TOKEN = "123456:TEST-TOKEN"
_CANONICAL = {name.lower(): name for name in (*METHODS, "getUpdates")}


def canonical_method(name: str) -> str:
    """Telegram treats method names case-insensitively; the fake records them as documented."""
    return _CANONICAL.get(name.lower(), name)


@dataclasses.dataclass(frozen=True)
class Call:
    """One Bot API request as the fake received it, and the HTTP status it answered."""

    method: str
    params: dict[str, Any]
    at: float
    status: int


class FakeTelegramAPI:
    """The Telegram Bot API for one bot, over real HTTP on ``http_url`` (``with`` it, or start()/stop())."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        host: str = "127.0.0.1",
        port: int = 0,
        enforce_rate_limits: bool = False,
        global_rate: int = 30,
        per_chat_rate: float = 1.0,
    ) -> None:
        """Configure; Telegram's flood limits apply only with ``enforce_rate_limits`` (0 turns a limit off)."""
        self.token = token
        self.host = host
        self.port = port
        self.enforce_rate_limits = enforce_rate_limits
        self.global_rate = global_rate
        self.per_chat_rate = per_chat_rate
        prefix = token.partition(":")[0]
        self._state = TelegramState(bot_id=int(prefix) if prefix.isdigit() else 123456)
        self._lock = threading.RLock()
        self._cond = threading.Condition(self._lock)
        self._stopping = threading.Event()
        self._server: HTTPServerThread | None = None
        self._init_records()

    def _init_records(self) -> None:
        self.calls: list[Call] = []
        self.rate_limited_count = 0
        self._failures: list[ScriptedFailure] = []
        self._delays: list[ScriptedDelay] = []
        self._flood = FloodControl()
        self._errors: list[tuple[Any, str, int, str]] = []

    # ----------------------------------------------------------------- lifecycle

    @property
    def http_url(self) -> str:
        """Root URL, e.g. ``http://127.0.0.1:PORT`` (for ``FakeTelegramClient`` and SANDBOX_FAKE_API_URL)."""
        host = "127.0.0.1" if self.host in ("", "0.0.0.0") else self.host
        if host == "::":
            host = "::1"
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}"

    @property
    def base_url(self) -> str:
        """Bot API base URL for PTB's ``base_url`` and TELEGRAM_API_BASE_URL (the token is appended)."""
        return f"{self.http_url}/bot"

    def start(self) -> FakeTelegramAPI:
        """Bind the port (0: any free one) and serve in a daemon thread; return self."""
        if self._server is None:
            self._stopping.clear()
            server = HTTPServerThread(self.host, self.port, self._answer_http, self._stopping)
            server.start()
            self.port = server.port
            self._server = server
        return self

    def stop(self) -> None:
        """Stop serving: end long polls and delayed answers at once, close the port and connections."""
        if self._server is None:
            return
        self._stopping.set()
        with self._cond:
            self._cond.notify_all()
        self._server.stop()
        self._server = None

    def __enter__(self) -> FakeTelegramAPI:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # ----------------------------------------------------------------- inspection

    @property
    def allowed_updates(self) -> list[str] | None:
        """The update types the bot last asked for (getUpdates or setWebhook)."""
        with self._lock:
            return self._state.allowed_updates

    def calls_of(self, method: str) -> list[Call]:
        """Calls of one Bot API method, in order."""
        name = canonical_method(method)
        with self._lock:
            return [call for call in self.calls if call.method == name]

    def sent_messages(self, chat_id: int | None = None) -> list[JSONDict]:
        """Messages the bot sent successfully, in sending order, in their current state (after edits)."""
        with self._lock:
            return self._state.sent(chat_id)

    def chat(self, chat_id: int) -> list[JSONDict]:
        """The bot's messages in a chat, in order, in their current state."""
        with self._lock:
            return self._state.chat(chat_id)

    def last_message(self, chat_id: int) -> JSONDict | None:
        """The bot's latest message in a chat, or None."""
        messages = self.chat(chat_id)
        return messages[-1] if messages else None

    def answered_callbacks(self) -> list[JSONDict]:
        """Parameters of successful answerCallbackQuery calls, in order."""
        with self._lock:
            return copy_json(self._state.answered)

    def callback_answer(self, callback_query_id: str) -> JSONDict | None:
        """The bot's answerCallbackQuery parameters for one tap (``text``: the pop-up line), or None if not yet."""
        with self._lock:
            answers = [a for a in self._state.answered if str(a.get("callback_query_id")) == callback_query_id]
            return copy_json(answers[0]) if answers else None

    def stats(self) -> JSONDict:
        """Counters for benchmarks: rate-limited answers, sent messages, calls."""
        with self._lock:
            return {
                "rate_limited_count": self.rate_limited_count,
                "sent_count": self._state.sent_count,
                "calls_count": len(self.calls),
            }

    def transcript(self, chat_id: int) -> str:
        """Both sides of a chat and the calls that failed for it, for assertion messages."""
        with self._lock:
            lines = self._state.transcript_lines(chat_id)
            for error_chat, method, status, description in self._errors:
                if error_chat is not None and same_chat(error_chat, chat_id):
                    lines.append(f"  [error] {method} -> {status} {description}")
            return "\n".join(lines) if lines else "  (empty)"

    # ----------------------------------------------------------------- scripting

    def fail_next(
        self,
        method: str,
        *,
        status: int,
        description: str = "",
        retry_after: int | None = None,
        times: int = 1,
        chat_id: int | None = None,
        migrate_to_chat_id: int | None = None,
    ) -> None:
        """Answer the next ``times`` calls of ``method`` (optionally for one chat) with an error."""
        if status == 429 and retry_after is None:
            retry_after = 1
        failure = ScriptedFailure(
            method=canonical_method(method),
            status=status,
            description=description or default_description(status, retry_after),
            retry_after=retry_after,
            times=times,
            chat_id=chat_id,
            migrate_to_chat_id=migrate_to_chat_id,
        )
        with self._lock:
            self._failures.append(failure)

    def delay_next(
        self, method: str, seconds: float, *, times: int = 1, accept: bool = True, chat_id: int | None = None
    ) -> None:
        """Hold back the answer of the next ``times`` calls; accept=False drops them (502 after the delay)."""
        with self._lock:
            self._delays.append(ScriptedDelay(canonical_method(method), seconds, times, accept, chat_id))

    def reset(self) -> None:
        """Forget calls, messages, queued updates, scripts and counters (ids keep increasing)."""
        with self._cond:
            self._state.clear()
            self._init_records()
            self._cond.notify_all()

    # ----------------------------------------------------------------- the person's side

    def make_message_update(
        self,
        user_id: int,
        text: str,
        *,
        first_name: str = DEFAULT_FIRST_NAME,
        username: str | None = None,
        language_code: str | None = None,
    ) -> JSONDict:
        """A private-chat message Update, recorded in the chat but not queued (for Application.process_update)."""
        with self._cond:
            update = self._state.message_update(
                user_id, text, first_name=first_name, username=username, language_code=language_code
            )
            self._cond.notify_all()
            return update

    def make_callback_update(self, user_id: int, data: str, *, message_id: int | None = None) -> JSONDict:
        """A callback_query Update on a bot message (default: the chat's last one), not queued."""
        with self._lock:
            return self._state.callback_update(user_id, data, message_id=message_id)

    def push_message(self, user_id: int, text: str, **sender: Any) -> JSONDict:
        """Queue a private-chat message Update for getUpdates and return it (sender: as make_message_update)."""
        with self._cond:  # re-entrant: the update's id and its place in the queue are taken together
            return self._queue(self.make_message_update(user_id, text, **sender))

    def push_callback(self, user_id: int, data: str, *, message_id: int | None = None) -> JSONDict:
        """Queue a callback_query Update (a tap on a bot message's button) and return it."""
        with self._cond:
            return self._queue(self.make_callback_update(user_id, data, message_id=message_id))

    def _queue(self, update: JSONDict) -> JSONDict:
        with self._cond:
            self._state.updates.append(copy_json(update))
            self._cond.notify_all()
            return update

    # ----------------------------------------------------------------- waiting

    def wait_for(self, predicate: Callable[[], bool], timeout: float = 5.0) -> bool:
        """Wait until ``predicate()`` is true (re-checked on every fake event); False on timeout."""
        deadline = time.monotonic() + timeout
        while True:
            if predicate():
                return True
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            with self._cond:
                self._cond.wait(min(remaining, 0.05))

    def wait_for_message(self, chat_id: int, contains: str = "", timeout: float = 5.0, after: int = 0) -> JSONDict:
        """The first bot message at index >= ``after`` in ``chat(chat_id)`` containing ``contains``."""
        found: list[JSONDict] = []

        def seen() -> bool:
            found[:] = [m for m in self.chat(chat_id)[after:] if contains in message_text(m)][:1]
            return bool(found)

        if self.wait_for(seen, timeout):
            return found[0]
        raise AssertionError(
            f"no bot message containing {contains!r} in chat {chat_id} (index >= {after}) "
            f"within {timeout}s; transcript:\n{self.transcript(chat_id)}"
        )

    # ----------------------------------------------------------------- HTTP

    def _answer_http(self, verb: str, raw_path: str, content_type: str, body: bytes) -> Response:
        parsed = urllib.parse.urlsplit(raw_path)
        path = urllib.parse.unquote(parsed.path)
        if path == "/_fake" or path.startswith("/_fake/"):
            return control.answer(self, verb, path, body)
        call = bot_api_call(path)
        if call is not None:
            token, method = call
            return self._answer_bot_api(token, canonical_method(method), parsed.query, content_type, body)
        return error_response(APIError(404, "Not Found"))

    def _answer_bot_api(self, token: str, method: str, query: str, content_type: str, body: bytes) -> Response:
        """Record and answer one Bot API call."""
        at = time.monotonic()
        try:
            params, parse_error = decode_params(query, content_type, body), None
        except APIError as exc:
            params, parse_error = {}, exc
        with self._cond:
            # Recorded before answering: a test sees a long poll while it is still pending.
            call = Call(method=method, params=params, at=at, status=200)
            self.calls.append(call)
            if token != self.token:
                response = error_response(APIError(401, "Unauthorized"))
            elif method != "getUpdates" and method not in METHODS:
                response = error_response(APIError(404, "Not Found: method not found" if method else "Not Found"))
            elif parse_error is not None:
                response = error_response(parse_error)
            else:
                response = self._run(method, params)
            if response.status != 200:
                self._record_failed(call, response)
            self._cond.notify_all()
        return response

    def _record_failed(self, call: Call, response: Response) -> None:
        # reset() during a long poll may have emptied the list: then there is nothing to amend.
        for index in range(len(self.calls) - 1, -1, -1):
            if self.calls[index] is call:
                self.calls[index] = dataclasses.replace(call, status=response.status)
                break
        description = json.loads(response.body).get("description", "")
        self._errors.append((call.params.get("chat_id"), call.method, response.status, description))

    def _run(self, method: str, params: JSONDict) -> Response:
        """Scripted failures, flood control and delays first, then the method itself (lock held)."""
        failure = take_scripted(self._failures, method, params)
        if failure is not None:
            return error_response(APIError(failure.status, failure.description, failure.parameters))
        if self.enforce_rate_limits and method in RATE_LIMITED_METHODS:
            admitted = self._flood.admit(
                params.get("chat_id"), global_rate=self.global_rate, per_chat_rate=self.per_chat_rate
            )
            if not admitted:
                self.rate_limited_count += 1
                return error_response(APIError(429, default_description(429, 1), {"retry_after": 1}))
        delay = take_scripted(self._delays, method, params)
        seconds = delay.seconds if delay is not None else 0.0
        if delay is not None and not delay.accept:
            return error_response(APIError(502, default_description(502, None)), delay=seconds)
        try:
            if method == "getUpdates":
                result: Any = get_updates(self._state, params, wait=self._cond.wait, stopping=self._stopping)
            else:
                result = METHODS[method](self._state, params)
        except APIError as exc:
            return error_response(exc, delay=seconds)
        return json_response(200, {"ok": True, "result": result}, delay=seconds)
