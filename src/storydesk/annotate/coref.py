"""Within-article coreference for speakers: which actor a token names.

Names and descriptors come from ``doc._.actors``; a relative pronoun ("who said") takes the noun
it modifies. A definite description ("the chairman", "the group") and a first- or second-person
pronoun go where the learned mention-ranking model of :mod:`storydesk.annotate.corefmodel` sends
them: the best-scored candidate naming an actor, else its entity's latest actor. A third-person
pronoun the model gives an actor goes to the candidate actor the :class:`ActorChooser` (fitted
on GUM) scores best, weighing the pair scorer's and the entity decoder's views of each actor
against its salience, gender and role. With ``learned=False`` (the baseline the benchmark
compares with) a pronoun goes to the nearest earlier actor of a compatible kind, preferring
one that was the subject of a main clause.
"""

from __future__ import annotations

import bisect
import functools
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc, Token

from storydesk.annotate.actors import Actor
from storydesk.annotate.corefmodel import (
    SENTENCE_BUCKETS,
    Mention,
    Resolution,
    bucket,
    candidate_features,
    find_mentions,
    first_names,
    load_model,
    words,
)
from storydesk.lexicon import generic_org_nouns, pronoun_kinds, relative_pronouns
from storydesk.models import ActorKind
from storydesk.resources import path
from storydesk.text import fold

MAX_SENTENCES_BACK = 3  # how far a pronoun looks for a main-clause subject before taking the nearest actor
ACTOR_MODEL_FILE = ("coref", "actor_model.json")
OTHER_GENDER = {"he": "f", "she": "m"}  # the gender a pronoun's class never stands for
MAX_RANK = 3  # ranks of an actor among a pronoun's candidates above this are one feature
CHOSEN_CLASSES = frozenset({"he", "she", "it", "they"})  # the pronouns the actor chooser was fitted on


@dataclass(frozen=True)
class ActorChooser:
    """A linear scorer of a pronoun's candidate actors (:meth:`MentionIndex.actor_features`):
    the pronoun goes to the best-scored one. It weighs the pair scorer's and the entity
    decoder's views of each actor against the actor's salience (``scripts/train_coref.py``
    fits it on GUM train)."""

    weights: dict[str, float]
    bias: float

    def score(self, features: Mapping[str, float]) -> float:
        return self.bias + sum(self.weights.get(f, 0.0) * v for f, v in features.items())

    def to_json(self) -> dict[str, Any]:
        return {"bias": self.bias, "weights": self.weights}

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> ActorChooser:
        return cls({str(k): float(v) for k, v in raw["weights"].items()}, float(raw["bias"]))


@functools.cache
def load_actor_chooser() -> ActorChooser:
    """The shipped actor chooser (read once per process)."""
    with path(*ACTOR_MODEL_FILE).open(encoding="utf-8") as f:
        return ActorChooser.from_json(json.load(f))


@dataclass
class _Seen:
    """What a pronoun's candidates say of one actor (:meth:`MentionIndex.actor_features`)."""

    pair: float = 0.0  # best pair-scorer probability of its mentions
    entity: float = 0.0  # best probability with the entity features
    latest: int = -1  # its latest candidate mention (index), -1 if none


@dataclass(frozen=True)
class _Entry:
    tok: int  # head token of the mention
    actor: Actor


def _ranks(actors: list[Actor], score: Callable[[Actor], float]) -> dict[int, int]:
    """Each actor's (by id) rank by ``score``, best first (0); ties keep the given order."""
    order = sorted(range(len(actors)), key=lambda k: -score(actors[k]))
    return {id(actors[k]): r for r, k in enumerate(order)}


def _main_subject(tok: Token) -> bool:
    return tok.dep_ in ("nsubj", "nsubjpass") and tok.head.dep_ == "ROOT"


def actor_gender(actor: Actor) -> str:
    """ "m" or "f" by a gendered title ("Ms.", "chairwoman") or a known first name, else ""."""
    gendered = words().gender
    for title in actor.titles:
        if title in gendered:
            return gendered[title]
    parts = actor.name.split()
    return first_names().get(fold(parts[0]), "") if len(parts) > 1 else ""


