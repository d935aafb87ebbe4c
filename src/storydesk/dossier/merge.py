"""Merges the actors of several articles into one set of story actors.

Within an article the actors stage already resolved surnames, titles and pronouns; across
articles the same person may be spelled differently (transliteration: Syrskyi / Syrsky,
renamed places: Kyiv / Kiev) or named in full in one outlet and by surname in another.

What may merge, and why:

* two people only when their full names agree: the surnames (spelling variants allowed) and the
  given names (equal, an initial, a short form or a known nickname: "Joe" / "Joseph R. ... Jr.").
  A shared surname alone never merges two named people ("Joe Biden" / "Hunter Biden");
* a generational suffix must agree ("Donald Trump Jr." is not "Donald Trump"), except that a
  name written without it joins the one suffixed name it fits when no article names both
  ("Joe Biden" / "Joseph R. Biden Jr.");
* a bare surname (an outlet that never gives the full name) only when exactly one person of the
  story bears it; with two or more it stays an actor of its own, not guessed;
* organisations, places and groups only on equal keys (spelling and known variants unified):
  a fuzzy score alone would merge "UK Government" with "US Government". A one-word
  organisation that is the surname of one person ("Trump" for "Trump administration"), or a
  handle holding it ("@realJaneDoe"), is that person.

Names in any script are compared through their ``anyascii`` transliteration
(:func:`storydesk.text.plain_words`).
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from storydesk import resources
from storydesk.annotate.actors import is_last_words_of
from storydesk.annotate.corefmodel import words
from storydesk.lexicon import titles
from storydesk.models import ActorKind, ActorRef
from storydesk.text import plain_words

# rapidfuzz ratios for spelling variants that neither the known variants nor the endings catch
# ("Gadhafi" / "Gaddafi", "Muammar" / "Moammar"); only between words of MIN_FUZZY_LEN letters
# or more, where one letter is a small part of the word.
SURNAME_FUZZY_MIN = 90
GIVEN_FUZZY_MIN = 80
MIN_FUZZY_LEN = 5
MIN_SHORT_FORM = 3  # "Chris" is Christopher's short form; "Jo" need not be John's

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


@functools.cache
def _nicknames() -> dict[str, frozenset[int]]:
    """Each given name or short form (plain) -> the nickname groups it belongs to ("ted" is
    Edward's and Theodore's)."""
    out: dict[str, set[int]] = {}
    for n, group in enumerate(resources.groups("given_name_variants.txt")):
        for name in group:
            out.setdefault(" ".join(_words(name)), set()).add(n)
    return {name: frozenset(ns) for name, ns in out.items()}


@functools.cache
def _suffixes() -> frozenset[str]:
    """Generational suffixes that follow a surname ("Jr.", "III")."""
    return frozenset(_plain(s) for s in resources.lines("name_suffixes.txt"))


def _normal(text: str) -> str:
    for pattern, repl in _ENDINGS:
        text = pattern.sub(repl, text)
    return text


def _words(name: str) -> list[str]:
    """The plain words of ``name`` with known variants unified (not yet normalised)."""
    return list(_cached_words(name))


@functools.lru_cache(maxsize=1 << 16)  # a story names each actor many times over
def _cached_words(name: str) -> tuple[str, ...]:
    plain = _plain(name)
    variants = _variants()
    if plain in variants:
        return tuple(variants[plain].split())
    return tuple(variants.get(w, w) for w in plain.split())


@functools.lru_cache(maxsize=1 << 16)
def key(name: str) -> str:
    """A spelling-insensitive key: ASCII (other scripts transliterated), known variants unified,
    endings normalised. A name of which nothing can be read is kept as written."""
    words = _words(name)
    return _normal(" ".join(words)) if words else name


@dataclass(frozen=True)
class PersonName:
    """A person's name as compared across outlets: first given name and surname, plain (given
    empty for a bare surname). Titles and suffixes are left out, and middle names, except the
    one that follows a first initial: "A. Barry Rand" goes by Barry (``goes_by``)."""

    given: str
    surname: str
    goes_by: str = ""
    suffix: str = ""  # "jr", "iii": a father and his son share the rest

    @property
    def full(self) -> bool:
        return bool(self.given)

    def given_names(self) -> tuple[str, ...]:
        return (self.given, self.goes_by) if self.goes_by else (self.given,)


@functools.cache
def _plain_titles() -> tuple[tuple[str, ...], ...]:
    return tuple(sorted({tuple(_plain(" ".join(t)).split()) for t in titles()} - {()}, key=len, reverse=True))


def _without_titles(words: list[str]) -> list[str]:
    """``words`` without the titles they open with ("Vice President", "Mr."), which an outlet's
    style adds to a name; one word is always left."""
    while len(words) > 1:
        title = next((t for t in _plain_titles() if tuple(words[: len(t)]) == t and len(t) < len(words)), None)
        if title is None:
            break
        words = words[len(title) :]
    return words


@functools.lru_cache(maxsize=1 << 16)
def person_name(name: str) -> PersonName:
    words = _without_titles(_words(name))
    suffix = words.pop() if len(words) > 1 and words[-1] in _suffixes() else ""
    if not words:
        return PersonName("", key(name))
    if len(words) == 1:
        return PersonName("", words[0], suffix=suffix)
    goes_by = words[1] if len(words) > 2 and len(words[0]) == 1 and len(words[1]) > 1 else ""
    return PersonName(words[0], words[-1], goes_by, suffix)


def _similar(a: str, b: str, threshold: int) -> bool:
    return min(len(a), len(b)) >= MIN_FUZZY_LEN and fuzz.ratio(a, b) >= threshold


@functools.lru_cache(maxsize=1 << 16)
def same_surname(a: str, b: str) -> bool:
    na, nb = _normal(a), _normal(b)
    return na == nb or _similar(na, nb, SURNAME_FUZZY_MIN)


@functools.lru_cache(maxsize=1 << 16)
def same_given(a: str, b: str) -> bool:
    """Whether given names ``a`` and ``b`` may be one person's: equal, an initial of the other,
    a short form ("Chris" / "Christopher"), a nickname ("Joe" / "Joseph") or a spelling variant."""
    if _normal(a) == _normal(b):
        return True
    if min(len(a), len(b)) == 1:
        return a[0] == b[0]
    if min(len(a), len(b)) >= MIN_SHORT_FORM and (a.startswith(b) or b.startswith(a)):
        return True
    if _nicknames().get(a, frozenset()) & _nicknames().get(b, frozenset()):
        return True
    return _similar(_normal(a), _normal(b), GIVEN_FUZZY_MIN)


def same_person(a: PersonName, b: PersonName, suffixes: bool = True) -> bool:
    """Whether two full names are one person's: surnames and given names both agree, and with
    ``suffixes`` the generational suffixes too ("Donald Trump Jr." is not "Donald Trump")."""
    if not (a.full and b.full and same_surname(a.surname, b.surname)):
        return False
    if suffixes and a.suffix != b.suffix:
        return False
    return any(same_given(x, y) for x in a.given_names() for y in b.given_names())


@dataclass
class StoryActor:
    kind: ActorKind
    names: Counter[str] = field(default_factory=Counter)
    keys: set[str] = field(default_factory=set)
    people: set[PersonName] = field(default_factory=set)  # a person's full names
    articles: list[str] = field(default_factory=list)
    anonymous: bool = False
    named_in: set[tuple[str, str]] = field(default_factory=set)  # (article, name) pairs

    @property
    def name(self) -> str:
        # The fullest name, most used first: "Oleksandr Syrskyi" over "Syrskyi"; an
        # organisation's words read plain, so that "U.S. X" is as full as "United States X"
        # and the more used wins.
        def words_of(n: str) -> int:
            return len(plain_words(n)) if self.kind == "organization" else len(n.split())

        return max(self.names, key=lambda n: (words_of(n), self.names[n], -len(n)))

    def add(self, ref: ActorRef, article: str) -> None:
        for n in (ref.name, *ref.aliases):
            self.names[n] += 1 if n == ref.name else 0
            self.keys.add(key(n))
            self.named_in.add((article, n))
            if ref.kind == "person" and (p := person_name(n)).full:
                self.people.add(p)
        if article not in self.articles:
            self.articles.append(article)

    def absorb(self, other: StoryActor) -> None:
        self.names.update(other.names)  # uses add up: of two forms as full, the more used is shown
        self.keys |= other.keys
        self.people |= other.people
        self.named_in |= other.named_in
        self.articles += [a for a in other.articles if a not in self.articles]

    def bears(self, surname: str) -> bool:
        """Whether this person is named ``surname`` (plain): the surname of a full name, or a
        one-word name an article resolved to it (for names written surname first)."""
        return any(same_surname(p.surname, surname) for p in self.people) or any(
            _normal(surname) == k for k in self.keys if " " not in k
        )


def _full_names(ref: ActorRef) -> set[PersonName]:
    return {p for n in (ref.name, *ref.aliases) if (p := person_name(n)).full}


def _bare_surname(ref: ActorRef) -> str | None:
    """The surname of a named person who is only ever named by it in its article, else None."""
    if ref.kind != "person" or ref.anonymous or _full_names(ref):
        return None
    return person_name(ref.name).surname


def _named_apart(actor: StoryActor, bare: list[tuple[str, str]]) -> bool:
    """Whether an article of suffixed ``actor`` also has its surname bare (``bare``: article and
    surname of each), which news style never uses for a "Jr." ("Trump Jr." on later mention):
    there the surname is someone else, and the name without the suffix may be too."""
    surnames = {p.surname for p in actor.people}
    return any(a in actor.articles and any(same_surname(s, n) for n in surnames) for a, s in bare)


def _full_in(actor: StoryActor, article: str) -> bool:
    """Whether ``article`` names ``actor`` in full without a suffix (so that the actors stage
    would have joined a bare surname of the article to it, had it been this person)."""
    return any(a == article and (p := person_name(n)).full and not p.suffix for a, n in actor.named_in)


def _without_suffix(name: str) -> str:
    """The key of ``name`` without its titles and generational suffix."""
    words = _without_titles(_words(name))
    return _normal(" ".join(words[:-1] if len(words) > 1 and words[-1] in _suffixes() else words))


def _twins(suffixed: StoryActor, plain: StoryActor) -> bool:
    """Whether one article names both the suffixed person and, with every other word the same,
    the plain one ("Donald Trump Jr." and "Donald Trump"): then they are two people. A shorter
    form ("John Hale" beside "John R. Hale III") is the same person's."""
    suffixed_forms = {(a, _without_suffix(n)) for a, n in suffixed.named_in if person_name(n).suffix}
    return any((a, _without_suffix(n)) in suffixed_forms for a, n in plain.named_in)


