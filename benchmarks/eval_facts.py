"""Cross-article fact linking on ECB+ (the scoreboard's `facts` section), without the CLI.

usage: .venv/bin/python benchmarks/eval_facts.py [--split dev|train] [--cache FILE] [SETTING VALUE ...]

Each setting of ``data/fact_linking.yaml`` that a tuning run varies can be overridden for one run:
``--link``, ``--event-distance``, ``--max-rank``, ``--min-cosine``, ``--min-embedding``,
``--max-embedding-rank``, ``--max-embedded``, ``--predicate-repeats`` (see ``--help``).

Writes the split's articles as ../shared/eval/score_facts.py does, runs the pipeline (analysis,
story clustering) and ``facts.cross_check`` per story, and scores the dossier's facts with the
scorer's own code: sentence pairs of different articles reporting one event should share a fact;
different events of the same kind (hard negatives) should not. ``--split train`` builds the
labelled pairs from the train mention annotations (sentences sharing a cross-document event
cluster), for setting the linking weights without looking at dev. ``--cache FILE`` keeps the
analyses (a pickle) between runs. Bars (dev): F1 >= 0.75, at most 2% of hard negatives linked.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import pickle
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path
from typing import Any

import numpy as np

from _shared import read_jsonl, require_shared
from storydesk import pipeline
from storydesk.crosscheck import facts
from storydesk.models import Analysis, Article, Dossier, Story
from storydesk.stories import cluster as stories

Prepared = tuple[list[Article], list[Analysis], dict[str, str]]


def prepare(split: str, cache: Path | None, write_input: Any) -> Prepared:
    if cache and cache.exists():
        with cache.open("rb") as f:
            loaded: Prepared = pickle.load(f)
            return loaded
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "in.jsonl"
        write_input(split, str(path))
        arts = [Article(id=d["id"], text=d["text"]) for d in read_jsonl(path)]
    analyses = list(pipeline.analyze(arts))
    prepared = (arts, analyses, stories.StoryClusterer().cluster(arts))
    if cache:
        with cache.open("wb") as f:
            pickle.dump(prepared, f)
    return prepared


def group_by_story(
    arts: list[Article], analyses: list[Analysis], assignment: dict[str, str]
) -> dict[str, list[tuple[Article, Analysis]]]:
    grouped: dict[str, list[tuple[Article, Analysis]]] = defaultdict(list)
    for art, an in zip(arts, analyses, strict=True):
        grouped[assignment[art.id]].append((art, an))
    return grouped


def train_pairs(shared: Path) -> list[dict[str, Any]]:
    """Labelled pairs like the dev file's, from the train annotations: selected sentences of
    different documents of one topic, 1 when they share a cross-document event cluster."""
    base = shared / "bench" / "facts-ecbplus"
    docs = [d for d in read_jsonl(base / "documents.jsonl") if d["split"] == "train"]
    events: dict[tuple[str, int], set[str]] = defaultdict(set)
    for m in read_jsonl(base / "mentions-train-dev.jsonl"):
        if m["split"] == "train" and m["type"] == "event" and m["cluster_kind"] == "cross_doc":
            events[(m["doc_id"], m["sent_id"])].add(m["cluster_id"])
    selected = [(d, s["sent_id"]) for d in docs for s in d["sentences"] if s["selected"]]
    pairs = []
    for (da, sa), (db, sb) in combinations(selected, 2):
        if da["topic"] != db["topic"] or da["doc_id"] == db["doc_id"]:
            continue
        shared_events = events[(da["doc_id"], sa)] & events[(db["doc_id"], sb)]
        pairs.append(
            {
                "doc_a": da["doc_id"],
                "sent_a": sa,
                "doc_b": db["doc_id"],
                "sent_b": sb,
                "label": int(bool(shared_events)),
                "same_subtopic": da["subtopic"] == db["subtopic"],
            }
        )
    return pairs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=("dev", "train"), default="dev")
    ap.add_argument("--cache", type=Path)
    ap.add_argument("--link", type=float)
    ap.add_argument("--event-distance", type=float)
    ap.add_argument("--max-rank", type=int)
    ap.add_argument("--min-cosine", type=float)
    ap.add_argument("--min-embedding", type=float)
    ap.add_argument("--max-embedding-rank", type=int)
    ap.add_argument("--max-embedded", type=int)
    ap.add_argument("--predicate-repeats", type=int)
    args = ap.parse_args()
    shared = require_shared()
    sys.path.insert(0, str(shared / "eval"))
    import score_facts  # the scorer's own code, read at run time

    pairs = (("link", args.link), ("event_distance", args.event_distance))
    pairs += (("max_rank", args.max_rank), ("min_cosine", args.min_cosine))
    pairs += (("min_embedding", args.min_embedding), ("max_embedding_rank", args.max_embedding_rank))
    pairs += (("max_embedded", args.max_embedded), ("predicate_repeats", args.predicate_repeats))
    overrides = {k: v for k, v in pairs if v is not None}
    if overrides:
        tuned = dataclasses.replace(facts.settings(), **overrides)
        facts.settings = lambda: tuned  # type: ignore[assignment]
    arts, analyses, assignment = prepare(args.split, args.cache, score_facts.write_input)
    grouped = group_by_story(arts, analyses, assignment)
    t = time.perf_counter()
    dossier = Dossier(stories=[Story(story=sid, facts=facts.build_facts(items)) for sid, items in grouped.items()])
    dt = time.perf_counter() - t
    if args.split == "dev":
        pairs = read_jsonl(shared / "bench" / "facts-ecbplus" / "dev_sentence_pairs.jsonl")
    else:
        pairs = train_pairs(shared)
    res = score_facts.score(pairs, json.loads(dossier.model_dump_json()))
    hard_fp, hard = (int(x) for x in res["hard_negatives_linked"].split("/"))
    sizes = [len(f.support) for st in dossier.stories for f in st.facts if len({s.article for s in f.support}) > 1]
    print(
        f"ecbplus-{args.split} fact linking: P {res['precision']:.3f} R {res['recall']:.3f} F1 {res['f1']:.3f} "
        f"(bar 0.75); hard negatives linked {hard_fp}/{hard} = {hard_fp / max(hard, 1):.1%} (bar <= 2%); "
        f"{len(arts)} articles, {len(grouped)} stories, facts in {dt:.2f} s"
    )
    if sizes:  # a fact is statements that report one piece of information, not a whole event
        print(
            f"statements per fact across articles ({len(sizes)} facts): median {statistics.median(sizes):g}, "
            f"95th percentile {np.percentile(sizes, 95):g}, max {max(sizes)}"
        )


if __name__ == "__main__":
    main()
