"""Dossiers for people: the terminal (rich), plain text, Markdown, standalone HTML, and JSON.

All formats show the same sections (articles with their copies, actors, quotes by speaker,
amounts, facts, positions, consensus); article-derived text is treated as untrusted in each.
"""

from __future__ import annotations

from typing import Literal

from storydesk.errors import InputError
from storydesk.models import Dossier, Story
from storydesk.render.html import render_html
from storydesk.render.jsonout import render_json
from storydesk.render.markdown import render_markdown
from storydesk.render.text import print_story, render_text

Format = Literal["text", "md", "html", "json"]
FORMATS: tuple[Format, ...] = ("text", "md", "html", "json")

__all__ = ["FORMATS", "Format", "print_story", "render"]


def render(story: Story | Dossier, fmt: Format) -> str:
    """``story`` (one story or a whole dossier) as a document in format ``fmt``."""
    if fmt == "text":
        return render_text(story)
    if fmt == "md":
        return render_markdown(story)
    if fmt == "html":
        return render_html(story)
    if fmt == "json":
        return render_json(story)
    raise InputError(f"format {fmt!r}", f"unknown; expected one of {', '.join(FORMATS)}")
