"""Loads the heuristic data files under ``storydesk/data/`` (word lists, outlets, variants).

Data stays apart from code: a ``.txt`` file holds one item per line (``#`` starts a comment),
a ``.yaml`` file holds structured entries. Each file is read once per process.
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

import yaml


def _read(name: str) -> str:
    return resources.files("storydesk").joinpath("data", name).read_text(encoding="utf-8")


@functools.cache
def lines(name: str) -> tuple[str, ...]:
    """The non-empty, non-comment lines of data file ``name``, stripped."""
    out = []
    for raw in _read(name).splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            out.append(line)
    return tuple(out)


@functools.cache
def groups(name: str, sep: str = "|") -> tuple[tuple[str, ...], ...]:
    """Lines of ``name`` split on ``sep``: one group of equivalent items per line."""
    return tuple(tuple(part.strip() for part in line.split(sep) if part.strip()) for line in lines(name))


@functools.cache
def yaml_data(name: str) -> Any:
    """The parsed content of YAML data file ``name``."""
    return yaml.safe_load(_read(name))
