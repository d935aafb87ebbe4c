"""Per-article annotation: the Doc schema and the stages that read an article's parse.

Each module is a spaCy component registered by :mod:`storydesk.nlp` (in this order):
``metadata`` (outlet, wire dateline, credit lines, boilerplate ranges), ``places`` (place names
the NER mislabels), ``actors`` (one canonical actor per person, organisation, place or group),
``amounts`` (money and counts). ``doc`` holds the ``Doc._`` extensions they set; ``coref`` and
``identification`` help the actors and the quote stage resolve mentions.
"""

from storydesk.annotate.actors import Actor, actor_at, in_ranges
from storydesk.annotate.amounts import find_amounts
from storydesk.annotate.doc import EXTENSIONS, ensure_defaults, register_extensions
from storydesk.annotate.metadata import find_credits, find_dateline, outlet_for, wire_outlets
from storydesk.text import fold

__all__ = [
    "EXTENSIONS",
    "Actor",
    "actor_at",
    "ensure_defaults",
    "find_amounts",
    "find_credits",
    "find_dateline",
    "fold",
    "in_ranges",
    "outlet_for",
    "register_extensions",
    "wire_outlets",
]
