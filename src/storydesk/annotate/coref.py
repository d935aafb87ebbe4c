"""Light within-article coreference for speakers: which actor a token names.

Names and descriptors come from ``doc._.actors``; a pronoun goes to the nearest earlier actor
of a compatible kind, preferring one that was the subject of a main clause (the salient one:
in "X said Y would resign. He added ..." *he* is X, not Y); a relative pronoun ("who said")
takes the noun it modifies.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from storydesk.annotate.actors import Actor
from storydesk.lexicon import pronoun_kinds, relative_pronouns
from storydesk.text import fold

MAX_SENTENCES_BACK = 3  # how far a pronoun looks for a main-clause subject before taking the nearest actor


@dataclass(frozen=True)
class _Entry:
    tok: int  # head token of the mention
    actor: Actor


def _main_subject(tok: Token) -> bool:
    return tok.dep_ in ("nsubj", "nsubjpass") and tok.head.dep_ == "ROOT"


class MentionIndex:
    """Actor mentions of one doc by token, in text order (built once per doc)."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
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
        """The actor a (head) token belongs to, resolving pronouns and relative pronouns."""
        found = self.by_token.get(tok.i)
        if found is not None:
            return found
        lower = tok.lower_
        if lower in relative_pronouns() and tok.head.dep_ == "relcl":
            return self.by_token.get(tok.head.head.i)
        if tok.pos_ == "PRON" and lower in pronoun_kinds():
            return self.antecedent(tok)
        if tok.pos_ == "PROPN":
            return self.by_surname.get(fold(tok.text))  # a surname the NER missed
        return None

    def antecedent(self, pron: Token) -> Actor | None:
        kinds = pronoun_kinds()[pron.lower_]
        sent_start = pron.sent.start
        sentences_back = 0
        nearest: Actor | None = None
        for k in range(bisect.bisect_left(self.head_toks, pron.i) - 1, -1, -1):
            entry = self.heads[k]
            if entry.actor.kind not in kinds:
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
