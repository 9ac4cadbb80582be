"""How a running `make run` tells a second terminal where its sandbox is: the fake Bot API's URL and token.

runall hands the fake's URL and token to its children in their environment; `manage.py healthcheck`
typed in another terminal has none of that. So while it runs, runall writes them to a small JSON file
(SANDBOX_RUNTIME_FILE, by default `.run/sandbox.json` in the project, git-ignored) and removes it on
exit. The file names runall's pid: one left behind by a killed runall names a dead process and is ignored.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings


@dataclass(frozen=True)
class SandboxRuntime:
    """A running sandbox: its fake Bot API's root URL, the token the bot uses there, runall's pid."""

    fake_api_url: str
    token: str
    pid: int


def sandbox_runtime_path() -> Path:
    return Path(settings.SANDBOX_RUNTIME_FILE)


def sandbox_runtime_write(*, fake_api_url: str, token: str) -> SandboxRuntime:
    """Announce this process's sandbox (atomically: a reader never sees half a file)."""
    runtime = SandboxRuntime(fake_api_url=fake_api_url, token=token, pid=os.getpid())
    path = sandbox_runtime_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{runtime.pid}")
    partial.write_text(json.dumps(asdict(runtime)), encoding="utf-8")
    partial.replace(path)
    return runtime


def sandbox_runtime_remove() -> None:
    """Withdraw the announcement, unless another runall has announced its own sandbox since."""
    current = _read(sandbox_runtime_path())
    if current is not None and current.pid == os.getpid():
        sandbox_runtime_path().unlink(missing_ok=True)


def sandbox_runtime_read() -> SandboxRuntime | None:
    """The sandbox a live runall announced, or None (no file, an unreadable one, or its runall is gone)."""
    runtime = _read(sandbox_runtime_path())
    if runtime is None or not _process_alive(runtime.pid):
        return None
    return runtime


def _read(path: Path) -> SandboxRuntime | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return SandboxRuntime(fake_api_url=str(data["fake_api_url"]), token=str(data["token"]), pid=int(data["pid"]))
    except (OSError, ValueError, TypeError, KeyError):
        return None


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, only not ours to signal
    return True
