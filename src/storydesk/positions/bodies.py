"""Decision bodies as data: who decides and by which rule (``data/bodies.yaml``, extended or
overridden by a user file of the same shape, ``--bodies``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from storydesk import resources
from storydesk.errors import InputError


@dataclass(frozen=True)
class Bloc:
    """A party's caucus in a body that decides by seats: its seats and the words that tag its
    members ("R" in "R-Ohio", "Republican")."""

    seats: int
    tags: tuple[str, ...]


@dataclass(frozen=True)
class Body:
    name: str
    rule: str
    members: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    veto: tuple[str, ...] = ()
    votes: int = 0
    members_share: float = 0.0
    population_share: float = 0.0
    blocking_members: int = 0
    population: dict[str, float] = field(default_factory=dict)
    # seat_majority bodies (legislatures, courts): see data/bodies.yaml
    seats: int = 0
    supermajorities: tuple[tuple[str, int], ...] = ()
    titles: tuple[str, ...] = ()
    blocs: dict[str, Bloc] = field(default_factory=dict)
    excludes: tuple[str, ...] = ()  # names that hold an alias but are other bodies

    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


RULES = ("unanimity", "qualified_majority", "veto_majority", "seat_majority")


def _strings(values: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in values or [])


def _items(mapping: Any) -> list[tuple[Any, Any]]:
    return list((mapping or {}).items())


def _body(entry: dict[str, Any], where: str) -> Body:
    try:
        body = Body(
            name=str(entry["name"]),
            rule=str(entry["rule"]),
            members=_strings(entry.get("members") if entry["rule"] == "seat_majority" else entry["members"]),
            aliases=_strings(entry.get("aliases")),
            veto=_strings(entry.get("veto")),
            votes=int(entry.get("votes", 0)),
            members_share=float(entry.get("members_share", 0.0)),
            population_share=float(entry.get("population_share", 0.0)),
            blocking_members=int(entry.get("blocking_members", 0)),
            population={str(k): float(v) for k, v in entry.get("population", {}).items()},
            seats=int(entry.get("seats", 0)),
            supermajorities=tuple((str(k), int(v)) for k, v in _items(entry.get("supermajorities"))),
            titles=_strings(entry.get("titles")),
            blocs={
                str(k): Bloc(int(v["seats"]), _strings(v.get("tags"))) for k, v in (entry.get("blocs") or {}).items()
            },
            excludes=_strings(entry.get("excludes")),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise InputError(where, f"bad body entry {entry!r}: {exc}") from exc
    if body.rule not in RULES:
        raise InputError(where, f"body {body.name!r}: rule {body.rule!r} is not one of {', '.join(RULES)}")
    if body.rule == "seat_majority" and not 0 < body.votes <= body.seats:
        raise InputError(where, f"body {body.name!r}: seat_majority needs 0 < votes <= seats")
    return body


def load_bodies(extra: Path | None = None) -> list[Body]:
    """The bundled bodies, plus (replacing any of the same name) those of a user YAML file."""
    bodies = {b.name: b for b in (_body(e, "bodies.yaml") for e in resources.yaml_data("bodies.yaml"))}
    if extra is not None:
        try:
            entries = yaml.safe_load(extra.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise InputError(str(extra), f"cannot read bodies: {exc}") from exc
        if not isinstance(entries, list):
            raise InputError(str(extra), "a bodies file is a YAML list of bodies")
        bodies |= {b.name: b for b in (_body(e, str(extra)) for e in entries)}
    return list(bodies.values())
