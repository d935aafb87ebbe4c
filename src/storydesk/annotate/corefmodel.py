"""A learned mention-ranking coreference model over spaCy parses, decoded entity by entity.

Mentions are the noun phrases, possessive pronouns and named entities of a parse
(:func:`find_mentions`); a capitalised name the NER missed counts as a person when its first word
is a known first name, and a bare surname takes the person and gender of the full name before
it. For a mention, each earlier mention in a window is a candidate antecedent (a pronoun also sees
the names it agrees with further back); a logistic regression trained on GUM
(``scripts/train_coref.py``) scores each (anaphor, candidate) pair from binary features
(:func:`pair_features`: pronoun agreement, entity type, string and head match, distance,
grammatical role, apposition, being a named actor, speaking, quotation) and from the candidate's
entity so far (:func:`entity_features`: whether it has a name and the name agrees, whether any of
its mentions clashes in gender). Left to right, a mention joins the entity of its best candidate
when the probability passes the model's threshold, else starts one; a pronoun's antecedent is
then its entity's latest name. The weights ship in ``data/coref/model.json``.
"""

from __future__ import annotations

import functools
import itertools
import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc, Span, Token

from storydesk.annotate.actors import Actor
from storydesk.lexicon import coref_org_nouns, given_names, reporting_verbs, source_nouns, titles
from storydesk.resources import path, yaml_data
from storydesk.text import fold

MODEL_FILE = ("coref", "model.json")
ENTITY_SEM = {
    "PERSON": "person",
    "ORG": "org",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "NORP": "group",
}
DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those"})
DEFINITE = frozenset({"the", "this", "that", "these", "those"})
SENTENCE_BUCKETS = (0, 1, 2, 3, 5, 10)
MENTION_BUCKETS = (1, 2, 3, 5, 10, 20)
PRONOUN_WINDOW = 4  # sentences back a pronoun looks for candidates
NAME_WINDOW = 25  # sentences back a pronoun looks for a name it agrees with (a chain of pronouns may start far back)
NOMINAL_WINDOW = 10  # sentences back a noun phrase looks (beyond this, only head or word matches)
MAX_CANDIDATES = 80


@dataclass(frozen=True)
class Words:
    """The word lists the features read (``data/coref/words.yaml``)."""

    pronoun_class: dict[str, str]
    gender: dict[str, str]
    person_nouns: frozenset[str]
    org_nouns: frozenset[str]


@functools.cache
def words() -> Words:
    raw = yaml_data("coref/words.yaml")
    classes = {str(w): cls for cls, forms in raw["pronouns"].items() for w in forms}
    gender = {str(w): "m" for w in raw["male"]} | {str(w): "f" for w in raw["female"]}
    persons = {str(w) for w in raw["person_nouns"]} | source_nouns() | {t[-1] for t in titles()}
    return Words(classes, gender, frozenset(persons), coref_org_nouns())


def first_names() -> dict[str, str]:
    """Folded first name -> "m" or "f" (``data/coref/first_names.txt``)."""
    return given_names()


@dataclass
class Mention:
    """One mention of a doc: its token range, head and what the features need of it."""

    start: int  # token range [start, end)
    end: int
    head: int  # head token index
    kind: str  # "pron", "name", "def" (definite description) or "indef"
    pclass: str  # pronoun class ("he", "it", ...), "" for a noun phrase
    sem: str  # person, org, place, group, thing, other
    gender: str  # "m", "f" or ""
    number: str  # "sg" or "pl"
    norm: str  # folded words without a leading determiner
    head_lemma: str
    words: frozenset[str]  # folded content words
    sent: int  # sentence number
    dep: str  # coarse role: subj, obj, pobj, poss, appos, other
    main_subj: bool  # subject of a main clause
    speaks: bool  # subject of a reporting verb
    actor: bool  # names a (non-anonymous) actor of the article
    appos_of: int  # head token of the phrase it stands in apposition to, -1 if none
    quoted: bool = False  # inside quotation marks ("I", "we" and "you" there are the speaker's)


def _role(tok: Token) -> str:
    dep = tok.dep_
    if dep in ("nsubj", "nsubjpass"):
        return "subj"
    if dep in ("dobj", "attr", "dative"):
        return "obj"
    if dep in ("pobj", "poss", "appos", "conj", "compound"):
        return dep
    return "other"


