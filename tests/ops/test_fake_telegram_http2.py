"""The fake speaks HTTP/2 (prior knowledge) beside HTTP/1.1 on one port, as the bot talks HTTP/2 to Telegram."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator

import h2.config
import h2.connection
import h2.events
import httpx
import pytest
from django.test import override_settings

from botapp.application import build_application
from ops.fake_telegram import FakeTelegramAPI
from tests.ops.ptb_driver import USER_ID

HELD_SECONDS = 5.0  # well above what fifty calls take on a loaded CI machine (1.5 s once)


@pytest.fixture
def fake() -> Iterator[FakeTelegramAPI]:
    with FakeTelegramAPI() as server:
        yield server


def _get_me(fake: FakeTelegramAPI, *, http2: bool) -> httpx.Response:
    with httpx.Client(http1=not http2, http2=http2) as client:
        return client.get(f"{fake.base_url}{fake.token}/getMe")


def test_one_port_answers_http2_and_http1(fake: FakeTelegramAPI) -> None:
    over_h2, over_h1 = _get_me(fake, http2=True), _get_me(fake, http2=False)

    assert (over_h2.http_version, over_h2.json()["result"]["username"]) == ("HTTP/2", "interview_test_bot")
    assert (over_h1.http_version, over_h1.json()["result"]["username"]) == ("HTTP/1.1", "interview_test_bot")


def test_an_answer_larger_than_the_clients_window_arrives_whole(fake: FakeTelegramAPI) -> None:
    """A stream's window starts at 64 KiB: the rest of a larger answer waits for the client's window updates."""
    text = "ж" * 2000  # 4 KB in UTF-8
    for n in range(60):
        fake.push_message(USER_ID, f"{n} {text}")

    with httpx.Client(http1=False, http2=True) as client:
        answer = client.post(f"{fake.base_url}{fake.token}/getUpdates", json={"timeout": 0, "limit": 100})

    assert answer.http_version == "HTTP/2"
    assert len(answer.content) > 2 * 65_535
    assert [update["message"]["text"] for update in answer.json()["result"]] == [f"{n} {text}" for n in range(60)]


class _RawH2Client:
    """One HTTP/2 connection driven by the h2 library, noting when each stream's answer has fully arrived.

    Not httpx: httpcore holds its HTTP/2 read lock while it waits on the socket, so a call whose answer it has
    already read can wait for the next frame, which would blur what these tests look at (the fake's answers).
    """

    def __init__(self, fake: FakeTelegramAPI) -> None:
        self.fake = fake
        self.socket = socket.create_connection(("127.0.0.1", fake.port), timeout=HELD_SECONDS * 3)
        self.h2 = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True, header_encoding="utf-8"))
        self.h2.initiate_connection()
        self.started = time.monotonic()
        self.done: dict[int, float] = {}  # stream id -> seconds from the start to its answer's end
        self.status: dict[int, str] = {}

    def post(self, method: str, payload: dict[str, object]) -> int:
        stream_id = self.h2.get_next_available_stream_id()
        body = json.dumps(payload).encode()
        headers = [
            (":method", "POST"),
            (":scheme", "http"),
            (":authority", f"127.0.0.1:{self.fake.port}"),
            (":path", f"/bot{self.fake.token}/{method}"),
            ("content-type", "application/json"),
            ("content-length", str(len(body))),
        ]
        self.h2.send_headers(stream_id, headers)
        self.h2.send_data(stream_id, body, end_stream=True)
        self.socket.sendall(self.h2.data_to_send())
        return stream_id

    def read_until_answered(self, streams: list[int]) -> None:
        while not all(stream in self.done for stream in streams):
            data = self.socket.recv(65536)
            if not data:
                raise AssertionError(f"the fake closed the connection; answered: {sorted(self.done)}")
            for event in self.h2.receive_data(data):
                if isinstance(event, h2.events.ResponseReceived):
                    self.status[event.stream_id] = dict(event.headers)[":status"]
                elif isinstance(event, h2.events.DataReceived):
                    self.h2.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
                elif isinstance(event, h2.events.StreamEnded):
                    self.done[event.stream_id] = time.monotonic() - self.started
            self.socket.sendall(self.h2.data_to_send())

    def close(self) -> None:
        self.socket.close()


@pytest.fixture
def raw_h2(fake: FakeTelegramAPI) -> Iterator[_RawH2Client]:
    client = _RawH2Client(fake)
    yield client
    client.close()


def _answers_while_held(
    client: _RawH2Client, held_call: tuple[str, dict[str, object]], count: int
) -> tuple[float, float]:
    """Hold one call, send ``count`` sendMessage calls on the same connection: (when the last of them was answered,
    when the held one was), in seconds from the start; every answer a 200 and every message sent."""
    held = client.post(*held_call)
    time.sleep(0.1)  # the held call is in the fake's hands
    others = [client.post("sendMessage", {"chat_id": USER_ID, "text": f"m{n}"}) for n in range(count)]
    client.read_until_answered([*others, held])
    assert {client.status[stream] for stream in [*others, held]} == {"200"}
    assert sorted(m["text"] for m in client.fake.sent_messages(USER_ID)) == sorted(f"m{n}" for n in range(count))
    return max(client.done[stream] for stream in others), client.done[held]


def test_many_calls_share_one_connection_and_a_held_answer_holds_only_its_own(
    fake: FakeTelegramAPI, raw_h2: _RawH2Client
) -> None:
    fake.delay_next("sendMessage", HELD_SECONDS, chat_id=USER_ID + 1)

    last_other, held = _answers_while_held(raw_h2, ("sendMessage", {"chat_id": USER_ID + 1, "text": "held"}), 50)

    assert last_other < HELD_SECONDS / 2
    assert held >= HELD_SECONDS
    assert len(fake.sent_messages(USER_ID + 1)) == 1


@pytest.mark.parametrize("method", ["getUpdates", "getupdates/"])  # Telegram reads method names either way
def test_a_long_poll_holds_only_its_own_stream(method: str, raw_h2: _RawH2Client) -> None:
    """The fake's reader answers most calls itself; a long poll must not make it wait."""
    last_other, poll = _answers_while_held(raw_h2, (method, {"timeout": HELD_SECONDS}), 20)

    assert last_other < HELD_SECONDS / 2
    assert poll >= HELD_SECONDS


@pytest.mark.parametrize("version", ["2", "1.1"])
def test_the_bot_calls_over_the_http_version_set_and_polls_over_http1(version: str, fake: FakeTelegramAPI) -> None:
    with override_settings(TELEGRAM_HTTP_VERSION=version):
        app = build_application(token=fake.token, base_url=fake.base_url)

    # Long polling stays on HTTP/1.1: PTB's users saw getUpdates break over HTTP/2 (PTB issue 3556).
    get_updates_request, request = app.bot._request  # PTB keeps (getUpdates', everything else's)
    assert (request.http_version, get_updates_request.http_version) == (version, "1.1")
