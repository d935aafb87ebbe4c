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
import io
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal, ParamSpec

import typer
from typer import _click as click  # the Click that Typer ships and builds on
from typer import core as typer_core

from storydesk import __version__
from storydesk.errors import AnalysisError, InputError, NotFoundError, StorydeskError

if TYPE_CHECKING:
    import datetime as dt

    from rich.console import Console

    from storydesk import desk
    from storydesk.ingest.filters import Filters
    from storydesk.models import Analysis, Article
    from storydesk.positions.consensus import Body
    from storydesk.store import Store


class _WordArgument(typer_core.TyperArgument):
    """An argument whose help shows its name (FILE...), not its Python type (``<list[str]>``)."""

    def display_type_rich(self, ctx: click.Context) -> str | None:
        return None


def _in_words(param: click.Parameter) -> None:
    """Gives ``param`` a metavar that reads as a word where it has none: a flag shows none,
    a number N, a path FILE, other text TEXT; an argument shows its name (INPUT...)."""
    if isinstance(param, typer_core.TyperArgument):
        param.__class__ = _WordArgument
        if param.metavar is None:
            param.metavar = (param.name or "value").upper() + ("..." if param.nargs != 1 else "")
        return
    if param.metavar is not None or not isinstance(param, typer_core.TyperOption):
        return
    annotation = param.type_descriptor.annotation
    if param.is_flag:
        param.metavar = ""
    elif annotation is int:
        param.metavar = "N"
    elif param.type_descriptor.is_path:
        param.metavar = "FILE"
    else:
        param.metavar = "TEXT"


def _usage(param: click.Parameter) -> str:
    """An argument on the usage line: FILE..., [STORY...] when it may be left out."""
    name = param.metavar or (param.name or "value").upper()
    if param.nargs != 1 and not name.endswith("..."):
        name += "..."
    return name if param.required else f"[{name}]"


class _Command(typer_core.TyperCommand):
    """A command whose help reads as words: FILE..., N, TEXT, not Python types (``<bool>``,
    ``<list[str]>``) or ``{inputs}...``."""

    def get_params(self, ctx: click.Context) -> list[click.Parameter]:
        params = super().get_params(ctx)
        for param in params:
            _in_words(param)
        return params

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        arguments = (p for p in self.get_params(ctx) if isinstance(p, typer_core.TyperArgument))
        return pieces + [_usage(p) for p in arguments]


class _Group(typer_core.TyperGroup):
    """The ``storydesk`` group, its options in words as its commands' are."""

    def get_params(self, ctx: click.Context) -> list[click.Parameter]:
        params = super().get_params(ctx)
        for param in params:
            _in_words(param)
        return params


