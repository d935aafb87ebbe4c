"""Dossier rendering: terminal/plain text, Markdown, HTML, JSON; untrusted article text stays inert."""

from __future__ import annotations

import io
import json
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from rich.console import Console

from storydesk.errors import InputError
from storydesk.models import (
    Consensus,
    Dossier,
    DossierActor,
    DossierAmount,
    DossierArticle,
    DossierQuote,
    Evidence,
    Fact,
    Mention,
    Position,
    Positions,
    Speaker,
    Story,
    Support,
)
from storydesk.render import Format, print_story, render
from storydesk.render.markdown import md
from storydesk.render.view import article_tree, consensus_line, format_value, quote_groups, quote_text

HOSTILE = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "{{ 7*7 }}"]


def _quote(
    article: str, text: str, speaker: str | None, anonymous: bool = False, cue: str | None = "said"
) -> DossierQuote:
    return DossierQuote(
        article=article,
        text=text,
        span=(0, len(text)),
        kind="direct",
        cue=Mention(text=cue, span=(0, len(cue))) if cue else None,
        speaker=Speaker(name=speaker, anonymous=anonymous) if speaker else None,
    )


def full_story() -> Story:
    return Story(
        story="s1",
        title="Harbour bridge reopens after repairs",
        articles=[
            DossierArticle(id="a1", outlet="Daily Ledger", title="Bridge reopens", published="2025-03-01"),
            DossierArticle(id="a2", outlet="Coast Times", title="Traffic returns to bridge", published="2025-03-02"),
            DossierArticle(id="a3", outlet="Valley Post", title="Bridge reopens", published="2025-03-01", origin="a1"),
        ],
        actors=[
            DossierActor(name="Mara Vell", kind="person", aliases=["Vell"], articles=["a1", "a2"]),
            DossierActor(name="City Transport Board", kind="organization", articles=["a2"]),
            DossierActor(name="an engineer on the project", kind="person", articles=["a1"], anonymous=True),
        ],
        quotes=[
            _quote("a1", "We are open again.", "Mara Vell"),
            _quote("a2", "The cables were the hard part.", "an engineer on the project", anonymous=True),
            _quote("a2", "Traffic will be light this week.", "Mara Vell", cue="told reporters"),
            _quote("a1", "Nobody expected it so soon.", None, cue=None),
        ],
        amounts=[
            DossierAmount(article="a1", text="$12.5 million", span=(0, 13), value=12_500_000, unit="USD"),
            DossierAmount(article="a2", text="3.5 percent", span=(0, 11), value=3.5, unit="percent"),
        ],
        facts=[
            Fact(
                text="The bridge reopened on Saturday.",
                status="corroborated",
                support=[
                    Support(article="a1", outlet="Daily Ledger", span=(0, 5), text="x"),
                    Support(article="a2", outlet="Coast Times", span=(0, 5), text="y"),
                ],
                independent_sources=2,
            ),
            Fact(text="Repairs cost $12.5 million.", status="disputed", independent_sources=2),
            Fact(text="Tolls stay unchanged.", status="single-source", independent_sources=1),
        ],
        positions=Positions(
            question="Should the bridge charge tolls?",
            stances=[
                Position(
                    actor="Mara Vell", stance="oppose", evidence=[Evidence(article="a2", span=(0, 4), text="No tolls.")]
                ),
                Position(actor="City Transport Board", stance="support"),
            ],
        ),
        consensus=Consensus(body="Harbour Council", members=9, rule="majority", reached=False, opposed=["Mara Vell"]),
    )


def bare_story() -> Story:
    """A story as built before facts, positions and consensus exist."""
    return Story(story="s2", title=None, articles=[DossierArticle(id="b1", outlet="Coast Times")])


def hostile_story() -> Story:
    """Every article-derived string carries markup or template syntax."""
    bad = " ".join(HOSTILE)
    return Story(
        story="s-bad",
        title=bad,
        articles=[DossierArticle(id=bad, outlet=bad, title=bad, published=bad)],
        actors=[DossierActor(name=bad, kind="person", aliases=[bad], articles=[bad])],
        quotes=[_quote(bad, bad, bad, cue=bad)],
        amounts=[DossierAmount(article=bad, text=bad, span=(0, 1), value=1, unit=bad)],
        facts=[Fact(text=bad, status="disputed", support=[Support(article=bad, outlet=bad, span=(0, 1), text=bad)])],
        positions=Positions(
            question=bad,
            stances=[Position(actor=bad, stance="mixed", evidence=[Evidence(article=bad, span=(0, 1), text=bad)])],
        ),
        consensus=Consensus(body=bad, members=3, rule=bad, reached=False, opposed=[bad]),
    )


