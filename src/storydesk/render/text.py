"""The dossier in the terminal: rich panels and tables that fit the terminal's width.

Every article-derived string goes into a ``rich.text.Text`` (never a markup string), so brackets
in article text stay text, and is cleaned of control characters first.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from storydesk.models import Dossier, DossierArticle, Story, StorySummary
from storydesk.render.view import (
    NOT_ANALYSED,
    ArticleEntry,
    StoryView,
    clean,
    format_value,
    one_line,
    outlet_count,
    plural,
    quote_text,
    story_view,
)

FILE_WIDTH = 100  # columns of the plain-text rendering written to files
STATUS_STYLE = {"corroborated": "green", "single-source": "yellow", "disputed": "red"}
COVERAGE_STYLE = {"reports": "green", "omits": "dim", "disputes": "red"}
STANCE_STYLE = {"support": "green", "oppose": "red", "mixed": "yellow", "neutral": "dim", "unclear": "dim"}


def _t(text: str | None, style: str = "") -> Text:
    return Text(clean(text or ""), style=style)


def _t1(text: str | None, style: str = "") -> Text:
    """One-line text (titles, names): newlines in the data must not break table rows."""
    return Text(one_line(text or ""), style=style)


def _table(*columns: str | tuple[str, int]) -> Table:
    """A full-width table. Plain columns hold short labels and never wrap; ``(name, ratio)``
    columns share the width left, wrapping at words."""
    table = Table(box=box.SIMPLE_HEAD, expand=True, show_edge=False, pad_edge=False, header_style="bold")
    for column in columns:
        if isinstance(column, tuple):
            table.add_column(column[0], overflow="fold", ratio=column[1], min_width=10)
        else:
            table.add_column(column, no_wrap=True)
    return table


def _heading(label: str, count: int | None = None) -> Rule:
    title = Text(label, style="bold cyan")
    if count is not None:
        title.append(f" ({count})", style="cyan")
    return Rule(title, align="left", style="cyan")


def _empty(text: str) -> Text:
    return Text(text, style="dim italic")


def _article_row(table: Table, entry: ArticleEntry, copy_of: DossierArticle | None) -> None:
    a = entry.article
    number = Text(f"{entry.number}") if copy_of is None else Text(f"↳ {entry.number}", style="dim")
    title = _t1(a.title or "(untitled)")
    origin = copy_of.id if copy_of is not None else entry.origin_elsewhere
    if origin is not None:
        title.append("  copy of ", style="dim").append(one_line(origin), style="dim")
    if a.language and a.language != "en":  # left out of the English-only stages
        title.append(f"  [{one_line(a.language)}]", style="dim")
    table.add_row(number, _t1(a.outlet or "?"), title, _t1(a.published or ""), _t1(a.id, "dim"))


def _articles(view: StoryView) -> RenderableType:
    if not view.articles:
        return _empty("no articles")
    table = _table("#", ("Outlet", 2), ("Title", 5), "Date", ("Id", 2))
    for entry in view.articles:
        _article_row(table, entry, None)
        for copy in entry.copies:
            _article_row(table, copy, entry.article)
    return table


def _actors(view: StoryView) -> RenderableType:
    if not view.actors:
        return _empty("no actors found")
    table = _table(("Actor", 3), "Kind", ("Aliases", 3), "Articles")
    for a in view.actors:
        name = _t1(a.name, "bold")
        if a.anonymous:
            name.append(" (anonymous)", style="magenta")
        table.add_row(name, Text(a.kind), _t1(", ".join(a.aliases)), Text(str(len(a.articles))))
    return table


def _quotes(view: StoryView) -> RenderableType:
    if not view.quote_groups:
        return _empty("no quotes found")
    table = _table(("Speaker", 1), ("Quote", 3))
    for group in view.quote_groups:
        speaker = _t1(group.speaker, "bold" if group.attributed else "dim italic")
        if group.anonymous:
            speaker.append("\nanonymous", style="magenta")
        speaker.append(f"\n{plural(len(group.quotes), 'quote')}", style="dim")
        for i, q in enumerate(group.quotes):
            # the quote, then what it is and where it comes from on a dim line below
            meta = [q.kind, *([f"cue “{one_line(q.cue.text)}”"] if q.cue else []), one_line(view.source(q.article))]
            quote = _t(quote_text(q)).append("\n" + " · ".join(meta), style="dim")
            table.add_row(speaker if i == 0 else Text(""), quote)
        table.rows[-1].end_section = True
    return table


def _amounts(view: StoryView) -> RenderableType:
    if not view.amounts:
        return _empty("no amounts found")
    table = _table(("Amount", 2), "Value", "Unit", ("Source", 2))
    table.columns[1].justify = "right"
    for m in view.amounts:
        table.add_row(_t1(m.text), Text(format_value(m.value)), _t1(m.unit), _t1(view.source(m.article), "dim"))
    return table


def _facts(view: StoryView) -> RenderableType:
    if not view.fact_groups:
        return _empty(NOT_ANALYSED)
    table = _table("Status", ("Fact", 3), ("Sources", 2))
    for group in view.fact_groups:
        for i, fact in enumerate(group.facts):
            status = (
                Text(f"{group.status} ({len(group.facts)})", style=STATUS_STYLE[group.status]) if i == 0 else Text("")
            )
            table.add_row(status, _t(fact.text), Text(one_line(view.fact_sources(fact)), style="dim"))
        table.rows[-1].end_section = True
    return table


def _brief(view: StoryView) -> RenderableType:
    table = _table(("Fact", 4), "Status", ("Outlets", 2))
    for item in view.story.brief:
        outlets = ", ".join(item.outlets) or item.outlet or "?"
        table.add_row(
            _t(item.text).append(f"  {view.fact_label(item.fact)}", style="dim"),
            Text(item.status, style=STATUS_STYLE[item.status]),
            _t1(outlets),
        )
    return table


def _disputes(view: StoryView) -> RenderableType:
    table = _table("Fact", ("Disputed", 3), ("Sides", 3))
    for d in view.story.disputes:
        sides = Text()
        for side in d.sides:
            sides.append(f"“{one_line(side.value)}”").append(f"  {one_line(', '.join(side.outlets))}\n", style="dim")
        sides.rstrip()
        table.add_row(Text(f"{view.fact_label(d.fact)} {d.about}", style="red"), _t(view.fact_text(d.fact)), sides)
    return table


def _sourcing(view: StoryView) -> RenderableType:
    table = _table(
        ("Outlet", 2), "Quotes", "Named", "Anonymous", ("Unnamed sources", 3), ("Only this outlet quotes", 3)
    )
    for o in view.story.sourcing.outlets:
        table.add_row(
            _t1(o.outlet, "bold"),
            Text(str(o.quotes)),
            Text(str(o.named)),
            Text(str(o.anonymous), style="magenta" if o.anonymous else ""),
            _t1(", ".join(o.anonymous_sources)),
            _t1(", ".join(o.exclusive_sources)),
        )
    if not view.story.sourcing.coverage:
        return table
    matrix = _table("Fact", *((one_line(o), 1) for o in view.coverage_outlets))
    for row in view.story.sourcing.coverage:
        cells = [row.outlets.get(o, "omits") for o in view.coverage_outlets]
        matrix.add_row(Text(view.fact_label(row.fact)), *(Text(c, style=COVERAGE_STYLE[c]) for c in cells))
    return Group(table, Text(""), matrix)


def _positions(view: StoryView) -> RenderableType:
    if not view.stances:
        return _empty(NOT_ANALYSED)
    table = _table(("Actor", 1), "Stance", ("Evidence", 3))
    for p in view.stances:
        evidence = Text()
        for e in p.evidence:
            evidence.append(f"“{clean(e.text)}”").append(f"  {one_line(view.source(e.article))}\n", style="dim")
        evidence.rstrip()
        table.add_row(_t1(p.actor, "bold"), Text(p.stance, style=STANCE_STYLE[p.stance]), evidence)
    if view.question:
        return Group(_t(f"Question: {view.question}", "italic"), table)
    return table


def _consensus(view: StoryView) -> RenderableType:
    consensus = view.story.consensus
    if consensus is None or view.consensus is None:
        return _empty(NOT_ANALYSED)
    return Text(view.consensus, style="green" if consensus.reached else "red")


def _header(view: StoryView) -> Panel:
    body = Text(" · ".join(view.counts), style="dim")
    return Panel(body, title=_t1(view.title, "bold"), title_align="left", subtitle=_t1(f"story {view.story.story}"))


def story_renderables(story: Story) -> list[RenderableType]:
    """The story's dossier as rich renderables, section by section."""
    view = story_view(story)
    sections: list[tuple[str, int | None, RenderableType]] = [
        *([("Brief", len(story.brief), _brief(view))] if story.brief else []),
        ("Articles", len(story.articles), _articles(view)),
        ("Actors", len(story.actors), _actors(view)),
        ("Quotes", len(story.quotes), _quotes(view)),
        ("Amounts", len(story.amounts), _amounts(view)),
        ("Facts", len(story.facts), _facts(view)),
        *([("Disputes", len(story.disputes), _disputes(view))] if story.disputes else []),
        *([("Sourcing", None, _sourcing(view))] if story.sourcing.outlets else []),
        ("Positions", len(view.stances), _positions(view)),
        ("Consensus", None, _consensus(view)),
    ]
    out: list[RenderableType] = [_header(view)]
    for label, count, body in sections:
        out += [_heading(label, count), body, Text("")]
    return out


