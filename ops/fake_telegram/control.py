"""The ``/_fake/...`` endpoints: what the sandbox page and another process's tests do as the person in a chat.

POST /_fake/messages {user_id, text, first_name?, username?}   the person types (queued for getUpdates)
POST /_fake/callbacks {user_id, data, message_id?}             the person taps a button (404: no such message)
GET  /_fake/chats/<id>                                         the bot's messages in that chat, current state
GET  /_fake/answers/<callback query id>                        the bot's answerCallbackQuery parameters, or null
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ops.fake_telegram.state import DEFAULT_FIRST_NAME, UnknownMessageError
from ops.fake_telegram.wire import Response, json_response

if TYPE_CHECKING:
    from ops.fake_telegram.api import FakeTelegramAPI


def answer(fake: FakeTelegramAPI, verb: str, path: str, body: bytes) -> Response:
    """Route one control request; answers are plain JSON (no Bot API envelope)."""
    route = path[len("/_fake") :].strip("/").split("/")
    try:
        payload = json.loads(body.decode("utf-8")) if body.strip() else {}
        if verb == "POST" and route == ["messages"]:
            result: Any = fake.push_message(
                int(payload["user_id"]),
                str(payload["text"]),
                first_name=payload.get("first_name") or DEFAULT_FIRST_NAME,
                username=payload.get("username"),
            )
        elif verb == "POST" and route == ["callbacks"]:
            message_id = payload.get("message_id")
            result = fake.push_callback(
                int(payload["user_id"]),
                str(payload["data"]),
                message_id=int(message_id) if message_id is not None else None,
            )
        elif verb == "GET" and len(route) == 2 and route[0] == "chats":
            result = fake.chat(int(route[1]))
        elif verb == "GET" and len(route) == 2 and route[0] == "answers":
            result = fake.callback_answer(route[1])
        else:
            return json_response(404, {"error": f"no control endpoint {verb} {path}"})
    except UnknownMessageError as exc:
        return json_response(404, {"error": str(exc)})
    except (KeyError, TypeError, ValueError) as exc:
        return json_response(400, {"error": f"bad request: {exc!r}"})
    return json_response(200, result)
