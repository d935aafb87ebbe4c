"""Checkable statements: each analysed article cut into sentences, each tied to who asserts it.

A statement is one sentence of an article with what cross-checking compares: its attribution
(the outlet's own narration, a named speaker or an unnamed one, from the article's quotes), the
canonical actors and places it mentions, its amounts and dates, and its content terms (stemmed
words without stop words). Sentences are found with a small rule splitter over the text as read,
so spans stay exact offsets and no second spaCy pass is needed after analysis.
"""

from __future__ import annotations

import bisect
import calendar
import functools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from storydesk import resources
from storydesk.models import Amount, Analysis, Article, Quote, Span
from storydesk.text import LATIN, sentence_spans

AttributionKind = Literal["narration", "named", "anonymous", "unattributed"]

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
ACTOR_LABELS = frozenset({"PERSON", "ORG", "NORP"})
MIN_WORDS = 4  # shorter "sentences" are headings, credits or fragments, not statements
# Calibration: the longest news articles of the benchmarks hold a few hundred sentences; a text
# past this many (a book, a transcript, a hostile input) is cross-checked on its first ones, so
# that its sentence vectors and fact pairs (seconds per thousand) stay within an article's budget.
MAX_STATEMENTS = 1000

_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


@dataclass(frozen=True)
class Attribution:
    """Who asserts a statement: the outlet itself, a named or unnamed speaker, or a quote with no speaker."""

    kind: AttributionKind
    speaker: str | None = None


@dataclass
class Statement:
    article: str
    outlet: str | None
    span: Span
    text: str
    attribution: Attribution
    amounts: list[Amount] = field(default_factory=list)
    actors: frozenset[str] = frozenset()
    places: frozenset[str] = frozenset()
    dates: frozenset[str] = frozenset()
    terms: tuple[str, ...] = ()
    denial: bool = False
    # What the sentence reports: the quoted or paraphrased words when it attributes them to a
    # speaker, else the whole sentence. The speaker's name and titles say who talks, not what
    # happened, and only dilute the comparison with another outlet's wording.
    claim: str = ""
    claim_terms: tuple[str, ...] = ()
    claim_places: frozenset[str] = frozenset()  # "director for Europe" in a title places no event
    claim_actors: frozenset[str] = frozenset()  # the actors of what is reported, not who reports it
    # The predicate classes (``=death``, ``=arrest``...) the sentence and its claim use, see
    # :func:`predicate_terms`: terms that paraphrases share where their words differ.
    predicates: tuple[str, ...] = ()
    claim_predicates: tuple[str, ...] = ()
    # The character ranges of the one clause of the sentence this statement stands for
    # (:mod:`storydesk.crosscheck.clauses`); empty: the whole sentence. A clause is compared by
    # its own words, figures, dates and actors, and supported by its whole sentence.
    clause: tuple[Span, ...] = ()
    sentence: Statement | None = None  # a clause's whole sentence; None for a whole sentence

    @property
    def compared(self) -> str:
        """The text that is compared with other statements: the clause's, else the sentence's."""
        return self.claim if self.clause else self.text

    @property
    def whole(self) -> Statement:
        """The statement of the whole sentence (itself, or the sentence of a clause)."""
        return self.sentence or self


@functools.cache
def stop_words() -> frozenset[str]:
    return frozenset(ENGLISH_STOP_WORDS) | frozenset(resources.lines("stopwords_extra.txt"))


@functools.cache
def _denial_pattern() -> re.Pattern[str]:
    words = sorted(resources.lines("denial_words.txt"), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.IGNORECASE)


@functools.cache
def _date_pattern() -> re.Pattern[str]:
    months = [m for m in calendar.month_name if m] + [m for m in calendar.month_abbr if m]
    month = "|".join(sorted(months, key=len, reverse=True))
    days = "|".join(d for d in calendar.day_name)
    return re.compile(rf"\b(?:(?P<month>{month})\.?\s+(?P<day>\d{{1,2}})\b|(?P<weekday>{days})\b)")


