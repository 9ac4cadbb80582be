"""A fake Telegram Bot API over real HTTP: the sandbox of `make run`, the tests and the benchmarks talk to it.

A deliberate part of the product, not a test helper: `make run` without a token starts it so a
person can play the candidate in /sandbox/, and every test and benchmark that needs Telegram
talks to it over HTTP instead of mocking our own code. Standalone: ``python -m ops.fake_telegram --port 8081``.
"""

from ops.fake_telegram.server import Call, FakeTelegramAPI, FakeTelegramClient, UnknownMessageError, main

__all__ = ["Call", "FakeTelegramAPI", "FakeTelegramClient", "UnknownMessageError", "main"]
