"""The house rules: no import cycle among storydesk's modules, and stage packages import only
downward. Imports inside functions count; those under ``if TYPE_CHECKING:`` do not."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

SRC = Path(__file__).resolve().parents[1] / "src" / "storydesk"

# Lowest first. A module may import its own layer and the layers below, never one above.
LAYERS: tuple[tuple[str, ...], ...] = (
    (
        "storydesk",
        "errors",
        "models",
        "resources",
        "settings",
        "lexicon",
        "text",
        "embeddings",
        "deadline",
        "language",
        "outlets",
    ),
    ("annotate",),
    ("quotes",),
    ("stories",),
    ("crosscheck",),
    ("positions",),
    ("dossier",),
    ("nlp", "pipeline", "dask_workers", "chunks", "listing", "store", "ingest"),
    ("desk", "render"),
    ("web", "cli", "__main__"),
)
LAYER_OF = {name: i for i, names in enumerate(LAYERS) for name in names}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imported_modules(path: Path, known: set[str]) -> set[str]:
    """The storydesk modules that ``path`` imports (``from pkg import mod`` names the module)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and _is_type_checking(node):
            skip |= {id(n) for child in node.body for n in ast.walk(child)}
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("storydesk")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("storydesk"):
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                found.add(sub if sub in known else node.module)
    return {m for m in found if m in known}


def import_graph() -> nx.DiGraph:
    paths = {module_name(p): p for p in SRC.rglob("*.py") if "migrations" not in p.parts}
    graph = nx.DiGraph()
    graph.add_nodes_from(paths)
    for name, path in paths.items():
        for target in imported_modules(path, set(paths)):
            if target != name:
                graph.add_edge(name, target)
    return graph


def layer(module: str) -> int:
    parts = module.split(".")
    top = parts[1] if len(parts) > 1 else "storydesk"
    assert top in LAYER_OF, f"{module} is in no layer: add its package to LAYERS"
    return LAYER_OF[top]


def test_no_import_cycles() -> None:
    cycles = list(nx.simple_cycles(import_graph()))
    assert not cycles, f"import cycles: {cycles[:5]}"


def test_stages_import_only_downward() -> None:
    upward = [(a, b) for a, b in import_graph().edges if layer(b) > layer(a)]
    assert not upward, f"upward imports: {upward}"


def test_the_checks_can_fail(tmp_path: Path) -> None:
    # A module under TYPE_CHECKING does not count; one inside a function does.
    source = tmp_path / "m.py"
    source.write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from storydesk import cli\n"
        "def f():\n    from storydesk.web import app\n",
        encoding="utf-8",
    )
    assert imported_modules(source, {"storydesk.cli", "storydesk.web.app"}) == {"storydesk.web.app"}
    assert layer("storydesk.web.app") > layer("storydesk.annotate.actors")
