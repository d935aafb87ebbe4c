#!/usr/bin/env python3
"""Positions and consensus on the seed story, scored with ../shared/eval/score_seeds.py.

usage: .venv/bin/python benchmarks/eval_positions.py [--question TEXT]

Runs the pipeline (storydesk.dossier) on the seed articles, then build_positions and assess
on the story holding them, puts both into the story and prints the positions and the checks.
"""

from __future__ import annotations

import sys

from _shared import require_shared
from storydesk import consensus, dossier, pipeline, positions
from storydesk.models import Article


def main(argv: list[str]) -> None:
    shared = require_shared()
    sys.path.insert(0, str(shared / "eval"))
    from score_seeds import score

    asked = argv[argv.index("--question") + 1] if "--question" in argv else None
    arts = [Article(id=p.name, text=p.read_text(encoding="utf-8")) for p in sorted((shared / "corpus/seeds").glob("*"))]
    result = dossier.dossier(arts)
    by_id = {a.id: a for a in arts}
    analyses = {an.id: an for an in pipeline.analyze(arts)}
    bodies = consensus.load_bodies()
    for story in result.stories:
        items = [(by_id[a.id], analyses[a.id]) for a in story.articles]
        story.positions = positions.build_positions(items, story.actors, asked)
        story.consensus = consensus.assess(story.positions, items, bodies)
    story = max(result.stories, key=lambda s: len(s.articles))
    print(f"question: {story.positions.question}")
    for p in story.positions.stances:
        print(f"  {p.actor:25} {p.stance:8} {p.evidence[0].text[:70]!r}")
    print(f"consensus: {story.consensus}")
    res = score(result.model_dump(mode="json"))
    print(f"positions_right {res['positions_right']}; checks {res['checks']}")
    for miss in res["misses"]:
        if miss.startswith("position"):
            print("  -", miss)


if __name__ == "__main__":
    main(sys.argv)
