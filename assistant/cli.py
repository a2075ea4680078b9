"""The ``sourced`` command line (typer + rich). Exit codes: 0 ok, 1 handled error, 2 bad usage."""

from __future__ import annotations

import json
import os
import signal
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from assistant.types import Answer
from ingest.errors import IngestInterrupted, SourcedError
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


def _progress(label: str, json_out: bool) -> Progress:
    """A progress bar on stderr (``label``, n of m, elapsed), off for --json or no terminal."""
    return Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        disable=json_out or not err.is_terminal,
    )


def _assistant(data_dir: Path | None) -> Any:
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    from assistant.api import Assistant
    from ingest.config import Settings

    settings = Settings(data_dir=data_dir) if data_dir else Settings()
    return Assistant(settings)


def _fail(exc: SourcedError) -> typer.Exit:
    # The message holds the user's own values and bracketed extras ('.[team]'): not markup.
    err.print(f"[bold red]error:[/] {escape(str(exc))}", markup=True, highlight=False)
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
    paths: Annotated[list[str], typer.Argument(help="Files, folders or http(s) URLs.")],
    data_dir: DataDir = None,
    json_out: JsonFlag = False,
) -> None:
    """Ingest files, folders (.txt .md .html .json .jsonl .pdf .docx) and http(s) URLs;
    unchanged ones are skipped."""
    from ingest.urls import is_url

    sources = [p if is_url(p) else Path(p) for p in paths]
    _run_ingest(data_dir, json_out, lambda bot, **kw: bot.ingest(sources, **kw))


class _StopRequest:
    """SIGINT/SIGTERM ask a running ingest to stop at the next document; a second one stops
    it at once (still safe: a killed ingest is repaired by the next write)."""

    def __init__(self) -> None:
        self.asked = False
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> _StopRequest:
        for sig in (signal.SIGINT, signal.SIGTERM):
            self._previous[sig] = signal.signal(sig, self._handle)
        return self

    def __exit__(self, *_: object) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)

    def _handle(self, signum: int, frame: object) -> None:
        if self.asked:
            raise KeyboardInterrupt
        self.asked = True
        err.print(
            "stopping after the document in progress… (press Ctrl-C again to stop at once)",
            markup=False,
            soft_wrap=True,
        )

    def __call__(self) -> bool:
        return self.asked


def _run_ingest(data_dir: Path | None, json_out: bool, run: Any) -> None:
    """Run an ingest or sync with a progress bar, print the summary, exit 1 on errors and
    130 when interrupted (Ctrl-C) after what was done so far is stored."""
    try:
        with _StopRequest() as stop:
            bot = _assistant(data_dir)
            with _progress("ingesting", json_out) as progress:
                task = progress.add_task("ingest", total=None)
                report = run(
                    bot,
                    on_progress=lambda n: progress.advance(task, n),
                    on_total=lambda n: progress.update(task, total=n),
                    should_stop=stop,
                )
    except IngestInterrupted as exc:
        err.print(str(exc), markup=False, soft_wrap=True)
        raise typer.Exit(130) from exc
    except SourcedError as exc:
        raise _fail(exc) from exc
    if json_out:
        out.print_json(json.dumps(report.to_dict()))
    else:
        out.print(
            f"documents: {report.documents} ({len(report.added)} new, {len(report.updated)} "
            f"updated)  chunks: {report.chunks}  skipped (unchanged): {report.skipped}  "
            f"errors: {len(report.errors)}"
            + (f"  removed: {len(report.removed)}" if report.removed else "")
        )
        out.print(_embedder_line(report.embedder), markup=False)
        for problem in report.errors:
            err.print(f"error: {problem.source}: {problem.reason}", markup=False, soft_wrap=True)
    if report.errors:
        raise typer.Exit(1)


def _embedder_line(info: dict[str, str]) -> str:
    """``embedder: all-MiniLM-L6-v2 on openvino (auto: fastest exact backend installed)``."""
    why = f" ({info['requested']}: {info['reason']})" if info.get("requested") == "auto" else ""
    return f"embedder: {info.get('model', '')} on {info.get('backend', '')}{why}"


