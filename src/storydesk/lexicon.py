"""Word lists for actors and quotes, read once from ``storydesk/data``.

The lists are general English news vocabulary (reporting verbs, titles, source nouns,
pronouns); nothing in them names a particular story.
"""

from __future__ import annotations

import functools

from storydesk.models import ActorKind
from storydesk.resources import lines, yaml_data
from storydesk.text import fold

DIRECT_ONLY = "[direct]"
OBJECT = "[object]"


def _tagged(tag: str | None) -> list[tuple[str, str]]:
    """(lemma, particle) pairs of the entries with ``tag`` (None: untagged)."""
    out = []
    for entry in lines("reporting_verbs.txt"):
        words = entry.lower().split()
        entry_tag = words.pop() if words[-1].startswith("[") else None
        if entry_tag == tag:
            out.append((words[0], " ".join(words[1:])))
    return out


def _verb_entries(direct: bool) -> list[tuple[str, str]]:
    """(lemma, particle) pairs; ``direct`` includes the entries that only introduce quoted words."""
    return _tagged(None) + (_tagged(DIRECT_ONLY) if direct else [])


@functools.cache
def object_verbs() -> frozenset[str]:
    """Lemmas whose direct object is what they report ("criticized the plan")."""
    return frozenset(lemma for lemma, _ in _tagged(OBJECT))


@functools.cache
def reporting_verbs(direct: bool = False) -> dict[str, frozenset[str]]:
    """Verb lemma -> particles it needs ("call for"); an empty set means the bare verb counts.

    ``direct`` adds the verbs that only introduce quoted words ("he continued").
    """
    verbs: dict[str, set[str]] = {}
    for lemma, particle in _verb_entries(direct):
        verbs.setdefault(lemma, set())
        if particle:
            verbs[lemma].add(particle)
    return {lemma: frozenset(ps) for lemma, ps in verbs.items()}


@functools.cache
def bare_reporting_verbs(direct: bool = False) -> frozenset[str]:
    """Lemmas that count without a particle."""
    return frozenset(lemma for lemma, particle in _verb_entries(direct) if not particle)


@functools.cache
def source_nouns() -> frozenset[str]:
    return frozenset(w.lower() for w in lines("anonymous_sources.txt"))


@functools.cache
def indefinite_holders() -> frozenset[str]:
    """Words of a holder naming no one ("some others", "many")."""
    return frozenset(w.lower() for w in lines("indefinite_holders.txt"))


@functools.cache
def non_speaker_labels() -> frozenset[str]:
    """Labels that open a line with a colon without naming a speaker ("UPDATE:"), lower case."""
    return frozenset(w.lower() for w in lines("transcript_labels.txt"))


@functools.cache
def titles() -> tuple[tuple[str, ...], ...]:
    """Titles as lower-case token tuples, longest first (so "prime minister" beats "minister")."""
    found = {tuple(t.lower().split()) for t in lines("titles.txt")}
    return tuple(sorted(found, key=len, reverse=True))


@functools.cache
def pronoun_kinds() -> dict[str, frozenset[ActorKind]]:
    """Pronoun -> the actor kinds it may stand for."""
    raw = yaml_data("pronouns.yaml")
    kinds: dict[str, set[ActorKind]] = {}
    for kind in ("person", "group", "organization"):
        for word in raw.get(kind, []):
            kinds.setdefault(str(word).lower(), set()).add(kind)
    return {w: frozenset(k) for w, k in kinds.items()}


@functools.cache
def given_names() -> dict[str, str]:
    """Folded given name -> "m" or "f" (``data/coref/first_names.txt``: names borne mostly by one sex)."""
    return {fold(name): g for name, g in (line.split() for line in lines("coref/first_names.txt"))}


@functools.cache
def relative_pronouns() -> frozenset[str]:
    raw = yaml_data("pronouns.yaml")
    return frozenset(str(w).lower() for w in raw.get("relative", []))


@functools.cache
def document_families() -> dict[str, int]:
    """Lower-case document noun -> its family number (``document_nouns.txt``: "the suit" takes up
    an earlier "lawsuit" of the same family)."""
    return {word.lower(): n for n, line in enumerate(lines("document_nouns.txt")) for word in line.split()}


@functools.cache
def generic_org_nouns() -> frozenset[str]:
    """Nouns that may stand for an organisation of any name ("the agency")."""
    return frozenset(w.lower() for w in lines("generic_org_nouns.txt"))


@functools.cache
def outlet_nouns() -> frozenset[str]:
    """Nouns that stand for a news outlet named before ("the paper reported")."""
    return frozenset(w.lower() for w in lines("outlet_nouns.txt"))


@functools.cache
def principal_nouns() -> frozenset[str]:
    """Nouns whose owner speaks through them ("her office said")."""
    return frozenset(w.lower() for w in lines("principal_nouns.txt"))


@functools.cache
def coref_org_nouns() -> frozenset[str]:
    """Head nouns of organisation descriptions ("agency", "group"), as the coreference features
    read them (``data/coref/words.yaml``)."""
    return frozenset(str(w) for w in yaml_data("coref/words.yaml")["org_nouns"])
