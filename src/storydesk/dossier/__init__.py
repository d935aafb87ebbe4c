"""The dossier: one story's articles, actors merged across outlets, quotes by speaker, facts,
positions, brief and sourcing profile.

``build`` assembles it from stored or fresh analyses; ``merge`` merges actors across outlets;
``brief`` and ``sourcing`` summarise the cross-check.
"""

from storydesk.dossier.build import build_story
from storydesk.dossier.merge import merge_actors

__all__ = ["build_story", "merge_actors"]
