"""Sourcing profiles: whom each article and each outlet quotes (named against unnamed sources),
the speakers only one outlet quotes, and which outlets report, omit or dispute each fact."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from storydesk.dossier import merge
from storydesk.models import (
    Analysis,
    Article,
    ArticleSourcing,
    CoverageCell,
    CoverageRow,
    Dispute,
    Fact,
    OutletSourcing,
    Quote,
    SourceProfile,
    Sourcing,
)

UNKNOWN_OUTLET = "unknown outlet"


def outlet_of(analysis: Analysis) -> str:
    return analysis.outlet or UNKNOWN_OUTLET


def _profile(quotes: Iterable[Quote]) -> SourceProfile:
    named: dict[str, None] = {}
    anonymous: dict[str, None] = {}
    profile = SourceProfile()
    for q in quotes:
        profile.quotes += 1
        if q.speaker is None:
            profile.unattributed += 1
        elif q.speaker.anonymous:
            profile.anonymous += 1
            anonymous[q.speaker.name] = None
        else:
            profile.named += 1
            named[q.speaker.name] = None
    profile.named_sources = list(named)
    profile.anonymous_sources = list(anonymous)
    return profile


def article_sourcing(analysis: Analysis) -> ArticleSourcing:
    return ArticleSourcing(article=analysis.id, outlet=analysis.outlet, **_profile(analysis.quotes).model_dump())


def outlet_sourcing(analyses: Sequence[Analysis]) -> list[OutletSourcing]:
    """One profile per outlet, with the named speakers that no other outlet of the story quotes."""
    by_outlet: dict[str, list[Analysis]] = defaultdict(list)
    for an in analyses:
        by_outlet[outlet_of(an)].append(an)
    profiles = {
        outlet: OutletSourcing(
            outlet=outlet,
            articles=[an.id for an in ans],
            **_profile(q for an in ans for q in an.quotes).model_dump(),
        )
        for outlet, ans in by_outlet.items()
    }
    for outlet, profile in profiles.items():
        others = {name for o, p in profiles.items() if o != outlet for name in p.named_sources}
        profile.exclusive_sources = [name for name in profile.named_sources if name not in others]
    return sorted(profiles.values(), key=lambda p: (-p.quotes, p.outlet.casefold()))


def coverage(facts: Sequence[Fact], disputes: Sequence[Dispute], outlets: Sequence[str]) -> list[CoverageRow]:
    """For each fact supported by more than one article or disputed, what each outlet does with
    it: reports it, omits it, or stands on the minority side of its dispute."""
    disputing = {d.fact: _minority_outlets(d) for d in disputes}
    rows = []
    for k, fact in enumerate(facts):
        if len(fact.support) < 2 and k not in disputing:
            continue
        reporting = {s.outlet or UNKNOWN_OUTLET for s in fact.support}
        cells: dict[str, CoverageCell] = {}
        for outlet in outlets:
            if outlet in disputing.get(k, set()):
                cells[outlet] = "disputes"
            else:
                cells[outlet] = "reports" if outlet in reporting else "omits"
        rows.append(CoverageRow(fact=k, outlets=cells))
    return rows


def _minority_outlets(dispute: Dispute) -> set[str]:
    """The outlets that dispute the fact's main account: every side but the best supported one."""
    ranked = sorted(dispute.sides, key=lambda side: -len(side.outlets))
    return {o for side in ranked[1:] for o in side.outlets} - set(ranked[0].outlets)


def _renames(items: Sequence[tuple[Article, Analysis]]) -> dict[tuple[str, str], str]:
    """Speaker names as merged across outlets ("Qaddafi" and "Gaddafi" are one person)."""
    _, rename = merge.merge_actors((an.id, an.actors) for _, an in items)
    return rename


def _quoted(analysis: Analysis, rename: Mapping[tuple[str, str], str]) -> Analysis:
    """The analysis with its speech only (a source's hopes and plans are not quotes of it) and
    its speakers named as the story merged them."""
    quotes = []
    for q in analysis.quotes:
        if q.act != "speech":
            continue
        if q.speaker is not None and (analysis.id, q.speaker.name) in rename:
            name = rename[(analysis.id, q.speaker.name)]
            q = q.model_copy(update={"speaker": q.speaker.model_copy(update={"name": name})})
        quotes.append(q)
    return analysis.model_copy(update={"quotes": quotes})


def build_sourcing(
    items: Sequence[tuple[Article, Analysis]],
    facts: Sequence[Fact] = (),
    disputes: Sequence[Dispute] = (),
    rename: Mapping[tuple[str, str], str] | None = None,
) -> Sourcing:
    """The story's sourcing section: per article, per outlet, and the facts-by-outlet matrix.
    ``rename`` is the merge of the story's actors (:func:`merge.merge_actors`) when the caller
    has it: merging is a good part of a dossier's cost, so it is done once per dossier."""
    rename = _renames(items) if rename is None else rename
    analyses = [_quoted(an, rename) for _, an in items]
    outlets = outlet_sourcing(analyses)
    return Sourcing(
        articles=[article_sourcing(an) for an in analyses],
        outlets=outlets,
        coverage=coverage(facts, disputes, [p.outlet for p in outlets]),
    )
