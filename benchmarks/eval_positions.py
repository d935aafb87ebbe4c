#!/usr/bin/env python3
"""Positions and consensus: on the seed story, scored with ../shared/eval/score_seeds.py, or on
BASIL dev stories, listed for judging by hand.

usage: .venv/bin/python benchmarks/eval_positions.py [--question TEXT]
       .venv/bin/python benchmarks/eval_positions.py --basil [N]

Seeds: runs the pipeline (storydesk.dossier.build) on the seed articles, then build_positions and
assess on the story holding them, puts both into the story and prints the positions and the
checks.

--basil: the first N (10) story ids (sorted) of BASIL dev, one story per ``story_id``: analysis,
actor merging and build_positions with the question proposed automatically. Prints each
position with its evidence cut short, for ``benchmarks/positions_basil_judged.md``.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

from _shared import read_jsonl, require_shared
from storydesk import nlp, pipeline
from storydesk.dossier import merge
from storydesk.models import Analysis, Article, DossierActor
from storydesk.positions import consensus
from storydesk.positions import holders as positions

EVIDENCE_CHARS = 60  # judge by the cue and its object, not whole sentences of copyrighted text


def seeds(shared: Path, asked: str | None) -> None:
    sys.path.insert(0, str(shared / "eval"))
    from score_seeds import score

    arts = [Article(id=p.name, text=p.read_text(encoding="utf-8")) for p in sorted((shared / "corpus/seeds").glob("*"))]
    result = pipeline.dossier(arts)
    by_id = {a.id: a for a in arts}
    analyses = {an.id: an for an in pipeline.analyze(arts)}
    bodies = consensus.load_bodies()
    for story in result.stories:
        items = [(by_id[a.id], analyses[a.id]) for a in story.articles]
        story.positions = positions.build_positions(items, story.actors, nlp.parse_question(asked) if asked else None)
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


def _story_actors(items: list[tuple[Article, Analysis]]) -> list[DossierActor]:
    actors, _ = merge.merge_actors((an.id, an.actors) for _, an in items)
    return [
        DossierActor(name=a.name, kind=a.kind, aliases=sorted(n for n in a.names if n != a.name), articles=a.articles)
        for a in actors
    ]


def basil(shared: Path, count: int) -> None:
    rows = read_jsonl(shared / "bench/stories-basil-dev/articles.jsonl")
    by_story: dict[str, list[Article]] = defaultdict(list)
    for r in rows:
        by_story[r["story_id"]].append(Article(id=r["id"], text=r["text"], title=r.get("title")))
    bodies = consensus.load_bodies()
    found = 0
    for sid in sorted(by_story)[:count]:
        arts = by_story[sid]
        items = list(zip(arts, pipeline.analyze(arts), strict=True))
        result = positions.build_positions(items, _story_actors(items), None)
        tally = consensus.assess(result, items, bodies)
        print(f"\n{sid[:8]} question: {result.question}")
        print(f"  consensus: {tally.body if tally is not None else None}")
        for p in result.stances:
            found += 1
            for ev in p.evidence:
                print(f"  {p.actor[:30]:30} {p.stance:8} {ev.text[:EVIDENCE_CHARS]!r}")
    print(f"\n{found} positions")


def main(argv: list[str]) -> None:
    shared = require_shared()
    if "--basil" in argv:
        rest = argv[argv.index("--basil") + 1 :]
        basil(shared, int(rest[0]) if rest and rest[0].isdigit() else 10)
    else:
        seeds(shared, argv[argv.index("--question") + 1] if "--question" in argv else None)


if __name__ == "__main__":
    main(sys.argv)
