"""Fake Telegram Bot API server over real HTTP for tests, benchmarks and the sandbox mode.

It speaks the wire protocol python-telegram-bot 22 uses (``{base_url}{token}/{method}``, form,
JSON or multipart parameters, ``{"ok": ..., "result": ...}`` answers, Telegram's error JSON)
and keeps the state a test needs to assert on: every call, the bot's messages per chat in
their current state, queued updates, answered callback queries.  Only the standard library
is used; the server runs in a daemon thread (``ThreadingHTTPServer``).

Run it standalone with ``python -m ops.fake_telegram --port 8081``.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import dataclasses
import json
import logging
import re
import signal
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import deque
from collections.abc import Callable
from email import policy as email_policy
from email.parser import BytesParser
from html.parser import HTMLParser
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from socketserver import TCPServer
from typing import Any

__all__ = ["Call", "FakeTelegramAPI", "FakeTelegramClient", "UnknownMessageError", "main"]

logger = logging.getLogger(__name__)

JSONDict = dict[str, Any]

DEFAULT_TOKEN = "123456:TEST-TOKEN"
DEFAULT_FIRST_NAME = "Тест"
MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64

# Canonical Bot API method names the fake implements (Telegram treats them case-insensitively).
METHODS = (
    "getMe",
    "logOut",
    "close",
    "getUpdates",
    "setWebhook",
    "deleteWebhook",
    "getWebhookInfo",
    "sendMessage",
    "sendPhoto",
    "sendDocument",
    "sendChatAction",
    "editMessageText",
    "editMessageCaption",
    "editMessageReplyMarkup",
    "deleteMessage",
    "answerCallbackQuery",
    "setMyCommands",
    "getMyCommands",
    "deleteMyCommands",
    "setMyDescription",
    "setMyShortDescription",
    "setChatMenuButton",
    "getChatMenuButton",
    "getChat",
    "getFile",
)
_CANONICAL = {name.lower(): name for name in METHODS}

# Methods subject to flood control when ``enforce_rate_limits`` is on.
RATE_LIMITED_METHODS = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "editMessageText",
        "editMessageCaption",
        "editMessageReplyMarkup",
    }
)

# Parameters that are plain strings on the wire and must never be JSON-decoded.
_STRING_PARAMS = frozenset(
    {
        "text",
        "caption",
        "callback_query_id",
        "inline_message_id",
        "parse_mode",
        "url",
        "secret_token",
        "action",
        "language_code",
        "title",
        "name",
        "description",
        "short_description",
        "data",
        "photo",
        "document",
        "file_id",
        "business_connection_id",
        "message_effect_id",
        "ip_address",
        "username",
        "first_name",
        "last_name",
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

_BUTTON_ACTIONS = frozenset(
    {
        "url",
        "callback_data",
        "web_app",
        "login_url",
        "switch_inline_query",
        "switch_inline_query_current_chat",
        "switch_inline_query_chosen_chat",
        "copy_text",
        "callback_game",
        "pay",
    }
)
_COMMAND_RE = re.compile(r"^/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?")
_COMMAND_NAME_RE = re.compile(r"^[a-z0-9_]{1,32}$")


class UnknownMessageError(LookupError):
    """Raised when a callback refers to a bot message the fake does not know."""


class _APIError(Exception):
    """A Bot API error answer (status, description, optional response parameters)."""

    def __init__(self, status: int, description: str, parameters: JSONDict | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters


@dataclasses.dataclass(frozen=True)
class Call:
    """One Bot API request as the fake received it."""

    method: str
    params: dict[str, Any]
    at: float
    status: int


@dataclasses.dataclass
class _Failure:
    """A scripted error answer for the next calls of a method."""

    method: str
    status: int
    description: str
    retry_after: int | None
    times: int
    chat_id: int | None
    migrate_to_chat_id: int | None = None


@dataclasses.dataclass
class _Delay:
    """A scripted delayed answer for the next calls of a method."""

    method: str
    seconds: float
    times: int
    accept: bool
    chat_id: int | None


@dataclasses.dataclass
class _Request:
    """Decoded parameters and uploaded file contents of one Bot API call."""

    params: JSONDict
    uploads: dict[str, bytes]


@dataclasses.dataclass
class _Response:
    """An HTTP answer, optionally held back for ``delay`` seconds."""

    status: int
    body: bytes
    content_type: str = "application/json"
    delay: float = 0.0


def _json_response(status: int, payload: Any, delay: float = 0.0) -> _Response:
    """Serialise ``payload`` as a JSON HTTP answer."""
    return _Response(status, json.dumps(payload, ensure_ascii=False).encode("utf-8"), delay=delay)


def _error_payload(status: int, description: str, parameters: JSONDict | None = None) -> JSONDict:
    """Build Telegram's error JSON body."""
    payload: JSONDict = {"ok": False, "error_code": status, "description": description}
    if parameters:
        payload["parameters"] = parameters
    return payload


def _default_description(status: int, retry_after: int | None) -> str:
    """Return Telegram's usual description for an error status."""
    if status == 429:
        return f"Too Many Requests: retry after {retry_after if retry_after is not None else 1}"
    if status in _DEFAULT_DESCRIPTIONS:
        return _DEFAULT_DESCRIPTIONS[status]
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return f"Error {status}"


def _utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units (Telegram's entity unit)."""
    return len(text.encode("utf-16-le")) // 2


def _byte_offset(source: str, index: int) -> int:
    """UTF-8 byte offset of character ``index`` in ``source``."""
    return len(source[:index].encode("utf-8"))


def _entities_error(message: str) -> _APIError:
    """Build the 400 answer for malformed formatting."""
    return _APIError(400, f"Bad Request: can't parse entities: {message}")


def _reject_constant(value: str) -> Any:
    """Refuse NaN/Infinity while decoding form values."""
    raise ValueError(value)


def _decode_params(raw: JSONDict) -> JSONDict:
    """Decode wire parameters: JSON-encoded values (numbers, booleans, objects) become Python."""
    decoded: JSONDict = {}
    for key, value in raw.items():
        decoded[key] = value
        if isinstance(value, str) and key not in _STRING_PARAMS:
            with contextlib.suppress(ValueError):
                decoded[key] = json.loads(value, parse_constant=_reject_constant)
    return decoded


def _parse_multipart(content_type: str, body: bytes) -> tuple[JSONDict, dict[str, bytes]]:
    """Split a multipart/form-data body into text fields and uploaded files."""
    head = b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n"
    message = BytesParser(policy=email_policy.HTTP).parsebytes(head + body)
    fields: JSONDict = {}
    uploads: dict[str, bytes] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not name:
            continue
        payload = part.get_payload(decode=True) or b""
        filename = part.get_filename()
        if filename is None:
            fields[str(name)] = payload.decode("utf-8", "replace")
        else:
            uploads[str(name)] = payload
            fields[str(name)] = {
                "filename": filename,
                "content_type": part.get_content_type(),
                "size": len(payload),
            }
    return fields, uploads


def _parse_request(query: str, content_type: str, body: bytes) -> _Request:
    """Decode query string plus form, JSON or multipart body into parameters."""
    raw: JSONDict = {k: v[-1] for k, v in urllib.parse.parse_qs(query, keep_blank_values=True).items()}
    uploads: dict[str, bytes] = {}
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type == "application/json":
        if body.strip():
            try:
                payload = json.loads(body.decode("utf-8"))
            except ValueError as exc:
                raise _APIError(400, "Bad Request: can't parse JSON object") from exc
            if not isinstance(payload, dict):
                raise _APIError(400, "Bad Request: can't parse JSON object")
            raw.update(payload)
    elif media_type == "multipart/form-data":
        fields, uploads = _parse_multipart(content_type, body)
        raw.update(fields)
    elif body:
        form = urllib.parse.parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
        raw.update({k: v[-1] for k, v in form.items()})
    return _Request(_decode_params(raw), uploads)


# --------------------------------------------------------------------------- formatting


_HTML_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}