def _sem(doc: Doc, start: int, head: Token, ent: str) -> str:
    if ent:
        return ENTITY_SEM.get(ent, "other")
    if _first_name(doc, start, head) is not None:
        return "person"  # a name the NER missed ("Kendra", "Mario Lucero")
    lemma = head.lemma_.lower()
    w = words()
    if lemma in w.person_nouns or lemma in w.gender:
        return "person"
    if lemma in w.org_nouns:
        return "org"
    return "thing"


def _gender(doc: Doc, start: int, head: Token) -> str:
    w = words()
    found = w.gender.get(head.lemma_.lower(), "")
    if found:
        return found
    for tok in doc[max(0, start - 1) : head.i]:  # an honorific just before or inside ("Ms. X")
        g = w.gender.get(tok.lower_)
        if g:
            return g
    first = _first_name(doc, start, head)
    return first_names().get(fold(first.text), "") if first is not None else ""


def _first_name(doc: Doc, start: int, head: Token) -> Token | None:
    """The first word of a person's name ("Maria" in "Maria Lopez"), or of a capitalised name
    the NER missed whose first word is a known first name ("Kendra Ruiz", "Kim")."""
    if head.ent_type_ == "PERSON":
        return next((t for t in doc[start : head.i + 1] if t.ent_type_ == "PERSON"), None)
    if head.ent_type_ or head.pos_ != "PROPN":
        return None
    for tok in doc[start : head.i + 1]:
        if tok.pos_ == "PROPN" and tok.text[:1].isupper():
            return tok if fold(tok.text) in first_names() else None
    return None


def _mention(doc: Doc, start: int, end: int, head: Token, sent: int, by_token: Mapping[int, Actor]) -> Mention:
    w = words()
    lower = head.lower_
    pclass = w.pronoun_class.get(lower, "") if head.pos_ == "PRON" or head.tag_ == "PRP$" else ""
    toks = [t for t in doc[start:end] if not t.is_punct and not t.is_space]
    first = toks[0].lower_ if toks else ""
    possessed = bool(toks) and toks[0].tag_ == "PRP$" and toks[0].i != head.i  # "his company"
    if first in DETERMINERS:
        toks = toks[1:]
    ent = head.ent_type_
    if pclass:
        kind, sem, gender = "pron", "pron", {"he": "m", "she": "f"}.get(pclass, "")
    else:
        named = head.pos_ == "PROPN" or ent in ENTITY_SEM
        kind = "name" if named else "def" if first in DEFINITE or possessed else "indef"
        sem, gender = _sem(doc, start, head, ent), _gender(doc, start, head)
    plural = head.tag_ in ("NNS", "NNPS") or pclass in ("they", "we")
    actor = by_token.get(head.i)
    appos = head.head.i if head.dep_ == "appos" else -1
    return Mention(
        start=start,
        end=end,
        head=head.i,
        kind=kind,
        pclass=pclass,
        sem=sem,
        gender=gender,
        number="pl" if plural else "sg",
        norm=" ".join(fold(t.text) for t in toks),
        head_lemma=head.lemma_.lower(),
        words=frozenset(fold(t.text) for t in toks if not t.is_stop),
        sent=sent,
        dep=_role(head),
        main_subj=head.dep_ in ("nsubj", "nsubjpass") and head.head.dep_ == "ROOT",
        speaks=head.dep_ in ("nsubj", "nsubjpass") and head.head.lemma_.lower() in reporting_verbs(),
        actor=actor is not None and not actor.anonymous,
        appos_of=appos,
    )


def _spans(doc: Doc) -> list[tuple[int, int, Token]]:
    """Candidate mention ranges with their heads: noun chunks, possessive pronouns, possessor
    nouns and the entities a chunk does not head ("NASA" in "NASA chief X")."""
    w = words()
    found: list[tuple[int, int, Token]] = []
    for chunk in doc.noun_chunks:
        root = chunk.root
        if root.pos_ == "PRON" and root.lower_ not in w.pronoun_class:
            continue  # "what", "something", "who"
        found.append((chunk.start, chunk.end, root))
    for tok in doc:
        if tok.tag_ == "PRP$" and tok.lower_ in w.pronoun_class:
            found.append((tok.i, tok.i + 1, tok))
        elif tok.dep_ == "poss" and tok.pos_ in ("NOUN", "PROPN"):
            # a possessor inside a chunk ("his daughter" in "his daughter's condition")
            found.append((tok.left_edge.i, tok.i + 1, tok))
    for ent in doc.ents:
        if ent.label_ in ENTITY_SEM:
            span: Span = ent
            found.append((span.start, span.end, span.root))
    return found