def _print_answer(answer: Answer, more: bool = False) -> None:
    citations = answer.citations
    if more and answer.more:
        out.print("\nMore evidence:\n", style="bold")
        out.print(answer.more, markup=False)
        citations = [*citations, *answer.more_citations]
    elif answer.more:
        out.print("(more evidence: --more)", style="dim")
    if citations:
        out.print()
        for c in citations:
            meta = " · ".join(x for x in (c.source, c.author, c.published_at) if x)
            page = f" (p. {c.page})" if c.page else ""
            out.print(f"[{c.n}] {c.title}{page}" + (f" — {meta}" if meta else ""), markup=False)
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
    more: Annotated[
        bool, typer.Option("--more", help="Also show the rest of the evidence found.")
    ] = False,
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
        _print_answer(final, more)
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
def sources(
    data_dir: DataDir = None,
    json_out: JsonFlag = False,
    wide: Annotated[
        bool, typer.Option("--wide", help="Full titles and times, however wide the table.")
    ] = False,
) -> None:
    """List the documents in the library (titles cut to fit the terminal unless --wide)."""
    try:
        bot = _assistant(data_dir)
        records = bot.sources()
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
                        "embedded_by": r.embedded_by,
                    }
                    for r in records
                ]
            )
        )
        return
    table = _sources_table(records, wide, out.width)
    if wide:  # as wide as the longest values, whatever the terminal
        Console(file=out.file, width=table.width or 80, highlight=False).print(table)
    else:
        out.print(table)
    out.print(_embedder_line(bot.embedder_info()), markup=False, overflow="ellipsis", no_wrap=True)