class _TelegramHTMLParser(HTMLParser):
    """Turn Telegram-flavoured HTML into plain text plus message entities."""

    def __init__(self, source: str) -> None:
        """Prepare parsing of ``source``."""
        super().__init__(convert_charrefs=True)
        self._source = source
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", source)]
        self._parts: list[str] = []
        self._length = 0
        self._stack: list[tuple[str, JSONDict | None]] = []
        self.entities: list[JSONDict] = []

    def _offset(self) -> int:
        """Byte offset of the construct being parsed."""
        line, column = self.getpos()
        return _byte_offset(self._source, self._line_starts[line - 1] + column)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Open an entity for a supported tag."""
        if tag not in _HTML_TAGS:
            raise _entities_error(f'Unsupported start tag "{tag}" at byte offset {self._offset()}')
        attributes = {key: value or "" for key, value in attrs}
        entity: JSONDict | None = {"type": _HTML_TAGS[tag], "offset": self._length}
        if tag == "span" and attributes.get("class") != "tg-spoiler":
            raise _entities_error(f'Tag "span" must have class "tg-spoiler" at byte offset {self._offset()}')
        if tag == "a":
            href = attributes.get("href", "")
            entity = {"type": "text_link", "offset": self._length, "url": href} if href else None
        elif tag == "blockquote" and "expandable" in attributes:
            entity = {"type": "expandable_blockquote", "offset": self._length}
        elif tag == "tg-emoji":
            entity = {"type": "custom_emoji", "offset": self._length, "custom_emoji_id": attributes.get("emoji-id", "")}
        elif tag == "code" and self._stack and self._stack[-1][0] == "pre":
            pre = self._stack[-1][1]
            language = attributes.get("class", "")
            if pre is not None and language.startswith("language-"):
                pre["language"] = language.removeprefix("language-")
                entity = None
        self._stack.append((tag, entity))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Treat ``<tag/>`` as an empty element."""
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        """Close the innermost entity, which must match ``tag``."""
        if not self._stack:
            raise _entities_error(f'Unexpected end tag "{tag}" at byte offset {self._offset()}')
        open_tag, entity = self._stack.pop()
        if open_tag != tag:
            raise _entities_error(
                f'Unmatched end tag at byte offset {self._offset()}, expected "</{open_tag}>", found "</{tag}>"'
            )
        if entity is not None and self._length > entity["offset"]:
            entity["length"] = self._length - entity["offset"]
            self.entities.append(entity)

    def handle_data(self, data: str) -> None:
        """Append visible text."""
        self._parts.append(data)
        self._length += _utf16_len(data)

    def result(self) -> tuple[str, list[JSONDict]]:
        """Finish parsing and return the plain text and sorted entities."""
        self.close()
        if self._stack:
            raise _entities_error(f'Can\'t find end tag corresponding to start tag "{self._stack[-1][0]}"')
        entities = sorted(self.entities, key=lambda e: (e["offset"], -e["length"]))
        return "".join(self._parts), entities


def _parse_html(source: str) -> tuple[str, list[JSONDict]]:
    """Parse ``parse_mode=HTML`` text."""
    parser = _TelegramHTMLParser(source)
    parser.feed(source)
    return parser.result()


_MDV2_RESERVED = frozenset("_*[]()~`>#+-=|{}.!")
_MDV2_NAMES = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strikethrough": "Strikethrough",
    "spoiler": "Spoiler",
    "text_link": "TextUrl",
}


class _MarkdownV2Parser:
    """Turn MarkdownV2 text into plain text plus entities, rejecting unescaped reserved characters."""

    def __init__(self, source: str) -> None:
        """Prepare parsing of ``source``."""
        self.source = source
        self.parts: list[str] = []
        self.length = 0
        self.entities: list[JSONDict] = []
        self.stack: list[tuple[str, int, int]] = []
        self.quote_start: int | None = None

    def emit(self, text: str) -> None:
        """Append visible text."""
        self.parts.append(text)
        self.length += _utf16_len(text)

    def add(self, kind: str, start: int, **extra: Any) -> None:
        """Record a non-empty entity from ``start`` to the current position."""
        if self.length > start:
            self.entities.append({"type": kind, "offset": start, "length": self.length - start, **extra})

    def toggle(self, kind: str, index: int) -> None:
        """Open or close a paired-marker entity."""
        if self.stack and self.stack[-1][0] == kind:
            self.add(kind, self.stack.pop()[1])
        elif any(entry[0] == kind for entry in self.stack):
            open_kind, _, offset = self.stack[-1]
            raise _entities_error(f"Can't find end of {_MDV2_NAMES[open_kind]} entity at byte offset {offset}")
        else:
            self.stack.append((kind, self.length, _byte_offset(self.source, index)))

    def scan_until(self, start: int, terminator: str, escapable: str) -> tuple[str, int] | None:
        """Read raw text up to an unescaped ``terminator``; return (text, index after it)."""
        chunks: list[str] = []
        i = start
        while i < len(self.source):
            if self.source[i] == "\\" and i + 1 < len(self.source) and self.source[i + 1] in escapable:
                chunks.append(self.source[i + 1])
                i += 2
            elif self.source.startswith(terminator, i):
                return "".join(chunks), i + len(terminator)
            else:
                chunks.append(self.source[i])
                i += 1
        return None

    def close_quote(self, end: int) -> None:
        """Finish a blockquote that ended at UTF-16 offset ``end``."""
        if self.quote_start is not None and end > self.quote_start:
            self.entities.append({"type": "blockquote", "offset": self.quote_start, "length": end - self.quote_start})
        self.quote_start = None

    def parse(self) -> tuple[str, list[JSONDict]]:
        """Parse the whole source."""
        source, i, line_start = self.source, 0, True
        while i < len(source):
            char = source[i]
            if line_start:
                line_start = False
                if char == ">":
                    if self.quote_start is None:
                        self.quote_start = self.length
                    i += 1
                    continue
                if self.quote_start is not None:
                    self.close_quote(self.length - 1)
            if char == "\\" and i + 1 < len(source) and 1 <= ord(source[i + 1]) <= 126:
                self.emit(source[i + 1])
                line_start = source[i + 1] == "\n"
                i += 2
            elif char == "`":
                i = self.parse_code(i)
            elif char == "[":
                self.stack.append(("text_link", self.length, _byte_offset(source, i)))
                i += 1
            elif char == "]" and self.stack and self.stack[-1][0] == "text_link":
                i = self.parse_link_url(i)
            elif char == "*":
                self.toggle("bold", i)
                i += 1
            elif char == "_" and source.startswith("__", i):
                self.toggle("underline", i)
                i += 2
            elif char == "_":
                self.toggle("italic", i)
                i += 1
            elif char == "~":
                self.toggle("strikethrough", i)
                i += 1
            elif char == "|" and source.startswith("||", i):
                self.toggle("spoiler", i)
                i += 2
            elif char in _MDV2_RESERVED:
                raise _entities_error(f"Character '{char}' is reserved and must be escaped with the preceding '\\'")
            else:
                self.emit(char)
                line_start = char == "\n"
                i += 1
        if self.quote_start is not None:
            self.close_quote(self.length)
        if self.stack:
            kind, _, offset = self.stack[-1]
            raise _entities_error(f"Can't find end of {_MDV2_NAMES[kind]} entity at byte offset {offset}")
        return "".join(self.parts), sorted(self.entities, key=lambda e: (e["offset"], -e["length"]))

    def parse_code(self, index: int) -> int:
        """Parse inline code or a pre block starting at ``index``."""
        if self.source.startswith("```", index):
            scanned = self.scan_until(index + 3, "```", "`\\")
            if scanned is None:
                raise _entities_error(f"Can't find end of Pre entity at byte offset {_byte_offset(self.source, index)}")
            content, end = scanned
            language = ""
            if "\n" in content:
                language, content = content.split("\n", 1)
            start = self.length
            self.emit(content)
            extra = {"language": language.strip()} if language.strip() else {}
            self.add("pre", start, **extra)
            return end
        scanned = self.scan_until(index + 1, "`", "`\\")
        if scanned is None:
            raise _entities_error(f"Can't find end of Code entity at byte offset {_byte_offset(self.source, index)}")
        content, end = scanned
        start = self.length
        self.emit(content)
        self.add("code", start)
        return end

    def parse_link_url(self, index: int) -> int:
        """Parse the ``(url)`` part of ``[text](url)`` right after ``]`` at ``index``."""
        kind, start, offset = self.stack[-1]
        scanned = self.scan_until(index + 2, ")", ")\\") if self.source.startswith("](", index) else None
        if scanned is None:
            raise _entities_error(f"Can't find end of {_MDV2_NAMES[kind]} entity at byte offset {offset}")
        self.stack.pop()
        url, end = scanned
        self.add("text_link", start, url=url)
        return end


