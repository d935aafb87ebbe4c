"""The story brief: the few facts that matter most, each told by a sentence taken from an article.

A fact matters by how widely independent outlets report it, by being disputed (readers must know
where accounts differ), and by how central it is (how many articles support it). Each item keeps
its fact's own sentence (extractive: no text is written), its outlets and its status.
"""

from __future__ import annotations

from collections.abc import Sequence

from storydesk.models import BriefItem, Dispute, Fact

BRIEF_SIZE = 5


def _weight(fact: Fact, disputed: bool) -> tuple[int, int, int]:
    return (fact.independent_sources + (2 if disputed else 0), len(fact.support), -len(fact.text))


def build_brief(facts: Sequence[Fact], disputes: Sequence[Dispute] = (), size: int = BRIEF_SIZE) -> list[BriefItem]:
    """Up to ``size`` facts for the brief, most important first; single-source facts only when
    nothing better fills it."""
    disputed = {d.fact for d in disputes}
    order = sorted(range(len(facts)), key=lambda k: _weight(facts[k], k in disputed), reverse=True)
    items = []
    for k in order[:size]:
        fact = facts[k]
        lead = fact.support[0] if fact.support else None
        outlets = list(dict.fromkeys(s.outlet for s in fact.support if s.outlet))
        items.append(
            BriefItem(
                fact=k,
                text=lead.text if lead else fact.text,
                article=lead.article if lead else "",
                outlet=lead.outlet if lead else None,
                span=lead.span if lead else (0, 0),
                status=fact.status,
                outlets=outlets,
            )
        )
    return items
