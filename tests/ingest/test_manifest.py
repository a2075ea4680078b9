"""The manifest on both of its databases: the SQLite file and a real Postgres server."""

from __future__ import annotations

import random
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from ingest.errors import ConfigError, SourcedError, StoreError
from ingest.manifest import Manifest, content_hash, matching_chunk_ids
from ingest.models import Chunk
from tests.vectorstore.test_lexical_incremental import make_document

Location = tuple[Path, str | None]


def test_a_version_switch_replaces_the_chunks_and_bumps_the_generation(
    manifest_location: Location,
) -> None:
    manifest = Manifest(*manifest_location)
    doc, chunks = make_document("a", random.Random(1))
    manifest.put(doc, chunks, content_hash(doc), "torch")
    first = manifest.generation()
    assert manifest.chunk_ids(doc.doc_id) == [c.chunk_id for c in chunks]
    assert manifest.get_hash(doc.doc_id) == content_hash(doc)

    changed, new_chunks = make_document("a", random.Random(2))
    manifest.put(changed, new_chunks, content_hash(changed), "openvino")
    assert manifest.generation() == first + 1
    assert manifest.chunk_ids(doc.doc_id) == [c.chunk_id for c in new_chunks]
    assert manifest.all_chunk_ids() == {c.chunk_id for c in new_chunks}
    assert manifest.document_text(doc.doc_id) == changed.text
    [record] = manifest.sources()
    assert (record.chunks, record.embedded_by) == (len(new_chunks), "openvino")
    stored = manifest.chunks()
    assert [(r.chunk_id, r.start, r.end, r.text) for r in stored] == [
        (c.chunk_id, c.start, c.end, c.text) for c in new_chunks
    ]
    assert all(changed.text[r.start : r.end] == r.text for r in stored)
    manifest.close()


def test_a_failed_switch_leaves_the_old_version_whole(manifest_location: Location) -> None:
    manifest = Manifest(*manifest_location)
    doc, chunks = make_document("a", random.Random(1))
    manifest.put(doc, chunks, content_hash(doc))
    generation = manifest.generation()
    changed, new_chunks = make_document("a", random.Random(2))
    broken = [*new_chunks[:-1], replace(new_chunks[-1], text=None)]  # type: ignore[arg-type]
    refused: type[Exception] = sqlite3.IntegrityError
    if manifest.dialect == "postgres":
        refused = StoreError  # psycopg's error, named as the manifest database's refusal
    with pytest.raises(refused) as raised:
        manifest.put(changed, broken, content_hash(changed))
    if manifest.dialect == "postgres":
        import psycopg

        assert isinstance(raised.value.__cause__, psycopg.errors.NotNullViolation)
    assert manifest.generation() == generation
    assert manifest.get_hash(doc.doc_id) == content_hash(doc)
    assert manifest.chunk_ids(doc.doc_id) == [c.chunk_id for c in chunks]
    assert manifest.document_text(doc.doc_id) == doc.text
    manifest.close()


def test_a_snapshot_does_not_see_a_commit_made_during_it(manifest_location: Location) -> None:
    reader, writer = Manifest(*manifest_location), Manifest(*manifest_location)
    rng = random.Random(3)
    doc, chunks = make_document("a", rng)
    writer.put(doc, chunks, content_hash(doc))
    with reader.snapshot():
        before = reader.generation()
        other, other_chunks = make_document("b", rng)
        writer.put(other, other_chunks, content_hash(other))
        writer.delete([doc.doc_id])
        assert reader.generation() == before
        assert reader.all_chunk_ids() == {c.chunk_id for c in chunks}
        assert [s.doc_id for s in reader.sources()] == [doc.doc_id]
    assert reader.generation() == before + 2
    assert reader.all_chunk_ids() == {c.chunk_id for c in other_chunks}
    reader.close()
    writer.close()


def test_lookups_filters_and_ids(manifest_location: Location) -> None:
    manifest = Manifest(*manifest_location)
    rng = random.Random(4)
    docs = []
    for i, (source, date) in enumerate(
        [("Post", "2024-01-05"), ("Times", "2024-03-01"), ("Post", "2023-12-31")]
    ):
        doc, chunks = make_document(f"k{i}", rng)
        doc = replace(doc, source=source, published_at=date, origin=f"/in/f{i}.txt")
        chunks = [replace(c, page=None) for c in chunks]
        manifest.put(doc, chunks, content_hash(doc))
        docs.append((doc, chunks))
    ids = [d.doc_id for d, _ in docs]
    assert manifest.library_id() == manifest.library_id()
    assert Manifest(*manifest_location).library_id() == manifest.library_id()
    assert manifest.find("/in/f1.txt") == [ids[1]]
    assert manifest.find_prefix(ids[2][:12]) == ids[2]
    assert manifest.find_prefix("%%%%%%%%") is None
    posted = matching_chunk_ids(manifest, sources=("Post",))
    assert posted == {c.chunk_id for d, cs in docs if d.source == "Post" for c in cs}
    import calendar
    import time

    since = calendar.timegm(time.strptime("2024-01-01", "%Y-%m-%d"))
    recent = matching_chunk_ids(manifest, since_ts=since)
    assert recent == {c.chunk_id for _, cs in docs[:2] for c in cs}
    manifest.set_origin(ids[0], "/in/moved.txt")
    assert manifest.get_origin(ids[0]) == "/in/moved.txt"
    assert manifest.origins()[ids[0]][0] == "/in/moved.txt"
    titles = [s.title for s in manifest.sources()]
    assert titles == sorted(titles, key=lambda t: (t.lower(), t))
    manifest.delete(ids[:2])
    assert [s.doc_id for s in manifest.sources()] == [ids[2]]
    assert manifest.all_chunk_ids() == {c.chunk_id for c in docs[2][1]}
    manifest.close()


