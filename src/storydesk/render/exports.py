"""Discourse-network exports of the stories' positions (actor x concept x stance).

- ``write_csv``: one row per actor, concept and piece of evidence, as Discourse Network
  Analyzer codes statements (actor, concept, agreement).
- ``affiliation_graph``: the bipartite actor-concept network, a ``stance`` attribute on each
  edge; nodes carry ``kind`` ("actor" or "concept"). Gephi and visone read it as GraphML.
- ``congruence_graph``: actors linked when they take the same stance on a concept, weighted by
  the number of concepts they agree on.
"""

from __future__ import annotations

import csv
import itertools
from collections import defaultdict
from collections.abc import Iterator, Sequence
from pathlib import Path

import networkx as nx

from storydesk.errors import StorydeskError
from storydesk.models import Story

CSV_FIELDS = ("story", "actor", "concept", "stance", "article", "start", "end", "evidence")


def concept(story: Story) -> str:
    """The concept a story's stances are toward: its question, else its title, else its id."""
    return story.positions.question or story.title or story.story


def rows(stories: Sequence[Story]) -> Iterator[dict[str, str | int]]:
    """One row per actor, concept and piece of evidence (one with no evidence fields if none)."""
    for story in stories:
        for pos in story.positions.stances:
            base: dict[str, str | int] = {
                "story": story.story,
                "actor": pos.actor,
                "concept": concept(story),
                "stance": pos.stance,
            }
            if not pos.evidence:
                yield base | {"article": "", "start": "", "end": "", "evidence": ""}
            for ev in pos.evidence:
                yield base | {"article": ev.article, "start": ev.span[0], "end": ev.span[1], "evidence": ev.text}


def write_csv(stories: Sequence[Story], path: Path) -> int:
    """Writes the rows to ``path``; returns how many."""
    n = 0
    try:
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=CSV_FIELDS)
            writer.writeheader()
            for row in rows(stories):
                writer.writerow(row)
                n += 1
    except OSError as exc:
        raise StorydeskError(f"{path}: cannot write: {exc}") from exc
    return n


def affiliation_graph(stories: Sequence[Story]) -> nx.Graph:
    """The bipartite actor-concept graph; edge attribute ``stance``, ``evidence`` a count."""
    graph = nx.Graph()
    for story in stories:
        c = concept(story)
        graph.add_node(c, kind="concept", story=story.story)
        for pos in story.positions.stances:
            graph.add_node(pos.actor, kind="actor")
            graph.add_edge(pos.actor, c, stance=pos.stance, evidence=len(pos.evidence))
    return graph


def congruence_graph(stories: Sequence[Story]) -> nx.Graph:
    """Actors linked by shared stances (support or oppose) on the same concept, ``weight`` the
    number of concepts they agree on."""
    weights: dict[tuple[str, str], int] = defaultdict(int)
    actors: set[str] = set()
    for story in stories:
        sides: dict[str, list[str]] = defaultdict(list)
        for pos in story.positions.stances:
            actors.add(pos.actor)
            if pos.stance in ("support", "oppose"):
                sides[pos.stance].append(pos.actor)
        for members in sides.values():
            for a, b in itertools.combinations(sorted(set(members)), 2):
                weights[(a, b)] += 1
    graph = nx.Graph()
    graph.add_nodes_from(sorted(actors), kind="actor")
    for (a, b), w in weights.items():
        graph.add_edge(a, b, weight=w)
    return graph


def write_graphml(graph: nx.Graph, path: Path) -> None:
    try:
        nx.write_graphml(graph, path)
    except OSError as exc:
        raise StorydeskError(f"{path}: cannot write: {exc}") from exc
