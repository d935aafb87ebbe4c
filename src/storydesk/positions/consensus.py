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

from storydesk.models import Analysis, Article, Consensus, Positions, Stance
from storydesk.positions import holders as positions_mod
from storydesk.positions import seats
from storydesk.positions.bodies import Body, load_bodies

__all__ = ["Body", "assess", "load_bodies", "tally"]

AGREEING: frozenset[Stance] = frozenset({"support"})
NOT_OBJECTING: frozenset[Stance] = frozenset({"support", "neutral"})


def _mentions(body: Body, text: str) -> int:
    for other in body.excludes:  # "White House" is not the House
        text = re.sub(rf"(?<!\w){re.escape(other)}(?!\w)", " ", text)
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


def tally(body: Body, positions: Positions, items: Sequence[tuple[Article, Analysis]] = ()) -> Consensus:
    """The body's consensus on the question from its members' known stances (a body that
    decides by seats finds its members in the articles ``items``: :mod:`.seats`)."""
    if body.rule == "seat_majority":
        return seats.tally(body, positions, items)
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
    return tally(body, positions, items) if body is not None else None
