"""The command line for a researcher, on stores filled without the language pipeline: lists and
search as data, exports, help in words, standard input, ``--db`` mistakes, -q/-v, the demo's
own store, and ``show`` reading the stored dossier."""

from __future__ import annotations

import csv
import io
import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storydesk import __version__, cli, desk
from storydesk.models import (
    CoverageRow,
    DossierActor,
    DossierArticle,
    DossierQuote,
    Evidence,
    Fact,
    Position,
    Positions,
    Sourcing,
    Speaker,
    Story,
    Support,
)
from storydesk.store import Store, open_store
from tests.test_cli_startup import HEAVY, imported
from tests.web.test_web import FERRY_A, FERRY_B, seed, span_of


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner(env={"COLUMNS": "200"}).invoke(cli.app, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def ferry_dossier() -> Story:
    """A dossier of the seeded ferry story, written by hand: what the builder would store."""
    said = "This terminal will cut waiting times in half,"
    opposed = "he opposed the cost"
    return Story(
        story="s-ferry",
        title="Port authority approves new ferry terminal",
        articles=[
            DossierArticle(id="gazette/ferry.txt", outlet="Harbor Gazette", published="2024-03-04"),
            DossierArticle(id="courier/ferry.txt", outlet="Valley Courier", published="2024-03-05"),
        ],
        actors=[
            DossierActor(
                name="Maria Okafor",
                kind="person",
                aliases=["Okafor"],
                articles=["gazette/ferry.txt", "courier/ferry.txt"],
            ),
            DossierActor(name="Tom Reyes", kind="person", articles=["courier/ferry.txt"]),
        ],
        quotes=[
            DossierQuote(
                article="gazette/ferry.txt",
                text=said,
                span=span_of(FERRY_A, said),
                kind="direct",
                speaker=Speaker(name="Maria Okafor"),
            ),
            DossierQuote(
                article="courier/ferry.txt",
                text=opposed,
                span=span_of(FERRY_B, opposed),
                kind="indirect",
                speaker=Speaker(name="Tom Reyes"),
            ),
        ],
        facts=[
            Fact(
                text="The terminal costs $40 million.",
                status="corroborated",
                independent_sources=2,
                support=[
                    Support(article="gazette/ferry.txt", outlet="Harbor Gazette", span=(0, 10), text="x"),
                    Support(article="courier/ferry.txt", outlet="Valley Courier", span=(0, 10), text="x"),
                ],
            ),
            Fact(
                text="The vote had been delayed twice.",
                status="single-source",
                independent_sources=1,
                support=[Support(article="gazette/ferry.txt", outlet="Harbor Gazette", span=(0, 10), text="x")],
            ),
        ],
        positions=Positions(
            question="Should the terminal be built?",
            stances=[
                Position(
                    actor="Tom Reyes",
                    stance="oppose",
                    evidence=[Evidence(article="courier/ferry.txt", span=(0, 5), text=opposed)],
                )
            ],
        ),
        sourcing=Sourcing(
            coverage=[
                CoverageRow(fact=0, outlets={"Harbor Gazette": "reports", "Valley Courier": "reports"}),
                CoverageRow(fact=1, outlets={"Harbor Gazette": "reports", "Valley Courier": "omits"}),
            ]
        ),
    )


def stored(db: Path) -> Store:
    """A store at ``db`` with the seeded stories and the ferry story's dossier kept."""
    store = open_store(f"sqlite:///{db}")
    seed(store)
    stamp = store.story_stamp("s-ferry")
    store.store_dossier(stamp, __version__, ferry_dossier().model_dump_json())
    return store


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = tmp_path / "store.sqlite"
    stored(path)
    return str(path)


# --- show and export read the stored dossier ----------------------------------------------------


def test_show_of_a_stored_story_reads_its_dossier_and_loads_no_model(db: str) -> None:
    heavy, _ = imported(["show", "s-ferry", "--db", db, "--format", "json"])
    assert not set(heavy) & {"spacy", "torch", "transformers", "sentence_transformers", "sklearn"}
    code, stdout, _ = run("show", "s-fer", "--db", db, "--format", "json")
    assert code == 0 and json.loads(stdout)["positions"]["question"] == "Should the terminal be built?"


def test_a_dossier_is_built_once_and_again_when_the_question_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(f"sqlite:///{tmp_path / 's.sqlite'}")
    seed(store)
    built: list[str] = []

    def build(store: Store, story: str, question: str | None = None, bodies: object = None) -> Story:
        built.append(story)
        return ferry_dossier().model_copy(update={"title": f"build {len(built)}"})

    monkeypatch.setattr(desk, "show", build)
    monkeypatch.setattr(desk, "_parsed", lambda question: None)
    first = desk.dossier(store, "s-ferry")
    assert desk.dossier(store, "s-fer") == first and built == ["s-ferry"]
    again = desk.dossier(store, "s-ferry", question="Is the terminal too dear?")
    assert built == ["s-ferry", "s-ferry"] and again.title == "build 2"
    assert store.question("s-ferry") == "Is the terminal too dear?"


def test_export_tables_as_csv_and_jsonl(db: str, tmp_path: Path) -> None:
    code, stdout, _ = run("export", "s-ferry", "--db", db, "--what", "quotes")
    quotes = list(csv.DictReader(io.StringIO(stdout)))
    assert code == 0 and [q["speaker"] for q in quotes] == ["Maria Okafor", "Tom Reyes"]
    assert quotes[1]["outlet"] == "Valley Courier" and FERRY_B[int(quotes[1]["start"]) :].startswith("he opposed")
    code, stdout, _ = run("export", "s-ferry", "--db", db, "--what", "facts", "--format", "jsonl")
    facts = [json.loads(line) for line in stdout.splitlines()]
    assert [(f["status"], f["outlets"]) for f in facts] == [
        ("corroborated", ["Harbor Gazette", "Valley Courier"]),
        ("single-source", ["Harbor Gazette"]),
    ]
    code, stdout, _ = run("export", "s-fer", "--db", db, "--what", "actors", "-f", "jsonl")
    actors = {a["name"]: a for a in map(json.loads, stdout.splitlines())}
    assert actors["Maria Okafor"]["quotes"] == 1 and actors["Maria Okafor"]["aliases"] == ["Okafor"]
    out = tmp_path / "stances.csv"
    code, _, stderr = run("export", "s-ferry", "--db", db, "--what", "stances", "-o", str(out))
    [stance] = list(csv.DictReader(out.open(encoding="utf-8")))
    assert code == 0 and (stance["actor"], stance["stance"]) == ("Tom Reyes", "oppose") and str(out) in stderr


def test_the_facts_by_outlet_matrix_has_a_column_per_outlet(db: str) -> None:
    code, stdout, _ = run("export", "s-ferry", "--db", db, "--what", "matrix")
    header, *rows = list(csv.reader(io.StringIO(stdout)))
    assert code == 0 and header == ["story", "fact", "text", "status", "Harbor Gazette", "Valley Courier"]
    assert [r[4:] for r in rows] == [["reports", "reports"], ["reports", "omits"]]
    code, stdout, _ = run("export", "s-ferry", "--db", db, "--what", "matrix", "-f", "jsonl")
    assert json.loads(stdout.splitlines()[1])["outlets"] == {"Harbor Gazette": "reports", "Valley Courier": "omits"}


def test_export_refuses_a_table_as_graphml_and_an_unknown_table(db: str) -> None:
    assert run("export", "--db", db, "--what", "quotes", "--format", "graphml")[0] == 2
    assert run("export", "--db", db, "--what", "speeches")[0] == 2
    assert run("export", "--db", db, "--format", "jsonl")[0] == 2  # jsonl of what?


# --- lists and search as data ---------------------------------------------------------------------


def test_search_lists_matching_articles_as_json_csv_and_piped_rows(db: str) -> None:
    code, stdout, _ = run("search", "ferry terminal", "--db", db, "--format", "json")
    hits = json.loads(stdout)
    assert code == 0 and {h["story"] for h in hits} == {"s-ferry"} and [h["rank"] for h in hits] == [1, 2]
    assert all("ferry terminal" in h["snippet"] and h["matched"][:2] == ["ferry", "terminal"] for h in hits)
    assert {h["outlet"] for h in hits} == {"Harbor Gazette", "Valley Courier"}
    code, stdout, _ = run("search", "okafor", "--db", db, "--format", "csv", "--limit", "1")
    rows = list(csv.DictReader(io.StringIO(stdout)))
    assert code == 0 and len(rows) == 1 and "Okafor" in rows[0]["snippet"] and rows[0]["matched"] == "Okafor"
    code, stdout, _ = run("search", "delayed", "--db", db)  # piped: a header and full rows
    header, *lines = stdout.splitlines()
    assert header.split("\t") == ["article", "story", "title", "outlet", "published", "rank", "snippet", "matched"]
    assert len(lines) == 1 and lines[0].split("\t")[3] == "Harbor Gazette"
    assert run("search", "nothing-like-this", "--db", db, "-f", "jsonl")[1] == ""


def test_store_search_ranks_and_cuts(tmp_path: Path) -> None:
    store = stored(tmp_path / "s.sqlite")
    hits = store.search_articles("okafor terminal")
    assert {h.article_key for h in hits} == {"key-gazette/ferry.txt", "key-courier/ferry.txt"}
    assert all(h.story_id == "s-ferry" for h in hits)
    assert hits == sorted(hits, key=lambda h: -h.rank)
    assert len(store.search_articles("ferry", limit=1)) == 1
    assert store.search_articles('"(') == [] and store.search_articles("ferry", limit=0) == []


def piped(args: list[str], through: str) -> str:
    """``storydesk ARGS | THROUGH`` in a shell, as a user types it; the pipeline's output."""
    src = str(Path(cli.__file__).resolve().parents[1])
    command = [sys.executable, "-c", "import sys; from storydesk.cli import main; sys.argv[0] = 'storydesk'; main()"]
    line = " ".join(shlex.quote(a) for a in [*command, *args]) + " | " + through
    done = subprocess.run(
        ["sh", "-c", line],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": src},
    )
    return done.stdout


def test_stories_csv_through_head_has_a_header_and_whole_titles(db: str) -> None:
    header, *rows = list(csv.reader(io.StringIO(piped(["stories", "--db", db, "--format", "csv"], "head -n 5"))))
    assert header[:3] == ["id", "title", "outlets"]
    assert ["s-ferry", "Port authority approves new ferry terminal"] in [r[:2] for r in rows]
    hits = json.loads(piped(["search", "terminal", "--db", db, "--format", "json"], "cat"))
    assert {h["story"] for h in hits} == {"s-ferry"}


# --- help, input and store mistakes ---------------------------------------------------------------


@pytest.mark.parametrize("command", [[], ["analyze"], ["ingest"], ["export"], ["search"], ["stories"], ["serve"]])
def test_help_reads_as_words(command: list[str]) -> None:
    code, stdout, _ = run(*command, "--help")
    assert code == 0
    for python in ("<bool>", "<list", "<str>", "<int", "<path>", "<file>", "{inputs}", "{"):
        assert python not in stdout, f"{python!r} in the help of {command}"
    if command == ["analyze"]:
        assert "Usage: storydesk analyze [OPTIONS] INPUT..." in stdout and "FILE" in stdout
    if command == ["ingest"]:
        assert "FILE|URL" in stdout


def test_a_db_in_a_missing_folder_is_an_error_and_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-dir" / "x.sqlite"
    for args in (["stories"], ["search", "ferry"], ["ingest", str(tmp_path)], ["serve"]):
        code, _, stderr = run(*args, "--db", str(missing))
        assert code == 2 and "no-such-dir" in stderr, args
    assert not missing.parent.exists()
    code, _, stderr = run("stories", "--db", str(tmp_path / "typo.sqlite"))  # a folder that exists
    assert code == 2 and "no store" in stderr and not (tmp_path / "typo.sqlite").exists()


def test_dash_reads_standard_input_as_jsonl_or_as_one_document(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = json.dumps({"id": "x1", "text": FERRY_A}) + "\n" + json.dumps({"id": "x2", "text": FERRY_B}) + "\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(lines.encode())))
    assert [a.id for a in cli._inputs(["-"], fetch=False)] == ["x1", "x2"]
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(FERRY_A.encode())))
    [article] = list(cli._inputs(["-"], fetch=False))
    assert article.id == "-" and article.text.startswith("The Lakeside Port Authority")