app = typer.Typer(
    cls=_Group,
    name="storydesk",
    help="Cross-checked story dossiers from news articles: which articles tell one story, who is "
    "quoted saying what, what is corroborated, who stands where.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class Verbosity:
    """How much goes to stderr besides errors, set by the global ``-q``/``-v``: -1 quiet (no
    progress, summaries or warnings), 0 progress on a terminal and summaries, 1 progress
    lines also when stderr is not a terminal (a log)."""

    level = 0


@functools.cache
def _stderr() -> Console:
    """The console for progress bars and messages (rich is imported on first use)."""
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def _stdout() -> Console:
    from rich.console import Console

    return Console()


def _say(message: str) -> None:
    """A summary line on stderr (what was stored, where), left out with ``-q``."""
    if Verbosity.level >= 0:
        _stderr().print(message, soft_wrap=True)


def _error(message: str, soft_wrap: bool = False) -> None:
    """One line on stderr: "error: MESSAGE" (the message is article or user text, never markup)."""
    from rich.markup import escape

    _stderr().print(f"[red]error[/red]: {escape(message)}", soft_wrap=soft_wrap)


Format = Literal["text", "md", "html", "json"]
InputsArg = Annotated[
    list[str],
    typer.Argument(
        metavar="INPUT...",
        help="Files or folders (.txt, .html, .jsonl, RSS/Atom feeds), - for standard input, or, with --fetch, URLs.",
        show_default=False,
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
        from storydesk.errors import SkippedItem

        if isinstance(error, SkippedItem):  # left out on purpose: a line, not a failure
            self.note(f"skipped {error}")
            return
        self.count += 1
        _error(str(error), soft_wrap=True)

    def note(self, message: str) -> None:
        """A one-line warning about an item that did not fail (it is not counted); none with -q."""
        from rich.markup import escape

        if Verbosity.level < 0:
            return
        _stderr().print(f"[yellow]warning[/yellow]: {escape(message)}", soft_wrap=True)

    def exit(self) -> None:
        if self.count:
            _stderr().print(f"{self.count} input item(s) failed")
            raise typer.Exit(1)


STDIN = "-"


def _inputs(inputs: list[str], fetch: bool, allow_private: bool = False) -> Iterator[Article | InputError]:
    """The articles read from ``inputs``, an error in place of each item that cannot be read;
    ``-`` is standard input, read where it stands among the others."""
    from storydesk.ingest import read_inputs
    from storydesk.settings import load_settings

    settings = load_settings()
    start = 0
    for end in [*(i for i, item in enumerate(inputs) if item == STDIN), len(inputs)]:
        if end > start:
            yield from read_inputs(
                inputs[start:end],
                fetch=fetch,
                max_bytes=settings.max_bytes,
                timeout=settings.fetch_timeout,
                max_fetch_bytes=settings.max_fetch_bytes,
                allow_private=allow_private,
            )
        if end < len(inputs):
            yield from _stdin_articles(settings.max_bytes)
        start = end + 1


def _stdin_articles(max_bytes: int) -> Iterator[Article | InputError]:
    """The articles of standard input: JSON Lines (one article a line) when its first line is
    a JSON object, else one document read as a file of unknown type is (a feed, an HTML page
    or text), its id ``-``; errors name ``-`` (and the line)."""
    from storydesk.ingest import read_contents
    from storydesk.ingest.clean import clean_article
    from storydesk.ingest.readers import jsonl_stream_articles

    data = sys.stdin.buffer.read()
    if _first_line_is_object(data):
        for item in jsonl_stream_articles(STDIN, io.BytesIO(data), max_bytes):
            yield item if isinstance(item, InputError) else clean_article(item)
    else:
        yield from read_contents([(STDIN, data)], max_bytes=max_bytes)


def _first_line_is_object(data: bytes) -> bool:
    first = next((line for line in data.splitlines() if line.strip()), b"")
    try:
        return isinstance(json.loads(first), dict)
    except ValueError:
        return False


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
def _progress(total: int, label: str) -> Iterator[Callable[[int], None]]:
    """A callable that counts ``n`` more of ``total`` items done, shown on stderr: a progress
    bar on a terminal; with ``-v`` elsewhere (a log), a line at each tenth; nothing with ``-q``."""
    terminal = _stderr().is_terminal
    if Verbosity.level < 0 or total == 0 or not (terminal or Verbosity.level > 0):
        yield lambda n: None
        return
    if not terminal:
        yield _progress_lines(total, label)
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=_stderr(), transient=True) as progress:
        task = progress.add_task(label, total=total)
        yield lambda n: progress.advance(task, n)


def _then_say(advance: Callable[[int], None], total: int, next_step: str) -> Callable[[int], None]:
    """``advance``, and a line naming the ``next_step`` once all ``total`` are done, where
    progress is shown: the stages after the analysis take seconds of their own."""
    done = 0

    def counted(n: int) -> None:
        nonlocal done
        advance(n)
        done += n
        if done == total and Verbosity.level >= 0 and (_stderr().is_terminal or Verbosity.level > 0):
            _stderr().print(f"{next_step}…", soft_wrap=True)

    return counted


def _progress_lines(total: int, label: str) -> Callable[[int], None]:
    """Counts items done, a line ("analysing: 3/14") each time another tenth is done."""
    done = 0
    step = max(1, total // 10)

    def advance(n: int) -> None:
        nonlocal done
        before, done = done, done + n
        if done // step > before // step or done == total:
            _stderr().print(f"{label}: {done}/{total}", soft_wrap=True)

    return advance


def _analyzed(
    articles: list[Article], processes: int, label: str, failures: Failures, tagger: bool | None = None
) -> Iterator[Analysis]:
    from storydesk import pipeline

    processes = pipeline.worker_count(len(articles), processes)
    with _progress(len(articles), label) as advance:
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
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Errors alone on stderr: no progress, summaries or warnings.")
    ] = False,
    verbose: Annotated[
        bool,
        typer.Option("--verbose", "-v", help="Progress also when stderr is not a terminal (one line per tenth)."),
    ] = False,
) -> None:
    if quiet and verbose:
        raise typer.BadParameter("--quiet and --verbose exclude each other", param_hint="-q/-v")
    Verbosity.level = -1 if quiet else 1 if verbose else 0


@app.command(cls=_Command)
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


@app.command(cls=_Command)
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


@app.command(cls=_Command, name="dossier")
@edge
def dossier_command(
    inputs: InputsArg,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: standard output).")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT", help="text, md, html or json.")] = "json",
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
    with _progress(len(articles), "analysing") as advance:
        processes = pipeline.worker_count(len(articles), processes)
        result = pipeline.dossier(
            articles,
            processes=processes,
            on_done=_then_say(advance, len(articles), "grouping stories and building dossiers"),
            question=question,
            bodies=_bodies(bodies),
            on_error=failures.report,
            on_note=failures.note,
        )
    _emit(render.render(result, fmt), output)  # type: ignore[arg-type]
    failures.exit()


