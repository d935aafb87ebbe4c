"""The dossier as the contract's JSON: ``{"stories": [...]}`` for a dossier, the story object
for one story (``storydesk show``)."""

from __future__ import annotations

import json

from storydesk.models import Dossier, Story


def render_json(story: Story | Dossier) -> str:
    return json.dumps(story.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"
