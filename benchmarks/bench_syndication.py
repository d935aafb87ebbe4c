"""Copy (syndication) detection: modified copies injected into stories-gva from ../shared.

usage: .venv/bin/python benchmarks/bench_syndication.py [--copies N] [--seed S]

Each of N randomly chosen gva articles gets one copy under another headline, from another
outlet a day or two later, modified at random: trimmed (the last 10-50% of its sentences cut),
extended (one to three sentences added before and after, from
articles left out of the set), a middle
sentence dropped, or several of these. Copies of a wire story look like that.

gva itself holds copies (the same local report on several sites), so the truth is relative to
a run on gva alone: a pair with an injected copy is right when the other article is its original,
one of the original's own copies, or another injected copy of those. Recall: injected copies
grouped with their original. Precision: right pairs among all found pairs with an injected copy.
Bars: both >= 0.95.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections import defaultdict
from datetime import date, timedelta

from _shared import read_jsonl, require_shared
from storydesk.models import Article
from storydesk.stories import syndication

BAR = 0.95
FILLER_ARTICLES = 300
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.split(text) if s.strip()]


def _modified(original: Article, filler: list[str], rng: random.Random, n: int) -> Article:
    sentences = _sentences(original.text)
    changes = rng.sample(["trim", "extend", "drop"], rng.randint(1, 3))
    if "drop" in changes and len(sentences) > 4:
        del sentences[rng.randrange(1, len(sentences) - 1)]
    if "trim" in changes and len(sentences) > 3:
        sentences = sentences[: max(2, round(len(sentences) * rng.uniform(0.5, 0.9)))]
    if "extend" in changes:
        sentences = rng.sample(filler, rng.randint(1, 3)) + sentences + rng.sample(filler, rng.randint(1, 3))
    when = None
    if original.date:
        when = (date.fromisoformat(original.date[:10]) + timedelta(days=rng.randint(0, 2))).isoformat()
    words = original.text.split()
    title = " ".join(rng.sample(words, min(6, len(words)))).capitalize()
    return Article(id=f"copy-{n}", text=" ".join(sentences), title=title, date=when, source=f"outlet{n}.example")


def _groups(copies: dict[str, syndication.Origin]) -> dict[str, set[str]]:
    members: dict[str, set[str]] = defaultdict(set)
    for article_id, origin in copies.items():
        members[origin.article].add(article_id)
    return {a: members[o.article] for a, o in copies.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--copies", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    shared = require_shared()
    rows = read_jsonl(shared / "bench" / "stories-gva" / "articles.jsonl")
    everything = [Article(id=r["id"], text=r["text"], title=r.get("title"), date=r.get("date")) for r in rows]
    rng = random.Random(args.seed)
    rng.shuffle(everything)
    # Added paragraphs come from articles left out of the set: an outlet's own text.
    held_out, base = everything[:FILLER_ARTICLES], everything[FILLER_ARTICLES:]
    originals = rng.sample(base, args.copies)
    filler = [s for a in held_out for s in _sentences(a.text)]
    injected = {f"copy-{n}": o.id for n, o in enumerate(originals)}
    copies_made = [_modified(o, filler, rng, n) for n, o in enumerate(originals)]

    start = time.perf_counter()
    alone = _groups(syndication.find_copies(base))
    secs_alone = time.perf_counter() - start
    found = syndication.find_copies(base + copies_made)
    members = _groups(found)

    def family(original: str) -> set[str]:
        own = alone.get(original, {original})
        return own | {c for c, o in injected.items() if o in own}

    hits = sum(injected[c] in members.get(c, set()) for c in injected)
    right = total = 0
    for c in injected:
        partners = members.get(c, set()) - {c}
        total += len(partners)
        right += len(partners & family(injected[c]))
    precision = right / total if total else 1.0
    recall = hits / len(injected)
    print(
        f"gva alone: {len(base)} articles, {len(set(map(frozenset, alone.values())))} groups of copies, "
        f"{len(base) / secs_alone:.0f} articles/s"
    )
    print(f"{len(injected)} injected copies: precision {precision:.3f} ({right}/{total} pairs), recall {recall:.3f}")
    verdict = "ok" if precision >= BAR and recall >= BAR else f"BELOW BAR {BAR}"
    print(verdict)
    if verdict != "ok":
        sys.exit(1)


if __name__ == "__main__":
    main()
