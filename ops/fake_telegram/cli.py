"""``python -m ops.fake_telegram``: the fake as its own process, as runall starts it for the sandbox."""

from __future__ import annotations

import argparse
import signal
import threading
from typing import Any

from ops.fake_telegram.api import DEFAULT_TOKEN, FakeTelegramAPI


def main(argv: list[str] | None = None) -> int:
    """Serve until SIGINT/SIGTERM; the first line on stdout is the Bot API base URL."""
    parser = argparse.ArgumentParser(description="Fake Telegram Bot API server")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    args = parser.parse_args(argv)
    stop = threading.Event()

    def on_signal(signum: int, frame: Any) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    with FakeTelegramAPI(token=args.token, host=args.host, port=args.port) as fake:
        print(fake.base_url, flush=True)
        while not stop.wait(0.5):
            pass
    return 0
