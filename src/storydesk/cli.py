"""The ``storydesk`` command: a thin layer over the library.

Each command calls the library function it is named after and turns errors into exit codes:
0 all went well, 1 some input items failed (each named in one line on stderr, the batch went
on), 2 usage errors (bad options, unknown story).

The library is imported inside the commands that use it: spaCy, torch, scikit-learn, SQLAlchemy
and pydantic models take seconds to import, and ``--version`` or ``--help`` need none of them
(``tests/test_cli_startup.py`` keeps it so).
"""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal, ParamSpec

import typer

from storydesk import __version__
from storydesk.errors import AnalysisError, InputError, NotFoundError, StorydeskError

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress

    from storydesk import desk
    from storydesk.models import Analysis, Article
    from storydesk.positions.consensus import Body
    from storydesk.store import Store

app = typer.Typer(
    name="storydesk",
    help="Cross-checked story dossiers from news articles: which articles tell one story, who is "
    "quoted saying what, what is corroborated, who stands where.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@functools.cache
def _stderr() -> Console:
    """The console for progress bars and messages (rich is imported on first use)."""
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def _stdout() -> Console:
    from rich.console import Console

    return Console()


def _error(message: str, soft_wrap: bool = False) -> None:
    """One line on stderr: "error: MESSAGE" (the message is article or user text, never markup)."""
    from rich.markup import escape

    _stderr().print(f"[red]error[/red]: {escape(message)}", soft_wrap=soft_wrap)


Format = Literal["text", "md", "html", "json"]
InputsArg = Annotated[
    list[str],
    typer.Argument(
        help="Files or folders (.txt, .html, .jsonl, RSS/Atom feeds) or, with --fetch, URLs.", show_default=False
    ),
]
OutputOpt = Annotated[Path, typer.Option("--output", "-o", help="File to write.", dir_okay=False)]
FetchOpt = Annotated[bool, typer.Option("--fetch", help="Fetch URLs and feed entries' linked pages over HTTP(S).")]
PrivateOpt = Annotated[
    bool,
    typer.Option(
        "--allow-private",
        help="With --fetch, also fetch from this machine and private networks (refused by default: "
        "a feed's link or a redirect must not reach into them).",
    ),
]
ProcOpt = Annotated[
    int,
    typer.Option(
        "--processes",
        "-j",
        min=0,
        help="Worker processes for the language pipeline; 0 picks one per core for big batches.",
    ),
]
FastOpt = Annotated[
    bool,
    typer.Option(
        "--fast",
        help="Find quotes with the rules and linear model alone, not the fine-tuned tagger: about "
        "twice the speed, fewer quotes found (PolNeAR dev loose F1 0.70 against 0.77). The same as "
        "STORYDESK_QUOTES=rules.",
    ),
]


P = ParamSpec("P")


def edge(command: Callable[P, None]) -> Callable[P, None]:
    """Turns library errors into one line on stderr and an exit code (the CLI is the edge)."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            command(*args, **kwargs)
        except NotFoundError as exc:
            _error(str(exc))
            raise typer.Exit(2) from None
        except StorydeskError as exc:
            _error(str(exc))
            raise typer.Exit(1) from None

    return wrapper


class Failures:
    """Counts the input items that failed; each is reported in one line as it happens."""

    def __init__(self) -> None:
        self.count = 0

    def report(self, error: InputError) -> None:
        self.count += 1
        _error(str(error), soft_wrap=True)

    def note(self, message: str) -> None:
        """A one-line warning about an item that did not fail (it is not counted)."""
        from rich.markup import escape

        _stderr().print(f"[yellow]warning[/yellow]: {escape(message)}", soft_wrap=True)

    def exit(self) -> None:
        if self.count:
            _stderr().print(f"{self.count} input item(s) failed")
            raise typer.Exit(1)


def _inputs(inputs: list[str], fetch: bool, allow_private: bool = False) -> Iterator[Article | InputError]:
    """The articles read from ``inputs``, an error in place of each item that cannot be read."""
    from storydesk.ingest import read_inputs
    from storydesk.settings import load_settings

    settings = load_settings()
    return read_inputs(
        inputs,
        fetch=fetch,
        max_bytes=settings.max_bytes,
        timeout=settings.fetch_timeout,
        max_fetch_bytes=settings.max_fetch_bytes,
        allow_private=allow_private,
    )


def _articles(inputs: list[str], fetch: bool, failures: Failures, allow_private: bool = False) -> Iterator[Article]:
    for item in _inputs(inputs, fetch, allow_private):
        if isinstance(item, InputError):
            failures.report(item)
        else:
            yield item


def _distinct_ids(articles: list[Article]) -> list[Article]:
    """``articles`` with an id given twice made distinct ("x", then "x#2"): the story
    clusterer and the dossier key articles by id, and two inputs may share one."""
    seen: dict[str, int] = {}
    out = []
    for article in articles:
        n = seen[article.id] = seen.get(article.id, 0) + 1
        out.append(article if n == 1 else article.model_copy(update={"id": f"{article.id}#{n}"}))
    return out


@contextmanager
def _progress(total: int, label: str) -> Iterator[Progress]:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=_stderr(), transient=True, disable=total < 20) as progress:
        yield progress


def _analyzed(
    articles: list[Article], processes: int, label: str, failures: Failures, tagger: bool | None = None
) -> Iterator[Analysis]:
    from storydesk import pipeline

    processes = pipeline.worker_count(len(articles), processes)
    with _progress(len(articles), label) as progress:
        task = progress.add_task(label, total=len(articles))

        def advance(n: int) -> None:
            progress.advance(task, n)

        # The analyze command's output builds no dossier: no statement vectors.
        results = pipeline.analyze_each(articles, processes, advance, tagger, vectors=False)
        for article, result in zip(articles, results, strict=True):
            if isinstance(result, AnalysisError):
                failures.report(result)
                continue
            for note in (pipeline.cut_note(article, result), pipeline.language_note(result)):
                if note:
                    failures.note(note)
            yield result


def _write_lines(path: Path, rows: Iterable[dict[str, object]]) -> None:
    tmp = path.with_name(path.name + ".part")
    with tmp.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    tmp.replace(path)  # a crash never leaves a half-written output behind


def _version(value: bool) -> None:
    if value:
        typer.echo(f"storydesk {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    pass


@app.command()
@edge
def analyze(
    inputs: InputsArg,
    output: OutputOpt,
    fetch: FetchOpt = False,
    allow_private: PrivateOpt = False,
    processes: ProcOpt = 0,
    fast: FastOpt = False,
) -> None:
    """Analyse each article: outlet, dateline, credits, entities and actors, quotes, amounts.

    Writes one JSON line per article, in input order (the contract's `analyze`)."""
    failures = Failures()
    articles = list(_articles(inputs, fetch, failures, allow_private))
    analyzed = _analyzed(articles, processes, "analysing", failures, False if fast else None)
    rows = (a.contract() for a in analyzed)
    _write_lines(output, rows)
    failures.exit()


@app.command()
@edge
def cluster(inputs: InputsArg, output: OutputOpt, fetch: FetchOpt = False, allow_private: PrivateOpt = False) -> None:
    """Group articles into stories, streaming them in date order.

    Writes one JSON line per article: {"id", "story"}."""
    from storydesk.stories import cluster as stories

    failures = Failures()
    given = list(_articles(inputs, fetch, failures, allow_private))
    articles = _distinct_ids(given)
    assignment = stories.StoryClusterer().cluster(articles)
    _write_lines(output, ({"id": g.id, "story": assignment[a.id]} for g, a in zip(given, articles, strict=True)))
    failures.exit()


@app.command(name="dossier")
@edge
def dossier_command(
    inputs: InputsArg,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: standard output).")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text, md, html or json.")] = "json",
    fetch: FetchOpt = False,
    allow_private: PrivateOpt = False,
    processes: ProcOpt = 0,
    question: QuestionOpt = None,
    bodies: BodiesOpt = None,
) -> None:
    """Run the whole pipeline on the inputs (no database) and write every story's dossier."""
    from storydesk import pipeline, render

    _check_format(fmt)
    failures = Failures()
    articles = _distinct_ids(list(_articles(inputs, fetch, failures, allow_private)))
    with _progress(len(articles), "analysing") as progress:
        task = progress.add_task("analysing", total=len(articles))
        processes = pipeline.worker_count(len(articles), processes)
        result = pipeline.dossier(
            articles,
            processes=processes,
            on_done=lambda n: progress.advance(task, n),
            question=question,
            bodies=_bodies(bodies),
            on_error=failures.report,
            on_note=failures.note,
        )
    _emit(render.render(result, fmt), output)  # type: ignore[arg-type]
    failures.exit()


