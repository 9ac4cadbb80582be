"""The Bot API methods the product calls (directly or through python-telegram-bot), with Telegram's checks.

Each takes the bot's state and the decoded parameters and returns the ``result`` or raises ``APIError``;
getUpdates also waits (on the fake's condition, lock held) for an update to arrive.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from ops.fake_telegram.state import TelegramState
from ops.fake_telegram.wire import APIError, JSONDict, as_int, default_description

MAX_TEXT_LENGTH = 4096
MAX_CALLBACK_DATA_BYTES = 64
_BUTTON_ACTIONS = frozenset({"url", "callback_data", "web_app", "login_url", "copy_text", "pay"})


def _chat_id(params: JSONDict) -> int:
    value = params.get("chat_id")
    if value is None or value == "":
        raise APIError(400, "Bad Request: chat_id is empty")
    if isinstance(value, bool):
        raise APIError(400, "Bad Request: chat not found")
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise APIError(400, "Bad Request: chat not found") from exc


def _text(params: JSONDict) -> str:
    """The text as Telegram keeps it: stripped, non-empty, at most 4096 characters."""
    if params.get("parse_mode"):
        # The product sends plain text; a formatted one would be stored unparsed and mislead a test.
        raise APIError(400, "Bad Request: the fake Bot API does not implement parse_mode")
    raw = params.get("text")
    text = ("" if raw is None else str(raw)).strip()
    if not text:
        raise APIError(400, "Bad Request: message text is empty")
    if len(text) > MAX_TEXT_LENGTH:
        raise APIError(400, "Bad Request: message is too long")
    return text


def _inline_markup(params: JSONDict) -> JSONDict | None:
    """The ``reply_markup`` when it is a non-empty inline keyboard Telegram would accept; 400 otherwise."""
    markup = params.get("reply_markup")
    if markup is None or markup == "":
        return None
    if not isinstance(markup, dict):
        raise APIError(400, "Bad Request: can't parse reply keyboard markup JSON object")
    if "inline_keyboard" not in markup:
        return None
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise APIError(400, 'Bad Request: field "inline_keyboard" of the InlineKeyboardMarkup must be an Array')
    for row in rows:
        for button in row:
            if not isinstance(button, dict) or not isinstance(button.get("text"), str):
                raise APIError(400, "Bad Request: can't parse inline keyboard button: Text must be a String")
            if not _BUTTON_ACTIONS.intersection(button):
                raise APIError(400, "Bad Request: text buttons are unallowed in the inline keyboard")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES:
                raise APIError(400, "Bad Request: BUTTON_DATA_INVALID")
            url = button.get("url")
            if url is not None and not str(url).startswith(("http://", "https://", "tg://")):
                raise APIError(400, "Bad Request: BUTTON_URL_INVALID")
    return markup if any(rows) else None


def _apply_edit(message: JSONDict, changes: JSONDict) -> JSONDict:
    """Apply the changed fields (None removes one), or Telegram's 'message is not modified'."""
    if all(message.get(field) == value for field, value in changes.items()):
        raise APIError(
            400,
            "Bad Request: message is not modified: specified new message content and reply markup "
            "are exactly the same as a current content and reply markup of the message",
        )
    for field, value in changes.items():
        if value is None:
            message.pop(field, None)
        else:
            message[field] = value
    message["edit_date"] = int(time.time())
    return message


def get_me(state: TelegramState, params: JSONDict) -> JSONDict:
    return {
        **state.bot_user(),
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


def get_updates(
    state: TelegramState, params: JSONDict, *, wait: Callable[[float], Any], stopping: threading.Event
) -> list[JSONDict]:
    """Offset confirms, limit caps, and a long poll waits until an update arrives, its timeout or a stop."""
    if state.webhook_url:
        raise APIError(
            409,
            "Conflict: can't use getUpdates method while webhook is active; "
            "use deleteWebhook to delete the webhook first",
        )
    offset = as_int(params.get("offset"), 0)
    limit = min(max(as_int(params.get("limit"), 100), 1), 100)
    try:
        timeout = max(float(params.get("timeout") or 0), 0.0)
    except (TypeError, ValueError):
        timeout = 0.0
    if "allowed_updates" in params:
        allowed = params["allowed_updates"]
        state.allowed_updates = list(allowed) if isinstance(allowed, list) else None
    # A newer poll ends an older one with 409, as when two bot processes poll one token.
    state.poll_generation += 1
    generation = state.poll_generation
    if offset > 0:
        state.updates[:] = [u for u in state.updates if u["update_id"] >= offset]
    elif offset < 0:
        state.updates[:] = state.updates[offset:]
    deadline = time.monotonic() + timeout
    while True:
        if generation != state.poll_generation:
            raise APIError(409, default_description(409, None))
        if state.allowed_updates:
            kinds = set(state.allowed_updates)
            state.updates[:] = [u for u in state.updates if next(k for k in u if k != "update_id") in kinds]
        remaining = deadline - time.monotonic()
        if state.updates or remaining <= 0 or stopping.is_set():
            return state.updates[:limit]
        wait(remaining)


def set_webhook(state: TelegramState, params: JSONDict) -> bool:
    """Recorded, HTTPS only like Telegram; the fake delivers no updates to it (runbot --webhook tests post them)."""
    url = str(params.get("url") or "")
    if url and not url.startswith("https://"):
        raise APIError(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
    state.webhook_url = url
    if isinstance(params.get("allowed_updates"), list):
        state.allowed_updates = list(params["allowed_updates"])
    if params.get("drop_pending_updates") is True:
        state.updates.clear()
    return True


def delete_webhook(state: TelegramState, params: JSONDict) -> bool:
    state.webhook_url = ""
    if params.get("drop_pending_updates") is True:
        state.updates.clear()
    return True


def send_message(state: TelegramState, params: JSONDict) -> JSONDict:
    chat_id = _chat_id(params)
    text = _text(params)
    return state.store_bot_message(chat_id, text, _inline_markup(params), params)


def edit_message_text(state: TelegramState, params: JSONDict) -> JSONDict:
    """New text; without reply_markup the inline keyboard goes, as in Telegram."""
    text = _text(params)
    markup = _inline_markup(params)
    message = state.message_for_edit(_chat_id(params), as_int(params.get("message_id"), 0))
    return _apply_edit(message, {"text": text, "reply_markup": markup})


def edit_message_reply_markup(state: TelegramState, params: JSONDict) -> JSONDict:
    """New keyboard; without reply_markup the keyboard goes."""
    markup = _inline_markup(params)
    message = state.message_for_edit(_chat_id(params), as_int(params.get("message_id"), 0))
    return _apply_edit(message, {"reply_markup": markup})


def answer_callback_query(state: TelegramState, params: JSONDict) -> bool:
    state.answer_callback(params)
    return True


METHODS: dict[str, Callable[[TelegramState, JSONDict], Any]] = {
    "getMe": get_me,
    "setWebhook": set_webhook,
    "deleteWebhook": delete_webhook,
    "sendMessage": send_message,
    "editMessageText": edit_message_text,
    "editMessageReplyMarkup": edit_message_reply_markup,
    "answerCallbackQuery": answer_callback_query,
}