@functools.lru_cache(maxsize=1 << 16)  # news repeats its words: stemming is a hot spot of cross-checking
def stem(word: str) -> str:
    """A light suffix-stripping stem, enough to match "killed"/"kills"/"killing" and plurals."""
    w = word.lower().replace("’", "'")
    w = w.removesuffix("'s").strip("'-")
    for suffix, repl, min_len in (("ies", "y", 5), ("sses", "ss", 5), ("ing", "", 6), ("ed", "", 5), ("s", "", 4)):
        if w.endswith(suffix) and len(w) >= min_len and not w.endswith("ss"):
            return w[: len(w) - len(suffix)] + repl
    return w


def _words(text: str) -> Iterator[str]:
    """The words of ``text`` in lower case, without a trailing full stop or comma."""
    return (m.group(0).lower().rstrip(".,") for m in LATIN.finditer(text))


def content_terms(text: str) -> tuple[str, ...]:
    """Stems of the content words of ``text`` in order (stop words and punctuation dropped)."""
    return tuple(stem(w) for w in _words(text) if w and w not in stop_words() and len(w) > 1)


PREDICATE_PREFIX = "="  # class terms never collide with word stems, which hold no "="
PhraseTable = dict[str, tuple[tuple[tuple[str, ...], str], ...]]


def _stems(text: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in _words(text))


@functools.cache
def _predicate_phrases() -> PhraseTable:
    """The stemmed phrases of ``predicate_classes.yaml`` by their first stem, longest first."""
    table: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for name, phrases in resources.yaml_data("predicate_classes.yaml").items():
        for phrase in phrases:
            stems = _stems(str(phrase))
            table.setdefault(stems[0], []).append((stems, PREDICATE_PREFIX + str(name)))
    return {k: tuple(sorted(v, key=lambda p: -len(p[0]))) for k, v in table.items()}


def predicate_terms(text: str) -> tuple[str, ...]:
    """The predicate classes ``text`` uses (``=death`` for "was killed", "died" or "death toll";
    ``=responsibility`` for "a matter for" or "in the hands of"), each once, in order of first
    use. Outlets report one fact in different words: as terms of their own, the classes let two
    paraphrases share a term where their words differ."""
    stems = _stems(text)
    table = _predicate_phrases()
    found: dict[str, None] = {}
    for k, first in enumerate(stems):
        for phrase, name in table.get(first, ()):
            if stems[k : k + len(phrase)] == phrase:
                found[name] = None
                break
    return tuple(found)


def dates_in(text: str) -> frozenset[str]:
    """Normalised dates named in ``text``: ``month:12-3``, ``weekday:tuesday``, ``year:2024``."""
    found = set()
    for m in _date_pattern().finditer(text):
        if m.group("weekday"):
            found.add("weekday:" + m.group("weekday").lower())
        else:
            month = _month_number(m.group("month"))
            found.add(f"month:{month}-{int(m.group('day'))}")
    found.update("year:" + y for y in _YEAR.findall(text))
    return frozenset(found)


def _month_number(name: str) -> int:
    key = name[:3].lower()
    return next(i for i, m in enumerate(calendar.month_abbr) if m and m.lower() == key)


class _Located:
    """The quotes, entities and amounts of one analysis, found by sentence. Each is sorted by
    start once and the sentences come in text order, so splitting an article is linear in its
    sentences, not sentences x quotes (thousands of each in a long text)."""

    def __init__(self, analysis: Analysis) -> None:
        self._all = analysis.quotes
        self._quotes = sorted(enumerate(analysis.quotes), key=lambda iq: iq[1].span[0])
        self._next = 0  # the first quote not yet taken into the sweep
        self._open: list[tuple[int, Quote]] = []  # taken quotes that may reach the next sentence
        spoken = [
            (q.speaker.mention.span[0], i) for i, q in enumerate(analysis.quotes) if q.speaker and q.speaker.mention
        ]
        self._spoken = sorted(spoken)
        self._spoken_at = [m[0] for m in self._spoken]
        self.entities = _Within([e.span for e in analysis.entities])
        self.amounts = _Within([m.span for m in analysis.amounts])

    def quote_at(self, span: Span) -> Quote | None:
        """The quote overlapping ``span`` most (its content or its speaker mention), the
        first in the analysis's order on ties; ``span`` must not start before the last one."""
        while self._next < len(self._quotes) and self._quotes[self._next][1].span[0] < span[1]:
            self._open.append(self._quotes[self._next])
            self._next += 1
        self._open = [iq for iq in self._open if iq[1].span[1] > span[0]]
        overlaps = {i: min(q.span[1], span[1]) - max(q.span[0], span[0]) for i, q in self._open}
        lo = bisect.bisect_left(self._spoken_at, span[0])
        hi = bisect.bisect_left(self._spoken_at, span[1])
        for _, i in self._spoken[lo:hi]:  # the speaker is named here, the quote runs on from before
            if overlaps.get(i, 0) <= 0:
                overlaps[i] = 1
        best = min(overlaps, key=lambda i: (-overlaps[i], i), default=None)
        return None if best is None or overlaps[best] <= 0 else self._all[best]