def test_an_ambiguous_prefix_lists_the_candidates(manifest_location: Location) -> None:
    manifest = Manifest(*manifest_location)
    rng = random.Random(6)
    doc, chunks = make_document("x", rng)
    twin = replace(doc, doc_id=doc.doc_id[:10] + "f" * (len(doc.doc_id) - 10), locator="y")
    manifest.put(doc, chunks, content_hash(doc))
    twin_chunks = [
        Chunk(c.chunk_id + "t", twin.doc_id, c.index, c.start, c.end, c.text) for c in chunks
    ]
    manifest.put(twin, twin_chunks, content_hash(twin))
    with pytest.raises(SourcedError, match="starts 2 document ids"):
        manifest.find_prefix(doc.doc_id[:8])
    manifest.close()


def test_an_older_sqlite_manifest_gets_the_new_columns(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.executescript(
            "CREATE TABLE documents (doc_id TEXT PRIMARY KEY, locator TEXT NOT NULL,"
            " title TEXT NOT NULL, source TEXT NOT NULL DEFAULT '', author TEXT NOT NULL"
            " DEFAULT '', url TEXT NOT NULL DEFAULT '', published_at TEXT NOT NULL DEFAULT '',"
            " published_ts INTEGER, text TEXT NOT NULL, content_hash TEXT NOT NULL,"
            " chunk_count INTEGER NOT NULL, ingested_at TEXT NOT NULL);"
        )
    manifest = Manifest(path)
    doc, chunks = make_document("a", random.Random(1))
    manifest.put(replace(doc, origin="/f.txt"), chunks, "h", "torch")
    assert manifest.get_origin(doc.doc_id) == "/f.txt"
    manifest.close()


def test_a_database_url_that_is_not_postgres_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"mysql://u:\*\*\*@h/db.*not a Postgres URL"):
        Manifest(tmp_path / "m.sqlite3", "mysql://u:secret@h/db")


def test_a_read_only_postgres_role_can_open_and_read_the_library(database_url: str) -> None:
    import uuid

    import psycopg

    writer = Manifest(Path("unused"), database_url)
    doc, chunks = make_document("a", random.Random(1))
    writer.put(doc, chunks, content_hash(doc))
    library = writer.library_id()
    role = f"reader_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {role} LOGIN")
        conn.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}")
    reader = Manifest(Path("unused"), database_url.replace("postgres@", f"{role}@"))
    assert reader.library_id() == library
    assert reader.chunk_ids(doc.doc_id) == [c.chunk_id for c in chunks]
    with pytest.raises(StoreError, match=r"may read but not write this library") as refused:
        reader.delete([doc.doc_id])
    assert isinstance(refused.value.__cause__, psycopg.errors.InsufficientPrivilege)
    assert writer.chunk_ids(doc.doc_id) == [c.chunk_id for c in chunks]
    reader.close()
    writer.close()


def test_a_broken_postgres_connection_is_replaced(database_url: str) -> None:
    import psycopg

    manifest = Manifest(Path("unused"), database_url)
    doc, chunks = make_document("a", random.Random(1))
    manifest.put(doc, chunks, content_hash(doc))
    with psycopg.connect(database_url, autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE application_name = 'sourced' AND pid <> pg_backend_pid()"
        )
    assert manifest.chunk_ids(doc.doc_id) == [c.chunk_id for c in chunks]
    manifest.close()


def test_connections_of_ended_threads_are_closed(manifest_location: Location) -> None:
    import threading

    manifest = Manifest(*manifest_location)
    for _ in range(5):
        worker = threading.Thread(target=manifest.generation)
        worker.start()
        worker.join()
    manifest.generation()  # this thread's connection was opened first; one more read
    other = threading.Thread(target=manifest.generation)
    other.start()
    other.join()
    assert len(manifest._db._all) <= 3  # this thread's, the last worker's, and at most one more
    manifest.close()


@pytest.mark.parametrize(
    "url",
    ["postgresql://u:secret@db-host:abc/sourced", "postgresql://u:secret@[db-host/sourced"],
)
def test_an_unparseable_database_url_is_a_config_error_without_its_password(
    tmp_path: Path, url: str
) -> None:
    with pytest.raises(ConfigError, match="SOURCED_DATABASE_URL") as raised:
        Manifest(tmp_path / "m.sqlite3", url)
    assert "secret" not in str(raised.value)


def test_a_keyword_database_url_is_refused_without_its_password(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not a Postgres URL") as raised:
        Manifest(tmp_path / "m.sqlite3", "host=db-host password=secret dbname=sourced")
    assert "secret" not in str(raised.value)


def test_a_postgres_manifest_without_psycopg_says_to_install_the_team_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "psycopg", None)  # the `team` extra not installed
    with pytest.raises(ConfigError, match=r"SOURCED_DATABASE_URL.*psycopg.*\[team\]"):
        Manifest(tmp_path / "m.sqlite3", "postgresql://u@127.0.0.1:1/sourced").generation()


def test_an_empty_database_url_means_the_sqlite_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ingest.config import Settings

    # `export SOURCED_DATABASE_URL=` is how a shell unsets it for one command; the write lock
    # and the Chroma check already read it so.
    monkeypatch.setenv("SOURCED_DATABASE_URL", "")
    manifest = Manifest.open(Settings(data_dir=tmp_path / "data"))
    assert manifest.dialect == "sqlite" and manifest.generation() == 0
    manifest.close()
