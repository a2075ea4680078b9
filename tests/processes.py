"""Helpers for tests that run processes: free ports, stopping, and finding what is left alive."""

from __future__ import annotations

import contextlib
import ctypes
import os
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

_PROC = Path("/proc")
_PR_SET_CHILD_SUBREAPER = 36


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def port_free(port: int) -> bool:
    """True when a server could bind ``port`` on 127.0.0.1 now (nobody holds it)."""
    with socket.socket() as s:
        # As a server binds: connections left in TIME_WAIT do not hold the port, a listener does.
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def http_ok(url: str) -> bool:
    """True when ``url`` answers 200 right now."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def stop(proc: subprocess.Popen[bytes] | subprocess.Popen[str], timeout: float = 20) -> None:
    """Terminate ``proc``, killing it if it does not exit within ``timeout`` seconds."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def become_subreaper() -> bool:
    """Make this process adopt its orphaned descendants (Linux ``PR_SET_CHILD_SUBREAPER``), so
    a grandchild whose parent died shows up as our child instead of escaping to init."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0)
    except (OSError, AttributeError):
        return False


def _stat(pid: int) -> tuple[int, str] | None:
    """(parent pid, state) of ``pid``, None when it is gone."""
    try:
        raw = (_PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    fields = raw[raw.rindex(")") + 2 :].split()
    return int(fields[1]), fields[0]


def command_line(pid: int) -> str:
    try:
        raw = (_PROC / str(pid) / "cmdline").read_bytes()
    except OSError:
        return "?"
    return raw.replace(b"\0", b" ").decode(errors="replace").strip()


def living_children(pid: int | None = None) -> list[int]:
    """Pids of the running (not zombie) children of ``pid`` (default: this process)."""
    pid = os.getpid() if pid is None else pid
    found = []
    for entry in _PROC.iterdir():
        if not entry.name.isdigit():
            continue
        stat = _stat(int(entry.name))
        if stat and stat[0] == pid and stat[1] not in {"Z", "X"}:
            found.append(int(entry.name))
    return sorted(found)


def alive(pid: int) -> bool:
    """True while ``pid`` exists and is not a zombie."""
    stat = _stat(pid)
    return stat is not None and stat[1] not in {"Z", "X"}


def wait_gone(pids: list[int], timeout: float) -> list[int]:
    """Wait up to ``timeout`` seconds for ``pids`` to end; those still alive."""
    deadline = time.monotonic() + timeout
    left = [p for p in pids if alive(p)]
    while left and time.monotonic() < deadline:
        time.sleep(0.2)
        left = [p for p in left if alive(p)]
    return left


def chroma_cli() -> Path | None:
    """The ``chroma`` command next to this Python, or on PATH; None when not installed."""
    import shutil
    import sys

    chroma = Path(sys.executable).with_name("chroma")
    if chroma.exists():
        return chroma
    found = shutil.which("chroma")
    return Path(found) if found else None


@contextlib.contextmanager
def chroma_server(folder: Path) -> Iterator[str]:
    """A real ``chroma run`` persisting in ``folder`` on a free port of 127.0.0.1; yields its
    URL and stops it at the end. Its output goes to ``folder``.log."""
    import httpx

    chroma = chroma_cli()
    assert chroma is not None, "the chroma CLI is not installed"
    port = free_port()
    log_path = folder.with_name(folder.name + ".log")
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [str(chroma), "run", "--path", str(folder), "--host", "127.0.0.1", "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.time() + 90
            while True:
                try:
                    if httpx.get(f"{url}/api/v2/heartbeat", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if proc.poll() is not None or time.time() > deadline:
                    raise RuntimeError("chroma run did not start: " + log_path.read_text())
                time.sleep(0.5)
            yield url
        finally:
            stop(proc)