def find_mentions(doc: Doc, by_token: Mapping[int, Actor]) -> list[Mention]:
    """The mentions of ``doc`` in text order (one per head token); ``by_token`` maps tokens to
    the actors they name."""
    sent_of = [0] * len(doc)
    for n, sent in enumerate(doc.sents):
        for i in range(sent.start, sent.end):
            sent_of[i] = n
    seen: set[int] = set()
    out: list[Mention] = []
    for start, end, head in _spans(doc):
        if head.i in seen or head.is_space or head.is_punct:
            continue
        seen.add(head.i)
        out.append(_mention(doc, start, end, head, sent_of[head.i], by_token))
    inside = quoted_tokens(doc)
    for m in out:
        m.quoted = m.head in inside
    out.sort(key=lambda m: (m.head, m.start))
    _share_gender(out, by_token)
    share_names(out)
    return out


def quoted_tokens(doc: Doc) -> frozenset[int]:
    """Tokens inside quotation marks: straight quotes toggle, curly ones open and close, and a
    line break ends an unclosed quote (a paragraph that opens one it never closes)."""
    inside: set[int] = set()
    open_ = False
    for tok in doc:
        text = tok.text
        if text in ('"', "``", "''"):
            open_ = not open_
        elif text == "\u201c":
            open_ = True
        elif text == "\u201d" or (tok.is_space and "\n" in text):
            open_ = False
        elif open_:
            inside.add(tok.i)
    return frozenset(inside)


def share_names(mentions: list[Mention]) -> None:
    """A name the NER left untyped or called a thing takes the person and gender of an earlier
    person's name with its last word ("Byron" after "George Gordon Byron")."""
    persons: dict[str, Mention] = {}
    for m in mentions:
        words = m.norm.split()
        if m.kind != "name" or not words:  # a name of punctuation only ("-") folds to blanks
            continue
        last = words[-1]
        if m.sem == "person":
            persons.setdefault(last, m)
        elif m.sem in ("thing", "other") and (earlier := persons.get(last)) is not None:
            m.sem = "person"
            m.gender = m.gender or earlier.gender


def _share_gender(mentions: list[Mention], by_token: Mapping[int, Actor]) -> None:
    """A gender seen once holds for the actor's every mention ("Ms. Berg ... Berg") and for the
    phrase a gendered apposition describes ("Berg, the chairwoman")."""
    by_actor: dict[int, str] = {}
    by_head = {m.head: m for m in mentions}
    for m in mentions:
        if m.kind == "pron" or not m.gender:
            continue
        actor = by_token.get(m.head)
        if actor is not None:
            by_actor.setdefault(id(actor), m.gender)
        described = by_head.get(m.appos_of)
        if described is not None and not described.gender:
            described.gender = m.gender
            if (other := by_token.get(described.head)) is not None:
                by_actor.setdefault(id(other), m.gender)
    for m in mentions:
        actor = by_token.get(m.head)
        if not m.gender and actor is not None:
            m.gender = by_actor.get(id(actor), "")


def bucket(value: int, edges: Sequence[int]) -> str:
    for edge in edges:
        if value <= edge:
            return str(edge)
    return f">{edges[-1]}"


def compatible(a: Mention, c: Mention) -> bool:
    """Whether pronoun ``a`` can stand for ``c`` by person, number and gender (a feature, not a filter)."""
    if c.pclass:
        return c.pclass == a.pclass
    if a.pclass in ("he", "she"):
        return c.sem == "person" and c.number == "sg" and c.gender != ("f" if a.pclass == "he" else "m")
    if a.pclass == "it":
        return c.sem in ("org", "place", "thing", "other") and c.number == "sg"
    if a.pclass == "they":
        return c.number == "pl" or c.sem in ("org", "group")
    if a.pclass == "we":
        return c.sem in ("org", "group", "person")
    return c.sem == "person"


