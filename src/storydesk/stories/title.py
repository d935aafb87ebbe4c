"""A story's title: its first headline, else its lead's first words."""

from __future__ import annotations

from collections.abc import Sequence

from storydesk.models import Article

TITLE_WORDS = 14  # a story without a headline is titled by its lead's first words


def story_title(articles: Sequence[Article]) -> str | None:
    for a in articles:
        if a.title:
            return a.title
    for a in articles:
        words = a.text.split()
        if words:
            lead = " ".join(words[:TITLE_WORDS])
            return lead + (" …" if len(words) > TITLE_WORDS else "")
    return None