def test_dash_is_read_in_its_place_among_the_inputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    one, two = tmp_path / "one.txt", tmp_path / "two.txt"
    one.write_text(FERRY_A, encoding="utf-8")
    two.write_text(FERRY_B, encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Text from a pipe about a ferry.")))
    ids = [a.id for a in cli._inputs([str(one), "-", str(two)], fetch=False)]
    assert ids == [str(one), "-", str(two)]


# --- -q / -v, progress and the demo's store ---------------------------------------------------------


def test_progress_lines_with_verbose_when_not_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from rich.console import Console

    console = Console(file=io.StringIO(), force_terminal=False, width=200)
    monkeypatch.setattr(cli, "_stderr", lambda: console)
    monkeypatch.setattr(cli.Verbosity, "level", 0)
    with cli._progress(20, "analysing") as advance:
        advance(20)
    assert console.file.getvalue() == ""  # type: ignore[attr-defined]
    monkeypatch.setattr(cli.Verbosity, "level", 1)
    with cli._progress(20, "analysing") as advance:
        for _ in range(20):
            advance(1)
    lines = console.file.getvalue().splitlines()  # type: ignore[attr-defined]
    assert lines[0] == "analysing: 2/20" and lines[-1] == "analysing: 20/20" and len(lines) == 10


def test_quiet_leaves_out_summaries_and_verbose_with_quiet_is_refused(db: str, tmp_path: Path) -> None:
    out = tmp_path / "q.csv"
    code, _, stderr = run("-q", "export", "s-ferry", "--db", db, "--what", "facts", "-o", str(out))
    assert code == 0 and stderr == "" and out.exists()
    code, _, stderr = run("export", "s-ferry", "--db", db, "--what", "facts", "-o", str(out))
    assert code == 0 and "exported" in stderr
    assert run("-q", "-v", "stories", "--db", db)[0] == 2


def test_the_demo_store_is_in_the_environment_else_a_temporary_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "prefix", str(tmp_path / "venv"))
    assert cli._demo_store() == tmp_path / "venv" / "var" / "storydesk" / "demo.sqlite"
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    monkeypatch.setattr(sys, "prefix", str(locked / "venv"))
    monkeypatch.setattr("tempfile.gettempdir", lambda: str(tmp_path / "tmp"))
    try:
        found = cli._demo_store()
    finally:
        locked.chmod(0o700)
    if found.is_relative_to(locked):  # root writes anywhere: nothing to fall back from
        return
    assert found.parent.parent == tmp_path / "tmp" and found.name == "demo.sqlite"


