"""Where benchmarks find ../shared (the evaluation data beside the repo), if it is there."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def require_shared() -> Path:
    """The shared folder, or exit 0 with a note when it is absent (benchmarks skip cleanly)."""
    if not SHARED.is_dir():
        print(f"skipped: {SHARED} not found (the shared benchmark data sits beside the repo)")
        sys.exit(0)
    return SHARED


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


ROOT = Path(__file__).resolve().parents[1]
CLI = 'import sys; from storydesk.cli import main; sys.argv[0] = "storydesk"; main()'


def start_storydesk(args: list[str]) -> subprocess.Popen[bytes]:
    """``storydesk ARGS`` of this checkout as a new process in rules mode, stderr piped, in its
    own session: a kill of its group reaches the worker processes it started."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "STORYDESK_QUOTES": "rules", "COLUMNS": "200"}
    return subprocess.Popen(
        [sys.executable, "-c", CLI, *args],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


BENCH_CORPORA = ("stories-basil-dev", "stories-ecbplus", "stories-gva")


def corpus_articles(shared: Path, count: int) -> list[Any]:
    """The first ``count`` readable articles of the bench corpora (BASIL dev, ECB+, GVA), each
    text once, read as ``storydesk ingest`` reads them."""
    from storydesk.errors import InputError
    from storydesk.ingest import article_key, read_inputs

    paths = [str(shared / "bench" / name / "articles.jsonl") for name in BENCH_CORPORA]
    seen: set[str] = set()
    out: list[Any] = []
    for item in read_inputs(paths):
        if isinstance(item, InputError) or (key := article_key(item)) in seen:
            continue
        seen.add(key)
        out.append(item)
        if len(out) == count:
            break
    return out