CHECK_BATCH = 512  # claim pairs per model call: batched for speed, small for progress


@app.command(cls=_Command)
@edge
def check(
    inputs: Annotated[
        Path, typer.Argument(metavar="FILE", help='JSONL of {"id", "claim", "text"} lines.', dir_okay=False)
    ],
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
        with _progress(len(pairs), "checking") as advance:
            for start in range(0, len(pairs), CHECK_BATCH):
                batch = pairs[start : start + CHECK_BATCH]
                for pair, result in zip(batch, claims.check_many([(p.claim, p.text) for p in batch]), strict=True):
                    evidence = [{"span": list(e.span), "text": e.text} for e in result.evidence]
                    yield {"id": pair.id, "stance": result.stance, "evidence": evidence}
                advance(len(batch))

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
    typer.Option(
        "--db",
        metavar="FILE|URL",
        help="Store: an SQLite file path or a database URL (postgresql://USER@HOST/DB; default: STORYDESK_DB).",
    ),
]


def _db_url(db: str | None, create: bool = False) -> str:
    """The store's URL. A ``--db`` SQLite file must be in a folder that exists, and, unless
    the command may ``create`` the store (ingest, serve, demo), must exist itself: a mistyped
    path is an error, never a new empty store."""
    from storydesk.settings import as_db_url, load_settings

    if db is None:
        return load_settings().db_url
    url = as_db_url(db)
    path = _sqlite_file(url)
    if path is not None:
        if not path.parent.is_dir():
            raise typer.BadParameter(f"{db}: the folder {path.parent} does not exist", param_hint="--db")
        if not create and not path.exists():
            raise typer.BadParameter(f"{db}: no store there (ingest creates one)", param_hint="--db")
    return url


def _sqlite_file(url: str) -> Path | None:
    """The file of an SQLite URL (None: another database, or one in memory)."""
    prefix = "sqlite:///"
    database = url[len(prefix) :].split("?", 1)[0] if url.startswith(prefix) else ""
    return Path(database).expanduser() if database and database != ":memory:" else None


def _store(db: str | None, create: bool = False) -> Store:
    from storydesk.store import open_store

    return open_store(_db_url(db, create))


DaskOpt = Annotated[
    str | None,
    typer.Option(
        "--dask",
        metavar="ADDRESS",
        help="Analyse on a Dask cluster: local:N starts N worker processes here, tcp://HOST:8786 "
        "uses a running scheduler's workers (storydesk installed on each). The store is written here.",
    ),
]


DomainsOpt = Annotated[
    str | None,
    typer.Option(
        "--domains",
        metavar="FILE|LIST",
        help="Keep only articles whose URL is on these domains (subdomains too): a file, one a line, "
        "or a comma-separated list.",
    ),
]
SinceOpt = Annotated[
    str | None,
    typer.Option("--since", metavar="DATE", help="Keep only articles dated on or after DATE (YYYY-MM-DD)."),
]
UntilOpt = Annotated[
    str | None,
    typer.Option("--until", metavar="DATE", help="Keep only articles dated on or before DATE (YYYY-MM-DD)."),
]
LanguageOpt = Annotated[
    str | None,
    typer.Option("--language", metavar="CODES", help="Keep only articles in these languages (ISO 639 codes: en,fr)."),
]


