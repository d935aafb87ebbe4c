"""Bodies that decide by seats (legislatures, courts): who sits in them, and whether the stances
reported carry the vote.

Members are found in the articles, not listed (a senate has 100): an actor named after one of
the body's titles ("Sen. Ann Berry", "Justice X") is a member, with the party a tag ("Berry
(R-Ohio)", "Berry, D-Maine,") or a party word ("Republican Sen. Berry", "Berry, a Democrat")
gives. A body that lists its members (a court) also knows them by name. A bloc (a party's
caucus: "Senate Republicans", "the GOP") that takes a side carries its seats, less those of its
members reported otherwise; every other member counts for one seat. Nothing is guessed for the
seats of which nothing is reported: ``reached`` needs the reported supporters to hold the votes,
``blocked`` the reported opponents to hold enough seats to defeat it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from storydesk.models import Analysis, Article, Consensus, Position, Positions, Stance, Threshold
from storydesk.positions.bodies import Body

SIDES: tuple[Stance, Stance] = ("support", "oppose")
# Words that name a chamber: a bloc named with another chamber's word ("House Republicans" for
# the Senate) is not this body's bloc.
CHAMBER_WORDS = frozenset({"House", "Senate", "Assembly", "Parliament", "Congress", "Court", "state", "State"})


@dataclass(frozen=True)
class Seat:
    """A member found in the text, with the bloc (party) the text gives it, if any."""

    name: str
    bloc: str | None


def _alternation(words: Sequence[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _bloc_of_tag(body: Body, tag: str) -> str | None:
    return next((name for name, bloc in body.blocs.items() if tag in bloc.tags), None)


def _party_of(body: Body, name: str, text: str) -> str | None:
    """The bloc the text gives ``name``: "(R-Ohio)", "R-Ohio," after it, "Republican" before its
    title, or ", a Republican" after it."""
    tags = [t for bloc in body.blocs.values() for t in bloc.tags]
    if not tags:
        return None
    who, tag = re.escape(name), _alternation(tags)
    titles = _alternation(body.titles) if body.titles else r"(?!x)x"
    patterns = (
        rf"{who}\s*[(,]\s*({tag})-[A-Z]",
        rf"(?<!\w)({tag})\s+(?:{titles})\s+(?:\w+\s+){{0,2}}{who}",
        rf"{who},\s+an?\s+({tag})\b",
    )
    for pattern in patterns:
        found = re.search(pattern, text)
        if found:
            return _bloc_of_tag(body, found.group(1))
    return None


def _names(analysis: Analysis) -> Iterator[tuple[str, list[str]]]:
    for actor in analysis.actors:
        if actor.kind == "person" and not actor.anonymous:
            yield actor.name, sorted({actor.name, *actor.aliases}, key=len, reverse=True)


def _titled(body: Body, forms: Sequence[str], text: str) -> bool:
    if not body.titles:
        return False
    titles = _alternation(body.titles)
    return any(re.search(rf"(?<!\w)(?:{titles})\s+(?:\w+\s+){{0,2}}{re.escape(f)}(?!\w)", text) for f in forms)


def _listed(body: Body, name: str) -> bool:
    """True when ``name`` is a listed member: the full name, or one surname of theirs."""
    return any(name == m or (" " not in name and m.split()[-1] == name) for m in body.members)


def members(body: Body, items: Sequence[tuple[Article, Analysis]]) -> dict[str, Seat]:
    """The body's members the articles name, by actor name."""
    found: dict[str, Seat] = {}
    for article, analysis in items:
        for name, forms in _names(analysis):
            if not (_listed(body, name) or _titled(body, forms, article.text)):
                continue
            party = next((p for f in forms if (p := _party_of(body, f, article.text))), None)
            known = found.get(name)
            found[name] = Seat(name, party or (known.bloc if known else None))
    return found


def _seat_for(actor: str, seats: dict[str, Seat]) -> Seat | None:
    """The member a stance holder is: the same name, else the one member with its surname."""
    if actor in seats:
        return seats[actor]
    last = actor.split()[-1] if actor.split() else actor
    same = [s for name, s in seats.items() if name.split()[-1] == last]
    return same[0] if len(same) == 1 else None


def bloc_named(body: Body, actor: str) -> str | None:
    """The bloc ``actor`` names ("Senate Republicans", "Democrats", "the GOP"), or None. An
    actor named by a party word alone is the party (spaCy's NORP group, which the story's actor
    table may name in the singular); a member is found by name first (:func:`_seat_for`)."""
    words = set(actor.split())
    own = {w for n in body.names() for w in n.split()}
    if (words & CHAMBER_WORDS) - own:
        return None
    for name, bloc in body.blocs.items():
        if any(t in words for t in bloc.tags if len(t) > 1):
            return name
    return None


@dataclass
class _Count:
    votes: dict[Stance, int]
    names: dict[Stance, list[str]]


def _count(body: Body, positions: Positions, seats: dict[str, Seat]) -> _Count:
    people: dict[str, tuple[Stance, str | None]] = {}
    blocs: dict[str, Stance] = {}
    for p in positions.stances:
        _place(body, p, seats, people, blocs)
    count = _Count({s: 0 for s in SIDES}, {s: [] for s in SIDES})
    covered: set[str] = set()
    for bloc, stance in blocs.items():
        if stance not in SIDES:
            continue
        others = [n for n, (s, b) in people.items() if b == bloc and s != stance]
        covered |= {n for n, (s, b) in people.items() if b == bloc and s == stance}
        n = max(body.blocs[bloc].seats - len(others), 0)
        count.votes[stance] += n
        count.names[stance].append(f"{bloc} ({n})")
    for name, (stance, _) in people.items():
        if stance in SIDES and name not in covered:
            count.votes[stance] += 1
            count.names[stance].append(name)
    return count


def _place(
    body: Body,
    p: Position,
    seats: dict[str, Seat],
    people: dict[str, tuple[Stance, str | None]],
    blocs: dict[str, Stance],
) -> None:
    seat = _seat_for(p.actor, seats)
    if seat is not None:
        people[seat.name] = (p.stance, seat.bloc)
    elif (bloc := bloc_named(body, p.actor)) is not None:
        blocs[bloc] = p.stance


def tally(body: Body, positions: Positions, items: Sequence[tuple[Article, Analysis]]) -> Consensus:
    """The body's consensus: the seats reported for and against, against each threshold."""
    count = _count(body, positions, members(body, items))
    votes_for, against = count.votes["support"], count.votes["oppose"]
    rules = [("majority", body.votes), *body.supermajorities]
    thresholds = [
        Threshold(name=name, votes=votes, reached=votes_for >= votes, blocked=against > body.seats - votes)
        for name, votes in rules
    ]
    return Consensus(
        body=body.name,
        members=body.seats,
        rule=f"majority ({body.votes} of {body.seats})",
        reached=thresholds[0].reached,
        opposed=count.names["oppose"],
        supporting=count.names["support"],
        blocking=count.names["oppose"] if thresholds[0].blocked else [],
        votes_for=votes_for,
        votes_against=against,
        thresholds=thresholds,
    )
