"""Can the body decide? A decision body's members, its rule and the tally of known stances.

Bodies are data (``data/bodies.yaml``, extended by a user file of the same shape). A story
concerns a body when its articles name it and the question or a stance's evidence does too;
of several, the one its articles name most. A member's stance is the state's own position,
else the one its officials hold ("Hungarian Foreign Minister X": ``Position.affiliation``).

``reached`` is True only when the rule is met by known stances; it is False when the rule is
defeated (see ``blocking``) and when too few stances are known to meet it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from storydesk import resources
from storydesk.errors import InputError
from storydesk.models import Analysis, Article, Consensus, Positions, Stance
from storydesk.positions import holders as positions_mod

AGREEING: frozenset[Stance] = frozenset({"support"})
NOT_OBJECTING: frozenset[Stance] = frozenset({"support", "neutral"})


@dataclass(frozen=True)
class Body:
    name: str
    rule: str
    members: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    veto: tuple[str, ...] = ()
    votes: int = 0
    members_share: float = 0.0
    population_share: float = 0.0
    blocking_members: int = 0
    population: dict[str, float] = field(default_factory=dict)

    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


RULES = ("unanimity", "qualified_majority", "veto_majority")


def _body(entry: dict[str, Any], where: str) -> Body:
    try:
        body = Body(
            name=str(entry["name"]),
            rule=str(entry["rule"]),
            members=tuple(str(m) for m in entry["members"]),
            aliases=tuple(str(a) for a in entry.get("aliases", [])),
            veto=tuple(str(v) for v in entry.get("veto", [])),
            votes=int(entry.get("votes", 0)),
            members_share=float(entry.get("members_share", 0.0)),
            population_share=float(entry.get("population_share", 0.0)),
            blocking_members=int(entry.get("blocking_members", 0)),
            population={str(k): float(v) for k, v in entry.get("population", {}).items()},
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise InputError(where, f"bad body entry {entry!r}: {exc}") from exc
    if body.rule not in RULES:
        raise InputError(where, f"body {body.name!r}: rule {body.rule!r} is not one of {', '.join(RULES)}")
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


def _mentions(body: Body, text: str) -> int:
    return sum(len(re.findall(rf"(?<!\w){re.escape(n)}(?!\w)", text)) for n in body.names())


def concerned_body(
    positions: Positions, items: Sequence[tuple[Article, Analysis]], bodies: Sequence[Body]
) -> Body | None:
    """The body the story's question is about, or None."""
    tied = " ".join([positions.question or "", *(e.text for p in positions.stances for e in p.evidence)])
    story = " ".join(a.text for a, _ in items)
    counts = {b.name: _mentions(b, story) for b in bodies if _mentions(b, tied) and _mentions(b, story)}
    if not counts:
        return None
    best = max(counts, key=lambda name: counts[name])
    return next(b for b in bodies if b.name == best)


def member_stances(positions: Positions, body: Body) -> dict[str, Stance]:
    """Each member's known stance: the state's own, else its officials' combined."""
    members = set(body.members)
    own = {p.actor: p.stance for p in positions.stances if p.actor in members}
    officials: dict[str, list[Stance]] = {}
    for p in positions.stances:
        if p.affiliation in members and p.affiliation not in own:
            officials.setdefault(p.affiliation, []).append(p.stance)
    return own | {state: positions_mod.combine(found) for state, found in officials.items()}


def _unanimity(body: Body, known: dict[str, Stance]) -> tuple[bool, list[str]]:
    blocking = [m for m in body.members if known.get(m) == "oppose"]
    reached = not blocking and all(known.get(m) in NOT_OBJECTING for m in body.members)
    return reached, blocking


def _qualified_majority(body: Body, known: dict[str, Stance]) -> tuple[bool, list[str]]:
    total = sum(body.population.get(m, 0.0) for m in body.members) or 1.0
    yes = [m for m in body.members if known.get(m) in AGREEING]
    no = [m for m in body.members if known.get(m) == "oppose"]
    yes_pop = sum(body.population.get(m, 0.0) for m in yes) / total
    no_pop = sum(body.population.get(m, 0.0) for m in no) / total
    needed = math.ceil(body.members_share * len(body.members))
    blocked = (len(no) >= body.blocking_members and no_pop > 1 - body.population_share) or (
        len(no) > len(body.members) - needed
    )
    reached = not blocked and len(yes) >= needed and yes_pop >= body.population_share
    return reached, no if blocked else []


def _veto_majority(body: Body, known: dict[str, Stance]) -> tuple[bool, list[str]]:
    yes = [m for m in body.members if known.get(m) in AGREEING]
    no = [m for m in body.members if known.get(m) == "oppose"]
    vetoes = [m for m in no if m in body.veto]
    outvoted = len(no) > len(body.members) - body.votes
    blocking = no if outvoted else vetoes
    return not blocking and len(yes) >= body.votes, blocking


TALLIES = {"unanimity": _unanimity, "qualified_majority": _qualified_majority, "veto_majority": _veto_majority}


def tally(body: Body, positions: Positions) -> Consensus:
    """The body's consensus on the question from its members' known stances."""
    known = member_stances(positions, body)
    reached, blocking = TALLIES[body.rule](body, known)
    return Consensus(
        body=body.name,
        members=len(body.members),
        rule=body.rule.replace("_", " "),
        reached=reached,
        opposed=[m for m in body.members if known.get(m) == "oppose"],
        supporting=[m for m in body.members if known.get(m) == "support"],
        unknown=[m for m in body.members if m not in known],
        blocking=blocking,
    )


def assess(positions: Positions, items: Sequence[tuple[Article, Analysis]], bodies: Sequence[Body]) -> Consensus | None:
    """The consensus tally of the body the story concerns, or None when it concerns none."""
    body = concerned_body(positions, items, bodies)
    return tally(body, positions) if body is not None else None