@app.command(cls=_Command, name="ingest")
@edge
def ingest_command(
    inputs: InputsArg,
    db: DbOpt = None,
    fetch: FetchOpt = False,
    allow_private: PrivateOpt = False,
    processes: ProcOpt = 0,
    dask: DaskOpt = None,
    domains: DomainsOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    language: LanguageOpt = None,
) -> None:
    """Store articles with their analysis; each joins a story. Re-ingesting stores nothing twice.

    Web archives (.warc, .warc.gz, as CC-NEWS) are read page by page.

    A record with no article, or an article the filters leave out, is one 'skipped' line, no failure."""
    if dask is not None:
        _check_dask(dask, processes)
    _ingest(inputs, db, fetch, processes, allow_private, dask, _filters(domains, since, until, language))


def _check_dask(address: str, processes: int) -> None:
    from storydesk.dask_workers import check_address

    if processes:
        raise typer.BadParameter("--processes and --dask: give one of them", param_hint="--dask")
    try:
        check_address(address)
    except StorydeskError as exc:
        raise typer.BadParameter(str(exc), param_hint="--dask") from None


def _filters(domains: str | None, since: str | None, until: str | None, language: str | None) -> Filters:
    from storydesk.ingest import filters

    days: dict[str, dt.date | None] = {}
    for hint, value in (("--since", since), ("--until", until)):
        day = days[hint] = filters.article_day(value) if value is not None else None
        if value is not None and day is None:
            raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)", param_hint=hint)
    wanted = filters.domains(domains) if domains is not None else frozenset()
    if domains is not None and not wanted:
        raise typer.BadParameter(f"{domains!r} names no domain", param_hint="--domains")
    codes = filters.languages(language) if language is not None else frozenset()
    if language is not None and not codes:
        raise typer.BadParameter(f"{language!r} names no language code", param_hint="--language")
    return filters.Filters(wanted, days.get("--since"), days.get("--until"), codes)


def _ingest(
    inputs: list[str],
    db: str | None,
    fetch: bool = False,
    processes: int = 0,
    allow_private: bool = False,
    dask: str | None = None,
    keep: Filters | None = None,
) -> desk.IngestReport:
    """Ingests with a progress bar and a summary line; exits non-zero when some items failed."""
    from storydesk import desk, pipeline
    from storydesk.ingest.filters import filtered

    failures = Failures()
    store = _store(db, create=True)
    items = list(_inputs(inputs, fetch, allow_private))
    if keep:
        items = list(filtered(items, keep))
    with _progress(len(items), "ingesting") as advance:
        processes = pipeline.worker_count(len(items), processes)
        report = desk.ingest(
            store,
            items,
            processes,
            on_error=failures.report,
            on_done=advance,
            on_note=failures.note,
            dask=dask,
        )
    _say(
        f"{len(report.added)} article(s) added to {len(report.stories)} story(ies), "
        f"{report.duplicates} already stored, {len(report.failed)} failed"
        + (f", {report.skipped} skipped" if report.skipped else "")
        + (f", {report.moved} moved to a better-fitting story" if report.moved else "")
    )
    failures.exit()
    return report


ListFormatOpt = Annotated[
    str,
    typer.Option(
        "--format",
        "-f",
        metavar="FORMAT",
        help="table (the default; tab-separated full rows with a header when the output is not a "
        "terminal), tsv, csv, jsonl or json.",
    ),
]


def _list_format(fmt: str) -> str:
    """The format to write a list in: ``table`` on a terminal; tab-separated rows elsewhere."""
    from storydesk.render.lists import LIST_FORMATS

    if fmt not in LIST_FORMATS:
        raise typer.BadParameter(f"{fmt!r} is not one of {', '.join(LIST_FORMATS)}", param_hint="--format")
    if fmt == "table" and not sys.stdout.isatty():
        return "tsv"
    return fmt


