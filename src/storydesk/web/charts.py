"""The web pages' pictures, laid out here and drawn as inline SVG by ``templates/charts.html``:
articles per outlet per day (a story's, a search's), the facts-by-outlet matrix, and where each
actor stands on the story's question.

Nothing here writes markup: a chart is shapes with coordinates and plain-text labels, and the
template (autoescaping on) writes them, so article text in a label is escaped like any other.
Every chart has a title and a description for screen readers, every mark a tooltip, and every
series a text label: none is told apart by colour alone.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from storydesk.models import CoverageCell, Position, Stance, Story
from storydesk.render.view import plural

CHAR_WIDTH = 7.0  # the widest mean width of a 12px sans-serif character, for laying out labels


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str
    anchor: str = "start"  # SVG text-anchor
    cls: str = ""
    tip: str = ""  # the full text where ``text`` is cut
    rotate: float = 0.0  # degrees about (x, y)


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    cls: str
    tip: str


@dataclass(frozen=True)
class Circle:
    x: float
    y: float
    r: float
    cls: str
    tip: str


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    cls: str = "axis"


@dataclass
class Chart:
    """An SVG picture: ``title`` and ``desc`` are what screen readers say of it."""

    id: str
    title: str
    desc: str
    width: float
    height: float
    caption: str = ""
    rects: list[Rect] = field(default_factory=list)
    circles: list[Circle] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)


def px(value: float) -> str:
    """A coordinate as SVG gets it: at most one decimal, none when whole."""
    return f"{value:.1f}".removesuffix(".0")


def cut(text: str, chars: int) -> str:
    """``text`` on one line, at most ``chars`` characters ("…" where cut)."""
    text = " ".join(text.split())
    return text if len(text) <= chars else text[: max(chars - 1, 1)].rstrip() + "…"


def _label(
    x: float, y: float, text: str, chars: int, anchor: str = "start", cls: str = "", rotate: float = 0.0
) -> Text:
    """A label cut to ``chars`` characters, the whole text as its tooltip where cut."""
    shown = cut(text, chars)
    whole = " ".join(text.split())
    return Text(x, y, shown, anchor=anchor, cls=cls, tip=whole if shown != whole else "", rotate=rotate)


# --- articles per outlet per day --------------------------------------------------------------

MAX_ROWS = 14  # outlets drawn as rows; the rest share one row
OTHER_OUTLETS = "other outlets"
UNKNOWN_OUTLET = "unknown outlet"


def day_of(published: str | None) -> date | None:
    """The date an ISO 8601 date or datetime names, None when there is none."""
    if not published:
        return None
    try:
        return date.fromisoformat(published.strip()[:10])
    except ValueError:
        return None


@dataclass(frozen=True)
class Bucket:
    start: date
    label: str  # on the axis
    name: str  # in a tooltip


def _buckets(first: date, last: date) -> tuple[str, list[Bucket]]:
    """Days from ``first`` to ``last``; weeks (from Monday) or months when days would be too many."""
    span = (last - first).days
    if span <= 45:
        days = [first + timedelta(days=n) for n in range(span + 1)]
        return "day", [Bucket(d, f"{d:%b} {d.day}", d.isoformat()) for d in days]
    if span <= 366:
        monday = first - timedelta(days=first.weekday())
        weeks = [monday + timedelta(weeks=n) for n in range((last - monday).days // 7 + 1)]
        return "week", [Bucket(w, f"{w:%b} {w.day}", f"week of {w.isoformat()}") for w in weeks]
    months = []
    at = first.replace(day=1)
    while at <= last:
        months.append(Bucket(at, f"{at:%b %Y}", f"{at:%B %Y}"))
        at = (at + timedelta(days=32)).replace(day=1)
    return "month", months


MIN_DAYS = 7


def _at_least_a_week(first: date, last: date) -> tuple[date, date]:
    """The span drawn: ``first`` to ``last``, widened about them to :data:`MIN_DAYS` days, so
    that coverage on one or two days shows as such rather than filling the picture."""
    short = MIN_DAYS - 1 - (last - first).days
    if short <= 0:
        return first, last
    return first - timedelta(days=short // 2), last + timedelta(days=short - short // 2)


def _bucket_index(buckets: list[Bucket], day: date) -> int:
    index = 0
    for i, b in enumerate(buckets):
        if b.start <= day:
            index = i
    return index


def _rows(outlets: Counter[str]) -> list[str]:
    """Outlet rows, most articles first; past :data:`MAX_ROWS` the rest share a row."""
    ranked = sorted(outlets, key=lambda o: (-outlets[o], o.casefold()))
    return ranked if len(ranked) <= MAX_ROWS else [*ranked[: MAX_ROWS - 1], OTHER_OUTLETS]


def coverage_chart(chart_id: str, subject: str, articles: Iterable[tuple[str | None, str | None]]) -> Chart | None:
    """Articles per outlet per day (per week or month over a long span) as a grid of dots, one
    row per outlet, each dot sized by its count; ``articles`` are (outlet, published) pairs.
    None when no article is dated."""
    dated: list[tuple[str, date]] = []
    undated = 0
    for outlet, published in articles:
        day = day_of(published)
        if day is None:
            undated += 1
        else:
            dated.append((outlet or UNKNOWN_OUTLET, day))
    if not dated:
        return None
    first, last = min(d for _, d in dated), max(d for _, d in dated)
    unit, buckets = _buckets(*_at_least_a_week(first, last))
    rows = _rows(Counter(o for o, _ in dated))
    row_of = {o: i for i, o in enumerate(rows)}
    counts: Counter[tuple[int, int]] = Counter(
        (row_of.get(o, len(rows) - 1), _bucket_index(buckets, d)) for o, d in dated
    )
    label_chars = 26
    left = min(max(len(cut(o, label_chars)) for o in rows) * CHAR_WIDTH + 16, 200)
    col = min(max(560 / len(buckets), 14.0), 64.0)
    row_h, top = 24.0, 10.0
    width = left + col * len(buckets) + 12
    height = top + row_h * len(rows) + 44
    most = max(counts.values())
    chart = Chart(
        id=chart_id,
        title=f"Articles per outlet per {unit}: {subject}",
        desc=(
            f"{plural(len(dated), 'dated article')} from {plural(len(set(o for o, _ in dated)), 'outlet')}, "
            f"{first.isoformat()} to {last.isoformat()}; each row an outlet, each dot the articles of one {unit}."
        ),
        width=round(width),
        height=round(height),
        caption=f"{plural(undated, 'undated article')} not shown." if undated else "",
    )
    for i, outlet in enumerate(rows):
        y = top + row_h * (i + 0.5)
        chart.lines.append(Line(left - 4, y, width - 8, y, "grid"))
        chart.texts.append(_label(left - 8, y + 4, outlet, label_chars, anchor="end", cls="row-label"))
    every = max(1, math.ceil(56 / col))  # an axis label every few columns, so they do not overlap
    axis_y = top + row_h * len(rows) + 4
    chart.lines.append(Line(left - 4, axis_y, width - 8, axis_y))
    for j, bucket in enumerate(buckets):
        x = left + col * (j + 0.5)
        if j % every == 0:
            chart.lines.append(Line(x, axis_y, x, axis_y + 4))
            chart.texts.append(Text(x, axis_y + 18, bucket.label, anchor="middle", cls="tick"))
    for (i, j), n in sorted(counts.items()):
        r = 3.0 + (min(col, row_h) / 2 - 4.0) * math.sqrt(n / most)
        tip = f"{rows[i]}, {buckets[j].name}: {plural(n, 'article')}"
        x, y = left + col * (j + 0.5), top + row_h * (i + 0.5)
        chart.circles.append(Circle(x, y, round(r, 1), "dot", tip))
        if n > 1 and r >= 7:
            chart.texts.append(Text(x, y + 4, str(n), anchor="middle", cls="dot-count"))
    return chart


def story_coverage_chart(story: Story) -> Chart | None:
    return coverage_chart(
        "coverage-chart", story.title or f"story {story.story}", ((a.outlet, a.published) for a in story.articles)
    )


# --- facts by outlet --------------------------------------------------------------------------

MAX_FACTS = 30
CELL_GLYPH: dict[CoverageCell, str] = {"reports": "✓", "omits": "–", "disputes": "✗"}


def fact_matrix_chart(story: Story) -> Chart | None:
    """The facts-by-outlet matrix: a row per fact, a column per outlet, each cell whether the
    outlet reports the fact, omits it or disputes it (a glyph and a colour). None without facts."""
    coverage = story.sourcing.coverage
    if not coverage:
        return None
    outlets = list(dict.fromkeys(o for row in coverage for o in row.outlets))
    if not outlets:
        return None
    shown = coverage[:MAX_FACTS]
    fact_chars, outlet_chars = 44, 18
    left = 38 + fact_chars * CHAR_WIDTH * 0.92
    cell, head = 24.0, min(max(len(cut(o, outlet_chars)) for o in outlets) * CHAR_WIDTH * 0.75 + 16, 120)
    width = left + cell * len(outlets) + 70
    height = head + cell * len(shown) + 36
    tally: Counter[str] = Counter(state for row in coverage for state in row.outlets.values())
    chart = Chart(
        id="fact-matrix",
        title="Which outlet reports which fact",
        desc=(
            f"{plural(len(coverage), 'fact')} by {plural(len(outlets), 'outlet')}: "
            f"{tally['reports']} reported, {tally['omits']} omitted, {tally['disputes']} disputed."
        ),
        width=round(width),
        height=round(height),
        caption=f"The first {MAX_FACTS} of {len(coverage)} facts; the table lists all."
        if len(coverage) > MAX_FACTS
        else "",
    )
    for j, outlet in enumerate(outlets):
        x = left + cell * (j + 0.5)
        chart.texts.append(_label(x + 4, head - 6, outlet, outlet_chars, cls="col-label", rotate=-45.0))
    for i, row in enumerate(shown):
        y = head + cell * i
        fact = story.facts[row.fact].text if 0 <= row.fact < len(story.facts) else ""
        chart.texts.append(Text(4, y + cell / 2 + 4, f"F{row.fact + 1}", cls="fact-id"))
        chart.texts.append(_label(38, y + cell / 2 + 4, fact, fact_chars, cls="row-label"))
        for j, outlet in enumerate(outlets):
            state: CoverageCell = row.outlets.get(outlet, "omits")
            x = left + cell * j
            tip = f"{outlet} {state} F{row.fact + 1}: {cut(fact, 120)}"
            chart.rects.append(Rect(x + 2, y + 2, cell - 4, cell - 4, f"cell cell-{state}", tip))
            chart.texts.append(Text(x + cell / 2, y + cell / 2 + 4, CELL_GLYPH[state], anchor="middle", cls="glyph"))
    legend_y = head + cell * len(shown) + 22
    at = 4.0
    for state, glyph in CELL_GLYPH.items():
        chart.rects.append(Rect(at, legend_y - 12, 16, 16, f"cell cell-{state}", state))
        chart.texts.append(Text(at + 8, legend_y + 1, glyph, anchor="middle", cls="glyph"))
        chart.texts.append(Text(at + 22, legend_y + 1, state, cls="legend"))
        at += 22 + len(state) * CHAR_WIDTH + 18
    return chart


# --- positions --------------------------------------------------------------------------------

# Left to right: against the question, both ways, on it without a side, for it; "unclear"
# (found speaking on it, no side read) stands apart at the right.
AXIS: tuple[Stance, ...] = ("oppose", "mixed", "neutral", "support", "unclear")


def positions_chart(question: str | None, stances: Sequence[Position]) -> Chart | None:
    """Each actor with a stance placed on the support-oppose axis, a circle sized by its pieces
    of evidence, its name beside it. None without stances."""
    if not stances:
        return None
    columns: dict[Stance, list[Position]] = {s: [] for s in AXIS}
    for p in stances:
        columns.setdefault(p.stance, []).append(p)
    used = [s for s in AXIS if columns[s] or s != "unclear"]
    col, row_h, top = 132.0, 34.0, 34.0
    most = max(len(p.evidence) for p in stances) or 1
    depth = max(len(columns[s]) for s in used)
    width, height = col * len(used) + 8, top + row_h * depth + 40
    counts = ", ".join(f"{len(columns[s])} {s}" for s in used if columns[s])
    chart = Chart(
        id="positions-chart",
        title="Where each actor stands" + (f": {question}" if question else ""),
        desc=f"{plural(len(stances), 'actor')} on an axis from oppose to support: {counts}; circles sized by evidence.",
        width=round(width),
        height=round(height),
    )
    axis_y = top + row_h * depth + 10
    chart.lines.append(Line(4, axis_y, width - 4, axis_y))
    for j, stance in enumerate(used):
        x0 = 4 + col * j
        chart.texts.append(Text(x0 + col / 2, 18, stance, anchor="middle", cls=f"axis-label stance-{stance}"))
        chart.lines.append(Line(x0 + col / 2, axis_y - 4, x0 + col / 2, axis_y + 4))
        if stance == "unclear":
            chart.lines.append(Line(x0, 4, x0, axis_y, "divider"))
        ranked = sorted(columns[stance], key=lambda p: (-len(p.evidence), p.actor.casefold()))
        for i, p in enumerate(ranked):
            n = len(p.evidence)
            r = 4.0 + 9.0 * math.sqrt(n / most)
            y = top + row_h * (i + 0.5)
            tip = f"{p.actor}: {p.stance} ({plural(n, 'piece')} of evidence)"
            chart.circles.append(Circle(x0 + 16, y, round(r, 1), f"dot stance-{stance}", tip))
            chart.texts.append(_label(x0 + 32, y + 4, p.actor, 15, cls="row-label"))
    chart.texts.append(Text(6, axis_y + 22, "← oppose", cls="legend"))
    right = 4 + col * (used.index("support") + 1) - 6
    chart.texts.append(Text(right, axis_y + 22, "support →", anchor="end", cls="legend"))
    return chart