CHECK_BATCH = 512  # claim pairs per model call: batched for speed, small for progress


@app.command()
@edge
def check(
    inputs: Annotated[Path, typer.Argument(help='JSONL of {"id", "claim", "text"} lines.', dir_okay=False)],
    output: OutputOpt,
) -> None:
    """Check claims against articles: agree, disagree, discuss or unrelated, with evidence.

    Writes one JSON line per input line: {"id", "stance", "evidence": [{"span", "text"}]}."""
    from storydesk.crosscheck import claims
    from storydesk.ingest.pairs import read_pairs  # reading input is ingest's
    from storydesk.settings import load_settings

    failures = Failures()
    pairs = []
    for item in read_pairs(str(inputs), load_settings().max_bytes):
        if isinstance(item, InputError):
            failures.report(item)
        else:
            pairs.append(item)

    def rows() -> Iterator[dict[str, object]]:
        with _progress(len(pairs), "checking") as progress:
            task = progress.add_task("checking", total=len(pairs))
            for start in range(0, len(pairs), CHECK_BATCH):
                batch = pairs[start : start + CHECK_BATCH]
                for pair, result in zip(batch, claims.check_many([(p.claim, p.text) for p in batch]), strict=True):
                    evidence = [{"span": list(e.span), "text": e.text} for e in result.evidence]
                    yield {"id": pair.id, "stance": result.stance, "evidence": evidence}
                progress.advance(task, len(batch))

    _write_lines(output, rows())
    failures.exit()


