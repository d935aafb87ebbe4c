"""Within-article coreference for speakers: which actor a token names.

Names and descriptors come from ``doc._.actors``; a relative pronoun ("who said") takes the noun
it modifies. A pronoun, and a definite description ("the chairman", "the group"), go where the
learned mention-ranking model of :mod:`storydesk.annotate.corefmodel` sends them: its antecedent
chain is followed back to the first mention of an actor. With ``learned=False`` (the baseline
the benchmark compares with) a pronoun goes to the nearest earlier actor of a compatible kind,
preferring one that was the subject of a main clause.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from storydesk.annotate.actors import Actor
from storydesk.annotate.corefmodel import (
    Mention,
    Resolution,
    candidate_features,
    find_mentions,
    first_names,
    load_model,
    words,
)
from storydesk.lexicon import generic_org_nouns, pronoun_kinds, relative_pronouns
from storydesk.models import ActorKind
from storydesk.text import fold

MAX_SENTENCES_BACK = 3  # how far a pronoun looks for a main-clause subject before taking the nearest actor


@dataclass(frozen=True)
class _Entry:
    tok: int  # head token of the mention
    actor: Actor


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

    def _linked(self, tok: Token) -> bool:
        n = self._at.get(tok.i)
        return n is not None and self.resolution().links[n] is not None

    def learned_actor(self, tok: Token, kinds: frozenset[str] | None, named: bool) -> Actor | None:
        """The actor of the best-scored candidate naming one (:meth:`_direct_actor`), else of the
        latest earlier mention of ``tok``'s entity that names one: of one of ``kinds`` (when
        given), preferring a named actor to a description ("a spokesman"), and only a named one
        when ``named``; None when neither has one."""
        mentions = self.mentions()
        n = self._at.get(tok.i)
        if n is None or (named and mentions[n].kind != "def"):
            return None
        res = self.resolution()
        direct = self._direct_actor(n, kinds, named)
        if direct is not None:
            return direct
        if res.links[n] is None:
            return None
        described: Actor | None = None
        for k in reversed(res.members[res.entity[n]]):
            actor = self._actor_named(mentions[k]) if k < n else None
            if actor is None or (kinds is not None and actor.kind not in kinds):
                continue
            if not actor.anonymous:
                return actor
            described = described or actor
        return None if named else described

    def _direct_actor(self, n: int, kinds: frozenset[str] | None, named: bool) -> Actor | None:
        """The actor of the best-scored candidate that names one, when it passes the threshold,
        scored on the pair alone: a chain of pronouns ("he ... he ... he") would carry one wrong
        link on, and the entity features learned on GUM (a pronoun seldom takes an entity named
        once) turn "X said ... '...,' he said" away from X in news."""
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
        other = {"he": "f", "she": "m"}.get(words().pronoun_class.get(pron.lower_, ""), "") if agree else ""
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
