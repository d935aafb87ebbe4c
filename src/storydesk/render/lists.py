"""Lists as data: the stories list and search results as JSON, JSON Lines, CSV or tab-separated
lines, full rows and nothing cut, for scripts and pipes (``storydesk stories | head``); and as a
table for a terminal."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from storydesk.models import StorySummary
    from storydesk.store import SearchHit
from storydesk.render.view import one_line

LIST_FORMATS = ("table", "tsv", "csv", "jsonl", "json")
STORY_FIELDS = ("id", "title", "outlets", "articles", "origins", "first", "last", "updated")
SEARCH_FIELDS = ("article", "story", "title", "outlet", "published", "rank", "snippet", "matched")
SEARCH_TABLE = ("rank", "story", "title", "outlet", "published", "snippet")  # for a terminal


def story_row(s: StorySummary) -> dict[str, Any]:
    return {
        "id": s.id,
        "title": s.title,
        "outlets": s.outlets,
        "articles": s.articles,
        "origins": s.origins,
        "first": s.first,
        "last": s.last,
        "updated": s.updated.isoformat(),
    }


def search_row(hit: SearchHit, rank: int) -> dict[str, Any]:
    """A search result's row; ``rank`` its place in the results, 1 the best match."""
    return {
        "article": hit.article_key,
        "story": hit.story_id,
        "title": hit.title,
        "outlet": hit.outlet,
        "published": hit.published,
        "rank": rank,
        "snippet": hit.snippet,
        "matched": [piece for piece, found in hit.parts() if found],  # the snippet's found words
    }


def print_table(rows: Sequence[dict[str, Any]], fields: Sequence[str], console: Console, title: str) -> None:
    """``rows`` as a table for a terminal: long cells wrap, nothing is cut; a cell that is
    already rich text (a :func:`marked_snippet`) keeps its styles."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text(title), title_justify="left", show_lines=False)
    for f in fields:
        table.add_column(f, overflow="fold")
    for row in rows:
        table.add_row(*(row[f] if isinstance(row[f], Text) else Text(_cell(row[f])) for f in fields))
    console.print(table)


def marked_snippet(hit: SearchHit) -> Text:
    """A hit's snippet for a terminal: the words the search found in bold."""
    from rich.text import Text

    text = Text()
    for piece, found in hit.parts():
        text.append(piece, style="bold" if found else "")
    return text


def write_rows(rows: Sequence[dict[str, Any]], fields: Sequence[str], fmt: str, out: TextIO) -> None:
    """``rows`` in ``fmt`` (any of :data:`LIST_FORMATS` but ``table``): a list field is one
    cell joined with "; " in CSV and TSV; TSV cells are made one line, tabs and all."""
    if fmt == "json":
        json.dump(list(rows), out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif fmt == "jsonl":
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(fields)
        writer.writerows([_cell(row[f]) for f in fields] for row in rows)
    elif fmt == "tsv":
        out.write("\t".join(fields) + "\n")
        for row in rows:
            out.write("\t".join(one_line(_cell(row[f])).replace("\t", " ") for f in fields) + "\n")
    else:
        raise ValueError(f"unknown list format {fmt!r}")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)