QuestionOpt = Annotated[
    str | None,
    typer.Option("--question", "-q", help="The story's central question (default: proposed from the articles)."),
]
BodiesOpt = Annotated[
    Path | None,
    typer.Option("--bodies", help="YAML of extra decision bodies (members and rule), added to the bundled ones."),
]


def _bodies(path: Path | None) -> list[Body] | None:
    if path is None:
        return None
    from storydesk.positions import consensus

    try:
        return consensus.load_bodies(path)
    except InputError as exc:
        raise typer.BadParameter(exc.reason, param_hint="--bodies") from None


DbOpt = Annotated[
    str | None,
    typer.Option("--db", help="Store: an SQLite file path or SQLAlchemy URL (default: settings / STORYDESK_DB)."),
]


def _db_url(db: str | None) -> str:
    from storydesk.settings import as_db_url, load_settings

    return load_settings().db_url if db is None else as_db_url(db)


def _store(db: str | None) -> Store:
    from storydesk.store import open_store

    return open_store(_db_url(db))


@app.command(name="ingest")
@edge
def ingest_command(
    inputs: InputsArg,
    db: DbOpt = None,
    fetch: FetchOpt = False,
    allow_private: PrivateOpt = False,
    processes: ProcOpt = 0,
) -> None:
    """Store articles with their analysis; each joins a story. Re-ingesting stores nothing twice."""
    _ingest(inputs, db, fetch, processes, allow_private)


def _ingest(
    inputs: list[str], db: str | None, fetch: bool = False, processes: int = 0, allow_private: bool = False
) -> desk.IngestReport:
    """Ingests with a progress bar and a summary line; exits non-zero when some items failed."""
    from storydesk import desk, pipeline

    failures = Failures()
    store = _store(db)
    items = list(_inputs(inputs, fetch, allow_private))
    with _progress(len(items), "ingesting") as progress:
        task = progress.add_task("ingesting", total=len(items))
        processes = pipeline.worker_count(len(items), processes)
        report = desk.ingest(
            store,
            items,
            processes,
            on_error=failures.report,
            on_done=lambda n: progress.advance(task, n),
            on_note=failures.note,
        )
    _stderr().print(
        f"{len(report.added)} article(s) added to {len(report.stories)} story(ies), "
        f"{report.duplicates} already stored, {len(report.failed)} failed"
        + (f", {report.moved} moved to a better-fitting story" if report.moved else "")
    )
    failures.exit()
    return report


@app.command(name="stories")
@edge
def stories_command(
    db: DbOpt = None,
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=0, help="How many stories, newest first; 0 lists them all.")
    ] = 50,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="table (the default; tab-separated full rows when the output is not a terminal), "
            "tsv, csv, jsonl or json.",
        ),
    ] = "table",
) -> None:
    """List the stored stories, most recently updated first: id, title, outlets, article and
    independent-origin counts, first and last dates."""
    import sys

    from storydesk import listing
    from storydesk.render.lists import LIST_FORMATS, STORY_FIELDS, story_row, write_rows
    from storydesk.render.text import print_stories

    if fmt not in LIST_FORMATS:
        raise typer.BadParameter(f"{fmt!r} is not one of {', '.join(LIST_FORMATS)}", param_hint="--format")
    terminal = fmt == "table" and sys.stdout.isatty()
    # Rows for scripts and pipes come straight from an SQLite store when it can be read so
    # (SQLAlchemy alone takes longer to import than the query); else through the store.
    fast = None if terminal else listing.story_rows(_db_url(db), limit or None)
    if fast is None:
        page = _store(db).story_page(limit or None)  # the store alone: no language model is loaded
        if terminal:
            print_stories(page.stories, _stdout(), total=page.total)
            return
        rows = [story_row(s) for s in page.stories]
    else:
        rows = fast[0]
    write_rows(rows, STORY_FIELDS, "tsv" if fmt == "table" else fmt, sys.stdout)


