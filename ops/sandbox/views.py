"""The sandbox page and the JSON endpoints it polls, proxied to the fake Bot API (it listens on 127.0.0.1 only)."""

from __future__ import annotations

import functools
import json
import logging
import urllib.error
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from candidates.models import Candidate
from ops.fake_telegram import FakeTelegramClient, UnknownMessageError
from ops.sandbox.identities import IDENTITIES, Identity, identity_get
from ops.sandbox.services import sandbox_candidates_mark, sandbox_reminders_fast_forward

logger = logging.getLogger(__name__)

MAX_TEXT_LENGTH = 4096
# The fake keeps only the bot's messages per chat; what the person typed is kept here, per process.
USER_MESSAGES_TTL_SECONDS = 24 * 3600
USER_MESSAGES_LIMIT = 500


def sandbox_enabled() -> bool:
    """True when the settings point at a fake Bot API (make run without a token)."""
    return bool(getattr(settings, "SANDBOX_FAKE_API_URL", ""))


def _client() -> FakeTelegramClient:
    return FakeTelegramClient(settings.SANDBOX_FAKE_API_URL, timeout=5.0)


def sandbox_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """404 unless the sandbox is on, then staff only (the check order hides the page entirely in production)."""
    staff_view = staff_member_required(view)

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not sandbox_enabled():
            raise Http404("sandbox is off")
        return staff_view(request, *args, **kwargs)

    return wrapper


def _identity_or_404(user_id: int) -> Identity:
    identity = identity_get(user_id)
    if identity is None:
        raise Http404("not a sandbox identity")
    return identity


def _fake_down(exc: Exception) -> JsonResponse:
    logger.warning("sandbox: fake Bot API at %s unreachable: %s", settings.SANDBOX_FAKE_API_URL, exc)
    return JsonResponse({"error": "Фейковый Bot API не отвечает: запущен ли make run?"}, status=502)


def _user_messages_key(user_id: int) -> str:
    return f"sandbox:user-messages:{settings.SANDBOX_FAKE_API_URL}:{user_id}"


def _remember_user_message(user_id: int, update: dict[str, Any]) -> None:
    message = update.get("message") or {}
    stored = cache.get(_user_messages_key(user_id), [])
    stored.append({"message_id": message.get("message_id"), "text": message.get("text", "")})
    cache.set(_user_messages_key(user_id), stored[-USER_MESSAGES_LIMIT:], USER_MESSAGES_TTL_SECONDS)


def _buttons(message: dict[str, Any]) -> list[list[dict[str, str]]]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard") or []
    return [
        [{"text": b.get("text", ""), "data": b.get("callback_data", ""), "url": b.get("url", "")} for b in row]
        for row in rows
    ]


def _chat_payload(user_id: int, bot_messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Bot messages (current state) and the person's messages, in Telegram's order (shared message ids)."""
    items = [
        {
            "id": m["message_id"],
            "from": "bot",
            "text": m.get("text") or m.get("caption") or "",
            "entities": m.get("entities") or m.get("caption_entities") or [],
            "buttons": _buttons(m),
            "edited": "edit_date" in m,
            "date": m.get("date"),
        }
        for m in bot_messages
    ]
    known_bot_ids = {item["id"] for item in items}
    newest_bot_id = max(known_bot_ids, default=0)
    for m in cache.get(_user_messages_key(user_id), []):
        # After the fake restarted, ids start again at 1: older remembered messages no longer belong.
        if m["message_id"] in known_bot_ids or (bot_messages and m["message_id"] > newest_bot_id + 50):
            continue
        items.append({"id": m["message_id"], "from": "user", "text": m["text"], "entities": [], "buttons": []})
    items.sort(key=lambda item: item["id"])
    return items


def _candidate_stage(user_id: int) -> str:
    candidate = Candidate.objects.filter(telegram_id=user_id).only("status").first()
    return candidate.get_status_display() if candidate else "ещё не писал боту"


@sandbox_only
@require_GET
def sandbox_page(request: HttpRequest) -> HttpResponse:
    """The chat page: identity switcher, messages with inline keyboards, a text box, fast-forward."""
    identities = [{"id": i.user_id, "name": i.first_name, "username": i.username} for i in IDENTITIES]
    return render(request, "sandbox/chat.html", {"identities": identities})


@sandbox_only
@require_GET
def chat_get(request: HttpRequest, user_id: int) -> JsonResponse:
    """The identity's chat as the fake Bot API holds it now."""
    _identity_or_404(user_id)
    try:
        bot_messages = _client().chat(user_id)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return _fake_down(exc)
    return JsonResponse({"messages": _chat_payload(user_id, bot_messages), "stage": _candidate_stage(user_id)})


def _json_body(request: HttpRequest) -> dict[str, Any]:
    try:
        body = json.loads(request.body.decode("utf-8") or "{}")
    except (UnicodeDecodeError, json.JSONDecodeError):
        return {}
    return body if isinstance(body, dict) else {}


@sandbox_only
@require_POST
def message_post(request: HttpRequest, user_id: int) -> JsonResponse:
    """The person types a message as this identity."""
    identity = _identity_or_404(user_id)
    text = str(_json_body(request).get("text", "")).strip()
    if not text or len(text) > MAX_TEXT_LENGTH:
        return JsonResponse({"error": "Пустое или слишком длинное сообщение"}, status=400)
    try:
        update = _client().push_message(user_id, text, first_name=identity.first_name, username=identity.username)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return _fake_down(exc)
    _remember_user_message(user_id, update)
    sandbox_candidates_mark()
    return JsonResponse({"ok": True, "message_id": (update.get("message") or {}).get("message_id")})


@sandbox_only
@require_POST
def callback_post(request: HttpRequest, user_id: int) -> JsonResponse:
    """The person taps an inline button of one of the bot's messages."""
    _identity_or_404(user_id)
    body = _json_body(request)
    try:
        message_id = int(body["message_id"])
        data = str(body["data"])
    except (KeyError, TypeError, ValueError):
        return JsonResponse({"error": "Нужны message_id и data"}, status=400)
    client = _client()
    try:
        message = next((m for m in client.chat(user_id) if m["message_id"] == message_id), None)
        # Only a button the message really shows can be tapped, as in Telegram.
        if message is None or not any(b["data"] == data for row in _buttons(message) for b in row):
            return JsonResponse({"error": "У сообщения больше нет такой кнопки"}, status=409)
        update = client.push_callback(user_id, data, message_id=message_id)
    except UnknownMessageError:
        return JsonResponse({"error": "Сообщение удалено"}, status=409)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return _fake_down(exc)
    sandbox_candidates_mark()
    return JsonResponse({"ok": True, "callback_id": (update.get("callback_query") or {}).get("id")})


@sandbox_only
@require_GET
def callback_answer_get(request: HttpRequest, user_id: int, callback_id: str) -> JsonResponse:
    """The bot's answer to one tap: Telegram shows its text as a small pop-up line over the chat."""
    _identity_or_404(user_id)
    if not callback_id.isdigit():
        raise Http404("not a callback id")
    try:
        answer = _client().callback_answer(callback_id)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return _fake_down(exc)
    return JsonResponse({"answered": answer is not None, "text": (answer or {}).get("text") or ""})


@sandbox_only
@require_POST
def fast_forward_post(request: HttpRequest, user_id: int) -> JsonResponse:
    """Demo control: the identity's next reminder becomes due now (sandbox rows only)."""
    _identity_or_404(user_id)
    moved = sandbox_reminders_fast_forward(telegram_id=user_id)
    return JsonResponse({"ok": True, "moved": len(moved)})
