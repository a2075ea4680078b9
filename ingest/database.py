"""The manifest's database: an SQLite file (the default) or a shared Postgres server.

A small dialect layer rather than an ORM: the manifest's SQL is written once, in the subset
both engines accept (``INSERT … ON CONFLICT … DO UPDATE``, ``?`` placeholders, ``substr``,
``lower``), and this module only adapts the placeholders, the connections and the
transactions. SQLAlchemy Core would add a dependency and a query builder to express the same
dozen statements; psycopg 3 is imported only when ``SOURCED_DATABASE_URL`` is set.

Both engines give the same guarantees to the manifest: :meth:`Database.transaction` is one
atomic transaction (a document's version switch is all or nothing), and
:meth:`Database.snapshot` runs several reads against one consistent state of the library.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit, urlunsplit

from ingest.errors import ConfigError, StoreError

Params = Sequence[Any]


class Row(Protocol):
    """A result row, indexed by column name or position (``sqlite3.Row`` is one)."""

    def __getitem__(self, key: str | int) -> Any: ...


class Connection(Protocol):
    """What the manifest writes through inside :meth:`Database.transaction`."""

    def execute(self, sql: str, params: Params = ()) -> list[Row]: ...

    def executemany(self, sql: str, rows: Iterable[Params]) -> None: ...


def redact(url: str) -> str:
    """``url`` without its password, for messages and logs; never raises, even on a URL
    that does not parse (a libpq ``key=value`` string or a ``?password=`` query included)."""
    url = re.sub(r"(password\s*=\s*)[^&\s]*", r"\1***", url, flags=re.IGNORECASE)
    try:
        parts = urlsplit(url)
        if parts.password is None:
            return url
        host = parts.hostname or ""
        if parts.port:
            host += f":{parts.port}"
    except ValueError:
        # Unparseable (a bad port or bracket): keep the scheme, hide everything after it.
        return url.split("://", 1)[0] + "://***" if "://" in url else "***"
    user = f"{parts.username}:***@" if parts.username else ":***@"
    return urlunsplit((parts.scheme, user + host, parts.path, parts.query, parts.fragment))


def is_postgres_url(url: str) -> bool:
    """Whether ``url`` names a Postgres database (``postgresql://`` or ``postgres://``)."""
    return url.split("://", 1)[0].lower() in ("postgresql", "postgres") and "://" in url


def check_postgres_url(url: str) -> None:
    """Raise :class:`ConfigError`, naming the setting and the fix, when ``url`` is not a
    Postgres URL that parses."""
    example = "give one like postgresql://user:password@host:5432/sourced"
    if not is_postgres_url(url):
        raise ConfigError(
            f"SOURCED_DATABASE_URL={redact(url)!r} is not a Postgres URL; {example}, or unset "
            "it for the SQLite file"
        )
    try:
        urlsplit(url).port  # noqa: B018 - parsing the port is the check
    except ValueError as exc:
        raise ConfigError(
            f"SOURCED_DATABASE_URL={redact(url)!r} does not parse ({exc}); {example} (a "
            "password with '@', ':' or '/' must be percent-encoded)"
        ) from None


def psycopg_module() -> Any:
    """The psycopg 3 module, or a :class:`ConfigError` saying how to install it."""
    try:
        import psycopg
    except ImportError:
        raise ConfigError(
            "SOURCED_DATABASE_URL puts the manifest in Postgres, which needs the psycopg driver: "
            "install the team extra (pip install -e '.[team]', or pip install 'sourced[team]'), "
            "or unset SOURCED_DATABASE_URL for the SQLite file"
        ) from None
    return psycopg


def connect(url: str, why: str, **options: Any) -> Any:
    """A psycopg connection to ``url`` (autocommit), or a :class:`StoreError` that says
    ``why`` it was needed and how to fix the setting; the password is never shown."""
    psycopg = psycopg_module()
    try:
        return psycopg.connect(url, autocommit=True, **options)
    except psycopg.Error as exc:
        raise StoreError(
            f"cannot {why} {redact(url)}: {exc}".strip()
            + "; start Postgres or fix SOURCED_DATABASE_URL"
        ) from None


def refusal(exc: Exception, where: str) -> StoreError:
    """A :class:`StoreError` for a statement the Postgres manifest at ``where`` refused (a
    role without write rights, a dropped connection), naming the fix."""
    if getattr(exc, "sqlstate", None) == "42501":  # insufficient_privilege
        fix = (
            "the role in SOURCED_DATABASE_URL may read but not write this library: writers "
            "need a role that owns the database or may create and write its tables"
        )
    else:
        fix = "check the server and SOURCED_DATABASE_URL, then run the command again"
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return StoreError(
        f"the manifest database {where} refused a statement ({first}); {fix}; a transaction "
        "that was open is rolled back, so nothing is half-written"
    )


class _PgRow(dict[str, Any]):
    """A psycopg row that, like ``sqlite3.Row``, also answers to its column position."""

    def __getitem__(self, key: str | int) -> Any:
        if isinstance(key, int):
            return list(self.values())[key]
        return super().__getitem__(key)


def _pg_rows(cursor: Any) -> Any:
    names = [c.name for c in cursor.description or ()]
    return lambda values: _PgRow(zip(names, values, strict=True))


class _Sqlite:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def execute(self, sql: str, params: Params = ()) -> list[Row]:
        return self.conn.execute(sql, params).fetchall()

    def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        self.conn.executemany(sql, rows)


class _Postgres:
    def __init__(self, conn: Any) -> None:
        self.conn = conn

    def execute(self, sql: str, params: Params = ()) -> list[Row]:
        cursor = self.conn.execute(sql.replace("?", "%s"), params or None)
        return cursor.fetchall() if cursor.description else []

    def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        with self.conn.cursor() as cursor:
            cursor.executemany(sql.replace("?", "%s"), list(rows))


class Database:
    """One connection per thread (the UI serves sessions from several threads) to the SQLite
    file at ``path`` or, when ``url`` is given, to that Postgres database."""

    def __init__(self, path: Path, url: str | None = None) -> None:
        if url is not None:
            check_postgres_url(url)
        self.url = url
        self.path = path
        self.dialect = "postgres" if url else "sqlite"
        self.where = redact(url) if url else str(path)
        self._local = threading.local()
        self._all: list[tuple[threading.Thread, Any]] = []
        self._all_lock = threading.Lock()  # threads connect and close concurrently
        if url is None:
            path.parent.mkdir(parents=True, exist_ok=True)

    def _connect(self) -> _Sqlite | _Postgres:
        # Connections of threads that have ended are closed: a UI serving many sessions over
        # days would otherwise hold one Postgres connection per thread it ever ran.
        with self._all_lock:
            ended = [c for t, c in self._all if not t.is_alive()]
            self._all = [(t, c) for t, c in self._all if t.is_alive()]
        for conn in ended:
            conn.close()
        me = threading.current_thread()
        if self.url is None:
            conn = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA foreign_keys=ON")
            with self._all_lock:
                self._all.append((me, conn))
            return _Sqlite(conn)
        pg = connect(
            self.url, "open the manifest database", row_factory=_pg_rows, application_name="sourced"
        )
        with self._all_lock:
            self._all.append((me, pg))
        return _Postgres(pg)

    @property
    def conn(self) -> _Sqlite | _Postgres:
        conn: _Sqlite | _Postgres | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self._connect()
        return conn

    @contextmanager
    def _refusals(self) -> Iterator[None]:
        """psycopg's errors in this block become :class:`StoreError` naming the fix."""
        if self.url is None:
            yield
            return
        psycopg = psycopg_module()
        try:
            yield
        except psycopg.Error as exc:
            raise refusal(exc, self.where) from exc

    def rows(self, sql: str, params: Params = ()) -> list[Row]:
        """All rows of one statement (outside a transaction: each read sees the latest commit;
        inside :meth:`snapshot`: the snapshot's state)."""
        conn = self.conn
        with self._refusals():
            try:
                return conn.execute(sql, params)
            except Exception:
                # A Postgres connection that broke (a server restart, a dropped network) is
                # replaced and the read tried once more; inside a snapshot the error stands.
                if not isinstance(conn, _Postgres) or not conn.conn.broken or self._in_snapshot():
                    raise
                self._local.conn = None
                return self.conn.execute(sql, params)

    def _in_snapshot(self) -> bool:
        return bool(getattr(self._local, "in_snapshot", False))

    def one(self, sql: str, params: Params = ()) -> Row | None:
        found = self.rows(sql, params)
        return found[0] if found else None

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One atomic write transaction: committed when the block ends, rolled back on error."""
        conn = self.conn
        if isinstance(conn, _Sqlite):
            with conn.conn:
                yield conn
        else:
            with self._refusals(), conn.conn.transaction():
                yield conn

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Reads in this block all see one committed state, even while a writer commits."""
        if self._in_snapshot():
            yield
            return
        conn = self.conn
        self._local.in_snapshot = True
        try:
            if isinstance(conn, _Sqlite):
                # A WAL read transaction: its snapshot is fixed at its first read.
                conn.conn.execute("BEGIN")
                try:
                    yield
                finally:
                    conn.conn.rollback()
            else:
                with self._refusals(), conn.conn.transaction():
                    conn.conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                    yield
        finally:
            self._local.in_snapshot = False

    def ensure_schema(
        self, schema: str, added: Sequence[tuple[str, str, str]], tables: Sequence[str]
    ) -> None:
        """Create the ``tables`` of ``schema`` when missing and add ``added`` (table, column,
        declaration) columns that an older database lacks."""
        conn = self.conn
        if isinstance(conn, _Sqlite):
            conn.conn.executescript(schema)
            for table, column, decl in added:
                names = {r["name"] for r in conn.conn.execute(f"PRAGMA table_info({table})")}
                if column not in names:
                    conn.conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {decl}")
            conn.conn.commit()
            return
        have = {
            (r["table_name"], r["column_name"])
            for r in self.rows(
                "SELECT table_name, column_name FROM information_schema.columns"
                " WHERE table_schema = current_schema()"
            )
        }
        if set(tables) <= {t for t, _ in have} and all((t, c) in have for t, c, _ in added):
            return  # nothing to create: a role without DDL rights can open it to read
        with self.transaction() as tx:
            # Concurrent CREATE TABLE IF NOT EXISTS can collide in Postgres' catalog: one at a time.
            tx.execute("SELECT pg_advisory_xact_lock(?)", (SCHEMA_LOCK_KEY,))
            for statement in schema.split(";"):
                if statement.strip():
                    tx.execute(statement)
            for table, column, decl in added:
                tx.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {column} {decl}")

    def close(self) -> None:
        with self._all_lock:
            connections, self._all = [c for _, c in self._all], []
        for conn in connections:
            conn.close()
        self._local = threading.local()


#: Advisory lock keys of a Postgres manifest (any two fixed integers unlikely to collide with
#: another application's own advisory locks in the same database).
SCHEMA_LOCK_KEY = 0x50C2CED0
WRITE_LOCK_KEYS = (0x50C2CED1, 0x0001)
