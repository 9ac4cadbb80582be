"""A fake Telegram Bot API over real HTTP: the sandbox of `make run`, the tests and the benchmarks talk to it.

A deliberate part of the product, not a test helper. `make run` without a token starts it
(``python -m ops.fake_telegram --port 8081 --token ...``) so a person can play the candidate in
/sandbox/; every test and benchmark that needs Telegram talks to it over HTTP instead of mocking
our own code. It implements what the product calls, directly (notifications/telegram.py) or
through python-telegram-bot: getMe, getUpdates (long polling), setWebhook, deleteWebhook,
sendMessage, editMessageText, editMessageReplyMarkup, deleteMessage, answerCallbackQuery, with
Telegram's answers and errors. Anything else is a 404, parse_mode and file uploads a 400: extend
it when the product starts using more of the Bot API.

Public surface:
- ``FakeTelegramAPI``: start()/stop() or ``with``; ``base_url`` for PTB and TELEGRAM_API_BASE_URL,
  ``http_url`` for the client. The person's side: push_message, push_callback (queued for
  getUpdates), make_message_update, make_callback_update (for Application.process_update).
  Inspection: calls, calls_of (``Call`` records), chat, last_message, sent_messages,
  answered_callbacks, callback_answer, allowed_updates, stats, transcript, wait_for, wait_for_message.
  Scripting: fail_next (any status, retry_after, migrate_to_chat_id), delay_next, reset, and
  Telegram's flood limits with ``enforce_rate_limits`` (``global_rate``, ``per_chat_rate``).
- ``FakeTelegramClient``: the person's side, chat() and callback_answer() over HTTP, for a fake in another
  process (the sandbox page, the make-run test).
- ``UnknownMessageError``: a tap on a bot message the chat does not have.
- ``main``: the command line (``python -m ops.fake_telegram``).

Modules: api (the fake), methods (Bot API methods), state (chats, messages, updates), scripting
(scripted failures, delays, flood control), wire (parameters in, Telegram's JSON out),
http_server (HTTP/1.1, and HTTP/2 with prior knowledge through h2_server: the bot's transport),
control (the ``/_fake/...`` endpoints), client, cli.
"""

from ops.fake_telegram.api import Call, FakeTelegramAPI
from ops.fake_telegram.cli import main
from ops.fake_telegram.client import FakeTelegramClient
from ops.fake_telegram.state import UnknownMessageError

__all__ = ["Call", "FakeTelegramAPI", "FakeTelegramClient", "UnknownMessageError", "main"]
