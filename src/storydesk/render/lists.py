"""Lists as data: the stories list (and later others) as JSON, JSON Lines, CSV or tab-separated
lines, full rows and nothing cut, for scripts and pipes (``storydesk stories | head``)."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from storydesk.models import StorySummary
from storydesk.render.view import one_line

LIST_FORMATS = ("table", "tsv", "csv", "jsonl", "json")
STORY_FIELDS = ("id", "title", "outlets", "articles", "origins", "first", "last", "updated")


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