@pytest.mark.slow
def test_the_probe_sees_show_build_a_dossier(tmp_path: Path) -> None:
    # the show test can fail: a story with no stored dossier is built, loading the models
    store = open_store(f"sqlite:///{tmp_path / 'fresh.sqlite'}")
    seed(store)
    heavy, _ = imported(["show", "s-ferry", "--db", str(tmp_path / "fresh.sqlite"), "--format", "json"])
    assert set(heavy) & set(HEAVY) & {"spacy", "torch"}


def test_the_search_table_for_a_terminal_shows_found_words_in_bold_without_marks(tmp_path: Path) -> None:
    from rich.console import Console

    from storydesk.render.lists import SEARCH_TABLE, marked_snippet, print_table, search_row

    store = stored(tmp_path / "s.sqlite")
    hits = store.search_articles("delayed")
    rows = [{**search_row(hit, i), "snippet": marked_snippet(hit)} for i, hit in enumerate(hits, 1)]
    console = Console(record=True, width=400)
    print_table(rows, SEARCH_TABLE, console, "Articles matching 'delayed' (1)")
    text = console.export_text()
    assert "the vote had been delayed twice" in text and "[delayed]" not in text
    marked = marked_snippet(hits[0])
    assert [marked.plain[s.start : s.end] for s in marked.spans if s.style == "bold"] == ["delayed"]
