"""`sourced ui` stops cleanly: SIGTERM (a service manager, a container stop, a test's
terminate()) stops the Streamlit server itself, leaves no process behind and frees the port."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.processes import free_port, http_ok, living_children, port_free, stop, wait_gone

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def _family(pid: int) -> list[int]:
    """``pid`` and all its descendants."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(living_children(current))
    return found


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_to_sourced_ui_stops_the_server_and_frees_the_port(
    tmp_path: Path, sig: signal.Signals
) -> None:
    port = free_port()
    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT),
        HF_HUB_OFFLINE="1",
        STREAMLIT_SERVER_HEADLESS="true",
    )
    log = (tmp_path / "ui.log").open("wb")
    command = [sys.executable, "-m", "assistant.cli", "ui", "--port", str(port)]
    command += ["--data-dir", str(tmp_path / "data")]
    proc = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while not (http_ok(f"{base}/_stcore/health") and http_ok(base)):
            assert proc.poll() is None, (tmp_path / "ui.log").read_text()
            assert time.monotonic() < deadline, "the UI did not answer within 120 s"
            time.sleep(0.5)
        family = _family(proc.pid)
        assert not port_free(port)

        proc.send_signal(sig)  # to the pid we started only, as a service manager does
        proc.wait(timeout=30)
        assert wait_gone(family, timeout=10) == [], "processes outlived `sourced ui`"
        deadline = time.monotonic() + 10
        while not port_free(port) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert port_free(port), f"port {port} is still held after `sourced ui` stopped"
    finally:
        if proc.poll() is None:
            stop(proc)
        log.close()
