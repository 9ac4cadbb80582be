"""manage.py runall: the whole product on one machine (what `make run` starts).

Migrates, loads the demo data, then supervises the admin (runserver), the django-q2 worker and
the bot. Without TELEGRAM_BOT_TOKEN it starts the project's fake Bot API and points the bot and
the worker at it (the offline sandbox), and announces it in a runtime file so that
`manage.py healthcheck` from another terminal finds it. Ctrl-C or SIGTERM stops every child cleanly.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ops.sandbox_runtime import sandbox_runtime_remove, sandbox_runtime_write

SANDBOX_TOKEN = "100000:SANDBOX-TOKEN"
FAKE = "fake Telegram"
STOP_GRACE_SECONDS = 20
ROOT = Path(settings.BASE_DIR)


@dataclass
class Child:
    name: str
    argv: list[str]
    process: subprocess.Popen[bytes] | None = field(default=None)


class Command(BaseCommand):
    help = "Run the admin, the worker and the bot together (the offline sandbox when no Telegram token is set)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--fake-port", type=int, default=8081, help="port of the sandbox's fake Bot API")
        parser.add_argument("--no-seed", action="store_true", help="skip seed_demo")

    def handle(self, *args: object, **opts: object) -> None:
        host, port, fake_port = str(opts["host"]), int(opts["port"]), int(opts["fake_port"])  # type: ignore[arg-type]
        sandbox = not settings.TELEGRAM_BOT_TOKEN
        busy = [p for p in ([port, fake_port] if sandbox else [port]) if not _port_is_free(host, p)]
        if busy:
            raise CommandError(
                f"порт {', '.join(map(str, busy))} занят (уже запущен make run?): make run RUN_PORT=8010 FAKE_PORT=8091"
            )
        call_command("migrate", verbosity=0)
        if not opts["no_seed"]:
            call_command("seed_demo", stdout=self.stdout)
        env = dict(os.environ)
        # The consent text links to the demo's own policy page on the port actually served.
        env.setdefault("PRIVACY_POLICY_URL", f"http://{host}:{port}/privacy/")
        python = sys.executable
        manage = str(ROOT / "manage.py")
        children: list[Child] = []
        if sandbox:
            fake_url = f"http://127.0.0.1:{fake_port}"
            env.update(
                TELEGRAM_BOT_TOKEN=SANDBOX_TOKEN,
                TELEGRAM_API_BASE_URL=f"{fake_url}/bot",
                SANDBOX_FAKE_API_URL=fake_url,
            )
            children.append(
                Child(
                    FAKE,
                    [python, "-m", "ops.fake_telegram", "--port", str(fake_port), "--token", SANDBOX_TOKEN],
                )
            )
        children += [
            Child("admin", [python, manage, "runserver", f"{host}:{port}", "--noreload"]),
            Child("worker", [python, manage, "qcluster"]),
            Child("bot", [python, manage, "runbot"]),
        ]
        stopping = False

        def stop(signum: int, frame: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        for child in children:
            # Own process group: Ctrl-C in the terminal reaches only us, and we stop children in order.
            child.process = subprocess.Popen(child.argv, cwd=ROOT, env=env, start_new_session=True)
            if child.name == FAKE and not _wait_for_port("127.0.0.1", fake_port, child.process):
                self._stop_all(children)
                raise CommandError("фейковый Bot API не запустился")
        if sandbox:
            sandbox_runtime_write(fake_api_url=env["SANDBOX_FAKE_API_URL"], token=SANDBOX_TOKEN)
        base = f"http://{host}:{port}"
        self.stdout.write("")
        self.stdout.write("Interview Scheduler запущен:")
        self.stdout.write(f"  админка      {base}/admin/   (admin / demo12345; рекрутёры anna, igor)")
        if sandbox:
            self.stdout.write(f"  песочница    {base}/sandbox/ (чат кандидата без Telegram; войдите как admin)")
            self.stdout.write(f"  бот          runbot -> фейковый Bot API {env['SANDBOX_FAKE_API_URL']}")
            self.stdout.write("               (TELEGRAM_BOT_TOKEN не задан: для настоящего Telegram задайте токен)")
        else:
            self.stdout.write("  бот          runbot (polling, настоящий Telegram)")
        self.stdout.write("  воркер       qcluster (django-q2: доставка сообщений и напоминаний)")
        self.stdout.write(f"  здоровье     {base}/healthz   (и manage.py healthcheck)")
        self.stdout.write("Остановить всё: Ctrl-C")
        exit_code = 0
        try:
            while not stopping:
                for child in children:
                    assert child.process is not None
                    if child.process.poll() is not None:
                        code = child.process.returncode
                        self.stderr.write(f"{child.name} остановился (код {code}): останавливаю всё")
                        stopping = True
                        exit_code = 1
                time.sleep(0.3)
        finally:
            self._stop_all(children)
            if sandbox:
                sandbox_runtime_remove()
        self.stdout.write("Всё остановлено.")
        if exit_code:
            sys.exit(exit_code)

    def _stop_all(self, children: list[Child]) -> None:
        """SIGTERM the bot, the worker and the admin together, then the fake they talk to; SIGKILL after a grace."""
        stages = [[c for c in children if c.name != FAKE], [c for c in children if c.name == FAKE]]
        for stage in stages:
            running = [c for c in stage if c.process is not None and c.process.poll() is None]
            for child in running:
                # Only the leader: qcluster's sentinel stops its own workers; a SIGTERM to each of them hangs it.
                child.process.send_signal(signal.SIGTERM)  # type: ignore[union-attr]
            deadline = time.monotonic() + STOP_GRACE_SECONDS
            for child in running:
                assert child.process is not None
                try:
                    child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    self.stderr.write(f"{child.name} не остановился за {STOP_GRACE_SECONDS} с: SIGKILL")
                    _signal_group(child, signal.SIGKILL)
                    child.process.wait()
            # A child's own children (qcluster's workers) must not outlive it.
            for child in stage:
                _signal_group(child, signal.SIGKILL)


def _signal_group(child: Child, signum: int) -> None:
    """Signal the child's whole process group (it is the group leader); ignore a group already gone."""
    if child.process is None:
        return
    try:
        os.killpg(child.process.pid, signum)
    except (ProcessLookupError, PermissionError):
        pass


def _port_is_free(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def _wait_for_port(host: str, port: int, process: subprocess.Popen[bytes], timeout: float = 10.0) -> bool:
    """Poll until the port accepts connections (True) or the process died / the deadline passed (False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.05)
    return False
