"""The source manifest: which documents are in the store, their text, hash and chunks.

The manifest is the bookkeeping of record: a document is "in" the library when its row is here,
and its current chunks are exactly the ones listed. The vector store and the lexical index are
derived from it, which makes crash recovery a comparison with it. It lives in an SQLite file in
the data directory, or in a Postgres database shared by a team's machines
(``SOURCED_DATABASE_URL``; see :mod:`ingest.database`): same schema, same transactions.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.database import Connection, Database, Row
from ingest.dates import timestamp
from ingest.errors import SourcedError
from ingest.ids import sha256
from ingest.models import Chunk, Document

if TYPE_CHECKING:
    from ingest.config import Settings

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY,
    locator TEXT NOT NULL,
    title TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    author TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    published_at TEXT NOT NULL DEFAULT '',
    published_ts BIGINT,
    text TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    chunk_count INTEGER NOT NULL,
    ingested_at TEXT NOT NULL,
    origin TEXT NOT NULL DEFAULT '',
    embedded_by TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS chunks (
    chunk_id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    heading TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL,
    tokens INTEGER NOT NULL DEFAULT 0,
    page INTEGER
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

# Columns added after the first release; older manifests get them on open (new ones are
# created with them).
_ADDED_COLUMNS = (
    ("documents", "origin", "TEXT NOT NULL DEFAULT ''"),
    ("chunks", "page", "INTEGER"),
    ("documents", "embedded_by", "TEXT NOT NULL DEFAULT ''"),
)


def content_hash(document: Document) -> str:
    """sha256 of the text and the metadata that a reader sees."""
    fields: tuple[str, ...] = (
        document.text,
        document.title,
        document.source,
        document.author,
        document.url,
        document.published_at,
        repr([(b.start, b.end, b.kind) for b in document.blocks]),
    )
    if document.page_starts:  # only paginated sources, so older hashes stay valid
        fields += (repr(document.page_starts),)
    return sha256("\x1e".join(fields))


@dataclass(frozen=True)
class SourceRecord:
    """A document as the library lists it."""

    doc_id: str
    locator: str
    title: str
    source: str
    author: str
    url: str
    published_at: str
    content_hash: str
    chunks: int
    ingested_at: str
    origin: str = ""  # the file it was read from ("" for records and URLs)
    embedded_by: str = ""  # the embedder backend that made its vectors ("" before it was kept)


@dataclass(frozen=True)
class ChunkRecord:
    """A stored chunk with its document's metadata."""

    chunk_id: str
    doc_id: str
    index: int
    start: int
    end: int
    heading: str
    text: str
    title: str
    source: str
    author: str
    url: str
    published_at: str
    published_ts: int | None
    page: int | None = None  # page in a paginated source (PDF)