@app.command(cls=_Command, name="stories")
@edge
def stories_command(
    db: DbOpt = None,
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=0, help="How many stories, newest first; 0 lists them all.")
    ] = 50,
    fmt: ListFormatOpt = "table",
) -> None:
    """List the stored stories, most recently updated first: id, title, outlets, article and
    independent-origin counts, first and last dates."""
    from storydesk import listing
    from storydesk.render.lists import STORY_FIELDS, story_row, write_rows
    from storydesk.render.text import print_stories

    fmt = _list_format(fmt)
    # Rows for scripts and pipes come straight from an SQLite store when it can be read so
    # (SQLAlchemy alone takes longer to import than the query); else through the store.
    fast = None if fmt == "table" else listing.story_rows(_db_url(db), limit or None)
    if fast is None:
        page = _store(db).story_page(limit or None)  # the store alone: no language model is loaded
        if fmt == "table":
            print_stories(page.stories, _stdout(), total=page.total)
            return
        rows = [story_row(s) for s in page.stories]
    else:
        rows = fast[0]
    write_rows(rows, STORY_FIELDS, fmt, sys.stdout)


@app.command(cls=_Command)
@edge
def search(
    query: Annotated[
        str, typer.Argument(metavar="QUERY", help="Words to find in the stored articles' titles, texts and outlets.")
    ],
    db: DbOpt = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="How many articles, the best matches first.")] = 50,
    fmt: ListFormatOpt = "table",
) -> None:
    """List the stored articles that match QUERY, the best first: article key, story, title,
    outlet, date, rank and a snippet around the words found."""
    from storydesk.render.lists import SEARCH_FIELDS, SEARCH_TABLE, marked_snippet, print_table, search_row, write_rows

    fmt = _list_format(fmt)
    hits = _store(db).search_articles(query, limit)
    rows = [search_row(hit, i) for i, hit in enumerate(hits, 1)]
    if fmt == "table":
        shown = [{**row, "snippet": marked_snippet(hit)} for row, hit in zip(rows, hits, strict=True)]
        print_table(shown, SEARCH_TABLE, _stdout(), f"Articles matching {query!r} ({len(rows)})")
    else:
        write_rows(rows, SEARCH_FIELDS, fmt, sys.stdout)


@app.command(cls=_Command)
@edge
def show(
    story: Annotated[str, typer.Argument(help="Story id (or a unique prefix), as `storydesk stories` lists.")],
    db: DbOpt = None,
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT", help="text, md, html or json.")] = "text",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write (default: terminal).")] = None,
    question: QuestionOpt = None,
    bodies: BodiesOpt = None,
) -> None:
    """Show a stored story's dossier. A --question given is stored with the story."""
    from storydesk import desk, render

    _check_format(fmt)
    result = desk.dossier(_store(db), story, question=question, bodies=_bodies(bodies))
    if fmt == "text" and output is None:
        render.print_story(result, _stdout())
        return
    _emit(render.render(result, fmt), output)  # type: ignore[arg-type]


EXPORT_FORMATS = ("csv", "jsonl", "graphml", "congruence")


@app.command(cls=_Command)
@edge
def export(
    stories_: Annotated[
        list[str] | None, typer.Argument(metavar="STORY...", help="Story ids or prefixes (default: every story).")
    ] = None,
    what: Annotated[
        str | None,
        typer.Option(
            "--what",
            "-w",
            metavar="TABLE",
            help="quotes, facts (status, outlets), actors, stances, matrix (facts x outlets: reports, omits, "
            "disputes) or network (actor-concept stances; the default for graphml and congruence).",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            dir_okay=False,
            help="File to write (default: standard output for csv and jsonl, positions.graphml for graphml).",
        ),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="csv or jsonl (tables; csv is the default for one); graphml (the actor-concept network, the "
            "default without --what) or congruence (actors linked by shared stances).",
        ),
    ] = None,
    db: DbOpt = None,
) -> None:
    """Export stored stories' quotes, facts, actors, stances or facts-by-outlet matrix as CSV or
    JSON Lines, or their actor x concept x stance network as GraphML (Gephi, visone)."""
    from storydesk import desk
    from storydesk.render import exports

    table = _export_table(what, fmt)
    fmt = fmt or ("graphml" if table is None else "csv")
    store = _store(db)
    ids = [store.find_story(s) for s in stories_] if stories_ else [s.id for s in store.stories()]
    built = [desk.dossier(store, i) for i in ids]
    if table is None:  # the network
        if fmt == "csv":  # the stance rows, as before --what
            table = "stances"
        else:
            target = output or Path("positions.graphml")
            graph = exports.affiliation_graph(built) if fmt == "graphml" else exports.congruence_graph(built)
            exports.write_graphml(graph, target)
            _say(f"{len(built)} story(ies) exported to {target}")
            return
    found, fields = exports.table(built, table)
    if table == "matrix" and fmt == "csv":
        found, fields = exports.flat_matrix(found)
    _write_table(found, fields, fmt, output)
    _say(f"{len(found)} {table} row(s) of {len(built)} story(ies) exported" + (f" to {output}" if output else ""))


