"""Cross-checking speed: facts, disputes, brief and sourcing for a story of many articles, after
analysis (bar: the whole dossier of 50 articles in a median <= 1.2 s on 2 cores, with no spaCy
call: positions read the parses the analyses keep).

usage: .venv/bin/python benchmarks/bench_facts.py [--articles 50] [--repeat 5]

Takes the largest ECB+ topic's articles from ../shared (news reports of one kind of event),
analyses them once (not timed), then times ``facts.cross_check``, ``brief.build_brief`` and
``sourcing.build_sourcing`` on them as one story (loading the sentence encoder on the way), and
the whole ``dossier.build_story`` (encoder loaded), counting the spaCy pipeline calls it makes.
Sentence encoding is most of cross-checking's time; the first line says how many statements were
embedded.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from spacy.language import Language

from _shared import read_jsonl, require_shared
from storydesk import pipeline
from storydesk.crosscheck import clauses, facts
from storydesk.dossier import brief, sourcing
from storydesk.dossier import build as dossier
from storydesk.models import Article


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=50)
    ap.add_argument("--repeat", type=int, default=5, help="timed runs of the whole dossier")
    args = ap.parse_args()
    shared = require_shared()
    sys.path.insert(0, str(shared / "eval"))
    import score_facts  # rebuilds ECB+ article texts

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "train.jsonl"
        score_facts.write_input("train", str(path))
        docs = read_jsonl(path)
    topic = Counter(d["id"].split("_")[0] for d in docs).most_common(1)[0][0]
    chosen = [d for d in docs if d["id"].split("_")[0] == topic]
    chosen += [d for d in docs if d not in chosen]
    arts = [Article(id=d["id"], text=d["text"]) for d in chosen[: args.articles]]
    items = list(zip(arts, pipeline.analyze(arts), strict=True))
    words = sum(len(a.text.split()) for a in arts)
    t = time.perf_counter()
    check = facts.cross_check(items)
    brief.build_brief(check.facts, check.disputes)
    sourcing.build_sourcing(items, check.facts, check.disputes)
    dt = time.perf_counter() - t
    linked = sum(len({s.article for s in f.support}) > 1 for f in check.facts)
    statements = [st for art, an in items for st in clauses.units(art, an)]
    settings = facts.settings()
    embedded = facts.embedded_statements(statements, facts.event_groups(statements, settings), settings.max_embedded)
    print(
        f"cross-check: {len(arts)} articles ({words} words), {len(check.facts)} facts ({linked} across articles, "
        f"{len(check.disputes)} disputed) in {dt:.2f} s, the first call loading the sentence encoder; "
        f"{len(embedded)} of {len(statements)} statements embedded"
    )
    times = []
    with _counting_spacy_calls() as calls:
        for _ in range(args.repeat):  # the median of a few runs: one run on a shared machine is noise
            t = time.perf_counter()
            dossier.build_story("bench", items)
            times.append(time.perf_counter() - t)
    print(
        "whole dossier (actors, facts, brief, sourcing, positions, consensus): "
        f"median {statistics.median(times):.2f} s of {len(times)} runs "
        f"({min(times):.2f} to {max(times):.2f}) (bar <= 1.2 s); spaCy pipeline calls: {calls[0]} (bar 0)"
    )


@contextlib.contextmanager
def _counting_spacy_calls() -> Iterator[list[int]]:
    """Counts calls of a spaCy pipeline (``nlp(text)``, ``nlp.pipe(texts)``) within the block."""
    calls = [0]
    call, pipe = Language.__call__, Language.pipe

    def counted_call(self: Language, *args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        return call(self, *args, **kwargs)

    def counted_pipe(self: Language, *args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        return pipe(self, *args, **kwargs)

    Language.__call__, Language.pipe = counted_call, counted_pipe  # type: ignore[method-assign]
    try:
        yield calls
    finally:
        Language.__call__, Language.pipe = call, pipe  # type: ignore[method-assign]


if __name__ == "__main__":
    main()
