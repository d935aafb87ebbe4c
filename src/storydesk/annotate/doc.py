"""The Doc schema: the ``Doc._`` extensions every stage reads and writes (the bottom floor of
the per-article stages; :mod:`storydesk.nlp` builds the pipeline over them).

========================  ============================================  ====================
extension                 value                                         set by
========================  ============================================  ====================
``doc._.outlet``          outlet name or None                           ``storydesk_metadata``
``doc._.dateline``        wire dateline city or None                    ``storydesk_metadata``
``doc._.credits``         list of reporting/writing/editing names       ``storydesk_metadata``
``doc._.boilerplate``     list of (start, end) char ranges that are     ``storydesk_metadata``
                          not article prose (credit lines, datelines)
``doc._.actors``          list of :class:`storydesk.annotate.actor.Actor` ``storydesk_actors``
``doc._.quotes``          list of :class:`storydesk.models.Quote`       ``storydesk_quotes``
``doc._.amounts``         list of :class:`storydesk.models.Amount`      ``storydesk_amounts``
========================  ============================================  ====================
"""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc

EXTENSIONS: dict[str, Any] = {
    "outlet": None,
    "dateline": None,
    "credits": list,
    "boilerplate": list,
    "actors": list,
    "quotes": list,
    "amounts": list,
}


def register_extensions() -> None:
    for name, default in EXTENSIONS.items():
        if Doc.has_extension(name):
            continue
        if callable(default):
            Doc.set_extension(name, getter=None, default=None)
        else:
            Doc.set_extension(name, default=default)


def ensure_defaults(doc: Doc) -> None:
    """Gives list-valued extensions a fresh list (spaCy shares mutable defaults)."""
    for name, default in EXTENSIONS.items():
        if callable(default) and getattr(doc._, name) is None:
            setattr(doc._, name, default())