def _join_suffixed(story: list[StoryActor], bare: list[tuple[str, str]]) -> list[StoryActor]:
    """A name written without its suffix in one outlet ("Joe Biden") is the suffixed name of
    another ("Joseph R. Biden Jr.") when that is the only one it fits and no article names the
    suffixed one beside its bare surname ("Donald Trump Jr." and "Trump": two people) or the same
    name without the suffix (:func:`_twins`). A shorter full form in the same article is no
    such sign: the actors stage never joins across a suffix ("John R. Hale III" and
    "John Hale" are one)."""
    suffixed = [a for a in story if a.kind == "person" and any(p.suffix for p in a.people)]
    alone = {id(s) for s in suffixed if not _named_apart(s, bare)}
    kept = []
    for actor in story:
        if actor.kind != "person" or not actor.people or any(p.suffix for p in actor.people):
            kept.append(actor)
            continue
        fits = [
            s
            for s in suffixed
            if any(same_person(p, q, suffixes=False) for p in actor.people for q in s.people if q.suffix)
        ]
        if len(fits) == 1 and id(fits[0]) in alone and not _twins(fits[0], actor):
            fits[0].absorb(actor)
            continue
        kept.append(actor)
    return kept


MIN_HANDLE_SURNAME = 4  # letters of a surname sought inside a handle ("@SenHale")


