"""What a test makes Telegram do wrong: scripted error answers, held-back answers, and flood control (429)."""

from __future__ import annotations

import dataclasses
import time
from collections import deque
from typing import Any

from ops.fake_telegram.wire import JSONDict, same_chat

# Methods subject to flood control when it is enforced.
RATE_LIMITED_METHODS = frozenset({"sendMessage", "editMessageText", "editMessageReplyMarkup"})


@dataclasses.dataclass
class ScriptedFailure:
    """An error answer for the next ``times`` calls of a method (of one chat, when ``chat_id`` is set)."""

    method: str
    status: int
    description: str
    retry_after: int | None
    times: int
    chat_id: int | None
    migrate_to_chat_id: int | None = None

    @property
    def parameters(self) -> JSONDict | None:
        """Telegram's ResponseParameters for this error, if any."""
        parameters: JSONDict = {}
        if self.retry_after is not None:
            parameters["retry_after"] = self.retry_after
        if self.migrate_to_chat_id is not None:
            parameters["migrate_to_chat_id"] = self.migrate_to_chat_id
        return parameters or None


@dataclasses.dataclass
class ScriptedDelay:
    """A late answer for the next ``times`` calls; ``accept=False``: the call is dropped (502 after the delay)."""

    method: str
    seconds: float
    times: int
    accept: bool
    chat_id: int | None


def take_scripted(scripted: list[Any], method: str, params: JSONDict) -> Any:
    """Consume one use of the first scripted failure/delay matching this call, if any."""
    for entry in scripted:
        if entry.method == method and (entry.chat_id is None or same_chat(params.get("chat_id"), entry.chat_id)):
            entry.times -= 1
            if entry.times <= 0:
                scripted.remove(entry)
            return entry
    return None


class FloodControl:
    """Telegram's limits: ``global_rate`` sends per second overall and ``per_chat_rate`` per second per chat."""

    def __init__(self) -> None:
        self._global_sends: deque[float] = deque()
        self._chat_sends: dict[Any, deque[float]] = {}

    def admit(self, chat_id: Any, *, global_rate: int, per_chat_rate: float) -> bool:
        """Record a send and return True, or return False when a limit is exceeded (0 turns a limit off)."""
        now = time.monotonic()
        while self._global_sends and now - self._global_sends[0] >= 1.0:
            self._global_sends.popleft()
        if global_rate > 0 and len(self._global_sends) >= global_rate:
            return False
        if chat_id is not None and per_chat_rate > 0:
            window = max(1.0, 1.0 / per_chat_rate)
            allowed = max(1, round(per_chat_rate * window))
            sends = self._chat_sends.setdefault(chat_id, deque())
            while sends and now - sends[0] >= window:
                sends.popleft()
            if len(sends) >= allowed:
                return False
            sends.append(now)
        self._global_sends.append(now)
        return True
