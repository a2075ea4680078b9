"""One writer per library at a time: a lock that names its holder.

With the manifest in the data directory it is a file lock there; with the manifest in Postgres
(``SOURCED_DATABASE_URL``) it is a session-level advisory lock in that database, held on its
own connection, so writers on any machine queue for it and a writer that dies (even by SIGKILL)
releases it when its connection drops.
"""

from __future__ import annotations

import os
import socket
import sys
import time
from pathlib import Path
from types import TracebackType
from typing import Any

from filelock import FileLock, Timeout

from ingest.config import Settings
from ingest.database import WRITE_LOCK_KEYS, connect, psycopg_module, redact, refusal
from ingest.errors import StoreError


def _holder_text() -> str:
    command = " ".join(os.path.basename(a) if i == 0 else a for i, a in enumerate(sys.argv))
    return (
        f"pid {os.getpid()} on {socket.gethostname()}, `{command[:200]}`, "
        f"since {time.strftime('%Y-%m-%d %H:%M:%S')}"
    )


class WriteLock:
    """Held while a process writes to the store; a second writer waits ``timeout`` seconds and
    then fails with a message naming the holder."""

    def __init__(self, data_dir: Path, timeout: float) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        self.path = data_dir / "write.lock"
        self.holder_path = data_dir / "write.lock.holder"
        self.timeout = timeout
        self._lock = FileLock(str(self.path))

    def holder(self) -> str:
        try:
            return self.holder_path.read_text().strip()
        except OSError:
            return "an unknown process"

    def __enter__(self) -> WriteLock:
        try:
            self._lock.acquire(timeout=self.timeout)
        except Timeout:
            raise StoreError(
                f"another writer holds {self.path} ({self.holder()}); wait for it to finish, "
                "or run a Chroma server (SOURCED_CHROMA_URL) for several writers"
            ) from None
        self.holder_path.write_text(_holder_text())
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.holder_path.unlink(missing_ok=True)
        self._lock.release()


class PostgresWriteLock:
    """The write lock of a library whose manifest is in Postgres: advisory lock
    ``WRITE_LOCK_KEYS`` on a connection of its own. The holder describes itself (pid, host,
    command, since when) in the one-row table ``sourced_writer`` and, shorter, in its
    connection's ``application_name``; a holder that died leaves a stale row, which the next
    holder overwrites, and :meth:`holder` only reads it while the lock is held."""

    POLL = 0.2

    def __init__(self, url: str, timeout: float) -> None:
        self.url = url
        self.timeout = timeout
        self._conn: Any = None

    def holder(self) -> str:
        """Who holds the lock now, as the holder described itself."""
        psycopg = psycopg_module()
        try:
            with psycopg.connect(self.url, autocommit=True) as conn:
                row = conn.execute(
                    "SELECT a.application_name FROM pg_locks l"
                    " JOIN pg_stat_activity a ON a.pid = l.pid"
                    " WHERE l.locktype = 'advisory' AND l.granted"
                    " AND l.classid = %s AND l.objid = %s AND l.objsubid = 2",
                    WRITE_LOCK_KEYS,
                ).fetchone()
                if row is None:
                    return "nobody now"
                described = None
                if conn.execute("SELECT to_regclass('sourced_writer')").fetchone() != (None,):
                    described = conn.execute(
                        "SELECT holder FROM sourced_writer WHERE slot = 1"
                    ).fetchone()
        except psycopg.Error:
            return "an unknown process"
        return str(described[0] if described else row[0] or "an unknown process")

    def __enter__(self) -> PostgresWriteLock:
        psycopg = psycopg_module()
        holder = _holder_text()
        # application_name is at most 63 bytes: the pid and host; the meta row has the rest.
        short = f"sourced writer {holder.split(',')[0]}"[:63]
        conn = connect(
            self.url, "take the write lock in the manifest database", application_name=short
        )
        try:
            deadline = time.monotonic() + self.timeout
            while True:
                got = conn.execute(
                    "SELECT pg_try_advisory_lock(%s, %s)", WRITE_LOCK_KEYS
                ).fetchone()
                if got and got[0]:
                    break
                if time.monotonic() >= deadline:
                    conn.close()
                    raise StoreError(
                        f"another writer holds the write lock of the library in "
                        f"{redact(self.url)} ({self.holder()}); wait for it to finish, or raise "
                        "SOURCED_LOCK_TIMEOUT to queue behind it"
                    )
                time.sleep(self.POLL)
            # Only the holder writes this table, so creating it here never races.
            conn.execute(
                "CREATE TABLE IF NOT EXISTS sourced_writer (slot INTEGER PRIMARY KEY, holder TEXT)"
            )
            conn.execute(
                "INSERT INTO sourced_writer(slot, holder) VALUES(1, %s)"
                " ON CONFLICT(slot) DO UPDATE SET holder = excluded.holder",
                (holder,),
            )
        except psycopg.Error as exc:
            conn.close()  # the lock, if it was taken, goes with the session
            raise refusal(exc, redact(self.url)) from exc
        self._conn = conn
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            conn.execute("DELETE FROM sourced_writer WHERE slot = 1")
            conn.execute("SELECT pg_advisory_unlock(%s, %s)", WRITE_LOCK_KEYS)
        finally:
            conn.close()  # closing the session releases the lock in any case


def write_lock(settings: Settings) -> WriteLock | PostgresWriteLock:
    """The write lock of the library ``settings`` name."""
    if settings.database_url:
        return PostgresWriteLock(settings.database_url, settings.lock_timeout)
    return WriteLock(settings.data_dir, settings.lock_timeout)
