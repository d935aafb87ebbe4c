"""The command line, in-process: the contract's batch commands, the store commands, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storydesk.cli import app
from storydesk.ingest.clean import REPLACEMENT
from tests.test_pipeline import slow_or_broken

pytestmark = pytest.mark.slow

STORY_A = [
    (
        "LISBON (Reuters) - Portugal's parliament approved a 2 billion euro flood relief package on Friday, "
        'Finance Minister Ana Ribeiro said. "This money will reach families within weeks," Ribeiro told '
        "reporters. Opposition lawmakers said the package came too late for farmers in the Tagus valley."
    ),
    (
        "Portugal's parliament on Friday passed a flood relief package worth 2 billion euros. Ana Ribeiro, the "
        "finance minister, said the money would reach families within weeks. Farmers in the Tagus valley said "
        "the flood relief package came too late."
    ),
]
STORY_B = (
    "A zoo in Ohio welcomed twin snow leopard cubs this week, keepers said. The cubs were born to a "
    "seven-year-old mother and are healthy, according to the zoo's chief veterinarian."
)


def write_jsonl(path: Path, rows: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    rows = [
        {"id": "a1", "text": STORY_A[0], "date": "2025-03-07", "source": "reuters.com"},
        {"id": "a2", "text": STORY_A[1], "date": "2025-03-07", "title": "Flood relief package passes"},
        {"id": "b1", "text": STORY_B, "date": "2025-03-08"},
    ]
    return write_jsonl(tmp_path / "articles.jsonl", rows)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner(env={"COLUMNS": "200"}).invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_analyze_writes_one_contract_line_per_article_in_order(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    code, _, _ = run("analyze", str(corpus), "--output", str(out))
    assert code == 0
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    assert [x["id"] for x in lines] == ["a1", "a2", "b1"]
    assert set(lines[0]) == {"id", "outlet", "dateline", "credits", "entities", "quotes", "amounts"}
    assert lines[0]["outlet"] == "Reuters"
    assert lines[0]["dateline"] == "LISBON"
    quote = next(q for q in lines[0]["quotes"] if q["kind"] == "direct")
    s, e = quote["span"]
    assert STORY_A[0][s:e].startswith("This money will reach families")
    assert quote["speaker"]["name"] == "Ana Ribeiro"


SPLIT_QUOTE = (
    '"The bridge will open in May," Mayor Anna Kowalski said on Monday. "We are ready for the crowds." '
    "She said that the city had hired forty more bus drivers for the opening weekend."
)


def test_analyze_fast_finds_quotes_with_the_rules_alone(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", [{"id": "q1", "text": SPLIT_QUOTE}])
    quotes = {}
    for flags in ((), ("--fast",)):
        out = tmp_path / f"out{len(flags)}.jsonl"
        assert run("analyze", str(source), "--output", str(out), *flags)[0] == 0
        quotes[flags] = json.loads(out.read_text())["quotes"]
    for found in quotes.values():  # both modes: one quote per sentence of the split quote
        texts = [SPLIT_QUOTE[slice(*q["span"])] for q in found]
        assert any(t.strip('"').startswith("The bridge") for t in texts)
        assert any(t.startswith("We are ready") and "She" not in t for t in texts)
        assert {q["speaker"]["name"] for q in found} == {"Anna Kowalski"}
    assert quotes[()] != quotes[("--fast",)]  # two modes, two extractors


def test_cluster_puts_each_story_together(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "stories.jsonl"
    code, _, _ = run("cluster", str(corpus), "--output", str(out))
    assert code == 0
    story = {x["id"]: x["story"] for x in map(json.loads, out.read_text().splitlines())}
    assert story["a1"] == story["a2"] != story["b1"]


def test_dossier_json_has_the_contract_shape(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "dossier.json"
    code, _, _ = run("dossier", str(corpus), "--format", "json", "--output", str(out))
    assert code == 0
    stories = json.loads(out.read_text())["stories"]
    flood = next(s for s in stories if {a["id"] for a in s["articles"]} == {"a1", "a2"})
    assert {"story", "title", "articles", "actors", "quotes", "facts", "positions", "consensus"} <= set(flood)
    ribeiro = [a for a in flood["actors"] if a["name"] == "Ana Ribeiro"]
    assert len(ribeiro) == 1 and sorted(ribeiro[0]["articles"]) == ["a1", "a2"]


def test_bad_items_are_named_and_the_batch_goes_on(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(STORY_B, encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02\xff" * 50)
    out = tmp_path / "out.jsonl"
    code, _, stderr = run("analyze", str(tmp_path), "--output", str(out))
    assert code == 1
    assert "empty.txt" in stderr and "binary.txt" in stderr
    assert "Traceback" not in stderr
    assert [json.loads(x)["id"] for x in out.read_text().splitlines()] == [str(good)]


def test_usage_errors_exit_2(corpus: Path, tmp_path: Path) -> None:
    code, _, _ = run("dossier", str(corpus), "--format", "pdf", "--output", str(tmp_path / "x"))
    assert code == 2
    code, _, _ = run("analyze", str(corpus))  # --output missing
    assert code == 2


def test_ingest_twice_stores_once_and_show_renders(corpus: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "store.sqlite")
    code, _, stderr = run("ingest", str(corpus), "--db", db)
    assert code == 0 and "3 article(s) added" in stderr
    code, _, stderr = run("ingest", str(corpus), "--db", db)
    assert code == 0 and "0 article(s) added" in stderr and "3 already stored" in stderr
    code, stdout, _ = run("stories", "--db", db)
    assert code == 0 and "Portugal's parliament" in stdout and "Ohio" in stdout
    from storydesk.store import open_store

    story = next(s for s in open_store(f"sqlite:///{db}").stories() if s.articles == 2)
    code, stdout, _ = run("show", story.id, "--db", db, "--format", "md")
    assert code == 0 and "Ana Ribeiro" in stdout
    code, _, stderr = run("show", "no-such-story", "--db", db)
    assert code == 2 and "no-such-story" in stderr


def test_demo_ingests_the_example_and_writes_html(tmp_path: Path) -> None:
    html = tmp_path / "demo.html"
    code, stdout, _ = run("demo", "--db", str(tmp_path / "demo.sqlite"), "--html", str(html))
    assert code == 0
    page = html.read_text(encoding="utf-8")
    assert "<html" in page and "Reuters" in page and "The Hill" in page
    assert "Quotes" in stdout


def test_demo_runs_again_on_a_store_that_holds_the_example_from_another_folder(tmp_path: Path) -> None:
    from importlib import resources

    copy = tmp_path / "elsewhere"
    with resources.as_file(resources.files("storydesk").joinpath("examples", "nato-ukraine")) as folder:
        copy.mkdir()
        for f in folder.iterdir():
            (copy / f.name).write_bytes(f.read_bytes())
    db = str(tmp_path / "demo.sqlite")
    assert run("ingest", str(copy), "--db", db)[0] == 0  # as an earlier install would have stored it
    code, stdout, stderr = run("demo", "--db", db, "--html", str(tmp_path / "demo.html"))
    assert code == 0, stderr
    assert "already stored" in stderr and "Quotes" in stdout


def test_demo_without_db_keeps_its_own_store_and_names_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    default = tmp_path / "default" / "storydesk.sqlite"
    monkeypatch.setenv("STORYDESK_DB", str(default))  # the user's store: the demo leaves it alone
    monkeypatch.setattr(sys, "prefix", str(tmp_path / "venv"))
    code, _, stderr = run("demo", "--html", str(tmp_path / "demo.html"))
    own = tmp_path / "venv" / "var" / "storydesk" / "demo.sqlite"
    assert code == 0, stderr
    assert f"demo store: {own}" in stderr and own.is_file() and not default.exists()


def test_analyze_and_ingest_read_standard_input(tmp_path: Path) -> None:
    lines = "".join(json.dumps({"id": f"a{i}", "text": t}) + "\n" for i, t in enumerate(STORY_A))
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, ["analyze", "-", "--output", str(out)], input=lines)
    assert result.exit_code == 0, result.stderr
    assert [json.loads(x)["id"] for x in out.read_text().splitlines()] == ["a0", "a1"]
    result = CliRunner().invoke(app, ["ingest", "-", "--db", str(tmp_path / "s.sqlite")], input=STORY_B)
    assert result.exit_code == 0 and "1 article(s) added" in result.stderr


def test_check_writes_a_stance_per_line_and_names_bad_lines(tmp_path: Path) -> None:
    inp = tmp_path / "claims.jsonl"
    inp.write_text(
        json.dumps({"id": 1, "claim": "Portugal passes flood relief package", "text": STORY_A[1]})
        + "\n{not json\n"
        + json.dumps({"id": "c2", "claim": "Snow leopard cubs born at Ohio zoo", "text": STORY_A[0]})
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    code, _, stderr = run("check", str(inp), "--output", str(out))
    assert code == 1 and f"{inp}:2" in stderr
    rows = {r["id"]: r for r in map(json.loads, out.read_text().splitlines())}
    assert set(rows) == {1, "c2"}  # ids come back with their JSON type
    assert rows[1]["stance"] in {"agree", "discuss"} and rows[1]["evidence"]
    assert rows["c2"]["stance"] == "unrelated"


def test_serve_refuses_a_short_token_as_a_usage_error(tmp_path: Path) -> None:
    code, _, stderr = run("serve", "--db", str(tmp_path / "s.sqlite"), "--token", "short")
    assert code == 2 and "--token" in stderr


def test_show_stores_the_question_and_export_writes_graphml(corpus: Path, tmp_path: Path) -> None:
    import networkx as nx

    from storydesk.store import open_store

    db = str(tmp_path / "store.sqlite")
    assert run("ingest", str(corpus), "--db", db)[0] == 0
    store = open_store(f"sqlite:///{db}")
    story = next(s for s in store.stories() if s.articles == 2)
    question = "Should parliament pass flood relief?"
    code, stdout, _ = run("show", story.id, "--db", db, "--format", "json", "--question", question)
    assert code == 0 and json.loads(stdout)["positions"]["question"] == question
    assert store.question(story.id) == question
    out = tmp_path / "net.graphml"
    code, _, _ = run("export", "--db", db, "--format", "graphml", "--output", str(out))
    assert code == 0 and isinstance(nx.read_graphml(out), nx.Graph)
    code, _, _ = run("dossier", str(corpus), "--bodies", str(tmp_path / "missing.yaml"), "-o", str(out))
    assert code == 2


WIRE = (
    "NAIROBI (Reuters) - Kenya's central bank held its main lending rate at 10.75% on Tuesday, saying inflation "
    "had eased for a third month and the shilling had stabilised against the dollar. Governor Samuel Mwangi told "
    'reporters the committee saw room to wait before cutting. "We want to see the disinflation entrenched," '
    "Mwangi said. Analysts polled last week had expected a hold, though two had forecast a quarter-point cut. "
    "Food prices fell in the month to October as harvests improved, the statistics office said."
)


def test_stories_counts_a_wire_copy_once(tmp_path: Path) -> None:
    copy = "Editor's note: this story was supplied by a news agency.\n" + WIRE.split(" - ", 1)[1]
    own = (
        "Kenya's central bank kept its benchmark rate at 10.75 percent on Tuesday. Samuel Mwangi, the bank's "
        "governor, said inflation was easing and the committee would wait before cutting the lending rate."
    )
    rows = [
        {"id": "w", "text": WIRE, "date": "2025-11-04", "title": "Kenya holds rate at 10.75%"},
        {"id": "c", "text": copy, "date": "2025-11-04", "title": "Central bank keeps rates unchanged"},
        {"id": "o", "text": own, "date": "2025-11-04", "title": "CBK holds benchmark rate"},
    ]
    db = str(tmp_path / "store.sqlite")
    assert run("ingest", str(write_jsonl(tmp_path / "a.jsonl", rows)), "--db", db)[0] == 0
    from storydesk.store import open_store

    [story] = open_store(f"sqlite:///{db}").stories()
    assert (story.articles, story.origins) == (3, 2)
    code, stdout, _ = run("stories", "--db", db)
    assert code == 0 and "origins" in stdout


def test_stories_list_as_data_full_rows_and_limited(tmp_path: Path) -> None:
    import csv
    import io

    from storydesk.store import open_store
    from tests.web.test_web import seed

    db = str(tmp_path / "store.sqlite")
    seed(open_store(f"sqlite:///{db}"))
    code, stdout, _ = run("stories", "--db", db, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(stdout)))
    assert code == 0 and {r["id"] for r in rows} == {"s-ferry", "s-hostile"}
    assert next(r for r in rows if r["id"] == "s-ferry")["articles"] == "2"
    code, stdout, _ = run("stories", "--db", db, "--format", "jsonl", "--limit", "1")
    assert code == 0 and len(stdout.splitlines()) == 1 and set(json.loads(stdout)) >= {"id", "title", "outlets"}
    code, stdout, _ = run("stories", "--db", db)  # piped: tab-separated, nothing cut
    header, *lines = stdout.splitlines()
    assert header.split("\t")[:3] == ["id", "title", "outlets"] and len(lines) == 2
    assert run("stories", "--db", db, "--format", "xml")[0] == 2


def test_the_stories_table_says_when_it_lists_only_the_newest() -> None:
    from datetime import UTC, datetime

    from rich.console import Console

    from storydesk.models import StorySummary
    from storydesk.render.text import print_stories

    console = Console(record=True, width=120)
    one = StorySummary("s-1", "Bridge reopens", ["Gazette"], 1, 1, "2025-01-02", "2025-01-02", datetime.now(UTC))
    print_stories([one], console, total=40)
    text = console.export_text()
    assert "Stories (40)" in text and "the 1 most recently updated of 40" in text


def test_fetching_from_private_addresses_is_refused_unless_allowed(tmp_path: Path) -> None:
    db = str(tmp_path / "store.sqlite")
    code, _, stderr = run("ingest", "http://127.0.0.1:9/feed.xml", "--fetch", "--db", db)
    assert code == 1 and "local or private address" in stderr and "127.0.0.1" in stderr
    code, _, stderr = run("ingest", "http://127.0.0.1:9/feed.xml", "--fetch", "--allow-private", "--db", db)
    assert code == 1 and "private address" not in stderr and "unreachable" in stderr  # tried: nothing listens


def bad_and_good_folder(tmp_path: Path) -> tuple[Path, set[str]]:
    """A folder mixing items that once stopped, hung or polluted a batch with good ones; the
    ids of the good ones (every one must come out)."""
    folder = tmp_path / "mixed"
    folder.mkdir()
    rows = [
        {"id": "a1", "text": STORY_A[0], "date": "January 31, 2018"},  # not ISO: converted
        {"id": "a2\ud800", "text": STORY_A[1] + " \ud800", "date": "yesterday-ish 99:99"},  # dropped
        {"id": "b1", "text": STORY_B, "date": "9" * 100_000},
    ]
    (folder / "articles.jsonl").write_text(
        "[" * 100_000 + "\n" + "".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8"
    )
    (folder / "empty.jsonl").write_bytes(b"")
    (folder / "binary.jsonl").write_bytes(bytes(range(1, 256)) * 256)
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n")
    return folder, {"a1", f"a2{REPLACEMENT}", "b1"}


def test_a_batch_of_bad_and_good_items_outputs_every_good_one(tmp_path: Path) -> None:
    folder, good = bad_and_good_folder(tmp_path)
    out = tmp_path / "stories.jsonl"
    code, _, stderr = run("cluster", str(folder), "--output", str(out))
    assert code == 1 and "Traceback" not in stderr
    assert {x["id"] for x in map(json.loads, out.read_text().splitlines())} == good
    for bad in (f"{folder / 'articles.jsonl'}:1", "empty.jsonl: no articles", "binary.jsonl: binary", "image.txt"):
        assert bad in stderr
    assert "9" * 300 not in stderr  # no value echoed whole
    db = str(tmp_path / "store.sqlite")
    code, _, stderr = run("ingest", str(folder), "--db", db)
    assert code == 1 and "3 article(s) added" in stderr and "Traceback" not in stderr


def test_check_reads_a_legacy_encoded_file(tmp_path: Path) -> None:
    inp = tmp_path / "claims.jsonl"
    line = json.dumps({"id": "é1", "claim": "Café owner wins the lottery", "text": STORY_B}, ensure_ascii=False)
    inp.write_bytes(line.encode("cp1252") + b"\n")  # a UnicodeDecodeError traceback before
    out = tmp_path / "out.jsonl"
    code, _, stderr = run("check", str(inp), "--output", str(out))
    assert code == 0, stderr
    assert [r["id"] for r in map(json.loads, out.read_text().splitlines())] == ["é1"]


def test_two_inputs_sharing_an_id_are_both_clustered(tmp_path: Path) -> None:
    rows = [
        {"id": "same", "text": STORY_A[0], "date": "2024-05-01"},
        {"id": "same", "text": STORY_B, "date": "2024-05-02"},
        {"id": "same", "text": STORY_A[1], "date": "2024-05-03"},
    ]
    path = str(write_jsonl(tmp_path / "dup.jsonl", rows))
    out = tmp_path / "stories.jsonl"
    code, _, stderr = run("cluster", path, "--output", str(out))
    assert code == 0 and "Traceback" not in stderr
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    assert [x["id"] for x in lines] == ["same", "same", "same"]  # ids as given
    assert lines[0]["story"] == lines[2]["story"] != lines[1]["story"]


def test_the_stories_rows_read_straight_from_sqlite_equal_the_stores(tmp_path: Path) -> None:
    from storydesk import listing
    from storydesk.render.lists import story_row
    from storydesk.store import open_store
    from tests.web.test_web import seed

    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    store = open_store(url)
    seed(store)
    store.set_origins({"key-courier/ferry.txt": "key-gazette/ferry.txt"})  # a copy: two articles, one origin
    for limit in (None, 1):
        fast = listing.story_rows(url, limit)
        assert fast is not None
        page = store.story_page(limit)
        assert fast == ([story_row(s) for s in page.stories], page.total)
    every = listing.story_rows(url, None)
    assert every is not None and next(r for r in every[0] if r["id"] == "s-ferry")["origins"] == 1
    assert listing.story_rows(f"sqlite:///{tmp_path / 'none.sqlite'}", None) is None  # no store: the slow path
    assert listing.story_rows("sqlite:///:memory:", None) is None


def test_an_article_whose_analysis_fails_is_named_and_every_command_goes_on(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    slow_or_broken(monkeypatch)
    rows = [{"id": "slow", "text": STORY_B}, {"id": "a1", "text": STORY_A[0]}, {"id": "broken", "text": STORY_A[1]}]
    inputs = str(write_jsonl(tmp_path / "in.jsonl", rows))
    out = tmp_path / "out.jsonl"
    code, _, stderr = run("analyze", inputs, "--fast", "--output", str(out))
    assert code == 1 and "Traceback" not in stderr
    assert "slow: analysis timed out after 1 s" in stderr and "broken: analysis failed: ValueError" in stderr
    assert [json.loads(x)["id"] for x in out.read_text().splitlines()] == ["a1"]
    code, _, stderr = run("dossier", inputs, "--format", "json", "--output", str(out))
    assert code == 1 and "slow: analysis timed out" in stderr
    assert [a["id"] for s in json.loads(out.read_text())["stories"] for a in s["articles"]] == ["a1"]
    code, _, stderr = run("ingest", inputs, "--db", str(tmp_path / "store.sqlite"))
    assert code == 1 and "1 article(s) added" in stderr and "broken: analysis failed" in stderr


def test_a_text_past_the_analysis_limit_is_analysed_in_part_and_said_so(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("STORYDESK_MAX_ANALYSIS_CHARS", str(len(STORY_A[0]) + 2))
    long_text = STORY_A[0] + "\n\n" + STORY_B
    rows = [{"id": "long", "text": long_text}, {"id": "short", "text": STORY_A[1][: len(STORY_A[0])]}]
    inputs = str(write_jsonl(tmp_path / "in.jsonl", rows))
    out = tmp_path / "out.jsonl"
    code, _, stderr = run("analyze", inputs, "--fast", "--output", str(out))
    assert code == 0 and "Traceback" not in stderr
    assert f"long: only the first {len(STORY_A[0]) + 2:,} of {len(long_text):,} characters" in stderr
    assert "short:" not in stderr
    lines = {x["id"]: x for x in map(json.loads, out.read_text().splitlines())}
    assert lines["long"]["analysed_chars"] == len(STORY_A[0]) + 2 and "analysed_chars" not in lines["short"]
    spans = [q["span"] for q in lines["long"]["quotes"]] + [e["span"] for e in lines["long"]["entities"]]
    assert spans and max(end for _, end in spans) <= len(STORY_A[0])
    code, _, stderr = run("dossier", inputs, "--format", "json", "--output", str(out))
    assert code == 0 and "long: only the first" in stderr
    db = tmp_path / "store.sqlite"
    code, _, stderr = run("ingest", inputs, "--db", str(db))
    assert code == 0 and "2 article(s) added" in stderr and "long: only the first" in stderr
    from storydesk.store import open_store

    stored = {a.text for a in (open_store(f"sqlite:///{db}").stored_article(k) for k in _keys(db))}
    assert long_text in stored  # stored whole


def _keys(db: Path) -> list[str]:
    import sqlite3

    with sqlite3.connect(db) as con:
        return [k for (k,) in con.execute("select key from articles")]
