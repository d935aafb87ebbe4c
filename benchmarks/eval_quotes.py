"""Dev evaluation of quote attribution: PolNeAR scores, the seed sanity check and speed.

usage: python benchmarks/eval_quotes.py [--split dev|train] [--limit N] [--no-speed] [--no-seeds]
                                       [--fast] [--tag-cache FILE]

Scores the default mode (the tagger with the rules' help); ``--fast`` the rules and linear model
alone (``analyze --fast``). ``--tag-cache`` keeps the tagger's raw spans per text in a pickle, so
tuning the linking step re-runs quickly.

Reads ``../shared`` beside the repository root at run time (benchmark data is never copied into
the repo) and exits quietly when it is absent.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

SHARED = Path(__file__).resolve().parents[2] / "shared"


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


TAGGER = True


def _analyze(texts: dict[str, str]) -> tuple[list[Any], float]:
    from storydesk.models import Article
    from storydesk.pipeline import analyze

    t0 = time.perf_counter()
    out = list(analyze((Article(id=i, text=t) for i, t in texts.items()), tagger=TAGGER))
    return out, time.perf_counter() - t0


def _cache_tags(path: Path) -> None:
    """Memoises the tagger's spans per text in ``path`` (a tuning aid; timings then mean little)."""
    import atexit
    import pickle

    from storydesk.quotes.tagger import QuoteTagger

    cache: dict[str, Any] = pickle.loads(path.read_bytes()) if path.exists() else {}
    tag = QuoteTagger.tag

    def cached(self: QuoteTagger, text: str) -> Any:
        if text not in cache:
            cache[text] = tag(self, text)
        return cache[text]

    QuoteTagger.tag = cached  # type: ignore[method-assign]
    atexit.register(lambda: path.write_bytes(pickle.dumps(cache)))


def _warm_up() -> None:
    """Loads both pipelines before any timing, so the speed figures compare processing only."""
    from storydesk import nlp

    for pipeline in (nlp.load(TAGGER), nlp.load_base()):
        pipeline("Warm-up text, said nobody.")


def polnear(split: str, limit: int | None, speed: bool) -> None:
    from score_quotes import score

    _warm_up()
    gold = _read_jsonl(SHARED / "bench" / "quotes-polnear" / f"{split}.jsonl")[:limit]
    texts = {g["id"]: g["text"] for g in gold}
    results, seconds = _analyze(texts)
    res = score(gold, [r.contract() for r in results])
    print(f"PolNeAR {split} ({len(gold)} articles)")
    for key in ("loose", "strict", "attribution", "recall_by_type", "counts"):
        print(f"  {key:16} {res[key]}")
    print(f"  speaker accuracy {res['speaker_accuracy']}, cue accuracy {res['cue_accuracy']}")
    if speed:
        from storydesk import nlp

        words = sum(len(t.split()) for t in texts.values())
        t0 = time.perf_counter()
        for _ in nlp.load_base().pipe(texts.values()):
            pass
        bare = time.perf_counter() - t0
        print(
            f"  speed: analyze {words / seconds:.0f} words/s, bare nlp.pipe {words / bare:.0f} words/s, "
            f"ratio {bare / seconds:.2f}"
        )


def seeds() -> None:
    from _common import match_spans, same_name

    gold = json.loads((SHARED / "gold" / "seeds.json").read_text(encoding="utf-8"))
    files = sorted((SHARED / "corpus" / "seeds").glob("*.txt"))
    results, _ = _analyze({f.name: f.read_text(encoding="utf-8") for f in files})
    people = {p["name"]: p["aliases"] for p in gold["people"]}
    found = right = 0
    misses: list[str] = []
    for r in results:
        gq = [q for q in gold["quotes"] if q["article"] == r.id]
        pq = r.quotes
        pairs = match_spans([q["span"] for q in gq], [list(q.span) for q in pq], 0.5, shorter=True)
        for gi, g in enumerate(gq):
            if gi not in pairs:
                misses.append(f"missed {g['text'][:70]!r}")
                continue
            found += 1
            sp = pq[pairs[gi]].speaker
            if g["anonymous"]:
                ok = bool(sp and sp.anonymous)
            else:
                ok = bool(sp and same_name(sp.name, g["speaker"], people.get(g["speaker"], [])))
            right += ok
            if not ok:
                misses.append(f"speaker {sp.name if sp else None!r} for {g['text'][:50]!r} (gold {g['speaker']!r})")
    actors = [a for r in results for a in r.actors if a.kind == "person"]
    people_found = sum(
        any(same_name(x, name, aliases) for a in actors for x in (a.name, *a.aliases))
        for name, aliases in people.items()
    )
    n = len(gold["quotes"])
    print(f"seeds: quotes found {found}/{n}, right speaker {right}/{n}, people {people_found}/{len(people)}")
    for m in misses:
        print("  -", m)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="dev", choices=("dev", "train"))
    parser.add_argument("--limit", type=int)
    parser.add_argument("--no-speed", action="store_true")
    parser.add_argument("--no-seeds", action="store_true")
    parser.add_argument("--fast", action="store_true", help="score the rules alone (analyze --fast)")
    parser.add_argument("--tag-cache", type=Path, help="pickle of the tagger's spans per text")
    args = parser.parse_args()
    global TAGGER
    TAGGER = not args.fast
    if args.tag_cache:
        _cache_tags(args.tag_cache)
    if not (SHARED / "eval" / "score_quotes.py").exists():
        print(f"skipped: {SHARED} is absent")
        return
    sys.path.insert(0, str(SHARED / "eval"))
    polnear(args.split, args.limit, not args.no_speed)
    if not args.no_seeds:
        seeds()


if __name__ == "__main__":
    main()