class _Within:
    """Indexes of spans (any order) that lie within a given span, in their given order."""

    def __init__(self, spans: Sequence[Span]) -> None:
        self._order = sorted(range(len(spans)), key=lambda i: spans[i][0])
        self._starts = [spans[i][0] for i in self._order]
        self._spans = spans

    def __call__(self, outer: Span) -> list[int]:
        lo = bisect.bisect_left(self._starts, outer[0])
        hi = bisect.bisect_left(self._starts, outer[1])
        return sorted(i for i in self._order[lo:hi] if self._spans[i][1] <= outer[1])


def _attribution(quote: Quote | None) -> Attribution:
    if quote is None:
        return Attribution("narration")
    speaker = quote.speaker
    if speaker is None:
        return Attribution("unattributed")
    return Attribution("anonymous" if speaker.anonymous else "named", speaker.name)


def _within(span: Span, outer: Span) -> bool:
    return outer[0] <= span[0] and span[1] <= outer[1]


def claim_span(quote: Quote | None, span: Span, text: str) -> Span:
    """The part of the sentence at ``span`` that carries what it reports: the words of ``quote``
    within it when they make a statement of their own (MIN_WORDS words or more), else the whole
    sentence."""
    if quote is None:
        return span
    inner = (max(quote.span[0], span[0]), min(quote.span[1], span[1]))
    if inner[1] <= inner[0] or len(LATIN.findall(text[inner[0] : inner[1]])) < MIN_WORDS:
        return span
    return inner


def statement_at(article: Article, analysis: Analysis, span: Span, located: _Located) -> Statement:
    """The statement that the sentence at ``span`` of ``article`` makes (``located``: the
    analysis's spans, past the sentences before this one)."""
    text = article.text[span[0] : span[1]]
    quote = located.quote_at(span)
    claim = claim_span(quote, span, article.text)
    terms = content_terms(text)
    predicates = predicate_terms(text)
    entities = [e for i in located.entities(span) if (e := analysis.entities[i]).actor]
    attribution = _attribution(quote)
    actors = {e.actor for e in entities if e.label in ACTOR_LABELS and e.actor}
    if attribution.kind == "named" and attribution.speaker:
        actors.add(attribution.speaker)
    return Statement(
        article=analysis.id,
        outlet=analysis.outlet,
        span=span,
        text=text,
        attribution=attribution,
        amounts=[analysis.amounts[i] for i in located.amounts(span)],
        actors=frozenset(actors),
        places=frozenset(e.actor for e in entities if e.label in PLACE_LABELS and e.actor),
        dates=dates_in(text),
        terms=terms,
        denial=bool(_denial_pattern().search(text)),
        claim=article.text[claim[0] : claim[1]],
        claim_terms=terms if claim == span else content_terms(article.text[claim[0] : claim[1]]),
        predicates=predicates,
        claim_predicates=predicates if claim == span else predicate_terms(article.text[claim[0] : claim[1]]),
        claim_places=frozenset(
            e.actor for e in entities if e.label in PLACE_LABELS and e.actor and _within(e.span, claim)
        ),
        claim_actors=frozenset(
            e.actor for e in entities if e.label in ACTOR_LABELS and e.actor and _within(e.span, claim)
        ),
    )


def _inside(span: Span, ranges: Sequence[Span]) -> bool:
    return any(_within(span, r) for r in ranges)


