"""Coreference on GUM test: the learned model against a string-match baseline and the old rules.

usage: .venv/bin/python benchmarks/eval_coref.py [--split test] [--cache DIR] [--breakdown]

Reads ``../shared/bench/coref-gum`` (exits 0 when absent). For each system prints the CoNLL F1
(mean of MUC, B3 and CEAFe F1, micro-averaged over documents, against OntoGUM's chains without
singletons; mentions are matched by their head token, since spaCy's tokens are not GUM's) and
the named-antecedent accuracy: for each pronoun or definite description ("the governor", "the
group") of a person or organisation whose gold chain holds a proper name before it, whether the
name the system resolves it to is in that chain. Systems:

- ``head match``: a noun phrase joins the latest earlier one with its head word or its words,
  a pronoun the latest earlier same pronoun;
- ``rules``: the previous resolver (``MentionIndex(learned=False)``: a pronoun to the nearest
  earlier actor of a compatible kind, preferring main-clause subjects);
- ``model``: the learned mention ranker decoded entity by entity, its links followed to the
  first name (a pronoun links straight to its entity's latest name);
- ``model (actors)``: what the quote extractor gets, ``MentionIndex.actor_of`` with the model.

With ``--breakdown``, each system's misses by cause, for pronouns and descriptions apart (see
:func:`link_cause` and :func:`actor_cause`): which part of the pipeline a gain must come from.
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Doc

from _corefscore import Cluster, Scorer, clusters_from_links, gold_clusters
from _gum import GoldDoc, GoldMention, gold_mentions, parse, read_gold, split_names
from _shared import require_shared
from storydesk.annotate.actors import Actor
from storydesk.annotate.coref import MentionIndex
from storydesk.annotate.corefmodel import DEFINITE, Mention, find_mentions, load_model, words

PEOPLE = frozenset({"person", "organization"})
THIRD_PERSON = frozenset({"he", "she", "it", "they"})  # "I", "we", "you" name the speaker or hearer
GENRES = ("news", "interview", "bio")  # the genres nearest storydesk's text


RIGHT = "right"


@dataclass
class Case:
    """One pronoun or description whose gold chain has a name before it."""

    head: int
    chain: frozenset[int]  # head tokens of the gold chain's names
    kind: str = "pronoun"  # or "description"


def cases(doc: Doc, golds: list[GoldMention]) -> list[Case]:
    names: dict[int, list[int]] = {}
    for g in golds:
        if doc[g.head].pos_ == "PROPN":
            names.setdefault(g.chain, []).append(g.head)
    found = []
    for g in golds:
        if g.type not in PEOPLE:
            continue
        head = doc[g.head]
        pronoun = words().pronoun_class.get(head.lower_) in THIRD_PERSON
        description = head.pos_ == "NOUN" and (doc[g.start].lower_ in DEFINITE or doc[g.start].tag_ == "PRP$")
        before = [h for h in names.get(g.chain, []) if h < g.head]
        if (pronoun or description) and before:
            found.append(Case(g.head, frozenset(names[g.chain]), "pronoun" if pronoun else "description"))
    return found


def link_named(mentions: list[Mention], links: list[int | None]) -> Callable[[int], int | None]:
    """Head token -> head of the first name on its antecedent chain."""
    at = {m.head: n for n, m in enumerate(mentions)}

    def named(head: int) -> int | None:
        n = at.get(head)
        for _ in range(len(mentions)):
            if n is None:
                return None
            n = links[n]
            if n is not None and mentions[n].kind == "name":
                return mentions[n].head
        return None

    return named


def head_match_links(mentions: list[Mention]) -> list[int | None]:
    links: list[int | None] = []
    for i, a in enumerate(mentions):
        found = None
        for j in range(i - 1, -1, -1):
            c = mentions[j]
            same = (
                a.pclass == c.pclass
                if a.pclass
                else not c.pclass and (c.head_lemma == a.head_lemma or a.norm == c.norm)
            )
            if same:
                found = j
                break
        links.append(found)
    return links


def actor_heads(doc: Doc, actor: Actor) -> frozenset[int]:
    heads = set()
    for s, e in actor.mentions:
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is not None and len(span):
            heads.add(span.root.i)
    return frozenset(heads)


def link_cause(mentions: list[Mention], links: list[int | None], case: Case, named: int | None) -> str:
    """Why a link system got ``case`` (its resolved name ``named``) wrong, or ``RIGHT``: the
    anaphor is no mention, it has no antecedent, its chain holds no name, or the wrong name."""
    if named in case.chain:
        return RIGHT
    at = {m.head: n for n, m in enumerate(mentions)}
    n = at.get(case.head)
    if n is None:
        return "not a mention"
    if links[n] is None:
        return "no antecedent"
    return "chain without a name" if named is None else "wrong name"


def actor_cause(actor: Actor | None, heads: frozenset[int], case: Case, name_actors: bool) -> str:
    """Why an actor system got ``case`` wrong, or ``RIGHT``: no actor holds the gold name (the
    actor table's gap, not coreference's; ``name_actors`` is False then), no actor was given, or
    the wrong one; ``heads`` are the given actor's head tokens."""
    if actor is not None and not actor.anonymous and heads & case.chain:
        return RIGHT
    if not name_actors:
        return "name not an actor"
    return "no actor" if actor is None else "wrong actor"


