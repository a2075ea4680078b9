"""Shared fixtures: the real embedder (loaded once), real Chroma in temporary data dirs."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

import contextlib

from assistant import Assistant, Settings
from assistant.api import load_embedder
from tests.processes import become_subreaper, command_line, living_children, wait_gone
from vectorstore.embeddings import Embedder

FIXTURES = Path(__file__).parent / "fixtures"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED_ARTICLE = SHARED / "corpus" / "putin-nato-membership-claims.txt"
SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"


@pytest.fixture(scope="session")
def embedder(tmp_path_factory: pytest.TempPathFactory) -> Embedder:
    # The default (auto) backend, as users get it; its converted model goes to a temp folder.
    return load_embedder(Settings(data_dir=tmp_path_factory.mktemp("embedder")))


@pytest.fixture()
def make_assistant(tmp_path: Path, embedder: Embedder) -> Iterator[Callable[..., Assistant]]:
    made: list[Assistant] = []

    def make(**overrides: object) -> Assistant:
        overrides.setdefault("data_dir", tmp_path / f"data{len(made)}")
        bot = Assistant(Settings(**overrides), embedder=embedder)  # type: ignore[arg-type]
        made.append(bot)
        return bot

    yield make
    for bot in made:
        bot.close()


@pytest.fixture()
def seed_article() -> Path:
    if not SEED_ARTICLE.exists():
        pytest.skip("../shared/corpus is absent (third-party data, not in a fresh clone)")
    return SEED_ARTICLE


def pytest_configure(config: pytest.Config) -> None:
    # Orphans (a server whose parent a test killed) are adopted by this process instead of
    # init, so the check at the end of the run sees them.
    become_subreaper()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """The suite leaves nothing running: any process a test started (or orphaned) that is
    still alive when the run ends fails the run, is named, and is then stopped."""
    left = wait_gone(living_children(), timeout=10)
    if not left:
        return
    listed = "\n".join(f"  pid {pid}: {command_line(pid)}" for pid in left)
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    message = f"processes left running by the tests (now stopped):\n{listed}"
    if reporter is not None:
        reporter.write_sep("=", "leftover processes", red=True)
        reporter.write_line(message)
    for pid in left:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A real Postgres for the whole run (Debian's server, started as its own user when the
    tests run as root); skipped cleanly when no server binaries are installed."""
    from tests.postgres import postgres_server as start
    from tests.postgres import server_bin

    if server_bin() is None:
        pytest.skip("no Postgres server binaries (initdb, pg_ctl): `make postgres` installs them")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("psycopg is not installed: `pip install -e '.[team]'`")
    with start() as url:
        yield url


@pytest.fixture()
def database_url(postgres_server: str) -> str:
    """The URL of a new, empty Postgres database for one test."""
    from tests.postgres import fresh_database

    return fresh_database(postgres_server)


@pytest.fixture(params=["sqlite", "postgres"])
def manifest_location(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, str | None]:
    """(SQLite path, database URL) of an empty manifest on each backend: tests about the
    manifest take it to run on both."""
    path = tmp_path / "m.sqlite3"
    if request.param == "sqlite":
        return path, None
    return path, str(request.getfixturevalue("database_url"))


@pytest.fixture(scope="session")
def team_chroma(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real `chroma run` for the whole run (the vectors of the team-library tests)."""
    from tests.processes import chroma_cli, chroma_server

    if chroma_cli() is None:
        pytest.skip("the chroma CLI is not installed")
    with chroma_server(tmp_path_factory.mktemp("team") / "chroma") as url:
        yield url


@pytest.fixture()
def team_settings(database_url: str, team_chroma: str) -> dict[str, object]:
    """Settings of a fresh team library: its manifest in a new Postgres database, its vectors
    in a new collection of the shared Chroma server."""
    import uuid

    return {
        "database_url": database_url,
        "chroma_url": team_chroma,
        "collection": f"team-{uuid.uuid4().hex[:10]}",
    }
