"""A real, throwaway Postgres for the tests: Debian's server binaries (``make test`` installs
the ``postgresql`` package), initdb'd in a temporary folder, on a free port of 127.0.0.1."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from tests.processes import free_port

_CANDIDATES = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)


def server_bin() -> Path | None:
    """The folder of initdb/pg_ctl/postgres, None when no Postgres server is installed."""
    for folder in [*_CANDIDATES]:
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    found = shutil.which("pg_ctl")
    return Path(found).parent if found and shutil.which("initdb") else None


def _as_owner(args: list[str]) -> list[str]:
    # Postgres refuses to run as root: run it as the system's postgres user then.
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


@contextlib.contextmanager
def postgres_server() -> Iterator[str]:
    """Start a Postgres server; yields the URL of its ``postgres`` database; stops it (and
    removes its files) at the end, leaving no process."""
    folder = server_bin()
    assert folder is not None
    root = Path(tempfile.mkdtemp(prefix="sourced-pg-"))
    data, log = root / "data", root / "server.log"
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    port = free_port()
    run = {"check": True, "capture_output": True, "text": True, "timeout": 120}
    try:
        subprocess.run(
            _as_owner(
                [
                    str(folder / "initdb"),
                    "-D",
                    str(data),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--no-sync",
                    "--locale=C.UTF-8",
                ]
            ),
            **run,  # type: ignore[call-overload]
        )
        options = (
            f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        subprocess.run(
            _as_owner(
                [
                    str(folder / "pg_ctl"),
                    "-D",
                    str(data),
                    "-o",
                    options,
                    "-l",
                    str(log),
                    "-w",
                    "-t",
                    "60",
                    "start",
                ]
            ),
            **run,  # type: ignore[call-overload]
        )
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    except subprocess.CalledProcessError as exc:
        detail = log.read_text() if log.exists() else ""
        raise RuntimeError(f"postgres did not start: {exc.stderr}\n{detail}") from exc
    finally:
        postmaster = _postmaster_pid(data)
        subprocess.run(
            _as_owner([str(folder / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]),
            capture_output=True,
            timeout=60,
        )
        if postmaster:
            _reap(postmaster)
        shutil.rmtree(root, ignore_errors=True)


def _postmaster_pid(data: Path) -> int | None:
    try:
        return int((data / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _reap(pid: int, timeout: float = 10) -> None:
    """Collect the stopped server's main process: this test process adopted it (subreaper)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:  # not our child (no subreaper): init collects it
            return
        if done:
            return
        time.sleep(0.05)


def fresh_database(server_url: str) -> str:
    """A new, empty database on the server; its URL."""
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return server_url.rsplit("/", 1)[0] + f"/{name}"
