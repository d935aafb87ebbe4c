"""Stage ``storydesk_actors``: resolves entity mentions to canonical actors within an article.

One pass over ``doc.ents`` builds the actors: a person's full name is canonical and surname-only,
titled ("President X") and possessive mentions map to it; organisations merge with their
acronyms. A given name alone joins the one person of the article who bears it (two bearers: it
stays apart); a name the NER missed joins the person whose name, surname or given name it is; a
span the NER ran over a clause ("X composed Y") is cut at the verb; a party or nationality word
before a plural role is the group ("Republican senators"). Unnamed sources ("a senior official",
"diplomats") become anonymous actors named by their descriptor, and a later "the official"
refers back to the latest compatible one.
Names inside ``doc._.boilerplate`` (credit lines, datelines) are not actors.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from storydesk.annotate.doc import ensure_defaults
from storydesk.annotate.identification import identify
from storydesk.lexicon import coref_org_nouns, given_names, pronoun_kinds, reporting_verbs, source_nouns, titles
from storydesk.models import ActorKind, ActorRef
from storydesk.text import fold

KIND_BY_LABEL: dict[str, ActorKind] = {
    "PERSON": "person",
    "ORG": "organization",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "NORP": "group",
}
DEFINITE = frozenset({"the", "this", "that", "these", "those"})
POSSESSIVE_SUFFIXES = ("'s", "’s", "'", "’")
ACRONYM_SKIP = frozenset({"of", "and", "the", "for", "on", "in", "&"})
MAX_DESCRIPTOR_TAIL = 8  # tokens of "familiar with the matter"-style modifiers kept in a descriptor
CLAUSE_ARGUMENTS = frozenset({"nsubj", "nsubjpass", "dobj", "attr"})  # a verb with one of these heads a clause
CUT_LABELS = frozenset({"PERSON", "ORG"})  # labels whose spans the NER runs over a verb
LABELLED_KINDS = frozenset({"person", "organization", "place"})  # kinds the NER confuses for a name
# entities of numbers and dates: a word inside one is no missed name ("May" in "May 5")
NUMBER_LABELS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"})
PLURAL_TAGS = frozenset({"NNS", "NNPS"})
MAX_MISSED_NAME_WORDS = 3  # a longer run of capitalised words is a heading or a title, not a person's name
GROUP_MODIFIERS = frozenset({"amod", "compound"})  # "Republican" in "Republican senators"
# a clause's own arguments, where a pronoun is bound by the clause's subject ("X received his ...")
CLAUSE_BOUNDARIES = frozenset({"ccomp", "advcl", "parataxis", "conj", "relcl", "xcomp", "csubj"})


@dataclass
class Actor:
    """One actor of one article: its canonical name and every mention of it."""

    name: str
    kind: ActorKind
    mentions: list[tuple[int, int]] = field(default_factory=list)  # char spans
    aliases: set[str] = field(default_factory=set)
    anonymous: bool = False
    titles: set[str] = field(default_factory=set)  # lower-case role words seen with the name ("minister")
    head: str = ""  # lower-case head noun of an anonymous descriptor ("official")

    def ref(self) -> ActorRef:
        return ActorRef(
            name=self.name, kind=self.kind, aliases=sorted(self.aliases - {self.name}), anonymous=self.anonymous
        )

    def add(self, start: int, end: int, alias: str) -> None:
        self.mentions.append((start, end))
        self.aliases.add(alias)


def actor_at(doc: Doc, start: int, end: int) -> Actor | None:
    """The actor whose mention best overlaps the char span ``[start, end)``, if any.

    Best is the largest overlap, then the tightest mention, so "NATO" inside the descriptor
    "a senior EU diplomat" still resolves to the EU while the whole phrase resolves to the source.
    For many lookups in one doc, :class:`ActorIndex` gives the same answers without a scan each.
    """
    return ActorIndex(doc._.actors).at(start, end)


class ActorIndex:
    """The mentions of a doc's actors sorted by start, for :func:`actor_at`'s lookups in
    logarithmic time rather than a scan of every mention (thousands in a long text)."""

    def __init__(self, actors: Sequence[Actor]) -> None:
        # the order of each mention breaks ties: the first actor, then its first mention, wins
        found = [(s, e, n, actor) for n, (actor, (s, e)) in enumerate((a, m) for a in actors for m in a.mentions)]
        found.sort(key=lambda m: m[0])
        self._mentions = found
        self._starts = [m[0] for m in found]
        self._longest = max((e - s for s, e, _, _ in found), default=0)

    def at(self, start: int, end: int) -> Actor | None:
        lo = bisect.bisect_right(self._starts, start - self._longest)
        hi = bisect.bisect_left(self._starts, end)
        best: Actor | None = None
        best_key = (0, 0, 0)
        for s, e, order, actor in self._mentions[lo:hi]:
            shared = min(e, end) - max(s, start)
            if shared <= 0:
                continue
            key = (shared, -(e - s), -order)
            if key > best_key:
                best, best_key = actor, key
        return best


def in_ranges(ranges: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    """True when ``[start, end)`` overlaps one of the sorted, disjoint ``ranges``."""
    i = bisect.bisect_right(ranges, (start, float("inf"))) - 1
    if i >= 0 and ranges[i][1] > start:
        return True
    return i + 1 < len(ranges) and ranges[i + 1][0] < end


def _words(tokens: Iterable[Token]) -> list[str]:
    return [t.text.rstrip(".").lower() for t in tokens]


def _title_length(words: Sequence[str]) -> int:
    """Length of the longest title at the start of ``words`` (0 if none)."""
    for title in titles():
        if tuple(words[: len(title)]) == title:
            return len(title)
    return 0


def _first_line(tokens: Iterable[Token]) -> list[Token]:
    """The tokens up to the first line break. A name never runs over one: the NER sometimes
    joins a name to the heading under it ("John Rankin" and "Release" on the next line)."""
    line: list[Token] = []
    for t in tokens:
        if t.is_space and "\n" in t.text:
            if line:
                break
            continue
        if not t.is_space:
            line.append(t)
        if "\n" in t.whitespace_:
            break
    return line


def _clean_tokens(ent: Span) -> tuple[list[Token], set[str]]:
    """The name tokens of an entity without leading article, titles or possessive, and the titles."""
    toks = _first_line(ent)
    if toks and toks[0].lower_ == "the":
        toks = toks[1:]
    while toks and (toks[-1].text in POSSESSIVE_SUFFIXES or toks[-1].is_punct):
        toks = toks[:-1]
    found: set[str] = set()
    if ent.label_ != "PERSON":
        return toks, found
    # a title may follow a nationality or org word ("Ukrainian Foreign Minister X"): cut after the last one
    cut = 0
    for i in range(len(toks) - 1):
        n = _title_length(_words(toks[i:]))
        if n and i + n < len(toks):
            cut = i + n
            found.add(toks[cut - 1].text.rstrip(".").lower())
    return toks[cut:], found


def _name(tokens: Sequence[Token]) -> str:
    text = "".join(t.text_with_ws for t in tokens).strip()
    for suffix in POSSESSIVE_SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix) + 1:
            return text[: -len(suffix)]
    return text


def _titles_before(doc: Doc, start: int) -> set[str]:
    """Titles written just before a name ("Foreign Minister" in "Foreign Minister X")."""
    words = _words(doc[max(0, start - 3) : start])
    for i in range(len(words)):
        n = _title_length(words[i:])
        if n and i + n == len(words):
            return {words[-1]}
    return set()


def _acronym(name: str) -> str:
    return "".join(w[0] for w in name.split() if w.lower() not in ACRONYM_SKIP and w[:1].isupper())


def _compatible_first(a: str, b: str) -> bool:
    """Given names that may be the same person's: equal, an initial, or one a prefix ("Joe"/"Joseph")."""
    a, b = a.rstrip("."), b.rstrip(".")
    return a == b or (min(len(a), len(b)) >= 1 and (a.startswith(b) or b.startswith(a)))


