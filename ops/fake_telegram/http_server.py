"""The HTTP side of the fake: a threading server in a daemon thread that hands each request to one callable.

A connection speaks HTTP/1.1 or, when it opens with the HTTP/2 preface, HTTP/2 (h2_server).
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from socketserver import TCPServer
from typing import Any

from ops.fake_telegram.h2_server import H2ClientConnection, speaks_h2
from ops.fake_telegram.wire import APIError, Response, error_response

logger = logging.getLogger(__name__)

# (verb, path with query, Content-Type, body) -> the answer
Answer = Callable[[str, str, str, bytes], Response]


class _Server(ThreadingHTTPServer):
    """Threading HTTP server, quiet about clients that went away."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128
    owner: HTTPServerThread

    def server_bind(self) -> None:
        # HTTPServer.server_bind does a reverse-DNS lookup that can take seconds on a machine without DNS.
        TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)

    def handle_error(self, request: Any, client_address: Any) -> None:
        logger.debug("fake Telegram API: error serving %s", client_address, exc_info=True)


class _Handler(BaseHTTPRequestHandler):
    """One keep-alive connection: read each request, ask the owner for the answer, write it."""

    protocol_version = "HTTP/1.1"
    server_version = "FakeTelegramBotAPI/1.0"
    # Headers and body leave as two segments: without TCP_NODELAY, Nagle + delayed ACK add ~40 ms a call.
    disable_nagle_algorithm = True
    timeout = 300
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.server.owner.track(self.connection, state="idle")

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.owner.track(self.connection, state=None)

    def handle(self) -> None:
        if speaks_h2(self.connection):
            H2ClientConnection(self.connection, self.server.owner).serve()
        else:
            super().handle()

    def log_message(self, *args: Any) -> None:
        """No line per request."""

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def _read_body(self) -> bytes:
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

    def _serve(self) -> None:
        owner = self.server.owner
        owner.track(self.connection, state="busy")
        try:
            self._write(owner, self._response(owner))
        finally:
            owner.track(self.connection, state="idle")

    def _response(self, owner: HTTPServerThread) -> Response | None:
        try:
            body = self._read_body()
            return owner.answer(self.command, self.path, self.headers.get("Content-Type", ""), body)
        except (ConnectionError, TimeoutError):
            return None
        except Exception as exc:  # pragma: no cover - a bug in the fake must not hang the client
            logger.exception("fake Telegram API: internal error")
            return error_response(APIError(500, f"Internal Server Error: {exc!r}"))

    def _write(self, owner: HTTPServerThread, response: Response | None) -> None:
        if response is None:
            self.close_connection = True
            return
        if response.delay > 0:
            owner.stopping.wait(response.delay)
        if owner.stopping.is_set():
            self.close_connection = True
        try:
            self.send_response(response.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(response.body)))
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(response.body)
            self.wfile.flush()
        except OSError:
            self.close_connection = True


class HTTPServerThread:
    """Serve ``answer`` on (host, port) in a daemon thread; ``stop()`` also closes idle keep-alive sockets.

    ``stopping`` is shared with the owner: setting it cuts delayed answers short, and the owner uses
    it to end long polls, so a stop never waits for a client's timeout.
    """

    def __init__(self, host: str, port: int, answer: Answer, stopping: threading.Event) -> None:
        self.host = host
        self.port = port
        self.answer = answer
        self.stopping = stopping
        self._lock = threading.Lock()
        self._connections: dict[socket.socket, str] = {}
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        server_class = _Server
        if ":" in self.host:
            server_class = type("_Server6", (_Server,), {"address_family": socket.AF_INET6})
        server = server_class((self.host, self.port), _Handler)
        server.owner = self
        self.port = int(server.server_address[1])
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"fake-telegram-api:{self.port}",
            daemon=True,
        )
        self._thread.start()

    def stop(self) -> None:
        """Close the port, let busy answers finish (briefly), then cut every connection."""
        server, thread = self._server, self._thread
        if server is None:
            return
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

    def track(self, connection: socket.socket, *, state: str | None) -> None:
        """Record a client connection as idle or busy answering, or forget it (None)."""
        with self._lock:
            if state is None:
                self._connections.pop(connection, None)
            else:
                self._connections[connection] = state