def _handle(actor: StoryActor) -> str | None:
    """The letters of the social-media handle that is all an actor's names ("@realJaneDoe"), else
    None."""
    if actor.anonymous or not all(n.startswith("@") for n in actor.names):
        return None
    return "".join(plain_words(actor.name[1:])) or None


def _fold_handles(story: list[StoryActor]) -> list[StoryActor]:
    """A handle, whatever the NER labelled it, is the one named person of the story whose surname
    it holds ("@realJaneDoe" is Jane Doe's); with none or several it stays as it is."""
    people = [a for a in story if a.kind == "person" and a.people and _handle(a) is None]
    kept = []
    for actor in story:
        handle = _handle(actor)
        owners = [
            p
            for p in people
            if handle and any(len(n.surname) >= MIN_HANDLE_SURNAME and n.surname in handle for n in p.people)
        ]
        if len(owners) == 1:
            owners[0].absorb(actor)
            continue
        kept.append(actor)
    return kept


class _Story:
    """The story actors as they are merged, indexed so that a ref is only compared with the
    actors it can be: people by surname (spelling variants found by rapidfuzz over the index's
    surnames), the others by key."""

    def __init__(self) -> None:
        self.actors: list[StoryActor] = []
        self.by_surname: dict[str, dict[int, StoryActor]] = {}  # normal surname or one-word key
        self.by_key: dict[tuple[str, bool, str], dict[int, StoryActor]] = {}  # (kind, anonymous, key)

    def keep(self, actors: list[StoryActor]) -> None:
        """Only ``actors`` stay (the others were absorbed by them)."""
        self.actors = actors
        self.by_surname, self.by_key = {}, {}
        for actor in actors:
            self.index(actor)

    def index(self, actor: StoryActor) -> None:
        for k in actor.keys:
            self.by_key.setdefault((actor.kind, actor.anonymous, k), {})[id(actor)] = actor
        if actor.kind == "person" and not actor.anonymous:
            words = {_normal(p.surname) for p in actor.people} | {k for k in actor.keys if " " not in k}
            for w in words:
                self.by_surname.setdefault(w, {})[id(actor)] = actor

    def new(self, ref: ActorRef) -> StoryActor:
        actor = StoryActor(kind=ref.kind, anonymous=ref.anonymous)
        self.actors.append(actor)
        return actor

    def join(self, actor: StoryActor, ref: ActorRef, article: str) -> None:
        actor.add(ref, article)
        self.index(actor)

    def named(self, surname: str) -> list[StoryActor]:
        """The named people with ``surname`` (plain) or a spelling variant of it."""
        normal = _normal(surname)
        found = dict(self.by_surname.get(normal, {}))
        if len(normal) >= MIN_FUZZY_LEN:
            near = process.extract(
                normal, list(self.by_surname), scorer=fuzz.ratio, score_cutoff=SURNAME_FUZZY_MIN, limit=None
            )
            for other, _, _ in near:
                if len(other) >= MIN_FUZZY_LEN:
                    found.update(self.by_surname[other])
        return [a for a in found.values() if a.bears(surname)]

    def place(self, article: str, ref: ActorRef) -> None:
        """``ref`` joins the one actor it matches, or a new one (none, or several: not guessed).
        Two outlets' "a senior official" need not be one person: an anonymous one never joins."""
        hits: list[StoryActor] = []
        if ref.anonymous:
            pass
        elif ref.kind == "person":
            ours = _full_names(ref)
            cands = {id(a): a for p in ours for a in self.named(p.surname) if a.people}
            hits = [a for a in cands.values() if any(same_person(x, y) for x in a.people for y in ours)]
        else:
            keys = {key(n) for n in (ref.name, *ref.aliases)}
            hits = list({id(a): a for k in keys for a in self.by_key.get((ref.kind, False, k), {}).values()}.values())
        self.join(hits[0] if len(hits) == 1 else self.new(ref), ref, article)

    def place_surname(self, article: str, ref: ActorRef, surname: str) -> None:
        """A bare surname joins the one person of the story who bears it, leaving out those its
        own article names in full apart from it, and a suffixed one ("Jr.") where the story has
        one without; with none or several, the other outlets' bare uses of it (one actor each
        surname, left ambiguous)."""
        bearers = [b for b in self.named(surname) if b.people and not _full_in(b, article)]
        plain = [b for b in bearers if not any(p.suffix for p in b.people)]
        if len(plain) == 1:  # a "Jr." is called "Trump Jr." on later mention, never "Trump" alone
            bearers = plain
        if len(bearers) == 1:
            self.join(bearers[0], ref, article)
            return
        same = self.by_key.get(("person", False, key(ref.name)), {}).values()
        alone = [a for a in same if not a.people]
        self.join(alone[0] if alone else self.new(ref), ref, article)

    def fold_mislabelled_surnames(self) -> None:
        """The NER often labels a lone surname as an organisation ("Trump administration" in one
        outlet, "Donald Trump" in another). A one-word organisation whose key is the surname of
        exactly one named person of the story is that person."""
        kept = []
        for actor in self.actors:
            owners = self.named(key(actor.name)) if actor.kind == "organization" and " " not in actor.name else []
            if len(owners) == 1:
                owners[0].absorb(actor)
                continue
            kept.append(actor)
        self.keep(kept)


