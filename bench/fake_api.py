"""The fake Bot API's own CPU per press: what Telegram's stand-in takes from the cores the bots are measured on.

    .venv/bin/python bench/fake_api.py                                # this checkout's fake
    .venv/bin/python bench/fake_api.py --baseline-checkout /tmp/base  # and an older one's, rounds alternating

`bench/bot.py` runs the fake in its own process; with two replicas on this 2-core machine every millisecond the
fake spends is one the bots cannot, so its cost caps the scale-out ratio. Here a PTB `Bot` in another process
(HTTP/2, 64 calls in flight, as a replica) makes a slot-list press's two calls for CHATS chats, ROUNDS times:
answerCallbackQuery, then editMessageText with a slot list's text and 24-button keyboard. The fake's process
meanwhile builds each press's update (what the bench's driver asks of it) and has a thread waiting on its
events, as the bench's driver does. Printed: the fake process's CPU per press, per round and the median; with a
baseline, the ratio of the medians. Nothing is asserted; no database is needed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "123456:BENCH-TOKEN"
CHATS = 300
PRESSES = 6  # per chat in a round
ROUNDS = 5
IN_FLIGHT = 64  # = botapp.application.MAX_CONCURRENT_UPDATES: a replica's presses at once
TEXT = "Свободное время, рекрутёр: Рекрутёр 7\nВремя — Europe/Moscow. Выберите время собеседования:"


def run_client(base_url: str) -> None:
    """The bot's side (a child process): one message per chat, then the presses once stdin says go."""
    import warnings

    from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
    from telegram.request import HTTPXRequest

    warnings.filterwarnings("ignore", message=".*HTTP/2.*")  # PTB's warning for HTTP/2 to a non-Telegram URL

    def keyboard(press: int) -> InlineKeyboardMarkup:
        times = [f"0{1 + i // 8}.12 {10 + i % 8}:00" for i in range(22)]
        slots = [[InlineKeyboardButton(t, callback_data=f"s:{press}:{i}:f00d")] for i, t in enumerate(times)]
        back = [
            InlineKeyboardButton("« Назад", callback_data="b:1"),
            InlineKeyboardButton("Обновить", callback_data="r"),
        ]
        return InlineKeyboardMarkup([*slots, back])

    async def main() -> None:
        bot = Bot(TOKEN, base_url=f"{base_url}/bot", request=HTTPXRequest(IN_FLIGHT, http_version="2"))
        await bot.initialize()
        first = await asyncio.gather(*(bot.send_message(chat, "Выберите рекрутёра") for chat in range(1, CHATS + 1)))
        message_ids = {m.chat.id: m.message_id for m in first}
        gate = asyncio.Semaphore(IN_FLIGHT)

        async def press(chat: int, k: int) -> None:
            async with gate:
                await bot.answer_callback_query(f"{chat}-{k}")
                await bot.edit_message_text(
                    f"{TEXT} {k}", chat_id=chat, message_id=message_ids[chat], reply_markup=keyboard(k)
                )

        print("ready", flush=True)
        sys.stdin.readline()
        for k in range(PRESSES):
            await asyncio.gather(*(press(chat, k) for chat in range(1, CHATS + 1)))
        await bot.shutdown()

    asyncio.run(main())


def measure_round(checkout: Path) -> float:
    """One round in a fresh process importing the fake from ``checkout``: its CPU ms per press."""
    out = subprocess.run(
        [sys.executable, __file__, "--serve", str(checkout)], check=True, capture_output=True, text=True, cwd=ROOT
    )
    return float(out.stdout.strip().splitlines()[-1])


def serve(checkout: Path) -> None:
    """A child process: the fake of ``checkout``, the client beside it; prints the fake's CPU ms per press."""
    sys.path.insert(0, str(checkout))
    from ops.fake_telegram import FakeTelegramAPI

    def cpu() -> float:
        times = os.times()
        return times.user + times.system

    with FakeTelegramAPI(token=TOKEN) as fake:
        client = subprocess.Popen(
            [sys.executable, __file__, "--client", fake.http_url], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        assert client.stdin is not None and client.stdout is not None
        if client.stdout.readline().strip() != b"ready":
            raise SystemExit("the client did not start")
        stop = threading.Event()

        def driver() -> None:  # woken by every call, as bench/bot.py's driver is
            while not stop.is_set():
                fake.wait_for(stop.is_set, timeout=0.2)

        waiter = threading.Thread(target=driver, daemon=True)
        waiter.start()
        before = cpu()
        for _ in range(PRESSES):
            for chat in range(1, CHATS + 1):
                fake.make_callback_update(chat, "r")
        client.stdin.write(b"go\n")
        client.stdin.flush()
        if client.wait(timeout=300) != 0:
            raise SystemExit("the client failed")
        used = cpu() - before
        stop.set()
        waiter.join()
    print(f"{used * 1000 / (CHATS * PRESSES):.3f}")


def main(baseline: Path | None) -> None:
    checkouts = {"this checkout": ROOT}
    if baseline is not None:
        checkouts = {"baseline": baseline, **checkouts}
    figures: dict[str, list[float]] = {name: [] for name in checkouts}
    print(
        f"fake Bot API: {CHATS} chats x {PRESSES} presses a round (answer + edit, 24 buttons, HTTP/2), {ROUNDS} rounds"
    )
    started = time.monotonic()
    for _ in range(ROUNDS):  # alternating, so that a slow phase of the VM falls on both
        for name, path in checkouts.items():
            figures[name].append(measure_round(path))
    for name, values in figures.items():
        rounds = "/".join(f"{v:.2f}" for v in values)
        print(f"  {name:14} the fake's CPU per press {rounds} ms -> median {statistics.median(values):.2f} ms")
    if baseline is not None:
        ratio = statistics.median(figures["this checkout"]) / statistics.median(figures["baseline"])
        print(f"  this checkout / baseline: {ratio:.2f}")
    print(f"  ({time.monotonic() - started:.0f} s)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline-checkout", type=Path, metavar="PATH", help="an older checkout (git worktree add)")
    parser.add_argument("--client", metavar="URL", help=argparse.SUPPRESS)
    parser.add_argument("--serve", type=Path, metavar="CHECKOUT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.client:
        run_client(args.client)
    elif args.serve:
        serve(args.serve)
    else:
        if args.baseline_checkout is not None and not (args.baseline_checkout / "ops" / "fake_telegram").is_dir():
            parser.error(f"{args.baseline_checkout} holds no ops/fake_telegram")
        main(args.baseline_checkout and args.baseline_checkout.resolve())
