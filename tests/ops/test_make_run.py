"""The README's `make run` from a fresh checkout: serves the admin, plays the bot on SQLite, passes
`manage.py healthcheck` from a second terminal, stops cleanly.

The checkout is `git clone` of this repository plus, when run locally with uncommitted work, the working tree's
files on top (in CI the tree is the commit). It has no db.sqlite3 and no state: exactly what a newcomer gets.
The virtualenv is this one (VENV=...), so the test installs nothing from the network.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from ops.fake_telegram import FakeTelegramClient
from tests.ops.journey import RemoteCandidate

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
VENV = Path(sys.prefix) if (Path(sys.prefix) / "pyvenv.cfg").exists() else None
START_DEADLINE = 120.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _fresh_checkout(dest: Path) -> Path:
    subprocess.run(["git", "clone", "-q", str(ROOT), str(dest)], check=True, timeout=120)
    files = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.split(b"\0")
    for name in filter(None, (f.decode() for f in files)):
        source = ROOT / name
        if source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    return dest


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=3) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)
    except (urllib.error.URLError, OSError):
        return 0


def _pids_in(checkout: Path) -> list[int]:
    """Processes whose working directory is the checkout (make, runall and every child it started)."""
    pids = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if Path(os.readlink(proc / "cwd")) == checkout:
                    pids.append(int(proc.name))
            except OSError:
                continue  # exited meanwhile, or not ours to read
    return pids


@pytest.mark.skipif(VENV is None or shutil.which("make") is None, reason="needs make and a virtualenv")
def test_make_run_from_a_fresh_checkout_serves_the_admin_plays_the_bot_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    checkout = _fresh_checkout(tmp_path / "clone")
    assert not (checkout / "db.sqlite3").exists()
    # Make must see the venv as up to date: the clone's files are newer than its install stamp.
    stamp = VENV / ".installed"
    stamp.touch()
    for requirements in ("requirements.txt", "requirements-dev.txt"):
        os.utime(checkout / requirements, (0, 0))
    port, fake_port = _free_port(), _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "TELEGRAM_", "DATABASE_URL", "PYTEST"))}
    env["PYTHONUNBUFFERED"] = "1"
    log_path = tmp_path / "make-run.log"
    with open(log_path, "wb") as log:
        make = subprocess.Popen(
            ["make", "run", f"VENV={VENV}", f"RUN_PORT={port}", f"FAKE_PORT={fake_port}"],
            cwd=checkout,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a terminal of its own: SIGINT to the group is Ctrl-C
        )
        try:
            deadline = time.monotonic() + START_DEADLINE
            while _status(f"http://127.0.0.1:{port}/admin/login/") != 200:
                assert make.poll() is None, log_path.read_text()
                assert time.monotonic() < deadline, log_path.read_text()
                time.sleep(0.5)  # polling with a deadline

            output = log_path.read_text()
            assert f"http://127.0.0.1:{port}/admin/" in output and "admin / demo12345" in output
            assert f"http://127.0.0.1:{port}/sandbox/" in output
            # The bot and the worker share the SQLite file with the admin: play to a pending request.
            candidate = RemoteCandidate(FakeTelegramClient(f"http://127.0.0.1:{fake_port}"), 900001)
            slots = candidate.play_to_slot_list()
            first_slot = slots["reply_markup"]["inline_keyboard"][0][0]["text"]
            candidate.tap(first_slot, "Заявка отправлена")  # sent by the worker from the outbox
            assert _status(f"http://127.0.0.1:{port}/healthz?checks=database,migrations") == 200
            # A second terminal has no token and none of runall's environment: it finds the sandbox all the same.
            healthcheck = subprocess.run(
                [str(VENV / "bin" / "python"), "manage.py", "healthcheck"],
                cwd=checkout,
                env=env,
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert healthcheck.returncode == 0, healthcheck.stdout + healthcheck.stderr
            assert f"песочница: фейковый Bot API http://127.0.0.1:{fake_port} отвечает" in healthcheck.stdout

            # make, runall, the fake, runserver, qcluster (sentinel, pusher, monitor, workers), runbot
            assert len(_pids_in(checkout)) >= 6
            os.killpg(make.pid, signal.SIGINT)
            # make itself dies of the SIGINT after its recipe ended, as it does in a terminal.
            assert make.wait(timeout=60) in (0, -signal.SIGINT), log_path.read_text()
        finally:
            if make.poll() is None:
                os.killpg(make.pid, signal.SIGKILL)
                make.wait()
            leftovers = _pids_in(checkout)
            for pid in leftovers:  # a failed run must not leave runall's children (own sessions) behind
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass

    output = log_path.read_text()
    assert "Всё остановлено." in output
    assert "SIGKILL" not in output
    assert "database is locked" not in output
    assert "Traceback" not in output
    assert leftovers == []
    assert not (checkout / ".run" / "sandbox.json").exists()  # withdrawn on the way out