def print_story(story: Story | Dossier, console: Console) -> None:
    """Prints a story's dossier, or every story of a dossier, to ``console``."""
    stories = story.stories if isinstance(story, Dossier) else [story]
    if isinstance(story, Dossier):
        articles = sum(len(s.articles) for s in stories)
        summary = f"{plural(len(stories), 'story', 'stories')} · {plural(articles, 'article')}"
        console.print(Rule(Text(f"storydesk dossier — {summary} · {plural(outlet_count(stories), 'outlet')}")))
        if not stories:
            console.print(_empty("no stories"))
    for s in stories:
        for renderable in story_renderables(s):
            console.print(renderable)


def render_text(story: Story | Dossier, width: int = FILE_WIDTH) -> str:
    """The dossier as plain text (no colours, no escape sequences), ``width`` columns wide."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None, force_terminal=False, highlight=False, emoji=False)
    print_story(story, console)
    return buffer.getvalue()


def print_stories(summaries: Sequence[StorySummary], console: Console, total: int | None = None) -> None:
    """The stored stories as one table: id, title, outlets, article count, first and last date;
    ``total``, when more are stored than listed, is said under it."""
    if not summaries:
        console.print(_empty("no stories stored yet: `storydesk ingest PATH...` adds articles"))
        return
    table = _table("story", ("title", 4), ("outlets", 2), "articles", "origins", "first", "last")
    for s in summaries:
        table.add_row(
            _t1(s.id, "bold"),
            _t1(s.title),
            _t1(", ".join(s.outlets)),
            str(s.articles),
            str(s.origins),
            _t1(s.first or ""),
            _t1(s.last or ""),
        )
    console.print(_heading("Stories", len(summaries) if total is None else total))
    console.print(table)
    if total is not None and total > len(summaries):
        console.print(_empty(f"the {len(summaries)} most recently updated of {total}: --limit 0 lists them all"))