@dataclass
class _Mention:
    start: int  # char span
    end: int
    kind: ActorKind
    name: str
    titles: set[str]
    cut: bool = False  # the NER's span ran over a clause: its label is not to be trusted


class _Resolver:
    """Builds the actors of one doc; one instance per doc."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.actors: list[Actor] = []
        self.persons: dict[str, Actor] = {}  # folded full name -> actor
        self.by_surname: dict[str, list[Actor]] = {}
        self.others: dict[tuple[ActorKind, str], Actor] = {}
        self.last_seen: dict[int, int] = {}  # id(actor) -> char offset of its latest mention

    def new(self, name: str, kind: ActorKind, anonymous: bool = False) -> Actor:
        actor = Actor(name, kind, anonymous=anonymous)
        self.actors.append(actor)
        return actor

    def mention(self, actor: Actor, m: _Mention) -> None:
        actor.add(m.start, m.end, m.name)
        actor.titles |= m.titles
        self.last_seen[id(actor)] = m.start

    # persons -------------------------------------------------------------------------------
    def full_person(self, m: _Mention) -> Actor:
        parts = fold(m.name).split()
        key = " ".join(parts)
        if key in self.persons:
            return self.persons[key]
        for cand in self.by_surname.get(parts[-1], []):
            if _compatible_first(fold(cand.name).split()[0], parts[0]):
                self.persons[key] = cand
                return cand
        actor = self.new(m.name, "person")
        self.persons[key] = actor
        self.by_surname.setdefault(parts[-1], []).append(actor)
        return actor

    def surname_person(self, word: str, at: int) -> Actor | None:
        """The person a one-word name refers to: the latest one with that surname, else the first."""
        cands = self.by_surname.get(fold(word), [])
        if not cands:
            return None
        before = [a for a in cands if self.last_seen.get(id(a), at + 1) <= at]
        if before:
            return max(before, key=lambda a: self.last_seen[id(a)])
        return cands[0]

    def given_name_person(self, word: str) -> Actor | None:
        """The one person of the article with ``word`` as given name ("Mario" for "Mario J.
        Lucero"); with two such people the name stays ambiguous (None)."""
        key = fold(word)
        cands = {
            id(a): a
            for name, a in self.persons.items()
            if len(name.split()) > 1 and name.split()[0] == key and not a.anonymous
        }
        return next(iter(cands.values())) if len(cands) == 1 else None

    def one_word_person(self, word: str) -> Actor | None:
        """The person a capitalised word the NER missed names: the one with that surname, else
        the one with that given name, else a one-word person already in the table."""
        cands = self.by_surname.get(fold(word), [])
        if cands:
            return cands[0] if len(cands) == 1 else None
        return self.given_name_person(word) or self.others.get(("person", fold(word)))

    # everything else -----------------------------------------------------------------------
    def other(self, m: _Mention, acronyms: dict[str, str]) -> Actor:
        key = fold(m.name)
        if m.kind == "organization" and m.name.isupper() and m.name in acronyms:
            key = fold(acronyms[m.name])  # "EU" joins "European Union"
            name = acronyms[m.name]
        else:
            name = m.name
        actor = self.others.get((m.kind, key))
        if actor is None and m.kind == "organization":
            actor = self.named_by_last_words(key)
        if actor is None:
            actor = self.others[(m.kind, key)] = self.new(name, m.kind)
        return actor

    def named_by_last_words(self, key: str) -> Actor | None:
        """The one organisation named before whose name ends with the words ``key`` ("Journal"
        after "The Wall Street Journal"), see :func:`is_last_words_of`; None for none or two."""
        short = key.split()
        found = {
            id(a): a
            for (kind, name), a in self.others.items()
            if kind == "organization" and not a.anonymous and is_last_words_of(short, name.split(), coref_org_nouns())
        }
        return next(iter(found.values())) if len(found) == 1 else None


MIN_WORDS_LEFT_OUT = 2  # a name's last words stand for it when they leave out this many ("Journal")


def is_last_words_of(short: Sequence[str], full: Sequence[str], org_nouns: Iterable[str]) -> bool:
    """Whether the name ``short`` is the last words of ``full`` that leave out at least two
    ("Journal" of "Wall Street Journal", "Wildlife Service" of "U.S. Fish and Wildlife
    Service"), one of them more than an organisation's noun ("Service", "Committee" name any
    number of bodies). One word left out may make another body ("House" of "White House")."""
    if not short or len(full) - len(short) < MIN_WORDS_LEFT_OUT or tuple(full[-len(short) :]) != tuple(short):
        return False
    generic = set(org_nouns)
    return any(w not in generic for w in short)


def _before_clause(toks: list[Token]) -> list[Token]:
    """The tokens before the first verb of the span that heads a clause over other tokens of it.

    The NER sometimes runs a name into the sentence around it ("Byron composed Thyrza" as one
    organisation); a name never holds a verb with its own subject or object, so the parse cuts it.
    """
    if not toks:
        return toks
    first, last = toks[0].i, toks[-1].i
    for n, tok in enumerate(toks[1:], start=1):
        if tok.pos_ in ("VERB", "AUX") and any(
            c.dep_ in CLAUSE_ARGUMENTS and first <= c.i <= last for c in tok.children
        ):
            return toks[:n]
    return toks


def _is_role(noun: Token) -> bool:
    """A plural noun naming people by a role ("senators"), not a source noun ("officials"). A
    capitalised plural ("Senators") is tagged a proper noun, whose lemma keeps the plural."""
    singular = {noun.lemma_.lower(), noun.lower_.removesuffix("s")}
    return any((w,) in titles() for w in singular) and not singular & source_nouns()


def _plural_group(ent: Span, toks: list[Token]) -> list[Token]:
    """A nationality or party word extended to the plural role it modifies ("Republican senators"):
    the group is the senators, not the adjective. Only roles (titles) name people: "American
    elections" is no group; source nouns ("officials") are left to the descriptors, which make
    them anonymous sources."""
    if not toks:
        return toks
    head = toks[-1].head
    if (
        toks[-1].dep_ not in GROUP_MODIFIERS
        or head.tag_ not in PLURAL_TAGS
        or not 0 < head.i - toks[-1].i <= 3
        or not _is_role(head)
    ):
        return toks
    between = ent.doc[toks[-1].i + 1 : head.i]
    if any(t.dep_ not in GROUP_MODIFIERS or t.head.i != head.i or "\n" in t.whitespace_ for t in between):
        return toks
    return [*toks, *between, head]


def _name_words_before(doc: Doc, toks: list[Token]) -> list[Token]:
    """Capitalised words just before an organisation's name that the parse makes part of its
    phrase ("The United States Fish and Wildlife Service", which the NER may cut into a
    country and "Wildlife Service"), "and" between two of them."""
    head = toks[-1]
    start = toks[0].i
    while start > 0:
        tok = doc[start - 1]
        inside = head.is_ancestor(tok) and "\n" not in tok.whitespace_
        capitalised = tok.pos_ == "PROPN" and tok.text[:1].isupper()
        joining = tok.lower_ in ("and", "&") and start - 2 >= 0 and doc[start - 2].pos_ == "PROPN"
        if not inside or not (capitalised or joining):
            break
        start -= 1
    if doc[start].lower_ in ("and", "&"):
        start += 1
    return list(doc[start : toks[0].i])


def _entity_mentions(doc: Doc) -> list[_Mention]:
    boiler = sorted(doc._.boilerplate)
    found: list[_Mention] = []
    for ent in doc.ents:
        kind = KIND_BY_LABEL.get(ent.label_)
        if kind is None or in_ranges(boiler, ent.start_char, ent.end_char):
            continue
        toks, ent_titles = _clean_tokens(ent)
        cut = False
        if ent.label_ in CUT_LABELS:
            kept = _before_clause(toks)
            cut, toks = len(kept) < len(toks), kept
        if kind == "group":
            toks = _plural_group(ent, toks)
        if kind == "organization" and toks:
            before = _name_words_before(doc, toks)
            if before:
                toks = before + toks
                found = [m for m in found if m.end <= toks[0].idx]  # the country the NER cut off
        if not toks:
            continue
        name = _name(toks)
        if kind == "person":
            ent_titles |= _titles_before(doc, ent.start)
        found.append(_Mention(toks[0].idx, toks[-1].idx + len(toks[-1]), kind, name, ent_titles, cut))
    return found


def _binds_personal_pronoun(tok: Token) -> bool:
    """The token is the subject of a clause that holds a third-person pronoun only a person can
    be ("X received his education"); an organisation would take "its"."""
    if tok.dep_ not in ("nsubj", "nsubjpass"):
        return False
    person_only = {w for w, kinds in pronoun_kinds().items() if kinds == frozenset({"person"})}
    stack = [c for c in tok.head.children if c.i != tok.i and c.dep_ not in CLAUSE_BOUNDARIES]
    while stack:
        t = stack.pop()
        if t.lower_ in person_only and t.morph.get("Person", []) == ["3"]:
            return True
        stack.extend(c for c in t.children if c.dep_ not in CLAUSE_BOUNDARIES)
    return False


def _untrusted_names(mentions: list[_Mention]) -> set[str]:
    """One-word names whose NER label is not to be trusted: cut out of a run-over span, or given
    different kinds at different mentions ("Carroll" a person once and an organisation twice)."""
    kinds: dict[str, set[ActorKind]] = {}
    untrusted: set[str] = set()
    for m in mentions:
        if len(m.name.split()) != 1 or m.kind not in LABELLED_KINDS:
            continue
        kinds.setdefault(m.name, set()).add(m.kind)
        if m.cut:
            untrusted.add(m.name)
    return untrusted | {name for name, seen in kinds.items() if len(seen) > 1}


def _relabel_untrusted(doc: Doc, mentions: list[_Mention]) -> None:
    """A one-word name with an untrusted label is a person when one of its occurrences is the
    subject of a clause with a personal pronoun bound to it; its other mentions follow."""
    for name in _untrusted_names(mentions):
        if any(t.text == name and _binds_personal_pronoun(t) for t in doc):
            for m in mentions:
                if m.name == name:
                    m.kind = "person"


def _fix_kinds(mentions: list[_Mention]) -> None:
    """Cheap, generic repairs of NER labels.

    A one-word mention that is the surname of a full person name in the article is that person;
    a one-word PERSON mention of a name earlier labelled as an organisation is the organisation.
    """
    surnames = {fold(m.name.split()[-1]) for m in mentions if m.kind == "person" and len(m.name.split()) > 1}
    orgs_seen: set[str] = set()
    for m in mentions:
        one_word = len(m.name.split()) == 1
        if one_word and fold(m.name) in surnames:
            m.kind = "person"
        elif one_word and m.kind == "person" and fold(m.name) in orgs_seen:
            m.kind = "organization"
        if m.kind == "organization":
            orgs_seen.add(fold(m.name))


def _resolve_entities(res: _Resolver, mentions: list[_Mention]) -> None:
    acronyms = {_acronym(m.name): m.name for m in mentions if m.kind == "organization" and len(_acronym(m.name)) > 1}
    # Full names first, so a surname mention before the full name still joins it.
    for m in mentions:
        if m.kind == "person" and len(m.name.split()) > 1:
            res.full_person(m)
    for m in mentions:
        actor: Actor | None = None
        if m.kind == "person":
            words = m.name.split()
            if len(words) > 1:
                actor = res.full_person(m)
            else:
                actor = res.surname_person(words[0], m.start) or res.given_name_person(words[0])
        if actor is None:  # not a person, or a one-word name with no full name in the article
            actor = res.other(m, acronyms)
        res.mention(actor, m)


def is_source_chunk(chunk: Span) -> bool:
    """A noun phrase headed by a source noun ("officials", "a diplomat"), not by a name."""
    root = chunk.root
    return root.pos_ == "NOUN" and root.lemma_.lower() in source_nouns() and root.ent_type_ != "PERSON"


def speaks(root: Token) -> bool:
    """The token is the subject of a reporting verb or the object of "according to"."""
    head = root.head
    if root.dep_ in ("nsubj", "nsubjpass") and head.lemma_.lower() in reporting_verbs():
        return True
    return root.dep_ == "pobj" and head.lower_ == "to" and head.head.lower_ == "according"


def descriptor_span(chunk: Span) -> tuple[int, int]:
    """Token range of a descriptor: the chunk plus short modifiers after it ("familiar with the matter")."""
    end = chunk.end
    for child in chunk.root.rights:
        if child.dep_ not in ("amod", "prep", "acl") or child.i != end:
            break
        tail_end = child.right_edge.i + 1
        if tail_end - chunk.end > MAX_DESCRIPTOR_TAIL or any(t.is_punct for t in chunk.doc[child.i : tail_end]):
            break
        end = tail_end
    return chunk.start, end


def descriptor_name(doc: Doc, start: int, end: int) -> str:
    """The descriptor's text with a leading article or common word lower-cased."""
    text = doc[start:end].text
    first = doc[start]
    acronym = len(first.text) > 1 and first.is_upper
    if first.pos_ != "PROPN" and text[:1].isupper() and not acronym:
        text = text[0].lower() + text[1:]
    return text


def _resolve_descriptors(res: _Resolver, doc: Doc) -> None:
    boiler = sorted(doc._.boilerplate)
    taken = sorted((s, e) for a in res.actors if a.kind == "person" for s, e in a.mentions)
    for chunk in doc.noun_chunks:
        root = chunk.root
        if not is_source_chunk(chunk) or not speaks(root):
            continue
        if in_ranges(boiler, chunk.start_char, chunk.end_char) or in_ranges(taken, root.idx, root.idx + len(root)):
            continue
        start, end = descriptor_span(chunk)
        span = doc[start:end]
        head = root.lemma_.lower()
        dets = [t.lower_ for t in chunk if t.dep_ == "det"]
        actor = _antecedent(res, head, chunk.start_char) if dets and dets[0] in DEFINITE else None
        if actor is None:
            name = descriptor_name(doc, start, end)
            kind: ActorKind = "group" if root.tag_ in ("NNS", "NNPS") else "person"
            actor = res.others.get((kind, fold(name)))
            if actor is None:
                actor = res.others[(kind, fold(name))] = res.new(name, kind, anonymous=True)
                actor.head = head
        actor.add(span.start_char, span.end_char, span.text)
        res.last_seen[id(actor)] = span.start_char


def _antecedent(res: _Resolver, head: str, at: int) -> Actor | None:
    """The latest actor before ``at`` that "the <head>" can refer to: a source with that head noun,
    or a person introduced with that title ("the minister" after "Foreign Minister X")."""
    best: Actor | None = None
    best_at = -1
    for actor in res.actors:
        seen = res.last_seen.get(id(actor), -1)
        if seen >= at or seen <= best_at:
            continue
        if (actor.anonymous and actor.head == head) or (actor.kind == "person" and head in actor.titles):
            best, best_at = actor, seen
    return best


def _name_runs(doc: Doc, covered: Sequence[tuple[int, int]]) -> list[Span]:
    """Runs of capitalised proper nouns on one line that no entity mention covers, outside dates
    and numbers ("May" in a date is no one's given name)."""
    runs: list[Span] = []
    run: list[Token] = []
    for tok in doc:
        free = (
            tok.pos_ == "PROPN"
            and tok.is_title
            and tok.ent_type_ not in NUMBER_LABELS
            and not in_ranges(covered, tok.idx, tok.idx + len(tok))
        )
        if free:
            run.append(tok)
        if run and (not free or "\n" in tok.whitespace_):
            runs.append(doc[run[0].i : run[-1].i + 1])
            run = []
    if run:
        runs.append(doc[run[0].i : run[-1].i + 1])
    return runs


def _missed_names(res: _Resolver, doc: Doc, mentions: list[_Mention]) -> None:
    """Names the NER left out: first the persons it missed (:func:`_missed_persons`), then each
    run that is a person's full name, or one word that is the surname or given name of exactly
    one person ("Okonkwo said"), joins that person."""
    covered = sorted((m.start, m.end) for m in mentions)
    boiler = sorted(doc._.boilerplate)
    runs = [r for r in _name_runs(doc, covered) if not in_ranges(boiler, r.start_char, r.end_char)]
    for run in _missed_persons(runs):
        res.full_person(_Mention(run.start_char, run.end_char, "person", run.text, set()))
    for run in runs:
        actor = res.persons.get(fold(run.text)) if len(run) > 1 else res.one_word_person(run.text)
        if actor is not None:
            res.mention(actor, _Mention(run.start_char, run.end_char, "person", run.text, set()))


def _missed_persons(runs: Sequence[Span]) -> list[Span]:
    """Runs of two or three capitalised words that name a person the NER missed ("Isabel Ruiz"):
    the first word is a known given name, and the given name or the surname also stands alone
    elsewhere ("Isabel said"), which names of things seldom do ("Marshall Plan", "Boston Red
    Sox")."""
    alone = {fold(r.text) for r in runs if len(r) == 1}
    org_nouns = coref_org_nouns()
    return [
        r
        for r in runs
        if 1 < len(r) <= MAX_MISSED_NAME_WORDS
        and fold(r[0].text) in given_names()
        and r[-1].lower_ not in org_nouns
        and (fold(r[0].text) in alone or fold(r[-1].text) in alone)
    ]


@Language.component(
    "storydesk_actors",
    requires=["doc.ents", "doc._.boilerplate"],
    assigns=["doc._.actors"],
)
def resolve_actors(doc: Doc) -> Doc:
    ensure_defaults(doc)
    res = _Resolver(doc)
    mentions = _entity_mentions(doc)
    _relabel_untrusted(doc, mentions)
    _fix_kinds(mentions)
    _resolve_entities(res, mentions)
    _missed_names(res, doc, mentions)
    _resolve_descriptors(res, doc)
    doc._.actors = identify(doc, res.actors)
    return doc
