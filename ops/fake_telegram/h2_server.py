"""HTTP/2 for the fake: one client connection that began with the HTTP/2 preface (h2c, prior knowledge).

The bot talks HTTP/2 to Telegram (docs/architecture.md says why), so the fake must too, or the tests and
benches would exercise a transport production does not use. The protocol state is the `h2` library's
(a dependency of httpx's own HTTP/2 support); this module only moves bytes: a reader loop on the
connection's thread, which also answers the calls that answer at once (their work is done under the fake's
one lock anyway, and a thread each cost the bench's two cores more than the answer), a thread for a long poll or
a scripted delay so that it holds only its own stream, and every write under one lock. Answers respect the
client's flow-control window (a getUpdates with a burst of updates is larger than the initial 64 KiB).
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

import h2.config
import h2.connection
import h2.events
import h2.exceptions
import h2.settings

from ops.fake_telegram.wire import Response, is_long_poll

if TYPE_CHECKING:
    from ops.fake_telegram.http_server import HTTPServerThread

logger = logging.getLogger(__name__)

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
_WINDOW = 16 * 1024 * 1024  # what the fake lets a client send before it acknowledges: never the bottleneck
_MAX_STREAMS = 1000


def speaks_h2(connection: socket.socket) -> bool:
    """Whether the client opened with the HTTP/2 preface; reads nothing (HTTP/1.1 starts "POST"/"GET")."""
    try:
        head = connection.recv(3, socket.MSG_PEEK | socket.MSG_WAITALL)
    except OSError:
        return False
    return head == PREFACE[:3]


class H2ClientConnection:
    """Serve one HTTP/2 connection until the client closes it or the server stops."""

    def __init__(self, connection: socket.socket, owner: HTTPServerThread) -> None:
        self.socket = connection
        self.owner = owner
        self.lock = threading.Lock()
        self.h2 = h2.connection.H2Connection(
            h2.config.H2Configuration(client_side=False, header_encoding="utf-8", validate_inbound_headers=False)
        )
        self.requests: dict[int, tuple[dict[str, str], bytearray]] = {}
        self.unsent: dict[int, memoryview] = {}  # answer bytes waiting for the client's window
        self.open_streams = 0

    def serve(self) -> None:
        with self.lock:
            self.h2.initiate_connection()
            self.h2.update_settings(
                {
                    h2.settings.SettingCodes.INITIAL_WINDOW_SIZE: _WINDOW,
                    h2.settings.SettingCodes.MAX_CONCURRENT_STREAMS: _MAX_STREAMS,
                }
            )
            self.h2.increment_flow_control_window(_WINDOW)
            self._flush()
        while True:
            try:
                data = self.socket.recv(65536)
            except OSError:
                return
            if not data:
                return
            with self.lock:
                try:
                    events = self.h2.receive_data(data)
                except h2.exceptions.ProtocolError:
                    logger.debug("fake Telegram API: HTTP/2 protocol error", exc_info=True)
                    self._flush()
                    return
                finished = self._take(events)
                self._flush()
            if finished is None:
                return
            for stream_id, headers, body in finished:
                if is_long_poll(headers.get(":path", "/")):
                    self._in_thread(self._answer, stream_id, headers, bytes(body))  # a long poll waits
                    continue
                response = self._response(headers, bytes(body))
                if response.delay > 0:
                    self._in_thread(self._send_late, stream_id, response)
                else:
                    self._send(stream_id, response)

    @staticmethod
    def _in_thread(target: Callable[..., None], *args: object) -> None:
        threading.Thread(target=target, args=args, name="fake-telegram-h2", daemon=True).start()

    def _take(self, events: list[h2.events.Event]) -> list[tuple[int, dict[str, str], bytearray]] | None:
        """Apply the client's frames; the requests now complete, or None when the client ends the connection."""
        finished = []
        for event in events:
            if isinstance(event, h2.events.RequestReceived):
                self.requests[event.stream_id] = (dict(event.headers), bytearray())
                self._busy(+1)
            elif isinstance(event, h2.events.DataReceived):
                if event.stream_id in self.requests:
                    self.requests[event.stream_id][1].extend(event.data)
                self.h2.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
            elif isinstance(event, h2.events.StreamEnded) and event.stream_id in self.requests:
                headers, body = self.requests.pop(event.stream_id)
                finished.append((event.stream_id, headers, body))
            elif isinstance(event, h2.events.StreamReset):
                if self.requests.pop(event.stream_id, None) is not None:
                    self._busy(-1)
                if self.unsent.pop(event.stream_id, None) is not None:
                    self._busy(-1)
            elif isinstance(event, (h2.events.WindowUpdated, h2.events.RemoteSettingsChanged)):
                self._send_unsent()
            elif isinstance(event, h2.events.ConnectionTerminated):
                return None
        return finished

    def _answer(self, stream_id: int, headers: dict[str, str], body: bytes) -> None:
        self._send_late(stream_id, self._response(headers, body))

    def _response(self, headers: dict[str, str], body: bytes) -> Response:
        try:
            return self.owner.answer(
                headers.get(":method", "POST"), headers.get(":path", "/"), headers.get("content-type", ""), body
            )
        except Exception:  # pragma: no cover - a bug in the fake must not hang the client
            logger.exception("fake Telegram API: internal error")
            return Response(500, b'{"ok":false,"error_code":500,"description":"Internal Server Error"}')

    def _send_late(self, stream_id: int, response: Response) -> None:
        if response.delay > 0:
            self.owner.stopping.wait(response.delay)
        self._send(stream_id, response)

    def _send(self, stream_id: int, response: Response) -> None:
        headers = [
            (":status", str(response.status)),
            ("content-type", "application/json"),
            ("content-length", str(len(response.body))),
        ]
        with self.lock:
            try:
                self.h2.send_headers(stream_id, headers)
            except (h2.exceptions.ProtocolError, h2.exceptions.StreamClosedError):
                self._busy(-1)  # the client gave up on this stream while it was being answered
                return
            self.unsent[stream_id] = memoryview(response.body)
            self._send_unsent()
            self._flush()

    def _send_unsent(self) -> None:
        for stream_id in list(self.unsent):
            rest = self.unsent[stream_id]
            try:
                while rest:
                    size = min(len(rest), self.h2.local_flow_control_window(stream_id), self.h2.max_outbound_frame_size)
                    if size <= 0:
                        break
                    self.h2.send_data(stream_id, rest[:size].tobytes())
                    rest = rest[size:]
                if rest:
                    self.unsent[stream_id] = rest
                    continue
                self.h2.end_stream(stream_id)
            except (h2.exceptions.ProtocolError, h2.exceptions.StreamClosedError):
                pass
            del self.unsent[stream_id]
            self._busy(-1)

    def _busy(self, change: int) -> None:
        self.open_streams += change
        self.owner.track(self.socket, state="busy" if self.open_streams else "idle")

    def _flush(self) -> None:
        data = self.h2.data_to_send()
        if data:
            with contextlib.suppress(OSError):
                self.socket.sendall(data)
