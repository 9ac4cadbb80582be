"""The Bot API wire format: a call's parameters in, Telegram's JSON answers and error descriptions out."""

from __future__ import annotations

import codecs
import contextlib
import dataclasses
import json
import pickle
import urllib.parse
from http import HTTPStatus
from typing import Any

JSONDict = dict[str, Any]

# Plain strings on the wire: JSON-decoding them would turn the text "42" into a number.
_STRING_PARAMS = frozenset(
    {
        "text",
        "callback_query_id",
        "inline_message_id",
        "parse_mode",
        "url",
        "secret_token",
        "ip_address",
        "language_code",
    }
)

_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request: chat not found",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
    500: "Internal Server Error",
    502: "Bad Gateway",
    504: "Gateway Timeout",
}


class APIError(Exception):
    """A Bot API error answer: HTTP status, Telegram's description, optional response parameters."""

    def __init__(self, status: int, description: str, parameters: JSONDict | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters


@dataclasses.dataclass
class Response:
    """An HTTP answer, held back ``delay`` seconds when a delay was scripted."""

    status: int
    body: bytes
    delay: float = 0.0


def copy_json(value: Any) -> Any:
    """A deep copy of JSON-like data (dicts, lists, strings, numbers): pickle's C round trip, ~3.5x deepcopy's speed."""
    return pickle.loads(pickle.dumps(value, pickle.HIGHEST_PROTOCOL))  # our own bytes, never input


def json_response(status: int, payload: Any, delay: float = 0.0) -> Response:
    """``payload`` as a JSON HTTP answer."""
    return Response(status, json.dumps(payload, ensure_ascii=False).encode("utf-8"), delay=delay)


def error_response(error: APIError, delay: float = 0.0) -> Response:
    """Telegram's error JSON for ``error``."""
    payload: JSONDict = {"ok": False, "error_code": error.status, "description": error.description}
    if error.parameters:
        payload["parameters"] = error.parameters
    return json_response(error.status, payload, delay=delay)


def default_description(status: int, retry_after: int | None) -> str:
    """Telegram's usual description for an error status."""
    if status == 429:
        return f"Too Many Requests: retry after {retry_after if retry_after is not None else 1}"
    if status in _DEFAULT_DESCRIPTIONS:
        return _DEFAULT_DESCRIPTIONS[status]
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return f"Error {status}"


def bot_api_call(path: str) -> tuple[str, str] | None:
    """(token, method as written) of a Bot API path ``/bot<token>/<method>`` (unquoted, no query), else None."""
    if not path.startswith("/bot"):
        return None
    token, _, method = path[len("/bot") :].partition("/")
    return token, method.strip("/")


def is_long_poll(raw_path: str) -> bool:
    """Whether a request path is a getUpdates call (Telegram reads method names in any case)."""
    call = bot_api_call(urllib.parse.unquote(urllib.parse.urlsplit(raw_path).path))
    return call is not None and call[1].lower() == "getupdates"


def _reject_constant(value: str) -> Any:
    raise ValueError(value)


def decode_params(query: str, content_type: str, body: bytes) -> JSONDict:
    """Query string plus a form or JSON body; JSON-encoded values (numbers, booleans, keyboards) become Python."""
    raw: JSONDict = {k: v[-1] for k, v in urllib.parse.parse_qs(query, keep_blank_values=True).items()}
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type == "multipart/form-data":
        # The product sends no files; a multipart call means someone started using a method the fake dropped.
        raise APIError(400, "Bad Request: the fake Bot API does not accept file uploads")
    if media_type == "application/json":
        if body.strip():
            try:
                payload = json.loads(body.decode("utf-8"))
            except ValueError as exc:
                raise APIError(400, "Bad Request: can't parse JSON object") from exc
            if not isinstance(payload, dict):
                raise APIError(400, "Bad Request: can't parse JSON object")
            raw.update(payload)
    elif body:
        raw.update(form_fields(body))
    decoded: JSONDict = {}
    for key, value in raw.items():
        decoded[key] = value
        if isinstance(value, str) and key not in _STRING_PARAMS:
            with contextlib.suppress(ValueError):
                decoded[key] = json.loads(value, parse_constant=_reject_constant)
    return decoded


def form_fields(body: bytes) -> dict[str, str]:
    """An application/x-www-form-urlencoded body as parse_qs reads it (the last of repeated names wins).

    PTB sends every call this way, a keyboard as percent-encoded JSON: parse_qs's Python loop over some 600
    escapes took 130 us an edit, the fake's largest cost after HTTP/2 itself; C's escape decoder takes 20.
    """
    fields = {}
    for pair in body.split(b"&"):
        if pair:
            name, _, value = pair.partition(b"=")
            fields[_unquote_plus(name)] = _unquote_plus(value)
    return fields


def _unquote_plus(raw: bytes) -> str:
    raw = raw.replace(b"+", b" ")
    if b"%" in raw:
        try:
            # %XX as \xXX for the C decoder; the body's own backslashes are escaped first so they stay as they are.
            raw = codecs.escape_decode(raw.replace(b"\\", b"\\\\").replace(b"%", b"\\x"))[0]
        except ValueError:  # a % not followed by two hex digits, which parse_qs keeps as it is
            return urllib.parse.unquote(raw.decode("utf-8", "replace"))
    return raw.decode("utf-8", "replace")


def as_int(value: Any, default: int) -> int:
    """A decoded parameter as int, ``default`` when absent or not a number."""
    if value is None or value == "" or isinstance(value, bool):
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def same_chat(value: Any, chat_id: int) -> bool:
    """Whether a decoded ``chat_id`` parameter designates ``chat_id``."""
    try:
        return int(value) == chat_id
    except (TypeError, ValueError):
        return False
