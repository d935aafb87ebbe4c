"""Dossiers for people: the terminal (rich), plain text, Markdown, standalone HTML, and JSON.

All formats show the same sections (articles with their copies, actors, quotes by speaker,
amounts, facts, positions, consensus); article-derived text is treated as untrusted in each.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from storydesk.errors import InputError

if TYPE_CHECKING:
    from rich.console import Console

    from storydesk.models import Dossier, Story

Format = Literal["text", "md", "html", "json"]
FORMATS: tuple[Format, ...] = ("text", "md", "html", "json")

__all__ = ["FORMATS", "Format", "print_story", "render"]


# Each renderer is imported when used (Jinja2 for HTML, rich for the terminal), so that the
# package's light modules (lists) load without them.


def print_story(story: Story | Dossier, console: Console) -> None:
    """``story`` in the terminal."""
    from storydesk.render.text import print_story as print_in_terminal

    print_in_terminal(story, console)


def render(story: Story | Dossier, fmt: Format) -> str:
    """``story`` (one story or a whole dossier) as a document in format ``fmt``."""
    if fmt == "text":
        from storydesk.render.text import render_text

        return render_text(story)
    if fmt == "md":
        from storydesk.render.markdown import render_markdown

        return render_markdown(story)
    if fmt == "html":
        from storydesk.render.html import render_html

        return render_html(story)
    if fmt == "json":
        from storydesk.render.jsonout import render_json

        return render_json(story)
    raise InputError(f"format {fmt!r}", f"unknown; expected one of {', '.join(FORMATS)}")
