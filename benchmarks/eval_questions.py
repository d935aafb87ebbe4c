#!/usr/bin/env python3
"""The question storydesk proposes for each BASIL dev story beside the gold one, for judging
by hand whether it would do as the story's question (issue 19: at least 5 of 6).

usage: .venv/bin/python benchmarks/eval_questions.py

For each annotated story of ../shared/gold/basil-dev/ (its own articles, from
../shared/bench/stories-basil-dev/articles.jsonl): analysis, actor merging and
build_positions with no question given; prints the proposed question, the alternatives
offered and the gold question. Questions are a few words of the articles: short quotations.
"""

from __future__ import annotations

import json
import sys

from _shared import read_jsonl, require_shared
from storydesk import pipeline
from storydesk.dossier import merge
from storydesk.models import Analysis, Article, DossierActor
from storydesk.positions import holders


def story_actors(items: list[tuple[Article, Analysis]]) -> list[DossierActor]:
    actors, _ = merge.merge_actors((an.id, an.actors) for _, an in items)
    return [
        DossierActor(name=a.name, kind=a.kind, aliases=sorted(n for n in a.names if n != a.name), articles=a.articles)
        for a in actors
    ]


def main() -> None:
    shared = require_shared()
    rows = {r["id"]: r for r in read_jsonl(shared / "bench/stories-basil-dev/articles.jsonl")}
    for path in sorted((shared / "gold/basil-dev").glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        arts = [Article(id=i, text=rows[i]["text"], title=rows[i].get("title")) for i in gold["stories"][0]]
        items = list(zip(arts, pipeline.analyze(arts), strict=True))
        result = holders.build_positions(items, story_actors(items), None)
        print(f"\n{path.stem}")
        print(f"  proposed: {result.question}")
        for alt in result.alternatives:
            print(f"  or:       {alt}")
        print(f"  gold:     {gold['positions']['question']}")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
