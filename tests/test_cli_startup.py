"""The command answers ``--version`` and ``--help`` without importing the heavy libraries: they take
seconds to import (spaCy and torch alone 2-4 s here), so the CLI imports them, and the library
modules that need them, in the commands that use them. Checked by what a fresh interpreter has
imported, not by a timing, which would fail on a busy machine."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import storydesk

HEAVY = ("spacy", "torch", "transformers", "sentence_transformers", "sklearn", "sqlalchemy", "fastapi")
# The CLI's own start-up needs only these of storydesk (pydantic models cost 0.2-0.3 s on their own).
STARTUP_MODULES = {"storydesk", "storydesk.cli", "storydesk.errors"}

# Runs the command as the installed script does, then prints what it imported.
PROBE = """
import json
import sys
{before}
from storydesk.cli import main
sys.argv = ["storydesk", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)))
"""


def imported(args: list[str], before: str = "") -> tuple[list[str], set[str]]:
    """The heavy libraries and the storydesk modules that ``storydesk ARGS`` imports."""
    src = str(Path(storydesk.__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (src, os.environ.get("PYTHONPATH")) if p)}
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(before=before), *args],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=120,
    )
    modules: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    heavy = sorted({m.split(".")[0] for m in modules} & set(HEAVY))
    return heavy, {m for m in modules if m.split(".")[0] == "storydesk"}


@pytest.mark.parametrize(
    "args",
    [["--version"], ["--help"], ["show", "--help"], ["analyze", "--help"], ["search", "--help"], ["export", "--help"]],
)
def test_version_and_help_import_no_heavy_library(args: list[str]) -> None:
    heavy, own = imported(args)
    assert heavy == []
    assert own <= STARTUP_MODULES


def test_the_probe_sees_a_heavy_import() -> None:
    # the check can fail: a start-up that pulls in the store shows SQLAlchemy and the store
    heavy, own = imported(["--version"], before="import storydesk.store")
    assert "sqlalchemy" in heavy
    assert "storydesk.store" in own - STARTUP_MODULES
