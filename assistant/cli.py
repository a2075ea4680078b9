"""The ``sourced`` command line (typer + rich). Exit codes: 0 ok, 1 handled error, 2 bad usage."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from assistant.types import Answer
from ingest.errors import SourcedError
from vectorstore.types import Filters, Passage

app = typer.Typer(
    name="sourced",
    help="Answers questions over your sources and cites the exact passage behind every claim.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False)

DataDir = Annotated[
    Path | None,
    typer.Option("--data-dir", help="Data directory (default ./.sourced or SOURCED_DATA_DIR)."),
]
JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]
SourceOpt = Annotated[list[str] | None, typer.Option("--source", help="Only these sources.")]
AuthorOpt = Annotated[list[str] | None, typer.Option("--author", help="Only these authors.")]
SinceOpt = Annotated[
    str | None, typer.Option("--since", help="Published on or after (YYYY-MM-DD).")
]
UntilOpt = Annotated[
    str | None, typer.Option("--until", help="Published on or before (YYYY-MM-DD).")
]


def _assistant(data_dir: Path | None) -> Any:
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    from assistant.api import Assistant
    from ingest.config import Settings

    settings = Settings(data_dir=data_dir) if data_dir else Settings()
    return Assistant(settings)


def _fail(exc: SourcedError) -> typer.Exit:
    err.print(f"[bold red]error:[/] {exc}", markup=True, highlight=False)
    return typer.Exit(1)


def _resolve(names: list[str] | None, known: list[str], field: str) -> tuple[str, ...]:
    """Match user-typed names to stored ones, case-insensitively (exact, then substring)."""
    if not names:
        return ()
    picked: list[str] = []
    for name in names:
        exact = [k for k in known if k.lower() == name.lower()]
        partial = [k for k in known if name.lower() in k.lower()]
        match = exact or partial
        if not match:
            choices = ", ".join(sorted(set(known))) or "none stored"
            raise SourcedError(f"no {field} matches {name!r}; known: {choices}")
        picked.extend(match)
    return tuple(dict.fromkeys(picked))


def _filters(
    bot: Any,
    source: list[str] | None,
    author: list[str] | None,
    since: str | None,
    until: str | None,
) -> Filters | None:
    from ingest.dates import parse_date

    for label, value in (("--since", since), ("--until", until)):
        if value and parse_date(value) is None:
            raise SourcedError(f"{label} {value!r} is not a date; use YYYY-MM-DD")
    records = bot.sources()
    filters = Filters(
        sources=_resolve(source, [r.source for r in records if r.source], "source"),
        authors=_resolve(author, [r.author for r in records if r.author], "author"),
        since=since,
        until=until,
    )
    return None if filters.is_empty() else filters


def _passage_dict(p: Passage) -> dict[str, Any]:
    data = asdict(p)
    data["score"] = round(p.score, 6)
    return data


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to ingest.")],
    data_dir: DataDir = None,
    json_out: JsonFlag = False,
) -> None:
    """Ingest files and folders (.txt .md .html .json .jsonl); unchanged ones are skipped."""
    try:
        bot = _assistant(data_dir)
        from ingest.loaders import iter_files

        total = sum(1 for p in paths if p.exists() for _ in iter_files(p))
        with Progress(
            TextColumn("ingesting"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
            disable=json_out or not err.is_terminal,
        ) as progress:
            task = progress.add_task("ingest", total=total or None)
            report = bot.ingest(paths, on_progress=lambda n: progress.advance(task, n))
    except SourcedError as exc:
        raise _fail(exc) from exc
    if json_out:
        out.print_json(json.dumps(report.to_dict()))
    else:
        out.print(
            f"documents: {report.documents} ({len(report.added)} new, {len(report.updated)} "
            f"updated)  chunks: {report.chunks}  skipped (unchanged): {report.skipped}  "
            f"errors: {len(report.errors)}"
        )
        for problem in report.errors:
            err.print(f"error: {problem.source}: {problem.reason}", markup=False)
    if report.errors:
        raise typer.Exit(1)


def _print_answer(answer: Answer) -> None:
    if answer.citations:
        out.print()
        for c in answer.citations:
            meta = " · ".join(x for x in (c.source, c.author, c.published_at) if x)
            out.print(f"[{c.n}] {c.title}" + (f" — {meta}" if meta else ""), markup=False)
            if c.url:
                out.print(f"    {c.url}", markup=False)
            for q in c.quotes:
                out.print(f"    “{q.text}” (chars {q.start}–{q.end})", markup=False)


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="The question.")],
    data_dir: DataDir = None,
    json_out: JsonFlag = False,
    source: SourceOpt = None,
    author: AuthorOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
) -> None:
    """Answer a question from the library, citing every claim."""
    try:
        bot = _assistant(data_dir)
        filters = _filters(bot, source, author, since, until)
        final: Answer | None = None
        for piece in bot.stream(question, filters=filters):
            if isinstance(piece, Answer):
                final = piece
            elif not json_out:
                out.print(piece, end="", markup=False)
    except SourcedError as exc:
        raise _fail(exc) from exc
    assert final is not None
    if json_out:
        out.print_json(json.dumps(final.to_dict()))
    else:
        out.print()
        _print_answer(final)
        _print_notes(final)


@app.command()
def retrieve(
    question: Annotated[str, typer.Argument(help="The question.")],
    k: Annotated[int, typer.Option("-k", "--k", min=1, max=100, help="How many passages.")] = 10,
    data_dir: DataDir = None,
    json_out: JsonFlag = False,
    source: SourceOpt = None,
    author: AuthorOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
) -> None:
    """Show the passages that best match a question."""
    try:
        bot = _assistant(data_dir)
        passages = bot.retrieve(question, k=k, filters=_filters(bot, source, author, since, until))
    except SourcedError as exc:
        raise _fail(exc) from exc
    if json_out:
        out.print_json(json.dumps([_passage_dict(p) for p in passages]))
        return
    for i, p in enumerate(passages, 1):
        meta = " · ".join(x for x in (p.source, p.author, p.published_at) if x)
        out.print(f"{i}. {p.title} — {meta} (score {p.score:.4f})", markup=False)
        out.print(f"   {p.text}\n", markup=False)


@app.command()
def sources(data_dir: DataDir = None, json_out: JsonFlag = False) -> None:
    """List the documents in the library."""
    try:
        records = _assistant(data_dir).sources()
    except SourcedError as exc:
        raise _fail(exc) from exc
    if json_out:
        out.print_json(
            json.dumps(
                [
                    {
                        "id": r.doc_id,
                        "title": r.title,
                        "source": r.source,
                        "author": r.author,
                        "published_at": r.published_at,
                        "chunks": r.chunks,
                        "url": r.url,
                        "locator": r.locator,
                        "ingested_at": r.ingested_at,
                    }
                    for r in records
                ]
            )
        )
        return
    table = Table("id", "title", "source", "date", "chunks", "ingested")
    for r in records:
        table.add_row(r.doc_id, r.title, r.source, r.published_at, str(r.chunks), r.ingested_at)
    out.print(table)


@app.command()
def remove(
    keys: Annotated[list[str], typer.Argument(help="Document ids, paths or URLs.")],
    data_dir: DataDir = None,
) -> None:
    """Remove documents from the library."""
    try:
        removed = _assistant(data_dir).remove(keys)
    except SourcedError as exc:
        raise _fail(exc) from exc
    out.print(f"removed {len(removed)} document(s)")


@app.command()
def ui(
    data_dir: DataDir = None,
    port: Annotated[int, typer.Option(help="Port to serve on.")] = 8501,
    host: Annotated[str, typer.Option(help="Address to bind.")] = "127.0.0.1",
) -> None:
    """Open the chat UI (Streamlit) on localhost."""
    import importlib.util

    spec = importlib.util.find_spec("ui")
    if spec is None or not spec.submodule_search_locations:
        raise _fail(SourcedError("the ui package is not installed; run `pip install -e .`"))
    app_path = Path(next(iter(spec.submodule_search_locations))) / "app.py"
    env = dict(os.environ)
    if data_dir:
        env["SOURCED_DATA_DIR"] = str(data_dir.resolve())
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app_path),
        "--server.address",
        host,
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
    ]
    raise typer.Exit(subprocess.call(command, env=env))


def _print_notes(answer: Answer) -> None:
    # issue 5: what verification left out, model failures, disagreements.
    for note in answer.notes:
        out.print(f"note: {note}", markup=False, style="dim")


@app.command()
def chat(
    data_dir: DataDir = None,
    source: SourceOpt = None,
    author: AuthorOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
) -> None:
    """Chat about the library, one question a line; follow-ups ("what did he say about…?")
    are understood from the conversation. Ends at end of input or on "exit"."""
    try:
        bot = _assistant(data_dir)
        filters = _filters(bot, source, author, since, until)
    except SourcedError as exc:
        raise _fail(exc) from exc
    history: list[dict[str, str]] = []
    interactive = sys.stdin.isatty()
    while True:
        if interactive:
            out.print("you> ", end="", markup=False)
        line = sys.stdin.readline()
        if not line or line.strip().lower() in {"exit", "quit"}:
            break
        question = line.strip()
        if not question:
            continue
        final: Answer | None = None
        try:
            for piece in bot.stream(question, history=history, filters=filters):
                if isinstance(piece, Answer):
                    final = piece
                else:
                    out.print(piece, end="", markup=False)
        except SourcedError as exc:
            err.print(f"error: {exc}", markup=False)
            continue
        assert final is not None
        out.print()
        if final.standalone_question and final.standalone_question != question:
            out.print(f"(understood as: {final.standalone_question})", markup=False, style="dim")
        _print_answer(final)
        _print_notes(final)
        out.print()
        history += [
            {"role": "user", "content": question},
            {"role": "assistant", "content": final.text},
        ]


def main() -> None:
    app()


if __name__ == "__main__":
    main()
