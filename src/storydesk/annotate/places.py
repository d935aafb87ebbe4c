"""Stage ``storydesk_places``: repairs systematic NER errors on places with a gazetteer.

The small English model often labels a country or capital PERSON, ORG or NORP ("Chad" as a
person, "MADRID" in a dateline as an organisation) or misses it. A token span that exactly
matches a country (pycountry names and the short forms of ``data/places.txt``) or a capital or
major city from that file becomes GPE when it is

- labelled PERSON, ORG or NORP as a whole (places marked ``~`` in the file, which are also
  personal names, are never taken from PERSON),
- or unlabelled and capitalised,
- or is the dateline city (``doc._.dateline``, any case) inside the dateline prefix.

A match inside a larger entity ("Bank of England", "Paris Agreement") is left alone.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Sequence

import pycountry
from spacy.lang.en import English
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans
from spacy.vocab import Vocab

from storydesk import resources

WRONG_LABELS = frozenset({"PERSON", "ORG", "NORP"})
MATCH_KEY = "storydesk_place"


@functools.cache
def gazetteer() -> tuple[frozenset[str], frozenset[str]]:
    """(all place names, those that are also personal names)."""
    places: set[str] = set()
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            name = getattr(country, attr, None)
            if name and "," not in name:  # "Korea, Republic of" is never written so in prose
                places.add(name)
    person_like = set()
    for line in resources.lines("places.txt"):
        name = line.lstrip("~").strip()
        places.add(name)
        if line.startswith("~"):
            person_like.add(name)
    return frozenset(places), frozenset(person_like)


@functools.cache
def _matcher(vocab: Vocab) -> PhraseMatcher:
    """A case-sensitive matcher of the gazetteer, built once per vocabulary."""
    matcher = PhraseMatcher(vocab, attr="ORTH")
    english = English(vocab=vocab)  # the model's English tokenisation rules
    matcher.add(MATCH_KEY, [english.make_doc(name) for name in sorted(gazetteer()[0])])
    return matcher


def _dateline_span(doc: Doc) -> Span | None:
    """The dateline city's tokens inside the dateline prefix, when token-aligned."""
    city = doc._.dateline
    if not city:
        return None
    for start, end in doc._.boilerplate or []:
        at = doc.text.find(city, start, end)
        if at >= 0:
            return doc.char_span(at, at + len(city), label="GPE")
    return None


def _overlapping(ents: Sequence[Span], ends: list[int], match: Span) -> list[Span]:
    """The entities (sorted, disjoint, their ends in ``ends``) that overlap ``match``."""
    found = []
    for e in ents[bisect.bisect_right(ends, match.start) :]:
        if e.start >= match.end:
            break
        found.append(e)
    return found


def _repair(doc: Doc, ents: Sequence[Span], ends: list[int], match: Span, person_like: frozenset[str]) -> Span | None:
    """The GPE span to set for ``match``, or None to leave the entities as they are."""
    inside = _overlapping(ents, ends, match)
    if any(e.start < match.start or e.end > match.end for e in inside):
        return None  # part of a larger entity: "Bank of England" stays ORG
    if not inside and not match.text[0].isupper():
        return None
    if any(e.label_ not in WRONG_LABELS for e in inside):
        return None  # already GPE, or LOC/FAC/...: the model's call stands
    if match.text in person_like and any(e.label_ == "PERSON" for e in inside):
        return None
    return Span(doc, match.start, match.end, label="GPE")


@Language.component("storydesk_places", requires=["doc.ents"], assigns=["doc.ents"])
def repair_places(doc: Doc) -> Doc:
    _, person_like = gazetteer()
    matches = filter_spans(_matcher(doc.vocab)(doc, as_spans=True))
    ents = doc.ents  # read once: each read of doc.ents builds every span anew
    ends = [e.end for e in ents]
    fixed = [span for m in matches if (span := _repair(doc, ents, ends, m, person_like)) is not None]
    dateline = _dateline_span(doc)
    if dateline is not None and not any(dateline.start < f.end and f.start < dateline.end for f in fixed):
        fixed.append(dateline)  # "LISBON (Reuters) -": a place, never an ORG
    if fixed:
        kept = [e for e in doc.ents if not any(e.start < f.end and f.start < e.end for f in fixed)]
        doc.set_ents(filter_spans([*kept, *fixed]))
    return doc