def _export_table(what: str | None, fmt: str | None) -> str | None:
    """The table to export (None: the network), checked against ``fmt`` (None: its default)."""
    from storydesk.render.exports import TABLES

    if fmt is not None and fmt not in EXPORT_FORMATS:
        raise typer.BadParameter(f"must be one of {', '.join(EXPORT_FORMATS)}", param_hint="--format")
    if what is not None and what not in (*TABLES, "network"):
        raise typer.BadParameter(f"must be one of {', '.join((*TABLES, 'network'))}", param_hint="--what")
    table = None if what in (None, "network") else what
    if table is not None and fmt is not None and fmt not in ("csv", "jsonl"):
        raise typer.BadParameter(f"{what} is a table: export it as csv or jsonl", param_hint="--format")
    if table is None and fmt == "jsonl":
        if what is None:
            raise typer.BadParameter(
                "jsonl needs --what (quotes, facts, actors, stances or matrix)", param_hint="--what"
            )
        raise typer.BadParameter("the network is exported as graphml, congruence or csv", param_hint="--format")
    return table


def _write_table(rows: list[dict[str, object]], fields: list[str], fmt: str, output: Path | None) -> None:
    """``rows`` as CSV or JSON Lines, to ``output`` (written whole or not at all) or stdout."""
    from storydesk.render.lists import write_rows

    if output is None:
        write_rows(rows, fields, fmt, sys.stdout)
        return
    tmp = output.with_name(output.name + ".part")
    try:
        with tmp.open("w", encoding="utf-8", newline="") as f:
            write_rows(rows, fields, fmt, f)
        tmp.replace(output)
    except OSError as exc:
        raise StorydeskError(f"{output}: cannot write: {exc}") from exc


@app.command(cls=_Command)
@edge
def serve(
    db: DbOpt = None,
    host: Annotated[
        str, typer.Option(metavar="ADDRESS", help="Address to listen on (loopback by default).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, metavar="PORT", help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Server processes (one per core serves more clients).")] = 1,
    token: Annotated[
        str | None,
        typer.Option(
            envvar="STORYDESK_TOKEN",
            metavar="TOKEN",
            help="Token (16+ characters) that allows writes (ingest); without it the server is read-only.",
        ),
    ] = None,
) -> None:
    """Serve the web app and JSON API (stories, dossiers, actors, ingest; OpenAPI at /docs)."""
    from storydesk import web

    try:
        web.serve(_db_url(db, create=True), host, port, token or None, workers)
    except InputError as exc:
        raise typer.BadParameter(exc.reason, param_hint="--token") from None


@app.command(cls=_Command)
@edge
def demo(
    db: DbOpt = None,
    html: Annotated[Path, typer.Option("--html", help="Where to write the HTML dossier.")] = Path(
        "storydesk-demo.html"
    ),
) -> None:
    """Ingest the bundled example (two outlets on one story), show its dossier, write it as HTML.

    The demo has a store of its own (inside this install's environment, else a temporary
    folder), never your default store, unless --db names one."""
    from storydesk import desk, render

    db = db if db is not None else str(_demo_store())
    _say(f"demo store: {db}")
    example = resources.files("storydesk").joinpath("examples", "nato-ukraine")
    with resources.as_file(example) as folder:
        report = _ingest([str(folder)], db)
    # by content, not path: the example may have been stored from another install's folder
    store = _store(db)
    result = desk.dossier(store, store.story_of_article(report.read[0]))
    render.print_story(result, _stdout())
    _emit(render.render(result, "html"), html)
    _say(f"dossier written to {html}")


def _demo_store() -> Path:
    """The demo's own store: in this Python environment (a virtual environment is one install's
    own), else, where that cannot be written, in a temporary folder of this user."""
    import tempfile

    for folder in (
        Path(sys.prefix) / "var" / "storydesk",
        Path(tempfile.gettempdir()) / f"storydesk-demo-{os.getuid()}",
    ):
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        if os.access(folder, os.W_OK):
            return folder / "demo.sqlite"
    raise StorydeskError("no folder to keep the demo's store in: pass --db")


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
