"""Loads the files under ``storydesk/data/``: word lists, outlets, variants, and the trained models.

Data stays apart from code: a ``.txt`` file holds one item per line (``#`` starts a comment),
a ``.yaml`` file holds structured entries. Each file is read once per process. Model files
(weights, a JSON or joblib model) are read by the libraries that load them, from
:func:`path`; the training scripts write them there.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml

# storydesk is installed as files (pip does not zip it), so its data has a path on disk.
DATA = Path(__file__).resolve().parent / "data"


def path(*parts: str) -> Path:
    """The path of data file ``parts`` ("quotes", "model.json"), for what is read by path."""
    return DATA.joinpath(*parts)


def _read(name: str) -> str:
    return path(name).read_text(encoding="utf-8")


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