def terminal(story: Story | Dossier, width: int) -> str:
    out = io.StringIO()
    print_story(story, Console(file=out, width=width, force_terminal=True, color_system="truecolor"))
    return out.getvalue()


# --- shared view -------------------------------------------------------------------------------


def test_copies_are_listed_under_their_origin_and_stray_copies_stay_visible() -> None:
    articles = [
        DossierArticle(id="x1"),
        DossierArticle(id="x2", origin="x1"),
        DossierArticle(id="x3", origin="elsewhere"),
        DossierArticle(id="x4", origin="x2"),  # a copy of a copy
    ]
    tree = article_tree(articles)
    assert [e.article.id for e in tree] == ["x1", "x3", "x4"]
    assert [c.article.id for c in tree[0].copies] == ["x2"]
    assert tree[1].origin_elsewhere == "elsewhere"
    assert tree[2].origin_elsewhere == "x2"


def test_quotes_grouped_by_speaker_most_quoted_first_unattributed_last() -> None:
    groups = quote_groups(full_story().quotes)
    assert [(g.speaker, len(g.quotes), g.anonymous) for g in groups] == [
        ("Mara Vell", 2, False),
        ("an engineer on the project", 1, True),
        ("Unattributed", 1, False),
    ]
    assert not groups[-1].attributed


@pytest.mark.parametrize(
    ("value", "shown"),
    [(725_000_000, "725,000,000"), (3.5, "3.5"), (0.025, "0.025"), (1234.5, "1,234.5"), (float("inf"), "inf")],
)
def test_format_value(value: float, shown: str) -> None:
    assert format_value(value) == shown


def test_consensus_line() -> None:
    consensus = Consensus(
        body="Council", members=27, rule="unanimity", reached=False, opposed=["Ruritania", "Freedonia"]
    )
    assert consensus_line(consensus) == "Council (27, unanimity): not reached — opposed: Ruritania, Freedonia"
    assert consensus_line(consensus.model_copy(update={"opposed": []})) == "Council (27, unanimity): not reached"
    assert consensus_line(consensus.model_copy(update={"reached": True})) == "Council (27, unanimity): reached"


# --- JSON --------------------------------------------------------------------------------------


def test_json_is_the_contract_shape_and_round_trips() -> None:
    story = full_story()
    assert Story.model_validate_json(render(story, "json")) == story
    data = json.loads(render(Dossier(stories=[story, bare_story()]), "json"))
    assert [s["story"] for s in data["stories"]] == ["s1", "s2"]
    assert data["stories"][1]["consensus"] is None
    assert data["stories"][0]["quotes"][0]["article"] == "a1"


def test_unknown_format_is_an_input_error() -> None:
    fmt: Any = "pdf"  # what an unchecked caller could pass
    with pytest.raises(InputError):
        render(full_story(), fmt)


# --- terminal / plain text ---------------------------------------------------------------------


def test_text_shows_every_section_with_counts() -> None:
    out = render(full_story(), "text")
    for heading in (
        "Articles (3)",
        "Actors (3)",
        "Quotes (4)",
        "Amounts (2)",
        "Facts (3)",
        "Positions (2)",
        "Consensus",
    ):
        assert heading in out
    assert "Harbour Council (9, majority): not reached — opposed: Mara Vell" in out
    assert "3 articles (1 copy) · 3 outlets · 3 actors · 4 quotes · 2 amounts" in out
    assert "12,500,000" in out and "anonymous" in out and "told reporters" in out
    assert "corroborated (1)" in out and "Should the bridge charge tolls?" in out
    assert "\x1b" not in out  # plain text for files: no colour codes


def test_text_lists_a_copy_right_under_its_origin() -> None:
    lines = render(full_story(), "text").splitlines()
    origin = next(i for i, line in enumerate(lines) if "Daily Ledger" in line and "Bridge reopens" in line)
    assert "↳ 3" in lines[origin + 1] and "copy of a1" in lines[origin + 1]


def test_text_marks_unanalysed_sections() -> None:
    out = render(bare_story(), "text")
    assert out.count("not analysed yet") == 3  # facts, positions, consensus
    assert "Story s2" in out and "no quotes found" in out


@pytest.mark.parametrize("width", [60, 100, 140])
def test_terminal_output_fits_the_terminal_width(width: int) -> None:
    plain = re.sub(r"\x1b\[[0-9;]*m", "", terminal(full_story(), width))
    assert max(len(line) for line in plain.splitlines()) <= width
    assert "Mara Vell" in plain