def _sources_table(records: list[Any], wide: bool, width: int) -> Table:
    """One line per document: the full id (what `remove` takes), title, source, date and
    chunks, title and source cut with an ellipsis to fit ``width`` columns. ``wide`` keeps
    every value whole and adds when each was ingested and by which embedder; the table's
    ``width`` is what it needs.
    """
    headers = ["id", "title", "source", "date", "chunks"]
    headers += ["ingested", "embedded by"] if wide else []
    rows = [
        [
            r.doc_id,
            r.title,
            r.source,
            r.published_at if wide else r.published_at[:10],
            str(r.chunks),
            *([r.ingested_at, r.embedded_by] if wide else []),
        ]
        for r in records
    ]
    longest = [max([len(h)] + [len(row[i]) for row in rows]) for i, h in enumerate(headers)]
    gap = 2
    widths = list(longest)
    if not wide:
        fixed = longest[0] + longest[3] + longest[4] + gap * (len(headers) - 1)
        room = max(24, width - fixed)
        widths[2] = min(longest[2], max(6, room // 4))
        widths[1] = max(12, min(longest[1], room - widths[2]))
    table = Table(box=None, pad_edge=False, padding=(0, gap // 2), show_edge=False)
    for header, size in zip(headers, widths, strict=True):
        table.add_column(
            header,
            width=size,
            no_wrap=True,
            overflow="ellipsis",
            justify="right" if header == "chunks" else "left",
        )
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))  # titles are the articles' text, not markup
    table.width = sum(widths) + gap * (len(headers) - 1)
    return table


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

    from ingest.config import Settings

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
        # The security options of .streamlit/config.toml, so they hold from any directory.
        "--server.enableXsrfProtection",
        "true",
        "--server.maxUploadSize",
        str(max(1, Settings().max_file_bytes // 1_000_000)),
        "--client.showErrorDetails",
        "type",
        "--client.toolbarMode",
        "minimal",
    ]
    sys.stdout.flush()
    sys.stderr.flush()
    # Become the Streamlit server rather than its parent: a service manager's, a container's
    # or a terminal's SIGTERM/SIGINT then reaches the server itself, which stops and frees the
    # port, instead of killing a parent and orphaning the server.
    os.execve(sys.executable, command, env)


@app.command()
def sync(
    folder: Annotated[Path, typer.Argument(help="The folder to mirror.")],
    data_dir: DataDir = None,
    json_out: JsonFlag = False,
) -> None:
    """Mirror a folder: ingest new and changed files, remove documents whose file is gone."""
    _run_ingest(data_dir, json_out, lambda bot, **kw: bot.sync(folder, **kw))


@app.command(name="eval")
def eval_command(
    question_set: Annotated[
        Path,
        typer.Argument(
            help="A MultiHop-RAG folder or queries .json, a BEIR folder, or a .jsonl of "
            "{question, evidence, answerable}."
        ),
    ],
    data_dir: DataDir = None,
    json_out: JsonFlag = False,
    plot: Annotated[
        Path | None, typer.Option("--plot", help="Write a PNG chart of the metrics here.")
    ] = None,
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, help="Only the first N questions.")
    ] = None,
    split: Annotated[str, typer.Option("--split", help="BEIR qrels split.")] = "test",
    answers: Annotated[
        bool, typer.Option("--answers/--no-answers", help="Also score the answers.")
    ] = True,
    ingest_corpus: Annotated[
        bool, typer.Option("--ingest/--no-ingest", help="Ingest the set's corpus first.")
    ] = True,
    per_question: Annotated[
        bool, typer.Option("--per-question", help="Include every question in --json.")
    ] = False,
    corpus: Annotated[
        Path | None,
        typer.Option("--corpus", help="Claim sets: the corpus .json their passages refer to."),
    ] = None,
    claim_split: Annotated[
        str | None,
        typer.Option("--claim-split", help="Claim sets: only rows of this split (dev, test)."),
    ] = None,
    half: Annotated[
        str | None,
        typer.Option(
            "--half", help="Only half A or B of the questions (a stable split by question)."
        ),
    ] = None,
) -> None:
    """Score retrieval and answers on a question set: Hits@4/10, MRR@10, evidence recall@10,
    nDCG@10 (BEIR), citation validity, abstention accuracy, latency. On a claim set (JSONL of
    {claim, passages, label}): the checker's verdict rates by label and by error type."""
    from assistant.claimset import is_claim_set
    from assistant.eval_data import load_eval_set, select_half
    from assistant.evaluation import evaluate

    if is_claim_set(question_set):
        _claim_eval(question_set, corpus, claim_split, data_dir, json_out, per_question)
        return

    try:
        eval_set = select_half(load_eval_set(question_set, split=split), half)
        bot = _assistant(data_dir)
        with _progress("{task.description}", json_out) as progress:
            if ingest_corpus and eval_set.corpus:
                task = progress.add_task("ingesting", total=len(eval_set.corpus))
                report = bot.ingest(
                    list(eval_set.corpus), on_progress=lambda n: progress.advance(task, n)
                )
                for problem in report.errors[:5]:
                    err.print(f"warning: {problem.source}: {problem.reason}", markup=False)
            total = len(eval_set.questions[:limit])
            task = progress.add_task("evaluating", total=total)
            result = evaluate(
                bot,
                eval_set,
                answers=answers,
                limit=limit,
                on_progress=lambda n: progress.advance(task, n),
            )
        if plot is not None:
            from assistant.eval_plot import plot_metrics

            plot_metrics(result, plot)
    except SourcedError as exc:
        raise _fail(exc) from exc
    if json_out:
        out.print_json(json.dumps(result.to_dict(per_question=per_question)))
        return
    table = Table("metric", "value", title=f"{result.name} ({result.format})")
    for name, value in result.metrics.items():
        if value is not None:
            shown = f"{value:.1f}" if name.endswith("_ms") else f"{value:.3f}"
            table.add_row(name, shown)
    for name, count in result.counts.items():
        table.add_row(f"{name} (count)", str(count))
    out.print(table)
    for title, groups in (("by question type", result.by_type), ("by kind", result.by_shape)):
        if groups:
            out.print(_group_table(title, groups))


def _group_table(title: str, groups: dict[str, dict[str, float | None]]) -> Table:
    columns = list(next(iter(groups.values())))
    table = Table("type", *columns, title=title)
    for name, metrics in groups.items():
        cells = []
        for column in columns:
            value = metrics[column]
            cells.append(
                "–"
                if value is None
                else f"{value:.0f}"
                if column in {"questions"} or column.endswith("_ms")
                else f"{value:.3f}"
            )
        table.add_row(name, *cells)
    return table


def _print_notes(answer: Answer) -> None:
    """What verification left out, model failures, disagreements."""
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


def _print_check(result: Any) -> None:
    style = {"supported": "bold green", "contradicted": "bold red", "not_found": "bold yellow"}
    out.print(result.verdict.replace("_", " ").upper(), style=style[result.verdict], end="")
    out.print(f" — {result.reason}", markup=False)
    several = len(result.sentences) > 1
    for i, sentence in enumerate(result.sentences):
        if several:
            out.print(f"\n{i + 1}. {sentence.text}", markup=False)
            out.print(f"   {sentence.verdict.replace('_', ' ')} — {sentence.reason}", markup=False)
        if sentence.opinion:
            out.print(f"   verifier model: {sentence.opinion}", markup=False, style="dim")
        for q in sentence.quotes:
            out.print(f"   [{q.citation}] {q.stance}: “{q.text}”", markup=False)
    if result.citations:
        out.print()
        for c in result.citations:
            meta = " · ".join(x for x in (c.source, c.author, c.published_at) if x)
            out.print(f"[{c.n}] {c.title}" + (f" — {meta}" if meta else ""), markup=False)
            if c.url:
                out.print(f"    {c.url}", markup=False)
            for q in c.quotes:
                out.print(f"    chars {q.start}–{q.end}", markup=False, style="dim")


@app.command()
def check(
    claim: Annotated[str, typer.Argument(help="The claim (one or more sentences).")],
    passage: Annotated[
        list[str] | None,
        typer.Option("--passage", help="Check against this text instead of the library."),
    ] = None,
    file: Annotated[
        list[Path] | None,
        typer.Option("--file", help="Check against this text file instead of the library."),
    ] = None,
    data_dir: DataDir = None,
    json_out: JsonFlag = False,
    source: SourceOpt = None,
    author: AuthorOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
) -> None:
    """Check a claim against the library: supported, contradicted or not found, with the
    quotes behind the verdict. Exit code 0 whatever the verdict."""
    try:
        texts: list[str] = list(passage or [])
        for path in file or []:
            try:
                texts.append(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError) as exc:
                raise SourcedError(f"cannot read {path}: {exc}; give a UTF-8 text file") from exc
        bot = _assistant(data_dir)
        filters = None if texts else _filters(bot, source, author, since, until)
        result = bot.check(claim, texts or None, filters=filters)
    except SourcedError as exc:
        raise _fail(exc) from exc
    if json_out:
        out.print_json(json.dumps(result.to_dict()))
    else:
        _print_check(result)


def _claim_eval(
    claim_set: Path,
    corpus: Path | None,
    split: str | None,
    data_dir: Path | None,
    json_out: bool,
    per_claim: bool,
) -> None:
    """``sourced eval`` on a claim set: verdict rates by label and by error type."""
    from assistant.claimset import evaluate_claims, load_claims

    try:
        rows = load_claims(claim_set, corpus, split)
        bot = _assistant(data_dir)
        with _progress("checking", json_out) as progress:
            task = progress.add_task("check", total=len(rows))
            report = evaluate_claims(
                rows, bot.check, on_progress=lambda n: progress.advance(task, n)
            )
    except SourcedError as exc:
        raise _fail(exc) from exc
    if json_out:
        out.print_json(json.dumps(report.to_dict(per_claim=per_claim)))
        return
    groups: list[tuple[tuple[str, ...], str]] = [
        (("label",), "by label"),
        (("error_type",), "by error type"),
    ]
    if report.batched:
        groups.append((("batch", "label"), "by batch and label"))
    for keys, title in groups:
        table = Table(" / ".join(keys), "n", "supported", "contradicted", "not found", title=title)
        for name, rates in report.by(*keys).items():
            table.add_row(
                name,
                str(rates["n"]),
                *(f"{rates[v]:.0%}" for v in ("supported", "contradicted", "not_found")),
            )
        out.print(table)
    latency = report.latency()
    if latency:
        out.print(f"check latency: p50 {latency['p50_ms']} ms, p95 {latency['p95_ms']} ms")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