def clause_statement(
    sentence: Statement, ranges: Sequence[Span], frame: Sequence[Span], text: str, analysis: Analysis
) -> Statement:
    """The statement one clause (character ranges of ``text``) of ``sentence`` makes: the
    sentence's attribution and span, the clause's own words, figures, dates, actors and places
    (a named speaker of the sentence counts among its actors, not among the actors of what it
    reports). A clause is denied when it or its ``frame``, the clause it hangs on, says so ("X
    rejected reports | that it lost the records")."""
    words = " ".join(text[a:b] for a, b in ranges)
    terms = content_terms(words)
    predicates = predicate_terms(words)
    entities = [e for e in analysis.entities if e.actor and _inside(e.span, ranges)]
    actors = {e.actor for e in entities if e.label in ACTOR_LABELS and e.actor}
    places = frozenset(e.actor for e in entities if e.label in PLACE_LABELS and e.actor)
    if sentence.attribution.kind == "named" and sentence.attribution.speaker:
        actors.add(sentence.attribution.speaker)
    return replace(
        sentence,
        amounts=[m for m in sentence.amounts if _inside(m.span, ranges)],
        actors=frozenset(actors),
        places=places,
        dates=dates_in(words),
        terms=terms,
        denial=bool(_denial_pattern().search(words + " " + " ".join(text[a:b] for a, b in frame))),
        claim=words,
        claim_terms=terms,
        predicates=predicates,
        claim_predicates=predicates,
        claim_places=places,
        # A clause of attribution ("he posted to Twitter") names who speaks, not what is reported.
        claim_actors=frozenset(actors & sentence.claim_actors),
        clause=tuple(ranges),
        sentence=sentence,
    )


def _boilerplate(text: str, span: Span, analysis: Analysis) -> bool:
    """A dateline-only or credit line ("Reporting by ...") is not a statement."""
    sentence = text[span[0] : span[1]]
    return any(name in sentence for name in analysis.credits) and len(sentence.split()) < 3 * MIN_WORDS


@functools.cache
def _furniture_pattern() -> re.Pattern[str]:
    words = sorted(resources.lines("facts/not_facts.txt"), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in words) + r")(?![\w-])", re.IGNORECASE)


_PHONE = re.compile(r"\b(?:1[-. ])?\(?\d{3}\)?[-. ]\d{3}[-. ]\d{4}\b")
_CLOSERS = "\"'”’»)]"
_TERMINAL = ".!?…:;"


def _line_of(text: str, span: Span) -> Span:
    start = text.rfind("\n", 0, span[0]) + 1
    end = text.find("\n", span[1])
    return start, len(text) if end < 0 else end


def is_heading(text: str, span: Span) -> bool:
    """A line of its own without a full stop (or other sentence end) is a heading, a title or a
    caption fragment: it names a topic and asserts nothing to check."""
    line = _line_of(text, span)
    if text[line[0] : line[1]].strip() != text[span[0] : span[1]].strip():
        return False
    return not text[span[0] : span[1]].rstrip().rstrip(_CLOSERS).endswith(tuple(_TERMINAL))


def is_question(sentence: str) -> bool:
    """A question asks; it reports nothing to check (a reported question, "asked whether ...",
    is a sentence of its own and stays)."""
    return sentence.rstrip().rstrip(_CLOSERS).endswith("?")


def is_furniture(sentence: str) -> bool:
    """A promotion, a caption or photo credit, a helpline box, a rights line: words of the page,
    not of the report (``data/facts/not_facts.txt``), or a telephone number to call."""
    return bool(_furniture_pattern().search(sentence) or _PHONE.search(sentence))


def checkable(text: str, span: Span) -> bool:
    """Whether the sentence at ``span`` states something to check: not a heading, a question or
    page furniture."""
    sentence = text[span[0] : span[1]]
    return not (is_heading(text, span) or is_question(sentence) or is_furniture(sentence))


def split_statements(article: Article, analysis: Analysis) -> list[Statement]:
    """The checkable statements of one analysed article, in text order (the first
    :data:`MAX_STATEMENTS` of them)."""
    out: list[Statement] = []
    located = _Located(analysis)
    for span in sentence_spans(article.text):
        if len(out) == MAX_STATEMENTS:
            break
        if len(LATIN.findall(article.text[span[0] : span[1]])) < MIN_WORDS:
            continue
        if _boilerplate(article.text, span, analysis) or not checkable(article.text, span):
            continue
        out.append(statement_at(article, analysis, span, located))
    return out
