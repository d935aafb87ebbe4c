"""Merges the actors of several articles into one set of story actors.

Within an article the actors stage already resolved surnames, titles and pronouns; across
articles the same person may be spelled differently (transliteration: Syrskyi / Syrsky,
renamed places: Kyiv / Kiev) or named in full in one outlet and by surname in another.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from storydesk import resources
from storydesk.models import ActorKind, ActorRef
from storydesk.text import plain_words

FUZZY_MIN = 90  # rapidfuzz ratio on transliteration keys; catches one-letter spelling variants

# Transliteration endings that vary between outlets' style guides (-skiy / -sky / -ski, ...).
_ENDINGS = [(re.compile(r"(iy|yi|ii|yy|y)\b"), "i"), (re.compile(r"(kh)"), "h"), (re.compile(r"(.)\1"), r"\1")]


def _plain(s: str) -> str:
    return " ".join(w for w in plain_words(s) if w != "the")


@functools.cache
def _variants() -> dict[str, str]:
    """Each known variant word or phrase -> its group's first form (plain)."""
    out = {}
    for group in resources.groups("name_variants.txt"):
        for v in group:
            out[_plain(v)] = _plain(group[0])
    return out


def key(name: str) -> str:
    """A spelling-insensitive key: plain ASCII, known variants unified, endings normalised."""
    plain = _plain(name)
    variants = _variants()
    if plain in variants:
        return variants[plain]
    words = [variants.get(w, w) for w in plain.split()]
    out = " ".join(words)
    for pattern, repl in _ENDINGS:
        out = pattern.sub(repl, out)
    return out


@dataclass
class StoryActor:
    kind: ActorKind
    names: Counter[str] = field(default_factory=Counter)
    keys: set[str] = field(default_factory=set)
    articles: list[str] = field(default_factory=list)
    anonymous: bool = False

    @property
    def name(self) -> str:
        # The fullest name, most used first: "Oleksandr Syrskyi" over "Syrskyi".
        return max(self.names, key=lambda n: (len(n.split()), self.names[n], -len(n)))

    def add(self, ref: ActorRef, article: str) -> None:
        for n in (ref.name, *ref.aliases):
            self.names[n] += 1 if n == ref.name else 0
            self.keys.add(key(n))
        if article not in self.articles:
            self.articles.append(article)


def _same_person(a: str, b: str) -> bool:
    """Full-name keys ``a`` and ``b`` name one person (surname equal, first names compatible)."""
    wa, wb = a.split(), b.split()
    if wa[-1] != wb[-1] and fuzz.ratio(a, b) < FUZZY_MIN:
        return False
    if len(wa) == 1 or len(wb) == 1:
        return wa[-1] == wb[-1]
    return wa[0][0] == wb[0][0] and fuzz.ratio(a, b) >= FUZZY_MIN - 15


def _matches(actor: StoryActor, ref: ActorRef, ref_keys: frozenset[str]) -> bool:
    """Whether ``ref`` (its names' keys ``ref_keys``) is ``actor``."""
    if actor.kind != ref.kind or actor.anonymous != ref.anonymous:
        return False
    if ref.anonymous:  # two outlets' "a senior official" need not be one person
        return False
    if actor.keys & ref_keys:
        return True
    if ref.kind != "person":
        return any(fuzz.ratio(a, b) >= FUZZY_MIN for a in actor.keys for b in ref_keys if min(len(a), len(b)) > 4)
    return any(_same_person(a, b) for a in actor.keys for b in ref_keys)


def _fold_mislabelled_surnames(story: list[StoryActor]) -> list[StoryActor]:
    """The NER often labels a lone surname as an organisation ("Trump administration" in one
    outlet, "Donald Trump" in another). A one-word organisation whose key is the surname of
    exactly one named person of the story is that person."""
    surnames: dict[str, list[StoryActor]] = {}
    for actor in story:
        if actor.kind == "person" and not actor.anonymous:
            for k in actor.keys:
                surnames.setdefault(k.split()[-1], []).append(actor)
    kept = []
    for actor in story:
        words = actor.name.split()
        owners = {id(p): p for p in surnames.get(key(actor.name), [])} if len(words) == 1 else {}
        if actor.kind == "organization" and len(owners) == 1:
            person = next(iter(owners.values()))
            person.names.update({n: 0 for n in actor.names if n not in person.names})
            person.keys |= actor.keys
            person.articles += [a for a in actor.articles if a not in person.articles]
            continue
        kept.append(actor)
    return kept


def merge_actors(per_article: Iterable[tuple[str, list[ActorRef]]]) -> tuple[list[StoryActor], dict[str, str]]:
    """Merges each article's actors; returns the story actors and a map from every article-level
    name to the story actor's display name (for renaming quote speakers and entities)."""
    story: list[StoryActor] = []
    by_kind: dict[tuple[str, bool], list[StoryActor]] = {}  # only these can match a ref
    for article, refs in per_article:
        for ref in refs:
            ref_keys = frozenset(key(n) for n in (ref.name, *ref.aliases))
            pool = by_kind.setdefault((ref.kind, ref.anonymous), [])
            hits = [a for a in pool if _matches(a, ref, ref_keys)]
            actor = hits[0] if len(hits) == 1 else None
            if actor is None:
                actor = StoryActor(kind=ref.kind, anonymous=ref.anonymous)
                story.append(actor)
                pool.append(actor)
            actor.add(ref, article)
    story = _fold_mislabelled_surnames(story)
    rename = {}
    for actor in story:
        for n in actor.names:
            rename[n] = actor.name
    return story, rename