class Manifest:
    """The bookkeeping of one library: an SQLite file at ``path`` or, with ``url``, a Postgres
    database (``postgresql://…``) that several machines share."""

    def __init__(self, path: Path, url: str | None = None) -> None:
        self.path = path
        self._db = Database(path, url)
        self._library_id = ""
        self._db.ensure_schema(_SCHEMA, _ADDED_COLUMNS, ("documents", "chunks", "meta"))

    @classmethod
    def open(cls, settings: Settings) -> Manifest:
        """The manifest ``settings`` name: ``database_url`` when set, else the data directory's
        SQLite file."""
        return cls(settings.manifest_path, settings.database_url or None)

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgres``."""
        return self._db.dialect

    @property
    def where(self) -> str:
        """The file or the (password-less) database URL, for messages."""
        return self._db.where

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        with self._db.transaction() as conn:
            yield conn

    def snapshot(self) -> AbstractContextManager[None]:
        """Reads inside this block see one committed state of the library (a writer's commit
        in the middle is seen by none or all of them)."""
        return self._db.snapshot()

    # --- reads -----------------------------------------------------------------------------
    def library_id(self) -> str:
        """A random id of this library, made on first use; a shared Chroma collection is
        tagged with it so that two libraries never write into one collection."""
        import uuid

        if self._library_id:
            return self._library_id
        row = self._db.one("SELECT value FROM meta WHERE key='library_id'")
        if row is not None:  # no write: a read-only database role can open the library
            self._library_id = str(row["value"])
            return self._library_id
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO meta(key, value) VALUES('library_id', ?) ON CONFLICT(key) DO NOTHING",
                (uuid.uuid4().hex[:16],),
            )
        row = self._db.one("SELECT value FROM meta WHERE key='library_id'")
        assert row is not None
        return str(row["value"])

    def generation(self) -> int:
        """A counter bumped by every change; derived indexes compare it with their own."""
        row = self._db.one("SELECT value FROM meta WHERE key='generation'")
        return int(row["value"]) if row else 0

    def get_hash(self, doc_id: str) -> str | None:
        row = self._db.one("SELECT content_hash FROM documents WHERE doc_id=?", (doc_id,))
        return str(row["content_hash"]) if row else None

    def chunk_ids(self, doc_id: str) -> list[str]:
        rows = self._db.rows("SELECT chunk_id FROM chunks WHERE doc_id=? ORDER BY idx", (doc_id,))
        return [str(r["chunk_id"]) for r in rows]

    def all_chunk_ids(self) -> set[str]:
        return {str(r[0]) for r in self._db.rows("SELECT chunk_id FROM chunks")}

    def document_text(self, doc_id: str) -> str | None:
        row = self._db.one("SELECT text FROM documents WHERE doc_id=?", (doc_id,))
        return str(row["text"]) if row else None

    def sources(self) -> list[SourceRecord]:
        rows = self._db.rows(
            "SELECT doc_id, locator, title, source, author, url, published_at, content_hash,"
            " chunk_count, ingested_at, origin, embedded_by FROM documents"
            " ORDER BY lower(title), title, doc_id"
        )
        return [
            SourceRecord(
                doc_id=r["doc_id"],
                locator=r["locator"],
                title=r["title"],
                source=r["source"],
                author=r["author"],
                url=r["url"],
                published_at=r["published_at"],
                content_hash=r["content_hash"],
                chunks=r["chunk_count"],
                ingested_at=r["ingested_at"],
                origin=r["origin"],
                embedded_by=r["embedded_by"],
            )
            for r in rows
        ]

    def find(self, key: str) -> list[str]:
        """Doc ids matching an id, a locator (path or URL), a URL, or the file the documents
        were read from (a JSON file gives several)."""
        rows = self._db.rows(
            "SELECT doc_id FROM documents WHERE doc_id=? OR locator=? OR url=? OR origin=?",
            (key, key, key, key),
        )
        return [str(r["doc_id"]) for r in rows]

    #: A shorter id prefix is refused: it would match too much by accident.
    MIN_PREFIX = 6

    def find_prefix(self, prefix: str) -> str | None:
        """The one doc id that starts with ``prefix`` (compared literally: ``%`` and ``_`` are
        just characters), None when none does; a :class:`SourcedError` listing the candidates
        when several do, so that a short or mistyped prefix never selects more than one."""
        if len(prefix) < self.MIN_PREFIX:
            return None
        rows = self._db.rows(
            "SELECT doc_id, title FROM documents WHERE substr(doc_id, 1, ?) = ? ORDER BY doc_id",
            (len(prefix), prefix),
        )
        if len(rows) > 1:
            shown = "\n".join(f"  {r['doc_id']}  {r['title']}" for r in rows[:20])
            more = f"\n  … and {len(rows) - 20} more" if len(rows) > 20 else ""
            raise SourcedError(
                f"{prefix!r} starts {len(rows)} document ids; give more of the id "
                f"(or the full id) of the one to remove:\n{shown}{more}"
            )
        return str(rows[0]["doc_id"]) if rows else None

    def chunks(self, chunk_ids: Iterable[str] | None = None) -> list[ChunkRecord]:
        """Chunks with their document metadata (all of them when ``chunk_ids`` is None)."""
        sql = (
            'SELECT c.chunk_id, c.doc_id, c.idx, c.start, c."end", c.heading, c.text, d.title,'
            " d.source, d.author, d.url, d.published_at, d.published_ts, c.page"
            " FROM chunks c JOIN documents d ON c.doc_id = d.doc_id"
        )
        rows: list[Row] = []
        if chunk_ids is None:
            rows = self._db.rows(sql + " ORDER BY c.doc_id, c.idx")
        else:
            ids = list(chunk_ids)
            # Several statements read one state; a single one needs no snapshot (and on
            # Postgres saves three round trips per query).
            with self.snapshot() if len(ids) > 500 else nullcontext():
                for i in range(0, len(ids), 500):
                    part = ids[i : i + 500]
                    marks = ",".join("?" * len(part))
                    rows.extend(self._db.rows(sql + f" WHERE c.chunk_id IN ({marks})", part))
        return [
            ChunkRecord(
                chunk_id=r["chunk_id"],
                doc_id=r["doc_id"],
                index=r["idx"],
                start=r["start"],
                end=r["end"],
                heading=r["heading"],
                text=r["text"],
                title=r["title"],
                source=r["source"],
                author=r["author"],
                url=r["url"],
                published_at=r["published_at"],
                published_ts=r["published_ts"],
                page=r["page"],
            )
            for r in rows
        ]

    # --- writes ----------------------------------------------------------------------------
    def _bump(self, conn: Connection) -> None:
        conn.execute(
            "INSERT INTO meta(key, value) VALUES('generation', '1') ON CONFLICT(key)"
            " DO UPDATE SET value = CAST(CAST(meta.value AS BIGINT) + 1 AS TEXT)"
        )

    def put(
        self, document: Document, chunks: list[Chunk], digest: str, embedded_by: str = ""
    ) -> None:
        """Record ``document`` with exactly ``chunks``, replacing an earlier version atomically;
        ``embedded_by`` names the backend that embedded them."""
        now = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
        with self.transaction() as conn:
            conn.execute("DELETE FROM chunks WHERE doc_id=?", (document.doc_id,))
            conn.execute(
                "INSERT INTO documents(doc_id, locator, title, source, author, url,"
                " published_at, published_ts, text, content_hash, chunk_count, ingested_at,"
                " origin, embedded_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
                " ON CONFLICT(doc_id) DO UPDATE SET " + _set_excluded(_DOCUMENT_COLUMNS),
                (
                    document.doc_id,
                    document.locator,
                    document.title,
                    document.source,
                    document.author,
                    document.url,
                    document.published_at,
                    timestamp(document.published_at),
                    document.text,
                    digest,
                    len(chunks),
                    now,
                    document.origin,
                    embedded_by,
                ),
            )
            conn.executemany(
                'INSERT INTO chunks(chunk_id, doc_id, idx, start, "end", heading,'
                " text, tokens, page) VALUES (?,?,?,?,?,?,?,?,?)"
                " ON CONFLICT(chunk_id) DO UPDATE SET " + _set_excluded(_CHUNK_COLUMNS),
                [
                    (
                        c.chunk_id,
                        c.doc_id,
                        c.index,
                        c.start,
                        c.end,
                        c.heading,
                        c.text,
                        c.tokens,
                        c.page,
                    )
                    for c in chunks
                ],
            )
            self._bump(conn)

    def get_origin(self, doc_id: str) -> str | None:
        row = self._db.one("SELECT origin FROM documents WHERE doc_id=?", (doc_id,))
        return str(row["origin"]) if row else None

    def set_origin(self, doc_id: str, origin: str) -> None:
        """Record that an unchanged document now comes from another file (it moved)."""
        with self.transaction() as conn:
            conn.execute("UPDATE documents SET origin=? WHERE doc_id=?", (origin, doc_id))

    def origins(self) -> dict[str, tuple[str, str]]:
        """doc_id -> (origin file, locator) of every document."""
        rows = self._db.rows("SELECT doc_id, origin, locator FROM documents")
        return {str(r["doc_id"]): (str(r["origin"]), str(r["locator"])) for r in rows}

    def delete(self, doc_ids: Iterable[str]) -> None:
        with self.transaction() as conn:
            for doc_id in doc_ids:
                conn.execute("DELETE FROM chunks WHERE doc_id=?", (doc_id,))
                conn.execute("DELETE FROM documents WHERE doc_id=?", (doc_id,))
            self._bump(conn)


_DOCUMENT_COLUMNS = (
    "locator",
    "title",
    "source",
    "author",
    "url",
    "published_at",
    "published_ts",
    "text",
    "content_hash",
    "chunk_count",
    "ingested_at",
    "origin",
    "embedded_by",
)
_CHUNK_COLUMNS = ("doc_id", "idx", "start", '"end"', "heading", "text", "tokens", "page")


def _set_excluded(columns: Iterable[str]) -> str:
    """The SET list of an upsert that replaces every column (SQLite and Postgres alike)."""
    return ", ".join(f"{c} = excluded.{c}" for c in columns)


def _placeholders(values: tuple[str, ...]) -> str:
    return ",".join("?" * len(values))


def matching_chunk_ids(
    manifest: Manifest,
    *,
    sources: tuple[str, ...] = (),
    authors: tuple[str, ...] = (),
    doc_ids: tuple[str, ...] = (),
    since_ts: int | None = None,
    until_ts: int | None = None,
) -> set[str]:
    """Chunk ids of the documents that pass these metadata filters."""
    where: list[str] = []
    params: list[object] = []
    for column, values in (("d.source", sources), ("d.author", authors), ("d.doc_id", doc_ids)):
        if values:
            where.append(f"{column} IN ({_placeholders(values)})")
            params.extend(values)
    if since_ts is not None:
        where.append("d.published_ts >= ?")
        params.append(since_ts)
    if until_ts is not None:
        where.append("d.published_ts <= ?")
        params.append(until_ts)
    sql = "SELECT c.chunk_id FROM chunks c JOIN documents d ON c.doc_id = d.doc_id"
    if where:
        sql += " WHERE " + " AND ".join(where)
    return {str(r[0]) for r in manifest._db.rows(sql, params)}