class System:
    def __init__(self, name: str) -> None:
        self.name = name
        self.scorer = Scorer()
        self.right = self.total = 0
        self.genre = {g: [0, 0] for g in GENRES}
        self.causes: Counter[tuple[str, str]] = Counter()  # (pronoun | description, cause)

    def add(self, genre: str, key: list[Cluster], todo: list[Case], found: tuple[list[Cluster], list[str]]) -> None:
        """One document: its gold clusters, its cases, and the system's clusters and causes."""
        sys, causes = found
        self.scorer.add(key, sys)
        hits = [c == RIGHT for c in causes]
        self.right += sum(hits)
        self.total += len(hits)
        if genre in self.genre:
            self.genre[genre][0] += sum(hits)
            self.genre[genre][1] += len(hits)
        self.causes.update((case.kind, cause) for case, cause in zip(todo, causes, strict=True))

    def line(self) -> str:
        acc = self.right / self.total if self.total else 0.0
        near = sum(r for r, _ in self.genre.values()), sum(t for _, t in self.genre.values())
        sub = near[0] / near[1] if near[1] else 0.0
        return (
            f"{self.name:16s} {self.scorer.line()}; named antecedent {acc:.3f} = {self.right}/{self.total}"
            f" (news+interview+bio {sub:.3f} = {near[0]}/{near[1]})"
        )

    def breakdown(self) -> str:
        """The cases by kind and cause, most frequent first."""
        rows = [
            f"  {kind:11s} {cause:20s} {n}"
            for (kind, cause), n in sorted(self.causes.items(), key=lambda kv: (kv[0][0], -kv[1]))
        ]
        return "\n".join([f"{self.name}:", *rows])


def actor_system(
    doc: Doc, mentions: list[Mention], index: MentionIndex, todo: list[Case]
) -> tuple[list[Cluster], list[str]]:
    """Clusters and case causes of an actor-based resolver: mentions grouped by the actor they name."""
    groups: dict[int, set[Hashable]] = {}
    for m in mentions:
        actor = index.actor_of(doc[m.head])
        if actor is not None:
            groups.setdefault(id(actor), set()).add(m.head)
    causes = []
    for case in todo:
        actor = index.actor_of(doc[case.head])
        heads = actor_heads(doc, actor) if actor is not None else frozenset()
        causes.append(actor_cause(actor, heads, case, any(h in index.by_token for h in case.chain)))
    return [frozenset(g) for g in groups.values() if len(g) > 1], causes


def link_system(mentions: list[Mention], links: list[int | None], todo: list[Case]) -> tuple[list[Cluster], list[str]]:
    clusters = clusters_from_links(
        {m.head: (None if a is None else mentions[a].head) for m, a in zip(mentions, links, strict=True)}
    )
    named = link_named(mentions, links)
    return clusters, [link_cause(mentions, links, c, named(c.head)) for c in todo]


def evaluate(docs: list[Doc], golds: list[GoldDoc]) -> list[System]:
    systems = [System("head match"), System("rules"), System("model"), System("model (actors)")]
    model = load_model()
    for doc, gold in zip(docs, golds, strict=True):
        genre = gold.name.split("_")[1]
        gm = list(gold_mentions(doc, gold))
        chains: dict[int, set[int]] = {}
        for g in gm:
            chains.setdefault(g.chain, set()).add(g.head)
        key = gold_clusters(chains.values())
        todo = cases(doc, gm)
        rules = MentionIndex(doc, learned=False)
        mentions = find_mentions(doc, rules.by_token)
        systems[0].add(genre, key, todo, link_system(mentions, head_match_links(mentions), todo))
        systems[1].add(genre, key, todo, actor_system(doc, mentions, rules, todo))
        systems[2].add(genre, key, todo, link_system(mentions, model.resolve(mentions), todo))
        systems[3].add(genre, key, todo, actor_system(doc, mentions, MentionIndex(doc), todo))
    return systems


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", default="test", choices=("dev", "test"))
    ap.add_argument("--cache", type=Path, default=None, help="folder for the spaCy parses (outside the repo)")
    ap.add_argument("--breakdown", action="store_true", help="each system's misses by cause")
    args = ap.parse_args()
    shared = require_shared()
    golds = [read_gold(shared, n) for n in split_names(shared)[args.split]]
    docs = parse(golds, args.cache, args.split)
    print(f"GUM {args.split}: {len(docs)} documents")
    systems = evaluate(docs, golds)
    for system in systems:
        print(system.line())
    if args.breakdown:
        for system in systems[1:]:
            print(system.breakdown())


if __name__ == "__main__":
    main()