def test_terminal_treats_rich_markup_and_escape_sequences_as_text() -> None:
    story = Story(
        story="s3",
        title="[red]Alarm[/red] \x1b]0;owned\x07 [link=file:///etc]x[/link]",
        quotes=[_quote("q1", "beep\x1b[2J", "[bold]Someone[/bold]")],
    )
    out = terminal(story, 100)
    assert "[red]Alarm[/red]" in out and "[bold]Someone[/bold]" in out and "[link=file:///etc]x[/link]" in out
    assert "\x1b]" not in out and "\x1b[2J" not in out and "\x07" not in out


def test_dossier_in_the_terminal_has_an_overview_and_every_story() -> None:
    out = render(Dossier(stories=[full_story(), bare_story()]), "text")
    assert "2 stories · 4 articles · 3 outlets" in out
    assert "Harbour bridge reopens after repairs" in out and "Story s2" in out


# --- Markdown ----------------------------------------------------------------------------------


def test_md_escape_keeps_text_on_one_line_and_inert() -> None:
    assert md("a|b\nc") == r"a\|b c"
    assert md("<b>x</b> [l](javascript:x) *e* `c`") == r"&lt;b&gt;x&lt;/b&gt; \[l\](javascript:x) \*e\* \`c\`"
    assert md("AT&T &amp; co") == "AT&T &amp;amp; co"


def _table_rows(markdown: str) -> list[list[str]]:
    """Cells of every table row, split on unescaped pipes."""
    rows = [line for line in markdown.splitlines() if line.startswith("| ")]
    return [re.split(r"(?<!\\)\|", line.strip())[1:-1] for line in rows]


def test_md_tables_survive_pipes_and_newlines_in_article_text() -> None:
    story = full_story()
    story.articles[1].title = "Left | right\nsecond line"
    story.amounts[0].text = "12 | 5"
    out = render(story, "md")
    widths = {len(cells) for cells in _table_rows(out)}
    assert widths == {3, 4, 5}  # positions, actors/amounts, articles: no row split or widened
    assert r"Left \| right second line" in out


def test_md_layout() -> None:
    out = render(full_story(), "md")
    assert out.startswith("# Harbour bridge reopens after repairs\n")
    assert "### Mara Vell · 2 quotes" in out
    assert "### an engineer on the project · anonymous · 1 quote" in out
    assert "### *Unattributed* · 1 quote" in out
    assert "- “Traffic will be light this week.” — direct, cue “told reporters”; Coast Times · a2" in out
    assert "| ↳ 3 | Valley Post | Bridge reopens *(copy of #1)* | 2025-03-01 | a3 |" in out
    assert "| an engineer on the project *(anonymous)* | person |  | 1 |" in out
    statuses = [out.index(f"### {s}") for s in ("Corroborated (1)", "Single-source (1)", "Disputed (1)")]
    assert statuses == sorted(statuses)
    assert "- The bridge reopened on Saturday. — 2 independent sources: Daily Ledger, Coast Times" in out
    assert "Harbour Council (9, majority): not reached — opposed: Mara Vell" in out
    assert "| Mara Vell | oppose | “No tolls.” (Coast Times · a2) |" in out


def test_md_marks_unanalysed_sections_and_nests_dossier_stories() -> None:
    out = render(Dossier(stories=[bare_story()]), "md")
    assert out.startswith("# storydesk dossier\n")
    assert "## Story s2" in out and "### Facts (0)" in out
    assert out.count("*Not analysed yet.*") == 3


def test_md_renders_hostile_article_text_inert() -> None:
    out = render(hostile_story(), "md")
    assert "<script" not in out and "<img" not in out and "<" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "&lt;img src=x onerror=alert(1)&gt;" in out
    assert r"{{ 7\*7 }}" in out


# --- HTML --------------------------------------------------------------------------------------


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attrs: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attrs.update(name for name, _ in attrs)


OUR_TAGS = {
    "html", "head", "meta", "title", "style", "body", "main", "article", "nav", "ol", "li", "h1", "h2", "h3", "p",
    "span", "table", "thead", "tbody", "tr", "th", "td", "em", "strong", "section", "ul", "blockquote", "div", "a",
    "footer",
}  # fmt: skip