def pair_features(a: Mention, c: Mention, distance: int, rank: int) -> list[str]:
    """Binary features of anaphor ``a`` with candidate ``c``; ``distance`` counts mentions
    between them, ``rank`` the compatible candidates nearer to a pronoun than ``c``."""
    ak, ck = a.kind, c.kind
    sd = bucket(a.sent - c.sent, SENTENCE_BUCKETS)
    f = [
        f"k:{ak}>{ck}",
        f"sd:{ak}:{sd}",
        f"md:{ak}:{bucket(distance, MENTION_BUCKETS)}",
        f"ksd:{ak}>{ck}:{sd}",
        f"csubj:{ak}:{c.main_subj}",
        f"cdep:{ak}:{c.dep}",
        f"actor:{ak}>{ck}:{c.actor}",
        f"speak:{a.pclass or ak}>{ck}:{a.speaks}>{c.speaks}",
        f"quote:{a.pclass or ak}>{c.pclass or ck}:{a.quoted}>{c.quoted}",
    ]
    if a.pclass:
        cs = c.pclass or f"{c.sem}.{c.gender or '-'}.{c.number}"
        ok = compatible(a, c)
        f += [
            f"agree:{a.pclass}>{cs}",
            f"compat:{a.pclass}:{ok}:{min(rank, 3)}",
            f"compat_subj:{ok}:{c.main_subj}:{min(rank, 2)}",
            f"role:{a.dep}>{c.dep}",
            f"psd:{a.pclass}:{ok}:{sd}",
        ]
        if c.pclass:
            f.append(f"same_pron:{a.pclass}:{a.pclass == c.pclass}:{sd}")
    else:
        overlap = "all" if a.words and a.words <= c.words else "some" if a.words & c.words else "none"
        f += [
            f"sem:{a.sem}>{c.sem}",
            f"exact:{ak}>{ck}:{a.norm == c.norm}",
            f"head:{ak}>{ck}:{a.head_lemma == c.head_lemma}",
            f"words:{ak}>{ck}:{overlap}",
            f"num:{ak}:{a.number}>{c.number}",
            f"gender:{a.gender or '-'}>{c.gender or '-'}",
        ]
    if c.start <= a.start < c.end or a.start <= c.start < a.end:
        f.append(f"nested:{ak}")
    if a.appos_of == c.head or c.appos_of == a.head:
        f.append("appos")
    return f


def candidates(mentions: Sequence[Mention], i: int) -> list[int]:
    """Indices of the earlier mentions anaphor ``i`` is scored against, nearest first."""
    a = mentions[i]
    if a.kind == "indef":
        return []  # "a man": a new entity (OntoGUM, like OntoNotes, lets indefinites start chains only)
    window = PRONOUN_WINDOW if a.pclass else NOMINAL_WINDOW
    found: list[int] = []
    far_names: set[str] = set()  # beyond the window a pronoun sees each name's latest mention only
    for j in range(i - 1, -1, -1):
        c = mentions[j]
        near = a.sent - c.sent <= window
        if a.pclass and not near:
            if a.sent - c.sent > NAME_WINDOW:
                break
            near = c.kind == "name" and c.norm not in far_names and compatible(a, c)
            far_names.add(c.norm)
        if near or (not a.pclass and (c.head_lemma == a.head_lemma or a.words & c.words)):
            found.append(j)
            if len(found) >= MAX_CANDIDATES:
                break
    return found


def _clashes(a: Mention, m: Mention) -> bool:
    """Whether ``m`` cannot be what ``a`` is by gender or person (a "he" and a "she", a "he"
    and an "it", "Mr. X" and "she")."""
    if a.pclass in ("he", "she", "it") and m.pclass in ("he", "she", "it"):
        return a.pclass != m.pclass
    if m.pclass or not a.gender or not m.gender:
        return a.pclass == "it" and m.sem == "person" and not m.pclass
    return a.gender != m.gender


def entity_features(a: Mention, members: Sequence[Mention]) -> list[str]:
    """Features of anaphor ``a`` with the entity a candidate belongs to (its mentions so far):
    whether it has a name, whether that name agrees, whether any mention clashes."""
    ak = a.kind
    name = next((m for m in reversed(members) if m.kind == "name"), None)
    clash = any(_clashes(a, m) for m in members)
    f = [f"e_clash:{a.pclass or ak}:{clash}", f"e_size:{ak}:{bucket(len(members), MENTION_BUCKETS)}"]
    if a.pclass:
        agrees = "-" if name is None else str(compatible(a, name))
        f.append(f"e_name:{a.pclass}:{agrees}")
        if name is not None:  # how long ago the entity was last named
            f.append(f"e_named:{a.pclass}:{agrees}:{bucket(a.sent - name.sent, SENTENCE_BUCKETS)}")
    else:
        f += [
            f"e_name:{ak}:{'-' if name is None else name.sem}>{a.sem}",
            f"e_head:{ak}:{any(m.head_lemma == a.head_lemma and not m.pclass for m in members)}",
            f"e_exact:{ak}:{any(m.norm == a.norm for m in members)}",
        ]
    return f


