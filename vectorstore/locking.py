"""One writer per data directory: a file lock that names its holder."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from types import TracebackType

from filelock import FileLock, Timeout

from ingest.errors import StoreError


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
        command = " ".join(os.path.basename(a) if i == 0 else a for i, a in enumerate(sys.argv))
        self.holder_path.write_text(
            f"pid {os.getpid()}, `{command[:200]}`, since {time.strftime('%Y-%m-%d %H:%M:%S')}"
        )
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.holder_path.unlink(missing_ok=True)
        self._lock.release()