def _parse_markdown(source: str) -> tuple[str, list[JSONDict]]:
    """Parse legacy ``parse_mode=Markdown`` text."""
    parts: list[str] = []
    entities: list[JSONDict] = []
    length = 0
    i = 0
    kinds = {"*": "bold", "_": "italic"}

    def emit(text: str) -> int:
        parts.append(text)
        return _utf16_len(text)

    while i < len(source):
        char = source[i]
        if char == "\\" and i + 1 < len(source) and source[i + 1] in "_*`[":
            length += emit(source[i + 1])
            i += 2
        elif char in kinds or char == "`":
            fence = "```" if source.startswith("```", i) else char
            close = source.find(fence, i + len(fence))
            if close == -1:
                raise _entities_error(f"Can't find end of the entity starting at byte offset {_byte_offset(source, i)}")
            content = source[i + len(fence) : close]
            extra: JSONDict = {}
            kind = kinds.get(char, "code")
            if fence == "```":
                kind = "pre"
                if "\n" in content:
                    language, content = content.split("\n", 1)
                    if language.strip():
                        extra["language"] = language.strip()
            size = emit(content)
            if size:
                entities.append({"type": kind, "offset": length, "length": size, **extra})
            length += size
            i = close + len(fence)
        elif char == "[" and (close := source.find("](", i + 1)) != -1 and (end := source.find(")", close + 2)) != -1:
            size = emit(source[i + 1 : close])
            if size:
                entities.append({"type": "text_link", "offset": length, "length": size, "url": source[close + 2 : end]})
            length += size
            i = end + 1
        else:
            length += emit(char)
            i += 1
    return "".join(parts), entities


def _strip_text(text: str, entities: list[JSONDict]) -> tuple[str, list[JSONDict]]:
    """Trim surrounding whitespace like Telegram does, shifting entities accordingly."""
    stripped = text.strip()
    if stripped == text:
        return text, entities
    lead = _utf16_len(text[: len(text) - len(text.lstrip())])
    total = _utf16_len(stripped)
    result = []
    for entity in entities:
        start = max(entity["offset"] - lead, 0)
        end = min(entity["offset"] + entity["length"] - lead, total)
        if end > start:
            result.append({**entity, "offset": start, "length": end - start})
    return stripped, result


def format_text(text: str, parse_mode: str | None, entities: Any = None) -> tuple[str, list[JSONDict]]:
    """Apply ``parse_mode`` (HTML, MarkdownV2, Markdown) like Telegram: plain text plus entities."""
    mode = (parse_mode or "").lower()
    if mode == "html":
        plain, found = _parse_html(text)
    elif mode == "markdownv2":
        plain, found = _MarkdownV2Parser(text).parse()
    elif mode == "markdown":
        plain, found = _parse_markdown(text)
    elif mode:
        raise _APIError(400, "Bad Request: unsupported parse_mode")
    else:
        plain, found = text, [dict(e) for e in entities] if isinstance(entities, list) else []
    return _strip_text(plain, found)


def _command_entities(text: str) -> list[JSONDict]:
    """Return the bot_command entity Telegram attaches to a leading ``/command``."""
    match = _COMMAND_RE.match(text)
    if not match:
        return []
    return [{"offset": 0, "length": _utf16_len(match.group(0)), "type": "bot_command"}]


def _message_text(message: JSONDict) -> str:
    """Text or caption of a stored message."""
    return str(message.get("text", message.get("caption", "")))


def _as_int(value: Any, default: int) -> int:
    """Coerce a decoded parameter to int, falling back to ``default``."""
    if value is None or value == "" or isinstance(value, bool):
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _same_chat(value: Any, chat_id: int) -> bool:
    """Whether a decoded ``chat_id`` parameter designates ``chat_id``."""
    try:
        return int(value) == chat_id
    except (TypeError, ValueError):
        return False


# --------------------------------------------------------------------------- HTTP plumbing


class _Server(ThreadingHTTPServer):
    """Threading HTTP server bound to one fake, quiet about client disconnects."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128
    fake: FakeTelegramAPI

    def server_bind(self) -> None:
        """Bind without the reverse-DNS lookup ``HTTPServer.server_bind`` does."""
        TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Log unexpected handler errors; ignore clients that went away."""
        logger.debug("fake Telegram API: error serving %s", client_address, exc_info=True)