PERSON_KINDS: frozenset[ActorKind] = frozenset({"person"})
NON_PERSON_KINDS: frozenset[ActorKind] = frozenset({"organization", "group", "place"})
BODY_KINDS: frozenset[ActorKind] = frozenset({"organization", "group"})


def noun_kinds(tok: Token) -> frozenset[ActorKind] | None:
    """The actor kinds a description's head noun may stand for: a person for one person ("the
    committee chairman", "the official", never the country named before), no person for an
    organisation's noun ("the agency"), nor a place for one that names a body of any name ("the
    group"); None when the noun does not say."""
    lemma = tok.lemma_.lower()
    if tok.tag_ == "NN" and lemma in words().person_nouns:
        return PERSON_KINDS
    if lemma in generic_org_nouns():  # "the group" is never the country named before
        return BODY_KINDS
    if lemma in words().org_nouns:
        return NON_PERSON_KINDS
    return None


class MentionIndex:
    """Actor mentions of one doc by token, in text order (built once per doc)."""

    def __init__(self, doc: Doc, learned: bool = True) -> None:
        self.doc = doc
        self.learned = learned
        self._mentions: list[Mention] | None = None  # found on the first learned lookup
        self._at: dict[int, int] = {}  # head token -> mention number
        self._resolution: Resolution | None = None  # decoded on the first learned lookup
        self._entities: dict[int, list[int]] | None = None
        starts = [t.idx for t in doc]
        self.by_token: dict[int, Actor] = {}
        heads: list[_Entry] = []
        for actor in doc._.actors:
            for s, e in actor.mentions:
                first = bisect.bisect_left(starts, s)
                last = bisect.bisect_left(starts, e) - 1
                for i in range(first, last + 1):
                    # a descriptor's words may hold a name ("a NATO diplomat"): the name keeps its token
                    if not actor.anonymous or i not in self.by_token:
                        self.by_token[i] = actor
                if last >= first:
                    heads.append(_Entry(last, actor))
        heads.sort(key=lambda h: h.tok)
        self.heads = heads
        self.head_toks = [h.tok for h in heads]
        self._heads_of: dict[int, list[int]] = {}  # actor (by id) -> its head tokens in text order
        for h in heads:
            self._heads_of.setdefault(id(h.actor), []).append(h.tok)
        self.by_surname: dict[str, Actor] = {}
        for actor in doc._.actors:
            if actor.kind == "person" and not actor.anonymous:
                self.by_surname.setdefault(fold(actor.name.split()[-1]), actor)

    def actor_of(self, tok: Token) -> Actor | None:
        """The actor a (head) token belongs to, resolving pronouns, relative pronouns and
        definite descriptions of named actors."""
        found = self.by_token.get(tok.i)
        if found is not None and not (found.anonymous and self.learned):
            return found
        lower = tok.lower_
        if lower in relative_pronouns() and tok.head.dep_ == "relcl":
            return self.by_token.get(tok.head.head.i)
        if not self.learned and tok.pos_ == "PRON" and lower in pronoun_kinds():
            return found or self.antecedent(tok)
        if self.learned and tok.pos_ == "PRON" and lower in words().pronoun_class:
            if found is not None:
                return found
            kinds = pronoun_kinds().get(lower)
            actor = self.learned_actor(tok, kinds, named=False)
            if actor is None and kinds is not None and self._linked(tok):
                # the model gave an antecedent but its entity holds no actor (a name the NER
                # missed, a chain of pronouns): the nearest salient actor the pronoun's gender fits
                return self.antecedent(tok, agree=True)
            return actor
        if self.learned and tok.pos_ == "NOUN":
            named = self.learned_actor(tok, noun_kinds(tok), named=True)
            if named is not None and not self._owner_of(tok, named):  # "the chairman" of a person named earlier
                return named
        if found is not None:
            return found
        if tok.pos_ == "PROPN":
            return self.by_surname.get(fold(tok.text))  # a surname the NER missed
        return None

    def _owner_of(self, tok: Token, actor: Actor) -> bool:
        """Whether ``actor`` owns the description ``tok`` heads ("the president's budget
        director", "his spokesman"): a description is never its own possessor."""
        return any(self.actor_of(c) is actor for c in tok.children if c.dep_ == "poss")

    def mentions(self) -> list[Mention]:
        if self._mentions is None:
            self._mentions = find_mentions(self.doc, self.by_token)
            self._at = {m.head: n for n, m in enumerate(self._mentions)}
        return self._mentions

    def resolution(self) -> Resolution:
        """The model's entities for the whole doc (decoded once, left to right)."""
        if self._resolution is None:
            self._resolution = load_model().resolve_entities(self.mentions())
        return self._resolution

    def mention_number(self, tok: Token) -> int | None:
        """The number of the mention ``tok`` heads (after :meth:`mentions`), None if none."""
        return self._at.get(tok.i)

    def _linked(self, tok: Token) -> bool:
        n = self._at.get(tok.i)
        return n is not None and self.resolution().links[n] is not None

    def learned_actor(self, tok: Token, kinds: frozenset[str] | None, named: bool) -> Actor | None:
        """For a third-person pronoun, the candidate actor of ``kinds`` (when given) the
        :class:`ActorChooser` scores best; None unless a candidate passes the pair threshold or
        the model's entity holds one of them (the chooser picks among the actors, it never
        makes a mention the model left alone name one). For a definite description
        (``named``: a named actor only) and for "I", "we" and "you" (which the chooser never
        saw in training), the actor of the best-scored candidate naming one
        (:meth:`_direct_actor`), else the latest one of its entity."""
        mentions = self.mentions()
        n = self._at.get(tok.i)
        if n is None or (named and mentions[n].kind != "def"):
            return None
        if named or mentions[n].pclass not in CHOSEN_CLASSES:
            direct = self._direct_actor(n, kinds, named)
            if direct is not None or self.resolution().links[n] is None:
                return direct
            return self._entity_actor(n, kinds, named)
        found = self.actor_features(tok, n, kinds)
        if not any(f.get("passes") or f.get("entity_actor") for _, f in found):
            return None
        return max(found, key=lambda af: load_actor_chooser().score(af[1]))[0]

    def _direct_actor(self, n: int, kinds: frozenset[str] | None, named: bool) -> Actor | None:
        """The actor of the best-scored candidate that names one, when it passes the threshold,
        scored on the pair alone (a named one only when ``named``). The chooser, fitted on
        GUM's third-person pronouns, where descriptions are few, weighs "the attorney general"
        to the latest speaker over the attorneys general named before: descriptions keep this."""
        model = load_model()
        mentions = self.mentions()

        def fits(j: int) -> bool:
            actor = self.by_token.get(mentions[j].head)
            return actor is not None and (kinds is None or actor.kind in kinds) and not (named and actor.anonymous)

        best, best_p = None, model.threshold
        for j, feats in candidate_features(mentions, n, only=fits):  # only those naming an actor: cheaper
            p = model.probability(feats)
            if p > best_p:
                best, best_p = self.by_token[mentions[j].head], p
        return best

    def _fits(self, kinds: frozenset[str] | None) -> Callable[[Mention], Actor | None]:
        def fits(m: Mention) -> Actor | None:
            actor = self._actor_named(m)
            return actor if actor is not None and (kinds is None or actor.kind in kinds) else None

        return fits

    def _seen_actors(self, n: int, kinds: frozenset[str] | None) -> dict[int, tuple[Actor, _Seen]]:
        """The actors the candidates of mention ``n`` name, with their best probabilities by
        the pair scorer alone and with the entity features, nearest first."""
        model = load_model()
        mentions = self.mentions()
        fits = self._fits(kinds)
        named: dict[int, Actor | None] = {}  # each candidate's actor, looked up once

        def names(j: int) -> bool:
            if j not in named:
                named[j] = fits(mentions[j])
            return named[j] is not None

        seen: dict[int, tuple[Actor, _Seen]] = {}
        for j, feats in candidate_features(mentions, n, only=names):
            actor = named[j]
            assert actor is not None
            entry = seen.setdefault(id(actor), (actor, _Seen(latest=j)))[1]
            entry.pair = max(entry.pair, model.probability(feats))
        for j, feats in candidate_features(mentions, n, self._entity_lists(), only=names):
            actor = named[j]
            assert actor is not None
            entry = seen[id(actor)][1]
            entry.entity = max(entry.entity, model.probability(feats))
        return seen

    def actor_features(self, tok: Token, n: int, kinds: frozenset[str] | None) -> list[tuple[Actor, dict[str, float]]]:
        """Each actor pronoun ``tok`` (mention ``n``) may stand for, with the features the
        :class:`ActorChooser` scores: the best probabilities of its mentions by the pair scorer
        and with the entity features, and their ranks among the actors; whether the model's
        entity names it, whether the salient-subject rule picks it; its recency and how often
        it was named before (its rank in both); its gender and kind against the pronoun's; the
        role, quotation and number of its latest mention and whether it is coordinated;
        whether it is the subject of a verb above the pronoun's clause or speaks the quotation
        the pronoun lies in. An actor of the other gender than a "he" or "she" is left out."""
        mentions = self.mentions()
        a = mentions[n]
        seen = self._seen_actors(n, kinds)
        linked = self.resolution().links[n] is not None
        entity = self._entity_actor(n, kinds, named=False) if linked else None
        rule = self.antecedent(tok, agree=True) if a.pclass and tok.lower_ in pronoun_kinds() else None
        for extra in (entity, rule):
            if extra is not None:
                seen.setdefault(id(extra), (extra, _Seen()))
        speaker = self._quote_speaker(n)
        governing = self._governing_subjects(tok)
        actors = [actor for actor, _ in seen.values()]
        ranks = {
            key: _ranks(actors, score)
            for key, score in (
                ("pair_rank", lambda x: seen[id(x)][1].pair),
                ("entity_rank", lambda x: seen[id(x)][1].entity),
                ("recent_rank", lambda x: seen[id(x)][1].latest),
                ("count_rank", lambda x: self._count_before(x, tok.i)),
            )
        }
        threshold = load_model().threshold
        other = OTHER_GENDER.get(a.pclass, "")
        out = []
        for actor, s in seen.values():
            if other and actor_gender(actor) == other:
                continue  # "she" never stands for a man named before, however salient
            p = a.pclass or a.kind
            f: dict[str, float] = {"pair": s.pair, "entity": s.entity}
            f |= {f"{key}:{min(r[id(actor)], MAX_RANK)}": 1.0 for key, r in ranks.items()}
            f[f"gender:{p}:{a.gender or '-'}>{actor_gender(actor) or '-'}"] = 1.0
            f[f"kind:{p}:{actor.kind}:{actor.anonymous}"] = 1.0
            if s.pair > threshold:
                f["passes"] = 1.0
            if actor is entity:
                f["entity_actor"] = 1.0
            if actor is rule:
                f["rule"] = 1.0
            if actor is speaker:
                f[f"quote_speaker:{p}"] = 1.0
            if id(actor) in governing:
                f[f"governs:{p}"] = 1.0
            if s.latest >= 0:
                c = mentions[s.latest]
                f[f"sd:{p}:{bucket(a.sent - c.sent, SENTENCE_BUCKETS)}"] = 1.0
                f[f"role:{c.main_subj}:{a.speaks}>{c.speaks}:{a.quoted}>{c.quoted}"] = 1.0
                f[f"number:{p}:{c.number}:{self._coordinated(c.head)}"] = 1.0
            else:
                f[f"sd:{p}:far"] = 1.0
            out.append((actor, f))
        return out

    def _governing_subjects(self, tok: Token) -> set[int]:
        """The actors (by id) that are subjects of a verb above ``tok``'s own clause ("X said
        he would go", "X, who said his plan ..."): a pronoun inside what someone says or does
        often stands for them."""
        found: set[int] = set()
        child, head = tok, tok.head
        while head.i != child.i:
            for c in head.children:
                if c.dep_ in ("nsubj", "nsubjpass") and c.i != child.i and c.i != tok.i:
                    actor = self.by_token.get(c.i)
                    if actor is not None and child.dep_ not in ("nsubj", "nsubjpass"):
                        found.add(id(actor))
            child, head = head, head.head
        return found

    def _quote_speaker(self, n: int) -> Actor | None:
        """The actor who speaks the quotation mention ``n`` lies in: the nearest mention outside
        quotation marks, in its sentence or the one before or after, that is the subject of a
        reporting verb (a pronoun there by its entity). The speaker calls himself "I": a "he"
        in his own words is someone else ('Smith said: "He betrayed us."')."""
        mentions = self.mentions()
        a = mentions[n]
        if not a.quoted:
            return None
        lo, hi = n, n  # mentions are in text order: those of the three sentences lie around n
        while lo > 0 and mentions[lo - 1].sent >= a.sent - 1:
            lo -= 1
        while hi + 1 < len(mentions) and mentions[hi + 1].sent <= a.sent + 1:
            hi += 1
        near = [k for k in range(lo, hi + 1) if mentions[k].speaks and not mentions[k].quoted]
        for k in sorted(near, key=lambda k: (abs(mentions[k].sent - a.sent), abs(k - n))):
            m = mentions[k]
            actor = self._actor_named(m) if m.kind != "pron" else self._entity_actor(k, None, named=False)
            if actor is not None:
                return actor
        return None

    def _coordinated(self, i: int) -> bool:
        """Whether token ``i`` is one of two or more joined by "and" ("Ohio and Utah"):
        "they" may stand for them together."""
        tok = self.doc[i]
        return tok.dep_ == "conj" or any(c.dep_ == "conj" for c in tok.children)

    def _count_before(self, actor: Actor, i: int) -> int:
        """Mentions of ``actor`` in the actor table before token ``i``."""
        return bisect.bisect_left(self._heads_of.get(id(actor), []), i)

    def _entity_lists(self) -> dict[int, list[int]]:
        """Each mention -> its decoded entity's mentions (the entity features read them)."""
        if self._entities is None:
            res = self.resolution()
            self._entities = {k: res.members[e] for k, e in enumerate(res.entity)}
        return self._entities

    def _entity_actor(self, n: int, kinds: frozenset[str] | None, named: bool) -> Actor | None:
        """The actor of the latest earlier mention of mention ``n``'s entity that names one of
        ``kinds``, preferring a named actor to a description ("a spokesman"), only a named one
        when ``named``."""
        mentions = self.mentions()
        res = self.resolution()
        fits = self._fits(kinds)
        described: Actor | None = None
        for k in reversed(res.members[res.entity[n]]):
            actor = fits(mentions[k]) if k < n else None
            if actor is None:
                continue
            if not actor.anonymous:
                return actor
            described = described or actor
        return None if named else described

    def _actor_named(self, mention: Mention) -> Actor | None:
        """The actor a mention's head belongs to, or for a name the NER left out of the actors,
        the person whose surname it is ("Hartmann" after "Lisa Hartmann")."""
        found = self.by_token.get(mention.head)
        if found is None and mention.kind == "name":
            found = self.by_surname.get(fold(self.doc[mention.head].text))
        return found

    def antecedent(self, pron: Token, agree: bool = False) -> Actor | None:
        """The nearest earlier actor of a kind ``pron`` can stand for, preferring a main-clause
        subject within a few sentences; with ``agree``, none of the other gender ("he" skips
        "Ms. Berg" and "Mary Smith")."""
        kinds = pronoun_kinds()[pron.lower_]
        other = OTHER_GENDER.get(words().pronoun_class.get(pron.lower_, ""), "") if agree else ""
        sent_start = pron.sent.start
        sentences_back = 0
        nearest: Actor | None = None
        for k in range(bisect.bisect_left(self.head_toks, pron.i) - 1, -1, -1):
            entry = self.heads[k]
            if entry.actor.kind not in kinds or (other and actor_gender(entry.actor) == other):
                continue
            tok = self.doc[entry.tok]
            while tok.i < sent_start and sentences_back <= MAX_SENTENCES_BACK:
                sentences_back += 1
                sent_start = self.doc[sent_start - 1].sent.start
            if sentences_back > MAX_SENTENCES_BACK and nearest is not None:
                break
            if sentences_back <= MAX_SENTENCES_BACK and _main_subject(tok):
                return entry.actor
            nearest = nearest or entry.actor
        return nearest