def _parsed(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    return parser


def test_html_is_standalone() -> None:
    out = render(Dossier(stories=[full_story(), bare_story()]), "html")
    assert out.startswith("<!DOCTYPE html>") and "<style>" in out
    assert "<script" not in out and "http://" not in out and "https://" not in out and "url(" not in out
    parsed = _parsed(out)
    assert parsed.tags <= OUR_TAGS and "src" not in parsed.attrs
    assert "default-src &#39;none&#39;" in out or "default-src 'none'" in out


def test_html_layout() -> None:
    out = render(full_story(), "html")
    assert "<title>Harbour bridge reopens after repairs</title>" in out
    assert '<tr id="s1-a3" class="copy">' in out and 'copy of <a href="#s1-a1">#1</a>' in out
    assert out.index('id="s1-a1"') < out.index('id="s1-a3"') < out.index('id="s1-a2"')
    assert "Mara Vell" in out and '<span class="badge anonymous">anonymous</span>' in out
    assert "“We are open again.”" in out and "cue “told reporters”" in out
    assert '<td class="num">12,500,000</td>' in out
    assert '<span class="badge disputed">disputed</span>' in out
    assert '<p class="consensus not-reached">Harbour Council (9, majority): not reached — opposed: Mara Vell</p>' in out
    assert '<span class="badge oppose">oppose</span>' in out


def test_html_dossier_has_a_table_of_contents_and_unanalysed_marks() -> None:
    out = render(Dossier(stories=[full_story(), bare_story()]), "html")
    assert '<a href="#s1">Harbour bridge reopens after repairs</a>' in out and '<a href="#s2">Story s2</a>' in out
    assert out.count("Not analysed yet.") == 3


def test_html_renders_hostile_article_text_inert() -> None:
    out = render(hostile_story(), "html")
    lowered = out.lower()
    assert "<script" not in lowered and "<img" not in lowered
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in out
    assert "{{ 7*7 }}" in out and "49" not in out
    parsed = _parsed(out)
    assert parsed.tags <= OUR_TAGS
    assert not any(name.startswith("on") for name in parsed.attrs)


def _story_with(*quotes: DossierQuote) -> Story:
    return Story(story="s9", articles=[DossierArticle(id="a1", outlet="Daily Ledger")], quotes=list(quotes))


@pytest.mark.parametrize("fmt", ["text", "md", "html"])
def test_a_paraphrase_is_never_in_quotation_marks_and_a_quotes_own_are_not_doubled(fmt: Format) -> None:
    paraphrase = _quote("a1", "the tolls would be dropped", "Mara Vell").model_copy(update={"kind": "indirect"})
    mixed = _quote("a1", "the plan was “a mistake”", "Mara Vell").model_copy(update={"kind": "mixed"})
    marked = _quote("a1", "“We are open again.”", "Mara Vell")
    bare = _quote("a1", "Traffic will be light.", "Mara Vell")
    out = render(_story_with(paraphrase, mixed, marked, bare), fmt)
    assert "the tolls would be dropped" in out and "“the tolls would be dropped" not in out
    assert "“the plan was" not in out and "“a mistake”" in out
    assert "““" not in out and "””" not in out
    assert "“Traffic will be light.”" in out


def test_quote_text_marks_direct_quotes_only() -> None:
    direct = _quote("a1", "We are open.", None)
    assert quote_text(direct) == "“We are open.”"
    assert quote_text(direct.model_copy(update={"text": '"We are open."'})) == '"We are open."'
    assert quote_text(direct.model_copy(update={"kind": "indirect", "text": "it was open"})) == "it was open"


@pytest.mark.parametrize("fmt", ["text", "md", "html"])
def test_an_article_in_another_language_is_listed_with_it(fmt: Format) -> None:
    story = Story(
        story="s-lang",
        title="Bridge reopens",
        articles=[
            DossierArticle(id="a1", outlet="Daily Ledger", title="Bridge reopens", language="en"),
            DossierArticle(id="a2", outlet="Le Courrier", title="Le pont rouvre", language="fr"),
        ],
    )
    out = render(Dossier(stories=[story]), fmt)
    assert "[fr]" in out and "[en]" not in out


def test_a_fact_outlets_only_quote_rests_on_its_speaker_in_every_format() -> None:
    story = full_story()
    story.facts[0] = story.facts[0].model_copy(update={"according_to": "Mara Vell"})
    line = "according to Mara Vell, reported by Daily Ledger and Coast Times"
    assert f"- The bridge reopened on Saturday. — {line}" in render(story, "md")
    assert line in render(story, "html")
    assert line in terminal(story, 200)
    assert "2 independent sources: Daily Ledger, Coast Times" not in render(story, "md")