# Words an outlet may drop from an organisation's name ("&" for "and" is dropped by the plain form).
_ORG_FILLER = frozenset({"and", "of", "for"})
MIN_ORG_PREFIX = 2  # words of a name taken as another's short form ("Harbor Rowing Club" of "... International")


@functools.cache
def _org_qualifiers() -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(q.split()) for group in resources.groups("org_qualifiers.txt") for q in group)


@functools.cache
def _qualifier_country() -> dict[tuple[str, ...], int]:
    """Each qualifier's words -> its country's line ("u s" and "united states" alike)."""
    return {tuple(q.split()): n for n, group in enumerate(resources.groups("org_qualifiers.txt")) for q in group}


def _same_country_forms(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether two names are one name qualified by two forms of one country ("U.S. Fish and
    Wildlife Service", "United States Fish and Wildlife Service")."""
    core = _unqualified(a)
    if core is None or core != _unqualified(b):
        return False
    country = _qualifier_country()
    return country.get(a[: len(a) - len(core)]) == country.get(b[: len(b) - len(core)])


def _org_core(name: str) -> tuple[str, ...]:
    return tuple(w for w in _words(name) if w not in _ORG_FILLER)


def _unqualified(core: tuple[str, ...]) -> tuple[str, ...] | None:
    for q in _org_qualifiers():
        if core[: len(q)] == q and len(core) > len(q):
            return core[len(q) :]
    return None


def _short_form_of(short: tuple[str, ...], full: tuple[str, ...]) -> bool:
    """True when ``short`` is ``full`` without its country qualifier or with another form of
    it, or its last words
    (:func:`is_last_words_of`: "Journal" of "Wall Street Journal"), or its leading words,
    unless the words left out name a body of its own ("X Foundation", "X Action Fund" are not
    X: an organisation's noun among them)."""
    if _unqualified(full) == short or is_last_words_of(short, full, words().org_nouns):
        return True
    if _same_country_forms(short, full):
        return True
    prefix = MIN_ORG_PREFIX <= len(short) < len(full) and full[: len(short)] == short
    return prefix and not any(w in words().org_nouns for w in full[len(short) :])


def fold_org_short_forms(actors: list[StoryActor]) -> list[StoryActor]:
    """An organisation named by a short form of exactly one other organisation's name in the
    story (its country qualifier or last words left out) is that organisation; with two
    candidates ("UK Government", "US Government" for "Government") it stays apart."""
    orgs = [a for a in actors if a.kind == "organization" and not a.anonymous]
    cores = {id(a): {_org_core(n) for n in a.names} for a in orgs}
    absorbed: set[int] = set()
    for short in orgs:
        fulls = [
            a
            for a in orgs
            if a is not short
            and id(a) not in absorbed
            and any(_short_form_of(s, f) for s in cores[id(short)] for f in cores[id(a)])
        ]
        if len(fulls) == 1:
            fulls[0].absorb(short)
            absorbed.add(id(short))
    return [a for a in actors if id(a) not in absorbed]


def merge_actors(
    per_article: Iterable[tuple[str, list[ActorRef]]],
) -> tuple[list[StoryActor], dict[tuple[str, str], str]]:
    """Merges each article's actors; returns the story actors and a map from every
    ``(article, name)`` of an article-level actor to the story actor's display name (for
    renaming quote speakers and entities)."""
    story = _Story()
    bare: list[tuple[str, ActorRef, str]] = []
    for article, refs in per_article:
        for ref in refs:
            surname = _bare_surname(ref)
            if surname is None:
                story.place(article, ref)
            else:  # placed once every full name of the story is known
                bare.append((article, ref, surname))
    story.keep(_join_suffixed(story.actors, [(article, surname) for article, _, surname in bare]))
    for article, ref, surname in bare:
        story.place_surname(article, ref, surname)
    story.fold_mislabelled_surnames()
    actors = fold_org_short_forms(_fold_handles(story.actors))
    return actors, {pair: actor.name for actor in actors for pair in actor.named_in}


def renamed(rename: Mapping[tuple[str, str], str], article: str, name: str) -> str:
    """The story's name for ``name`` as written in ``article`` (itself when not an actor's)."""
    return rename.get((article, name), name)