def candidate_features(
    mentions: Sequence[Mention],
    i: int,
    entities: Mapping[int, Sequence[int]] | None = None,
    only: Callable[[int], bool] | None = None,
) -> list[tuple[int, list[str]]]:
    """Each candidate of anaphor ``i`` with its features; with ``entities`` (a mention's index ->
    the indices of its entity's mentions before ``i``) also those of the candidate's entity;
    with ``only``, just the candidates it accepts (the others still count for the ranks)."""
    a = mentions[i]
    rank = 0
    out = []
    seen: dict[int, list[str]] = {}  # entity features by the entity's first mention
    speaker = True  # no speaking candidate met yet (nearest first)
    for j in candidates(mentions, i):
        c = mentions[j]
        last_speaker = speaker and c.speaks and c.kind != "pron"
        speaker = speaker and not last_speaker
        if only is not None and not only(j):
            if a.pclass and compatible(a, c):
                rank += 1
            continue
        feats = pair_features(a, c, i - j, rank)
        if last_speaker:
            # the latest named or described speaker: "X said ... '...,' he added" is X
            feats.append(f"last_speaker:{a.pclass or a.kind}:{a.speaks}")
        if entities is not None:
            members = entities.get(j) or (j,)
            key = members[0]
            if key not in seen:
                seen[key] = entity_features(a, [mentions[k] for k in members if k < i])
            feats += seen[key]
        out.append((j, feats))
        if a.pclass and compatible(a, c):
            rank += 1
    return out


@dataclass
class Resolution:
    """A document's coreference: each mention's antecedent (the latest name of its entity
    before it, else the best-scored mention) and the entity it joined (by its first mention)."""

    links: list[int | None]
    entity: list[int]
    members: dict[int, list[int]]  # entity (first mention) -> its mentions in text order


@dataclass(frozen=True)
class CorefModel:
    """A linear pair scorer and the probability an antecedent must pass."""

    weights: dict[str, float]
    bias: float
    threshold: float

    def probability(self, features: Sequence[str]) -> float:
        # map over dict.get runs in C: this sum is most of coreference's cost (400k pairs on 40 articles)
        z = self.bias + sum(map(self.weights.get, features, itertools.repeat(0.0)))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def best(self, mentions: Sequence[Mention], i: int, entities: Mapping[int, Sequence[int]]) -> int | None:
        """The candidate of mention ``i`` scored best above the threshold, or None."""
        best, best_p = None, self.threshold
        for j, feats in candidate_features(mentions, i, entities):
            p = self.probability(feats)
            if p > best_p:
                best, best_p = j, p
        return best

    def resolve_entities(self, mentions: Sequence[Mention]) -> Resolution:
        """Entities left to right: a mention joins the entity of its best-scored candidate,
        judged with that entity's mentions so far (a "he" whose candidate "his" belongs to
        "Mary Smith" is told so), or starts one."""
        entity = list(range(len(mentions)))
        members: dict[int, list[int]] = {}
        by_mention: dict[int, list[int]] = {}  # a mention -> its entity's member list
        links: list[int | None] = []
        for i, a in enumerate(mentions):
            j = self.best(mentions, i, by_mention)
            if j is None:
                members[i] = by_mention[i] = [i]
                links.append(None)
                continue
            e = entity[j]
            group = members[e]
            name = next((k for k in reversed(group) if mentions[k].kind == "name"), None)
            links.append(j if a.kind == "name" or name is None else name)
            group.append(i)
            entity[i] = e
            by_mention[i] = group
        return Resolution(links, entity, members)

    def resolve(self, mentions: Sequence[Mention]) -> list[int | None]:
        """Every mention's antecedent (a whole document's coreference links)."""
        return self.resolve_entities(mentions).links

    def to_json(self) -> dict[str, Any]:
        return {"bias": self.bias, "threshold": self.threshold, "weights": self.weights}

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> CorefModel:
        weights = {str(k): float(v) for k, v in raw["weights"].items()}
        return cls(weights, float(raw["bias"]), float(raw["threshold"]))


@functools.cache
def load_model() -> CorefModel:
    """The shipped model (read once per process)."""
    with path(*MODEL_FILE).open(encoding="utf-8") as f:
        return CorefModel.from_json(json.load(f))
