"""Discourse-network exports: CSV rows and GraphML that reads back."""

from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx

from storydesk.models import Evidence, Position, Positions, Story
from storydesk.render import exports


def story() -> Story:
    ev = Evidence(article="a", span=(0, 5), text="backs")
    return Story(
        story="s1",
        positions=Positions(
            question="Should X happen?",
            stances=[
                Position(actor="Aland", stance="support", evidence=[ev]),
                Position(actor="Borduria", stance="support", evidence=[ev]),
                Position(actor="Carpathia", stance="oppose"),
            ],
        ),
    )


def test_graphml_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "net.graphml"
    exports.write_graphml(exports.affiliation_graph([story()]), path)
    graph = nx.read_graphml(path)
    assert graph.nodes["Should X happen?"]["kind"] == "concept"
    assert graph.edges["Carpathia", "Should X happen?"]["stance"] == "oppose"
    assert graph.number_of_edges() == 3


def test_congruence_links_actors_on_the_same_side(tmp_path: Path) -> None:
    graph = exports.congruence_graph([story(), story()])
    assert graph.edges["Aland", "Borduria"]["weight"] == 2
    assert not graph.has_edge("Aland", "Carpathia")
    path = tmp_path / "c.graphml"
    exports.write_graphml(graph, path)
    assert nx.read_graphml(path).edges["Aland", "Borduria"]["weight"] == 2


def test_csv_has_a_row_per_evidence(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    assert exports.write_csv([story()], path) == 3
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert rows[0]["actor"] == "Aland" and rows[0]["concept"] == "Should X happen?" and rows[0]["evidence"] == "backs"
    assert rows[2]["evidence"] == ""
