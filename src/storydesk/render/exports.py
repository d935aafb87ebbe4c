"""Exports of stored stories for analysis elsewhere (spreadsheets, pandas, R, Gephi).

Tables, one row per item, as CSV or JSON Lines (:func:`table`, :data:`TABLES`):

- ``quotes``: who is quoted saying what, in which article of which outlet, with spans.
- ``facts``: each fact with its status (corroborated, single-source, disputed), the outlets
  and articles that report it and its independent sources.
- ``actors``: the people, organisations and places of each story, with the articles naming
  them and how often they are quoted.
- ``stances``: the stance rows below (actor, concept, stance, evidence).
- ``matrix``: facts x outlets, each cell ``reports``, ``omits`` or ``disputes`` (the
  dossier's coverage table); CSV has a column per outlet, JSON Lines an ``outlets`` object.

Discourse-network exports of the stories' positions (actor x concept x stance):

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
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from storydesk.errors import StorydeskError
from storydesk.models import Story

if TYPE_CHECKING:
    import networkx as nx

CSV_FIELDS = ("story", "actor", "concept", "stance", "article", "start", "end", "evidence")
QUOTE_FIELDS = (
    "story",
    "article",
    "outlet",
    "published",
    "speaker",
    "anonymous",
    "kind",
    "text",
    "start",
    "end",
    "cue",
)
FACT_FIELDS = ("story", "fact", "text", "status", "independent_sources", "outlets", "articles")
ACTOR_FIELDS = ("story", "name", "kind", "aliases", "anonymous", "articles", "quotes")
MATRIX_FIELDS = ("story", "fact", "text", "status")  # then one column per outlet (CSV)
TABLES = ("quotes", "facts", "actors", "stances", "matrix")


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


def quote_rows(stories: Sequence[Story]) -> Iterator[dict[str, Any]]:
    """One row per quote (speech, not thoughts), with its article's outlet and date."""
    for story in stories:
        articles = {a.id: a for a in story.articles}
        for q in story.quotes:
            article = articles.get(q.article)
            yield {
                "story": story.story,
                "article": q.article,
                "outlet": article.outlet if article else None,
                "published": article.published if article else None,
                "speaker": q.speaker.name if q.speaker else None,
                "anonymous": q.speaker.anonymous if q.speaker else None,
                "kind": q.kind,
                "text": q.text,
                "start": q.span[0],
                "end": q.span[1],
                "cue": q.cue.text if q.cue else None,
            }


def fact_rows(stories: Sequence[Story]) -> Iterator[dict[str, Any]]:
    """One row per fact: its number in the story, status, and who reports it."""
    for story in stories:
        for i, fact in enumerate(story.facts):
            yield {
                "story": story.story,
                "fact": i,
                "text": fact.text,
                "status": fact.status,
                "independent_sources": fact.independent_sources,
                "outlets": _distinct(s.outlet for s in fact.support if s.outlet),
                "articles": _distinct(s.article for s in fact.support),
            }


def actor_rows(stories: Sequence[Story]) -> Iterator[dict[str, Any]]:
    """One row per actor of a story, with how many of its quotes they speak."""
    for story in stories:
        spoken: dict[str, int] = defaultdict(int)
        for q in story.quotes:
            if q.speaker:
                spoken[q.speaker.name] += 1
        for actor in story.actors:
            yield {
                "story": story.story,
                "name": actor.name,
                "kind": actor.kind,
                "aliases": list(actor.aliases),
                "anonymous": actor.anonymous,
                "articles": list(actor.articles),
                "quotes": spoken.get(actor.name, 0),
            }


def matrix_rows(stories: Sequence[Story]) -> Iterator[dict[str, Any]]:
    """One row per fact with how each outlet of its story covers it (the dossier's coverage
    table): ``outlets`` maps an outlet to ``reports``, ``omits`` or ``disputes``."""
    for story in stories:
        for row in story.sourcing.coverage:
            if not 0 <= row.fact < len(story.facts):
                continue
            fact = story.facts[row.fact]
            yield {"story": story.story, "fact": row.fact, "text": fact.text, "status": fact.status} | {
                "outlets": dict(sorted(row.outlets.items(), key=lambda kv: kv[0].casefold()))
            }


def matrix_outlets(rows: Sequence[dict[str, Any]]) -> list[str]:
    """Every outlet of the matrix ``rows``, sorted: the CSV's outlet columns."""
    return sorted({o for row in rows for o in row["outlets"]}, key=str.casefold)


def table(stories: Sequence[Story], what: str) -> tuple[list[dict[str, Any]], list[str]]:
    """The rows of table ``what`` (one of :data:`TABLES`) and its fields, for CSV and JSON
    Lines; the matrix's rows have an ``outlets`` object (for CSV, :func:`flat_matrix`)."""
    if what == "quotes":
        return list(quote_rows(stories)), list(QUOTE_FIELDS)
    if what == "facts":
        return list(fact_rows(stories)), list(FACT_FIELDS)
    if what == "actors":
        return list(actor_rows(stories)), list(ACTOR_FIELDS)
    if what == "stances":
        return list(rows(stories)), list(CSV_FIELDS)
    if what == "matrix":
        found = list(matrix_rows(stories))
        return found, [*MATRIX_FIELDS, "outlets"]
    raise StorydeskError(f"unknown table {what!r}: expected one of {', '.join(TABLES)}")


def flat_matrix(found: Sequence[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[str]]:
    """The matrix's rows for CSV and their fields: the ``outlets`` object becomes one column
    per outlet, empty where the outlet is not among the story's."""
    outlets = matrix_outlets(found)
    base = list(MATRIX_FIELDS)
    return [{f: r[f] for f in base} | {o: r["outlets"].get(o) for o in outlets} for r in found], base + outlets


def _distinct(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


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
    import networkx as nx

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
    import networkx as nx

    graph = nx.Graph()
    graph.add_nodes_from(sorted(actors), kind="actor")
    for (a, b), w in weights.items():
        graph.add_edge(a, b, weight=w)
    return graph


def write_graphml(graph: nx.Graph, path: Path) -> None:
    import networkx as nx

    try:
        nx.write_graphml(graph, path)
    except OSError as exc:
        raise StorydeskError(f"{path}: cannot write: {exc}") from exc
