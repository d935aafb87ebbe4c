"""Where benchmarks find ../shared (the evaluation data beside the repo), if it is there."""

from __future__ import annotations

import json
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