class _Handler(BaseHTTPRequestHandler):
    """Translate HTTP requests into calls on the owning ``FakeTelegramAPI``."""

    protocol_version = "HTTP/1.1"
    server_version = "FakeTelegramBotAPI/1.0"
    # Headers and body leave as two segments: without TCP_NODELAY, Nagle + delayed ACK add ~40 ms a call.
    disable_nagle_algorithm = True
    timeout = 300
    server: _Server

    def setup(self) -> None:
        """Track the connection so ``stop()`` can close idle keep-alive sockets."""
        super().setup()
        self.server.fake._track_connection(self.connection, state="idle")

    def finish(self) -> None:
        """Untrack the connection."""
        try:
            super().finish()
        finally:
            self.server.fake._track_connection(self.connection, state=None)

    def log_message(self, *args: Any) -> None:
        """Stay quiet: no line per request."""

    def do_GET(self) -> None:
        """Serve a GET request."""
        self._dispatch()

    def do_POST(self) -> None:
        """Serve a POST request."""
        self._dispatch()

    def _read_body(self) -> bytes:
        """Read the request body (Content-Length or chunked)."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _dispatch(self) -> None:
        """Read, route, optionally delay and write the answer."""
        fake = self.server.fake
        fake._track_connection(self.connection, state="busy")
        try:
            self._answer(fake)
        finally:
            fake._track_connection(self.connection, state="idle")

    def _answer(self, fake: FakeTelegramAPI) -> None:
        """Produce and write the answer to the current request."""
        try:
            body = self._read_body()
            response = fake._handle_http(self.command, self.path, self.headers.get("Content-Type", ""), body)
        except (ConnectionError, TimeoutError):
            self.close_connection = True
            return
        except Exception as exc:  # pragma: no cover - a bug in the fake must not hang the client
            logger.exception("fake Telegram API: internal error")
            response = _json_response(500, _error_payload(500, f"Internal Server Error: {exc!r}"))
        if response.delay > 0:
            fake._stopping.wait(response.delay)
        if fake._stopping.is_set():
            self.close_connection = True
        try:
            self.send_response(response.status)
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(response.body)))
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(response.body)
            self.wfile.flush()
        except OSError:
            self.close_connection = True


# --------------------------------------------------------------------------- the fake


class FakeTelegramAPI:
    """In-process fake of the Telegram Bot API served over real HTTP."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        host: str = "127.0.0.1",
        port: int = 0,
        enforce_rate_limits: bool = False,
        global_rate: int = 30,
        per_chat_rate: float = 1.0,
        bot_username: str = "interview_test_bot",
    ) -> None:
        """Configure the fake; call ``start()`` (or use ``with``) to serve."""
        self.token = token
        self.host = host
        self.port = port
        self.enforce_rate_limits = enforce_rate_limits
        self.global_rate = global_rate
        self.per_chat_rate = per_chat_rate
        self.bot_username = bot_username
        prefix = token.partition(":")[0]
        self.bot_id = int(prefix) if prefix.isdigit() else 123456
        self.bot_first_name = " ".join(word.capitalize() for word in bot_username.split("_") if word) or "Bot"
        self._lock = threading.RLock()
        self._cond = threading.Condition(self._lock)
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._connections: dict[socket.socket, str] = {}
        # Counters survive reset() so ids never repeat while a client keeps polling.
        self._next_update_id = 1
        self._next_message_ids: dict[int, int] = {}
        self._callback_seq = 0
        self._file_seq = 0
        self._poll_generation = 0
        self._handlers: dict[str, Callable[[_Request], Any]] = {
            "getMe": self._get_me,
            "logOut": self._true,
            "close": self._true,
            "getUpdates": self._get_updates,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "sendMessage": self._send_message,
            "sendPhoto": self._send_photo,
            "sendDocument": self._send_document,
            "sendChatAction": self._send_chat_action,
            "editMessageText": self._edit_message_text,
            "editMessageCaption": self._edit_message_caption,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "deleteMessage": self._delete_message,
            "answerCallbackQuery": self._answer_callback_query,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "setMyDescription": self._true,
            "setMyShortDescription": self._true,
            "setChatMenuButton": self._true,
            "getChatMenuButton": self._get_chat_menu_button,
            "getChat": self._get_chat,
            "getFile": self._get_file,
        }
        self._init_state()

    def _init_state(self) -> None:
        """Create empty recorded state (used by __init__ and reset())."""
        self.calls: list[Call] = []
        self.rate_limited_count = 0
        self.allowed_updates: list[str] | None = None
        self._updates: list[JSONDict] = []
        self._bot_messages: dict[tuple[int, int], JSONDict] = {}
        self._user_messages: dict[tuple[int, int], JSONDict] = {}
        self._chat_bot_ids: dict[int, list[int]] = {}
        self._history: dict[int, list[tuple[str, int]]] = {}
        self._deleted: set[tuple[int, int]] = set()
        self._sent_keys: list[tuple[int, int]] = []
        self._users: dict[int, JSONDict] = {}
        self._answered: list[JSONDict] = []
        self._issued_callbacks: set[str] = set()
        self._answered_ids: set[str] = set()
        self._failures: list[_Failure] = []
        self._delays: list[_Delay] = []
        self._global_sends: deque[float] = deque()
        self._chat_sends: dict[Any, deque[float]] = {}
        self._webhook: JSONDict = {"url": ""}
        self._commands: dict[str, list[JSONDict]] = {}
        self._files: dict[str, tuple[bytes, JSONDict]] = {}
        self._errors: list[tuple[Any, str, int, str]] = []

    # ----------------------------------------------------------------- lifecycle

    @property
    def http_url(self) -> str:
        """Root URL of the server, e.g. ``http://127.0.0.1:PORT`` (for ``FakeTelegramClient``)."""
        host = "127.0.0.1" if self.host in ("", "0.0.0.0") else self.host
        if host == "::":
            host = "::1"
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}"

    @property
    def base_url(self) -> str:
        """Bot API base URL to pass as PTB ``base_url`` (PTB appends the token)."""
        return f"{self.http_url}/bot"

    @property
    def base_file_url(self) -> str:
        """File download base URL to pass as PTB ``base_file_url``."""
        return f"{self.http_url}/file/bot"

    def start(self) -> FakeTelegramAPI:
        """Bind the port and serve in a daemon thread; return self."""
        if self._server is not None:
            return self
        self._stopping.clear()
        server_class = _Server
        if ":" in self.host:
            server_class = type("_Server6", (_Server,), {"address_family": socket.AF_INET6})
        server = server_class((self.host, self.port), _Handler)
        server.fake = self
        self.port = int(server.server_address[1])
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"fake-telegram-api:{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving: wake long polls and delayed answers, close the port and connections."""
        server, thread = self._server, self._thread
        if server is None:
            return
        self._stopping.set()
        with self._cond:
            self._cond.notify_all()
        server.shutdown()
        server.server_close()
        deadline = time.monotonic() + 2.0
        while time.monotonic() < deadline:
            with self._lock:
                if "busy" not in self._connections.values():
                    break
            time.sleep(0.01)
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        if thread is not None:
            thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> FakeTelegramAPI:
        """Start the server."""
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        """Stop the server."""
        self.stop()

    def _track_connection(self, connection: socket.socket, *, state: str | None) -> None:
        """Record a client connection as idle or busy answering, or forget it (None)."""
        with self._lock:
            if state is None:
                self._connections.pop(connection, None)
            else:
                self._connections[connection] = state

    # ----------------------------------------------------------------- inspection

    def calls_of(self, method: str) -> list[Call]:
        """Calls of one Bot API method, in order."""
        name = _CANONICAL.get(method.lower(), method)
        with self._lock:
            return [call for call in self.calls if call.method == name]

    def sent_messages(self, chat_id: int | None = None) -> list[JSONDict]:
        """Messages the bot sent successfully (current state after edits; deleted ones included)."""
        with self._lock:
            keys = [key for key in self._sent_keys if chat_id is None or key[0] == chat_id]
            return [copy.deepcopy(self._bot_messages[key]) for key in keys]

    def chat(self, chat_id: int) -> list[JSONDict]:
        """The bot's messages in a chat, in order, in their current state (deleted ones omitted)."""
        with self._lock:
            ids = self._chat_bot_ids.get(chat_id, [])
            return [copy.deepcopy(self._bot_messages[(chat_id, message_id)]) for message_id in ids]

    def last_message(self, chat_id: int) -> JSONDict | None:
        """The bot's latest (not deleted) message in a chat, or None."""
        messages = self.chat(chat_id)
        return messages[-1] if messages else None

    def answered_callbacks(self) -> list[JSONDict]:
        """Parameters of successful answerCallbackQuery calls, in order."""
        with self._lock:
            return copy.deepcopy(self._answered)

    def stats(self) -> JSONDict:
        """Counters for benchmarks: rate-limited answers, sent messages, calls."""
        with self._lock:
            return {
                "rate_limited_count": self.rate_limited_count,
                "sent_count": len(self._sent_keys),
                "calls_count": len(self.calls),
            }

    def transcript(self, chat_id: int) -> str:
        """Human-readable history of a chat (user and bot messages, failed calls) for assertions."""
        with self._lock:
            lines = []
            for sender, message_id in self._history.get(chat_id, []):
                key = (chat_id, message_id)
                message = self._bot_messages[key] if sender == "bot" else self._user_messages[key]
                line = f"  [{sender} #{message_id}] {_message_text(message)!r}"
                buttons = [
                    button.get("text")
                    for row in message.get("reply_markup", {}).get("inline_keyboard", [])
                    for button in row
                ]
                if buttons:
                    line += f" buttons={buttons}"
                if key in self._deleted:
                    line += " (deleted)"
                lines.append(line)
            for error_chat, method, status, description in self._errors:
                if error_chat is not None and _same_chat(error_chat, chat_id):
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
        with self._lock:
            self._failures.append(
                _Failure(
                    method=_CANONICAL.get(method.lower(), method),
                    status=status,
                    description=description or _default_description(status, retry_after),
                    retry_after=retry_after,
                    times=times,
                    chat_id=chat_id,
                    migrate_to_chat_id=migrate_to_chat_id,
                )
            )

    def delay_next(
        self,
        method: str,
        seconds: float,
        *,
        times: int = 1,
        accept: bool = True,
        chat_id: int | None = None,
    ) -> None:
        """Hold back the answer of the next ``times`` calls; accept=False drops them (502 after the delay)."""
        with self._lock:
            self._delays.append(
                _Delay(
                    method=_CANONICAL.get(method.lower(), method),
                    seconds=seconds,
                    times=times,
                    accept=accept,
                    chat_id=chat_id,
                )
            )

    def reset(self) -> None:
        """Forget calls, messages, queued updates, scripted failures and counters (ids keep increasing)."""
        with self._cond:
            self._init_state()
            self._cond.notify_all()

    # ----------------------------------------------------------------- incoming updates

    def make_message_update(
        self,
        user_id: int,
        text: str,
        *,
        first_name: str = DEFAULT_FIRST_NAME,
        username: str | None = None,
        language_code: str | None = None,
    ) -> JSONDict:
        """Build a private-chat message Update (not queued)."""
        with self._lock:
            user: JSONDict = {"id": user_id, "is_bot": False, "first_name": first_name}
            if username:
                user["username"] = username
            if language_code:
                user["language_code"] = language_code
            self._users[user_id] = user
            message: JSONDict = {
                "message_id": self._new_message_id(user_id),
                "from": dict(user),
                "chat": self._chat_object(user_id),
                "date": int(time.time()),
                "text": text,
            }
            entities = _command_entities(text)
            if entities:
                message["entities"] = entities
            self._user_messages[(user_id, message["message_id"])] = message
            self._history.setdefault(user_id, []).append(("user", message["message_id"]))
            update = {"update_id": self._new_update_id(), "message": message}
            self._cond.notify_all()
            return copy.deepcopy(update)

    def make_callback_update(self, user_id: int, data: str, *, message_id: int | None = None) -> JSONDict:
        """Build a callback_query Update for a bot message (default: the chat's last one), not queued."""
        with self._lock:
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
            update = {
                "update_id": self._new_update_id(),
                "callback_query": {
                    "id": callback_id,
                    "from": dict(user),
                    "message": copy.deepcopy(self._bot_messages[(user_id, message_id)]),
                    "chat_instance": str(abs(user_id * 7919 + self.bot_id) % 10**18),
                    "data": data,
                },
            }
            return copy.deepcopy(update)

    def push_message(
        self,
        user_id: int,
        text: str,
        *,
        first_name: str = DEFAULT_FIRST_NAME,
        username: str | None = None,
        language_code: str | None = None,
    ) -> JSONDict:
        """Queue a private-chat message Update for getUpdates and return it."""
        with self._cond:
            update = self.make_message_update(
                user_id, text, first_name=first_name, username=username, language_code=language_code
            )
            self._updates.append(copy.deepcopy(update))
            self._cond.notify_all()
            return update

    def push_callback(self, user_id: int, data: str, *, message_id: int | None = None) -> JSONDict:
        """Queue a callback_query Update (button press on a bot message) and return it."""
        with self._cond:
            update = self.make_callback_update(user_id, data, message_id=message_id)
            self._updates.append(copy.deepcopy(update))
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
        """Return the first bot message at index >= ``after`` in ``chat(chat_id)`` containing ``contains``."""
        found: list[JSONDict] = []

        def seen() -> bool:
            found[:] = [m for m in self.chat(chat_id)[after:] if contains in _message_text(m)][:1]
            return bool(found)

        if self.wait_for(seen, timeout):
            return found[0]
        raise AssertionError(
            f"no bot message containing {contains!r} in chat {chat_id} (index >= {after}) "
            f"within {timeout}s; transcript:\n{self.transcript(chat_id)}"
        )

    # ----------------------------------------------------------------- HTTP entry

    def _handle_http(self, verb: str, raw_path: str, content_type: str, body: bytes) -> _Response:
        """Route one HTTP request."""
        parsed = urllib.parse.urlsplit(raw_path)
        path = urllib.parse.unquote(parsed.path)
        if path == "/_fake" or path.startswith("/_fake/"):
            return self._handle_control(verb, path, parsed.query, body)
        if path.startswith("/file/bot"):
            return self._handle_file(path)
        if path.startswith("/bot"):
            token, _, method = path[len("/bot") :].partition("/")
            return self._handle_bot_api(token, method.strip("/"), parsed.query, content_type, body)
        return _json_response(404, _error_payload(404, "Not Found"))

    def _handle_bot_api(self, token: str, method_name: str, query: str, content_type: str, body: bytes) -> _Response:
        """Record and answer one Bot API call."""
        at = time.monotonic()
        method = _CANONICAL.get(method_name.lower(), method_name)
        try:
            request = _parse_request(query, content_type, body)
        except _APIError as exc:
            request, parse_error = _Request({}, {}), exc
        else:
            parse_error = None
        with self._cond:
            call = Call(method=method, params=request.params, at=at, status=200)
            self.calls.append(call)
            if token != self.token:
                response = self._api_error(_APIError(401, "Unauthorized"))
            elif method not in self._handlers:
                response = self._api_error(_APIError(404, "Not Found: method not found" if method else "Not Found"))
            elif parse_error is not None:
                response = self._api_error(parse_error)
            else:
                response = self._process(method, request)
            if response.status != 200:
                for index in range(len(self.calls) - 1, -1, -1):
                    if self.calls[index] is call:
                        self.calls[index] = dataclasses.replace(call, status=response.status)
                        break
                description = json.loads(response.body).get("description", "")
                self._errors.append((request.params.get("chat_id"), method, response.status, description))
            self._cond.notify_all()
        return response

    def _api_error(self, error: _APIError) -> _Response:
        """Serialise an API error."""
        return _json_response(error.status, _error_payload(error.status, error.description, error.parameters))

    def _process(self, method: str, request: _Request) -> _Response:
        """Apply scripted failures, rate limits and delays, then run the method (lock held)."""
        params = request.params
        failure = self._take_scripted(self._failures, method, params)
        if failure is not None:
            parameters: JSONDict = {}
            if failure.retry_after is not None:
                parameters["retry_after"] = failure.retry_after
            if failure.migrate_to_chat_id is not None:
                parameters["migrate_to_chat_id"] = failure.migrate_to_chat_id
            return self._api_error(_APIError(failure.status, failure.description, parameters or None))
        if self.enforce_rate_limits and method in RATE_LIMITED_METHODS and not self._admit(params):
            self.rate_limited_count += 1
            return self._api_error(_APIError(429, "Too Many Requests: retry after 1", {"retry_after": 1}))
        delay = self._take_scripted(self._delays, method, params)
        if delay is not None and not delay.accept:
            return _json_response(502, _error_payload(502, "Bad Gateway"), delay=delay.seconds)
        try:
            result = self._handlers[method](request)
        except _APIError as exc:
            response = self._api_error(exc)
        else:
            response = _json_response(200, {"ok": True, "result": result})
        if delay is not None:
            response.delay = delay.seconds
        return response

    def _take_scripted(self, scripted: list[Any], method: str, params: JSONDict) -> Any:
        """Consume the first scripted failure/delay matching this call, if any."""
        for entry in scripted:
            if entry.method == method and (entry.chat_id is None or _same_chat(params.get("chat_id"), entry.chat_id)):
                entry.times -= 1
                if entry.times <= 0:
                    scripted.remove(entry)
                return entry
        return None

    def _admit(self, params: JSONDict) -> bool:
        """Flood control: admit a sending call unless the global or per-chat rate is exceeded."""
        now = time.monotonic()
        while self._global_sends and now - self._global_sends[0] >= 1.0:
            self._global_sends.popleft()
        if self.global_rate > 0 and len(self._global_sends) >= self.global_rate:
            return False
        chat_id = params.get("chat_id")
        if chat_id is not None and self.per_chat_rate > 0:
            window = max(1.0, 1.0 / self.per_chat_rate)
            allowed = max(1, round(self.per_chat_rate * window))
            sends = self._chat_sends.setdefault(chat_id, deque())
            while sends and now - sends[0] >= window:
                sends.popleft()
            if len(sends) >= allowed:
                return False
            sends.append(now)
        self._global_sends.append(now)
        return True

    def _handle_file(self, path: str) -> _Response:
        """Serve an uploaded file from ``/file/bot<token>/<file_path>``."""
        token, _, file_path = path[len("/file/bot") :].partition("/")
        if token != self.token:
            return _json_response(401, _error_payload(401, "Unauthorized"))
        with self._lock:
            for content, meta in self._files.values():
                if meta["file_path"] == file_path:
                    return _Response(200, content, content_type="application/octet-stream")
        return _json_response(404, _error_payload(404, "Not Found"))

    def _handle_control(self, verb: str, path: str, query: str, body: bytes) -> _Response:
        """Serve the ``/_fake/...`` control endpoints."""
        route = path[len("/_fake") :].strip("/").split("/")
        try:
            payload = json.loads(body.decode("utf-8")) if body.strip() else {}
            if verb == "POST" and route == ["messages"]:
                result: Any = self.push_message(
                    int(payload["user_id"]),
                    str(payload["text"]),
                    first_name=payload.get("first_name") or DEFAULT_FIRST_NAME,
                    username=payload.get("username"),
                    language_code=payload.get("language_code"),
                )
            elif verb == "POST" and route == ["callbacks"]:
                message_id = payload.get("message_id")
                result = self.push_callback(
                    int(payload["user_id"]),
                    str(payload["data"]),
                    message_id=int(message_id) if message_id is not None else None,
                )
            elif verb == "GET" and len(route) == 2 and route[0] == "chats":
                result = self.chat(int(route[1]))
            elif verb == "GET" and route == ["calls"]:
                method = urllib.parse.parse_qs(query).get("method", [""])[-1]
                with self._lock:
                    calls = self.calls_of(method) if method else list(self.calls)
                result = [dataclasses.asdict(call) for call in calls]
            elif verb == "POST" and route == ["fail"]:
                self.fail_next(
                    str(payload["method"]),
                    status=int(payload["status"]),
                    description=payload.get("description") or "",
                    retry_after=payload.get("retry_after"),
                    times=int(payload.get("times") or 1),
                    chat_id=payload.get("chat_id"),
                    migrate_to_chat_id=payload.get("migrate_to_chat_id"),
                )
                result = {"ok": True}
            elif verb == "POST" and route == ["delay"]:
                self.delay_next(
                    str(payload["method"]),
                    float(payload["seconds"]),
                    times=int(payload.get("times") or 1),
                    accept=bool(payload.get("accept", True)),
                    chat_id=payload.get("chat_id"),
                )
                result = {"ok": True}
            elif verb == "POST" and route == ["reset"]:
                self.reset()
                result = {"ok": True}
            elif verb == "GET" and route == ["stats"]:
                result = self.stats()
            else:
                return _json_response(404, {"error": f"no control endpoint {verb} {path}"})
        except UnknownMessageError as exc:
            return _json_response(404, {"error": str(exc)})
        except (KeyError, TypeError, ValueError) as exc:
            return _json_response(400, {"error": f"bad request: {exc!r}"})
        return _json_response(200, result)

    # ----------------------------------------------------------------- state helpers

    def _new_update_id(self) -> int:
        """Next update_id (monotonic across all updates and resets)."""
        update_id = self._next_update_id
        self._next_update_id += 1
        return update_id

    def _new_message_id(self, chat_id: int) -> int:
        """Next message_id in a chat (shared by user and bot messages, like Telegram)."""
        message_id = self._next_message_ids.get(chat_id, 0) + 1
        self._next_message_ids[chat_id] = message_id
        return message_id

    def _bot_user(self) -> JSONDict:
        """The bot as a User object."""
        return {"id": self.bot_id, "is_bot": True, "first_name": self.bot_first_name, "username": self.bot_username}

    def _chat_object(self, chat_id: int) -> JSONDict:
        """A Chat object for ``chat_id`` (private for positive ids, groups otherwise)."""
        if chat_id > 0:
            chat: JSONDict = {"id": chat_id, "type": "private"}
            user = self._users.get(chat_id)
            chat["first_name"] = user["first_name"] if user else DEFAULT_FIRST_NAME
            if user and user.get("username"):
                chat["username"] = user["username"]
            return chat
        kind = "supergroup" if str(chat_id).startswith("-100") else "group"
        return {"id": chat_id, "type": kind, "title": f"Chat {chat_id}"}

    def _chat_id(self, params: JSONDict) -> int:
        """The ``chat_id`` parameter as int, or Telegram's 400 answer."""
        value = params.get("chat_id")
        if value is None or value == "":
            raise _APIError(400, "Bad Request: chat_id is empty")
        if isinstance(value, bool):
            raise _APIError(400, "Bad Request: chat not found")
        try:
            return int(value)
        except (TypeError, ValueError) as exc:
            raise _APIError(400, "Bad Request: chat not found") from exc

    def _new_bot_message(self, chat_id: int, params: JSONDict) -> JSONDict:
        """Common fields of a message the bot is sending."""
        message: JSONDict = {
            "message_id": 0,
            "from": self._bot_user(),
            "chat": self._chat_object(chat_id),
            "date": int(time.time()),
        }
        reply = params.get("reply_parameters")
        reply_to = reply.get("message_id") if isinstance(reply, dict) else params.get("reply_to_message_id")
        target = self._any_message(chat_id, _as_int(reply_to, 0))
        if target is not None:
            message["reply_to_message"] = {k: v for k, v in target.items() if k != "reply_to_message"}
        return message

    def _any_message(self, chat_id: int, message_id: int) -> JSONDict | None:
        """A stored bot or user message, if present and not deleted."""
        key = (chat_id, message_id)
        if key in self._deleted:
            return None
        return copy.deepcopy(self._bot_messages.get(key) or self._user_messages.get(key))

    def _store_bot_message(self, message: JSONDict) -> JSONDict:
        """Assign an id, store the message as sent and return a copy."""
        chat_id = message["chat"]["id"]
        message["message_id"] = self._new_message_id(chat_id)
        key = (chat_id, message["message_id"])
        self._bot_messages[key] = message
        self._chat_bot_ids.setdefault(chat_id, []).append(message["message_id"])
        self._history.setdefault(chat_id, []).append(("bot", message["message_id"]))
        self._sent_keys.append(key)
        return copy.deepcopy(message)

    def _inline_markup(self, params: JSONDict) -> JSONDict | None:
        """Validate ``reply_markup``; return it when it is a non-empty inline keyboard."""
        markup = params.get("reply_markup")
        if markup is None or markup == "":
            return None
        if not isinstance(markup, dict):
            raise _APIError(400, "Bad Request: can't parse reply keyboard markup JSON object")
        if "inline_keyboard" not in markup:
            return None
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise _APIError(400, 'Bad Request: field "inline_keyboard" of the InlineKeyboardMarkup must be an Array')
        for row in rows:
            for button in row:
                if not isinstance(button, dict) or not isinstance(button.get("text"), str):
                    raise _APIError(400, "Bad Request: can't parse inline keyboard button: Text must be a String")
                if not _BUTTON_ACTIONS.intersection(button):
                    raise _APIError(400, "Bad Request: text buttons are unallowed in the inline keyboard")
                data = button.get("callback_data")
                if data is not None and not 1 <= len(str(data).encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES:
                    raise _APIError(400, "Bad Request: BUTTON_DATA_INVALID")
                url = button.get("url")
                if url is not None and not str(url).startswith(("http://", "https://", "tg://")):
                    raise _APIError(400, "Bad Request: BUTTON_URL_INVALID")
        return markup if any(rows) else None

    def _formatted(self, params: JSONDict, field: str, *, limit: int, allow_empty: bool) -> tuple[str, list[JSONDict]]:
        """Format a text/caption parameter like Telegram, validating its length."""
        raw = params.get(field)
        text, entities = format_text(
            "" if raw is None else str(raw),
            params.get("parse_mode"),
            params.get("entities" if field == "text" else "caption_entities"),
        )
        if not text and not allow_empty:
            raise _APIError(400, "Bad Request: message text is empty")
        if len(text) > limit:
            raise _APIError(
                400,
                "Bad Request: message is too long" if field == "text" else "Bad Request: message caption is too long",
            )
        return text, entities

    def _message_for_edit(self, params: JSONDict) -> JSONDict | None:
        """The stored bot message an edit targets; None for inline messages."""
        if params.get("inline_message_id"):
            return None
        chat_id = self._chat_id(params)
        message_id = _as_int(params.get("message_id"), 0)
        if not message_id:
            raise _APIError(400, "Bad Request: message identifier is not specified")
        key = (chat_id, message_id)
        if key not in self._bot_messages or key in self._deleted:
            if key in self._user_messages:
                raise _APIError(400, "Bad Request: message can't be edited")
            raise _APIError(400, "Bad Request: message to edit not found")
        return self._bot_messages[key]

    @staticmethod
    def _apply_edit(message: JSONDict, changes: JSONDict) -> JSONDict:
        """Apply changed fields (None removes a field) or fail with 'message is not modified'."""
        if all(message.get(field) == value for field, value in changes.items()):
            raise _APIError(
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
        return copy.deepcopy(message)

    def _register_file(self, request: _Request, field: str, *, kind: str) -> JSONDict:
        """Store an uploaded (or referenced) file and return its metadata."""
        value = request.params.get(field)
        if value is None or value == "":
            raise _APIError(400, f"Bad Request: there is no {field} in the request")
        if isinstance(value, str) and value in self._files:
            return dict(self._files[value][1])
        self._file_seq += 1
        file_id = f"{kind.upper()}-{self.bot_id}-{self._file_seq:06d}"
        content = request.uploads.get(field, b"")
        filename = value["filename"] if isinstance(value, dict) else f"file_{self._file_seq}"
        meta: JSONDict = {
            "file_id": file_id,
            "file_unique_id": f"U{self._file_seq:06d}",
            "file_size": len(content),
            "file_path": f"{kind}s/{filename}",
            "file_name": filename,
            "mime_type": value.get("content_type", "application/octet-stream")
            if isinstance(value, dict)
            else "application/octet-stream",
        }
        self._files[file_id] = (content, meta)
        return dict(meta)

    # ----------------------------------------------------------------- Bot API methods

    def _true(self, request: _Request) -> bool:
        """Methods that just acknowledge."""
        return True

    def _get_me(self, request: _Request) -> JSONDict:
        """getMe."""
        return {
            **self._bot_user(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _get_updates(self, request: _Request) -> list[JSONDict]:
        """getUpdates with offset/limit/allowed_updates and long polling (lock held, waits on it)."""
        params = request.params
        if self._webhook["url"]:
            raise _APIError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = _as_int(params.get("offset"), 0)
        limit = min(max(_as_int(params.get("limit"), 100), 1), 100)
        try:
            timeout = max(float(params.get("timeout") or 0), 0.0)
        except (TypeError, ValueError):
            timeout = 0.0
        if "allowed_updates" in params:
            allowed = params["allowed_updates"]
            self.allowed_updates = list(allowed) if isinstance(allowed, list) else None
        self._poll_generation += 1
        generation = self._poll_generation
        if offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif offset < 0:
            self._updates = self._updates[offset:]
        deadline = time.monotonic() + timeout
        while True:
            if generation != self._poll_generation:
                raise _APIError(409, _DEFAULT_DESCRIPTIONS[409])
            if self.allowed_updates:
                allowed_types = set(self.allowed_updates)
                self._updates = [u for u in self._updates if next(k for k in u if k != "update_id") in allowed_types]
            remaining = deadline - time.monotonic()
            if self._updates or remaining <= 0 or self._stopping.is_set():
                return copy.deepcopy(self._updates[:limit])
            self._cond.wait(remaining)

    def _set_webhook(self, request: _Request) -> bool:
        """setWebhook (HTTPS only, like Telegram; updates are not delivered to it)."""
        params = request.params
        url = str(params.get("url") or "")
        if url and not url.startswith("https://"):
            raise _APIError(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
        self._webhook = {"url": url}
        if url:
            self._webhook["max_connections"] = _as_int(params.get("max_connections"), 40)
        if isinstance(params.get("allowed_updates"), list):
            self.allowed_updates = list(params["allowed_updates"])
        if params.get("drop_pending_updates") is True:
            self._updates.clear()
        return True

    def _delete_webhook(self, request: _Request) -> bool:
        """deleteWebhook."""
        self._webhook = {"url": ""}
        if request.params.get("drop_pending_updates") is True:
            self._updates.clear()
        return True

    def _get_webhook_info(self, request: _Request) -> JSONDict:
        """getWebhookInfo."""
        info: JSONDict = {"url": self._webhook["url"], "has_custom_certificate": False}
        info["pending_update_count"] = len(self._updates)
        if self._webhook["url"]:
            info["max_connections"] = self._webhook.get("max_connections", 40)
            if self.allowed_updates:
                info["allowed_updates"] = list(self.allowed_updates)
        return info

    def _send_message(self, request: _Request) -> JSONDict:
        """sendMessage."""
        params = request.params
        chat_id = self._chat_id(params)
        text, entities = self._formatted(params, "text", limit=MAX_TEXT_LENGTH, allow_empty=False)
        markup = self._inline_markup(params)
        message = self._new_bot_message(chat_id, params)
        message["text"] = text
        if entities:
            message["entities"] = entities
        if markup:
            message["reply_markup"] = markup
        return self._store_bot_message(message)

    def _send_media(self, request: _Request, field: str) -> JSONDict:
        """sendPhoto / sendDocument."""
        params = request.params
        chat_id = self._chat_id(params)
        caption, entities = self._formatted(params, "caption", limit=MAX_CAPTION_LENGTH, allow_empty=True)
        markup = self._inline_markup(params)
        meta = self._register_file(request, field, kind=field)
        message = self._new_bot_message(chat_id, params)
        base = {"file_id": meta["file_id"], "file_unique_id": meta["file_unique_id"], "file_size": meta["file_size"]}
        if field == "photo":
            message["photo"] = [{**base, "width": 320, "height": 240}]
        else:
            message["document"] = {**base, "file_name": meta["file_name"], "mime_type": meta["mime_type"]}
        if caption:
            message["caption"] = caption
        if entities:
            message["caption_entities"] = entities
        if markup:
            message["reply_markup"] = markup
        return self._store_bot_message(message)

    def _send_photo(self, request: _Request) -> JSONDict:
        """sendPhoto."""
        return self._send_media(request, "photo")

    def _send_document(self, request: _Request) -> JSONDict:
        """sendDocument."""
        return self._send_media(request, "document")

    def _send_chat_action(self, request: _Request) -> bool:
        """sendChatAction."""
        self._chat_id(request.params)
        return True

    def _edit_message_text(self, request: _Request) -> JSONDict | bool:
        """editMessageText (no reply_markup removes the inline keyboard)."""
        params = request.params
        text, entities = self._formatted(params, "text", limit=MAX_TEXT_LENGTH, allow_empty=False)
        markup = self._inline_markup(params)
        message = self._message_for_edit(params)
        if message is None:
            return True
        if "text" not in message:
            raise _APIError(400, "Bad Request: there is no text in the message to edit")
        return self._apply_edit(message, {"text": text, "entities": entities or None, "reply_markup": markup})

    def _edit_message_caption(self, request: _Request) -> JSONDict | bool:
        """editMessageCaption."""
        params = request.params
        caption, entities = self._formatted(params, "caption", limit=MAX_CAPTION_LENGTH, allow_empty=True)
        markup = self._inline_markup(params)
        message = self._message_for_edit(params)
        if message is None:
            return True
        if "text" in message:
            raise _APIError(400, "Bad Request: there is no caption in the message to edit")
        changes = {"caption": caption or None, "caption_entities": entities or None, "reply_markup": markup}
        return self._apply_edit(message, changes)

    def _edit_message_reply_markup(self, request: _Request) -> JSONDict | bool:
        """editMessageReplyMarkup (no reply_markup removes the inline keyboard)."""
        markup = self._inline_markup(request.params)
        message = self._message_for_edit(request.params)
        if message is None:
            return True
        return self._apply_edit(message, {"reply_markup": markup})

    def _delete_message(self, request: _Request) -> bool:
        """deleteMessage."""
        chat_id = self._chat_id(request.params)
        message_id = _as_int(request.params.get("message_id"), 0)
        key = (chat_id, message_id)
        if key in self._deleted or (key not in self._bot_messages and key not in self._user_messages):
            raise _APIError(400, "Bad Request: message to delete not found")
        self._deleted.add(key)
        if key in self._bot_messages:
            self._chat_bot_ids[chat_id].remove(message_id)
        return True

    def _answer_callback_query(self, request: _Request) -> bool:
        """answerCallbackQuery (a query issued by the fake can be answered once)."""
        params = request.params
        query_id = str(params.get("callback_query_id") or "")
        if not query_id or query_id in self._answered_ids:
            raise _APIError(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
        if query_id in self._issued_callbacks:
            self._answered_ids.add(query_id)
        self._answered.append(copy.deepcopy(params))
        return True

    @staticmethod
    def _commands_key(params: JSONDict) -> str:
        """Storage key of a (scope, language_code) command list."""
        scope = params.get("scope") if isinstance(params.get("scope"), dict) else {"type": "default"}
        return json.dumps([scope, params.get("language_code") or ""], sort_keys=True)

    def _set_my_commands(self, request: _Request) -> bool:
        """setMyCommands."""
        commands = request.params.get("commands")
        if not isinstance(commands, list):
            raise _APIError(400, "Bad Request: can't parse commands JSON object")
        for command in commands:
            if not isinstance(command, dict) or not _COMMAND_NAME_RE.match(str(command.get("command", ""))):
                raise _APIError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise _APIError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        self._commands[self._commands_key(request.params)] = [
            {"command": c["command"], "description": c["description"]} for c in commands
        ]
        return True

    def _get_my_commands(self, request: _Request) -> list[JSONDict]:
        """getMyCommands."""
        return copy.deepcopy(self._commands.get(self._commands_key(request.params), []))

    def _delete_my_commands(self, request: _Request) -> bool:
        """deleteMyCommands."""
        self._commands.pop(self._commands_key(request.params), None)
        return True

    def _get_chat_menu_button(self, request: _Request) -> JSONDict:
        """getChatMenuButton."""
        return {"type": "default"}

    def _get_chat(self, request: _Request) -> JSONDict:
        """getChat (a minimal ChatFullInfo)."""
        chat = self._chat_object(self._chat_id(request.params))
        gifts = {
            "unlimited_gifts": True,
            "limited_gifts": True,
            "unique_gifts": True,
            "premium_subscription": True,
            "gifts_from_channels": True,
        }
        return {**chat, "accent_color_id": 0, "max_reaction_count": 11, "accepted_gift_types": gifts}

    def _get_file(self, request: _Request) -> JSONDict:
        """getFile."""
        file_id = str(request.params.get("file_id") or "")
        if file_id not in self._files:
            raise _APIError(400, "Bad Request: invalid file_id")
        meta = self._files[file_id][1]
        return {key: meta[key] for key in ("file_id", "file_unique_id", "file_size", "file_path")}


# --------------------------------------------------------------------------- remote client


class FakeTelegramClient:
    """Stdlib client for the ``/_fake/...`` control endpoints of a fake running elsewhere."""

    def __init__(self, base_http_url: str, timeout: float = 10.0) -> None:
        """Accept ``http://host:port`` (a trailing ``/bot`` or ``/_fake`` is ignored)."""
        url = base_http_url.rstrip("/")
        for suffix in ("/_fake", "/bot"):
            url = url.removesuffix(suffix)
        self.base_http_url = url
        self.timeout = timeout
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def _request(self, verb: str, path: str, payload: JSONDict | None = None) -> Any:
        """Send one control request and decode the JSON answer."""
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
        """Queue a private-chat message update."""
        payload = {"user_id": user_id, "text": text, "first_name": first_name, "username": username}
        return self._request("POST", "messages", payload)

    def push_callback(self, user_id: int, data: str, *, message_id: int | None = None) -> JSONDict:
        """Queue a callback_query update."""
        return self._request("POST", "callbacks", {"user_id": user_id, "data": data, "message_id": message_id})

    def chat(self, chat_id: int) -> list[JSONDict]:
        """The bot's messages in a chat, current state."""
        return self._request("GET", f"chats/{chat_id}")

    def calls(self, method: str | None = None) -> list[JSONDict]:
        """Recorded calls (optionally of one method) as dicts."""
        query = f"?{urllib.parse.urlencode({'method': method})}" if method else ""
        return self._request("GET", f"calls{query}")

    def fail_next(
        self,
        method: str,
        *,
        status: int,
        description: str = "",
        retry_after: int | None = None,
        times: int = 1,
        chat_id: int | None = None,
    ) -> None:
        """Script error answers for the next calls of a method."""
        payload = {
            "method": method,
            "status": status,
            "description": description,
            "retry_after": retry_after,
            "times": times,
            "chat_id": chat_id,
        }
        self._request("POST", "fail", payload)

    def delay_next(
        self, method: str, seconds: float, *, times: int = 1, accept: bool = True, chat_id: int | None = None
    ) -> None:
        """Script delayed answers for the next calls of a method."""
        payload = {"method": method, "seconds": seconds, "times": times, "accept": accept, "chat_id": chat_id}
        self._request("POST", "delay", payload)

    def reset(self) -> None:
        """Forget all recorded state."""
        self._request("POST", "reset", {})

    def stats(self) -> JSONDict:
        """Counters: rate_limited_count, sent_count, calls_count."""
        return self._request("GET", "stats")

    def wait_for_message(self, chat_id: int, contains: str = "", timeout: float = 5.0, after: int = 0) -> JSONDict:
        """Poll until a bot message at index >= ``after`` contains ``contains``."""
        deadline = time.monotonic() + timeout
        while True:
            messages = self.chat(chat_id)
            for message in messages[after:]:
                if contains in _message_text(message):
                    return message
            if time.monotonic() >= deadline:
                texts = [_message_text(m) for m in messages]
                raise AssertionError(f"no bot message containing {contains!r} in chat {chat_id}; chat: {texts}")
            time.sleep(0.05)


# --------------------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> int:
    """Run the fake in the foreground until SIGINT/SIGTERM."""
    parser = argparse.ArgumentParser(description="Fake Telegram Bot API server")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    parser.add_argument("--bot-username", default="interview_test_bot")
    parser.add_argument("--enforce-rate-limits", action="store_true")
    parser.add_argument("--global-rate", type=int, default=30)
    parser.add_argument("--per-chat-rate", type=float, default=1.0)
    args = parser.parse_args(argv)
    stop = threading.Event()

    def on_signal(signum: int, frame: Any) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    fake = FakeTelegramAPI(
        token=args.token,
        host=args.host,
        port=args.port,
        enforce_rate_limits=args.enforce_rate_limits,
        global_rate=args.global_rate,
        per_chat_rate=args.per_chat_rate,
        bot_username=args.bot_username,
    )
    with fake:
        print(fake.base_url, flush=True)
        while not stop.wait(0.5):
            pass
    return 0
