"""The dossier as GitHub-flavoured Markdown.

Article-derived text is untrusted: every such string goes through :func:`md`, which keeps it on
one line (so it cannot end a table row or start a block), turns ``<``/``>`` into entities (so no
raw HTML reaches a Markdown viewer) and backslash-escapes the characters that make links,
emphasis, code or table cells.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from storydesk.models import Dossier, Story
from storydesk.render.view import (
    NOT_ANALYSED,
    ArticleEntry,
    QuoteGroup,
    StoryView,
    consensus_line,
    format_value,
    one_line,
    outlet_count,
    plural,
    quote_text,
    story_view,
)

_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")  # an ``&`` that would start an HTML entity


def md(text: str | None) -> str:
    """``text`` as inert one-line Markdown that reads as itself."""
    s = _ENTITY.sub("&amp;", one_line(text or ""))
    s = s.replace("<", "&lt;").replace(">", "&gt;")
    return _SPECIAL.sub(r"\\\1", s)


def _row(cells: Iterable[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    return [_row(header), _row("---" for _ in header), *(_row(r) for r in rows), ""]


def _heading(level: int, text: str) -> list[str]:
    return ["#" * min(level, 6) + " " + text, ""]


def _article_rows(entry: ArticleEntry, copy_of: ArticleEntry | None) -> list[list[str]]:
    a = entry.article
    number = str(entry.number) if copy_of is None else f"↳ {entry.number}"
    title = md(a.title) or "*(untitled)*"
    if copy_of is not None:
        title += f" *(copy of #{copy_of.number})*"
    elif entry.origin_elsewhere is not None:
        title += f" *(copy of {md(entry.origin_elsewhere)})*"
    if a.language and a.language != "en":  # left out of the English-only stages
        title += f" *[{md(a.language)}]*"
    rows = [[number, md(a.outlet) or "?", title, md(a.published), md(a.id)]]
    for copy in entry.copies:
        rows += _article_rows(copy, entry)
    return rows


def _articles(view: StoryView) -> list[str]:
    if not view.articles:
        return ["*No articles.*", ""]
    rows = [row for entry in view.articles for row in _article_rows(entry, None)]
    return _table(["#", "Outlet", "Title", "Date", "Id"], rows)


def _actors(view: StoryView) -> list[str]:
    if not view.actors:
        return ["*No actors found.*", ""]
    rows = [
        [md(a.name) + (" *(anonymous)*" if a.anonymous else ""), a.kind, md(", ".join(a.aliases)), str(len(a.articles))]
        for a in view.actors
    ]
    return _table(["Actor", "Kind", "Aliases", "Articles"], rows)


def _quote_group(view: StoryView, group: QuoteGroup, level: int) -> list[str]:
    name = md(group.speaker) if group.attributed else f"*{group.speaker}*"
    marks = [name, *(["anonymous"] if group.anonymous else []), plural(len(group.quotes), "quote")]
    lines = _heading(level, " · ".join(marks))
    for q in group.quotes:
        cue = f", cue “{md(q.cue.text)}”" if q.cue else ""
        lines.append(f"- {md(quote_text(q))} — {q.kind}{cue}; {md(view.source(q.article))}")
    return [*lines, ""]


def _quotes(view: StoryView, level: int) -> list[str]:
    if not view.quote_groups:
        return ["*No quotes found.*", ""]
    return [line for g in view.quote_groups for line in _quote_group(view, g, level)]


def _amounts(view: StoryView) -> list[str]:
    if not view.amounts:
        return ["*No amounts found.*", ""]
    rows = [[md(m.text), format_value(m.value), md(m.unit), md(view.source(m.article))] for m in view.amounts]
    return _table(["Amount", "Value", "Unit", "Source"], rows)


def _facts(view: StoryView, level: int) -> list[str]:
    if not view.fact_groups:
        return [f"*{NOT_ANALYSED.capitalize()}.*", ""]
    lines: list[str] = []
    for group in view.fact_groups:
        lines += _heading(level, f"{group.status.capitalize()} ({len(group.facts)})")
        for fact in group.facts:
            lines.append(f"- {md(fact.text)} — {md(view.fact_sources(fact))}")
        lines.append("")
    return lines


def _brief(view: StoryView) -> list[str]:
    lines = []
    for item in view.story.brief:
        outlets = md(", ".join(item.outlets)) or md(item.outlet) or "?"
        lines.append(f"- {md(item.text)} — {item.status}; {outlets} ({view.fact_label(item.fact)})")
    return [*lines, ""]


def _disputes(view: StoryView) -> list[str]:
    lines = []
    for d in view.story.disputes:
        lines.append(f"- **{view.fact_label(d.fact)}** ({d.about}): {md(view.fact_text(d.fact))}")
        for side in d.sides:
            lines.append(f"  - “{md(side.value)}” — {md(', '.join(side.outlets))}")
    return [*lines, ""]


def _sourcing(view: StoryView) -> list[str]:
    rows = [
        [
            md(o.outlet),
            str(o.quotes),
            str(o.named),
            str(o.anonymous),
            md(", ".join(o.anonymous_sources)),
            md(", ".join(o.exclusive_sources)),
        ]
        for o in view.story.sourcing.outlets
    ]
    lines = _table(["Outlet", "Quotes", "Named", "Anonymous", "Unnamed sources", "Only this outlet quotes"], rows)
    if view.story.sourcing.coverage:
        header = ["Fact", *(md(o) for o in view.coverage_outlets)]
        cells = [
            [view.fact_label(r.fact), *(r.outlets.get(o, "omits") for o in view.coverage_outlets)]
            for r in view.story.sourcing.coverage
        ]
        lines += _table(header, cells)
    return lines


def _positions(view: StoryView) -> list[str]:
    if not view.stances:
        return [f"*{NOT_ANALYSED.capitalize()}.*", ""]
    lines = [f"**Question:** {md(view.question)}", ""] if view.question else []
    rows = [
        [md(p.actor), p.stance, "; ".join(f"“{md(e.text)}” ({md(view.source(e.article))})" for e in p.evidence)]
        for p in view.stances
    ]
    return lines + _table(["Actor", "Stance", "Evidence"], rows)


def _consensus(view: StoryView) -> list[str]:
    if view.story.consensus is None:
        return [f"*{NOT_ANALYSED.capitalize()}.*", ""]
    return [consensus_line(view.story.consensus, md), ""]


def story_markdown(story: Story, level: int = 1) -> list[str]:
    """The lines of one story's dossier, its title a heading of ``level``."""
    view = story_view(story)
    sub = level + 1
    lines = _heading(level, md(view.title))
    lines += [f"Story {md(story.story)} · " + " · ".join(view.counts), ""]
    if story.brief:
        lines += _heading(sub, "Brief") + _brief(view)
    lines += _heading(sub, f"Articles ({len(story.articles)})") + _articles(view)
    lines += _heading(sub, f"Actors ({len(story.actors)})") + _actors(view)
    lines += _heading(sub, f"Quotes ({len(story.quotes)})") + _quotes(view, sub + 1)
    lines += _heading(sub, f"Amounts ({len(story.amounts)})") + _amounts(view)
    lines += _heading(sub, f"Facts ({len(story.facts)})") + _facts(view, sub + 1)
    if story.disputes:
        lines += _heading(sub, f"Disputes ({len(story.disputes)})") + _disputes(view)
    if story.sourcing.outlets:
        lines += _heading(sub, "Sourcing") + _sourcing(view)
    lines += _heading(sub, f"Positions ({len(view.stances)})") + _positions(view)
    lines += _heading(sub, "Consensus") + _consensus(view)
    return lines


def render_markdown(story: Story | Dossier) -> str:
    """A story's dossier, or every story of a dossier, as one Markdown document."""
    if isinstance(story, Story):
        return "\n".join(story_markdown(story)).rstrip() + "\n"
    stories = story.stories
    articles = sum(len(s.articles) for s in stories)
    counts = [
        plural(len(stories), "story", "stories"),
        plural(articles, "article"),
        plural(outlet_count(stories), "outlet"),
    ]
    lines = [*_heading(1, "storydesk dossier"), " · ".join(counts), ""]
    for s in stories:
        lines += story_markdown(s, level=2)
    return "\n".join(lines).rstrip() + "\n"