@app.command()
@edge
def show(
    story: Annotated[str, typer.Argument(help="Story id (or a unique prefix), as `storydesk stories` lists.")],
    db: DbOpt = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text, md, html or json.")] = "text",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write (default: terminal).")] = None,
    question: QuestionOpt = None,
    bodies: BodiesOpt = None,
) -> None:
    """Show a stored story's dossier. A --question given is stored with the story."""
    from storydesk import desk, render

    _check_format(fmt)
    result = desk.show(_store(db), story, question=question, bodies=_bodies(bodies))
    if fmt == "text" and output is None:
        render.print_story(result, _stdout())
        return
    _emit(render.render(result, fmt), output)  # type: ignore[arg-type]


@app.command()
@edge
def export(
    stories_: Annotated[
        list[str] | None, typer.Argument(metavar="STORY...", help="Story ids or prefixes (default: every story).")
    ] = None,
    output: OutputOpt = Path("positions.graphml"),
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="csv (actor, concept, stance rows), graphml or congruence.")
    ] = "graphml",
    db: DbOpt = None,
) -> None:
    """Export actor x concept x stance for network analysis (Gephi, visone): CSV or GraphML
    (actor-concept network, or actors linked by shared stances with `congruence`)."""
    from storydesk import desk
    from storydesk.render import exports

    if fmt not in ("csv", "graphml", "congruence"):
        raise typer.BadParameter("must be one of csv, graphml, congruence", param_hint="--format")
    store = _store(db)
    ids = [store.find_story(s) for s in stories_] if stories_ else [s.id for s in store.stories()]
    built = [desk.show(store, i) for i in ids]
    if fmt == "csv":
        exports.write_csv(built, output)
    else:
        graph = exports.affiliation_graph(built) if fmt == "graphml" else exports.congruence_graph(built)
        exports.write_graphml(graph, output)
    _stderr().print(f"{len(built)} story(ies) exported to {output}")


@app.command()
@edge
def serve(
    db: DbOpt = None,
    host: Annotated[str, typer.Option(help="Address to listen on (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Server processes (one per core serves more clients).")] = 1,
    token: Annotated[
        str | None,
        typer.Option(
            envvar="STORYDESK_TOKEN",
            help="Token (16+ characters) that allows writes (ingest); without it the server is read-only.",
        ),
    ] = None,
) -> None:
    """Serve the web app and JSON API (stories, dossiers, actors, ingest; OpenAPI at /docs)."""
    from storydesk import web

    try:
        web.serve(_db_url(db), host, port, token or None, workers)
    except InputError as exc:
        raise typer.BadParameter(exc.reason, param_hint="--token") from None


@app.command()
@edge
def demo(
    db: DbOpt = None,
    html: Annotated[Path, typer.Option("--html", help="Where to write the HTML dossier.")] = Path(
        "storydesk-demo.html"
    ),
) -> None:
    """Ingest the bundled example (two outlets on one story), show its dossier, write it as HTML."""
    from storydesk import desk, render

    example = resources.files("storydesk").joinpath("examples", "nato-ukraine")
    with resources.as_file(example) as folder:
        report = _ingest([str(folder)], db)
    # by content, not path: the example may have been stored from another install's folder
    store = _store(db)
    result = desk.show(store, store.story_of_article(report.read[0]))
    render.print_story(result, _stdout())
    _emit(render.render(result, "html"), html)
    _stderr().print(f"dossier written to {html}")


def _check_format(fmt: str) -> None:
    if fmt not in ("text", "md", "html", "json"):
        raise typer.BadParameter("must be one of text, md, html, json", param_hint="--format")


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    tmp = output.with_name(output.name + ".part")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(output)


def main() -> None:
    """Entry point of the ``storydesk`` command."""
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        os._exit(1)
