"""Full-text search: the user's query read into a safe FTS5 expression (SQLite) and tsquery
(PostgreSQL), and what a search hit shows (its snippet with the matched words marked).

The query language is the one search boxes have taught people: words (all must occur, in any
form the stemmer folds together: "protest" finds "protests"), ``"quoted phrases"``, ``OR``
between two terms (either will do), ``NOT term`` or ``-term`` (must not occur), ``word*`` (a
prefix). Everything else is read as words: the user's text never reaches FTS5 as syntax, so no
query can fail with a syntax error or reach a column, ``NEAR`` group or other operator.
PostgreSQL reads the same query as a tsquery of quoted lexemes (``'word'``, ``<->`` between the
words of a phrase, ``:*`` for a prefix, ``&``, ``|`` and ``!``): the same words, phrases,
alternatives and exclusions, stemmed by its ``english`` configuration (which also drops stop
words such as "the", where SQLite's index keeps every word).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from storydesk.text import WORD

# A quoted phrase (a quote left open runs to the end), the OR bar, or a run of other characters.
_TOKEN = re.compile(r'(?P<neg>-?)"(?P<phrase>[^"]*)"?|(?P<bar>\|)|(?P<bare>[^\s"|]+)')
_OR, _AND, _NOT = "OR", "AND", "NOT"
_SPACE = re.compile(r"\s+")

# What FTS5's snippet() wraps a match in: private-use characters, which article text does not
# carry, so the marks can be found again and the text escaped around them by whoever shows it.
MATCH_OPEN, MATCH_CLOSE = "\ue000", "\ue001"


@dataclass(frozen=True)
class SearchQuery:
    """A user's query as FTS5 expressions made only of quoted words, ``*``, AND, OR and NOT,
    and the same as PostgreSQL tsquery text (for ``to_tsquery``)."""

    include: str | None  # what an article must match (None: no positive term)
    exclude: str | None  # what it must not match (None: no excluded term)
    ts_include: str | None = None  # ``include`` as tsquery text
    ts_exclude: str | None = None  # ``exclude`` as tsquery text

    @property
    def empty(self) -> bool:
        return self.include is None and self.exclude is None

    @property
    def expression(self) -> str | None:
        """One FTS5 expression for both parts, when there is something to include (FTS5's NOT
        needs a left side: an excluding-only query is run as ``NOT IN`` the excluded matches)."""
        if self.include is None:
            return None
        return f"({self.include}) NOT ({self.exclude})" if self.exclude else self.include

    @property
    def ts_expression(self) -> str | None:
        """:attr:`expression` as tsquery text."""
        if self.ts_include is None:
            return None
        return f"({self.ts_include}) & !({self.ts_exclude})" if self.ts_exclude else self.ts_include


@dataclass(frozen=True)
class _Term:
    words: tuple[str, ...]  # runs of \w: no quote, bracket or operator of either syntax
    prefix: bool = False

    def fts5(self) -> str:
        # Inside double quotes FTS5 reads only tokens.
        return '"' + " ".join(self.words) + '"' + ("*" if self.prefix else "")

    def tsquery(self) -> str:
        # Inside single quotes to_tsquery reads a lexeme (stemmed); <-> joins a phrase's words.
        lexemes = [f"'{w}'" for w in self.words]
        if self.prefix:
            lexemes[-1] += ":*"
        return lexemes[0] if len(lexemes) == 1 else "(" + " <-> ".join(lexemes) + ")"


@dataclass
class _Reading:
    clauses: list[list[_Term]] = field(default_factory=list)  # ANDed; each a list of ORed terms
    excluded: list[_Term] = field(default_factory=list)
    negate_next: bool = False
    or_next: bool = False

    def add(self, term: _Term, negated: bool) -> None:
        if negated or self.negate_next:
            self.excluded.append(term)
        elif self.or_next and self.clauses:
            self.clauses[-1].append(term)
        else:
            self.clauses.append([term])
        self.negate_next = self.or_next = False


def parse_query(text: str) -> SearchQuery:
    """``text`` as a :class:`SearchQuery` (see the module's docstring for the language)."""
    reading = _Reading()
    for m in _TOKEN.finditer(text):
        if m.group("bar") is not None:
            reading.or_next = bool(reading.clauses)
            continue
        if m.group("phrase") is not None:
            words = WORD.findall(m.group("phrase"))
            if words:
                reading.add(_Term(tuple(words)), negated=m.group("neg") == "-")
            continue
        bare = m.group("bare")
        if bare in (_OR, _AND, _NOT):
            reading.or_next = bare == _OR and bool(reading.clauses)
            reading.negate_next = bare == _NOT
            continue
        negated = bare.startswith("-")
        words = WORD.findall(bare)
        if words:
            prefix = bare.endswith("*") and bare.rstrip("*").endswith(words[-1])
            reading.add(_Term(tuple(words), prefix), negated)
    return SearchQuery(
        include=_joined(reading.clauses, " AND ", " OR ", _Term.fts5),
        exclude=" OR ".join(t.fts5() for t in reading.excluded) or None,
        ts_include=_joined(reading.clauses, " & ", " | ", _Term.tsquery),
        ts_exclude=" | ".join(t.tsquery() for t in reading.excluded) or None,
    )


def _joined(clauses: list[list[_Term]], and_: str, or_: str, render: Callable[[_Term], str]) -> str | None:
    """The ANDed ``clauses`` of ORed terms in one syntax (None: no clause)."""
    parts = [render(c[0]) if len(c) == 1 else "(" + or_.join(render(t) for t in c) + ")" for c in clauses]
    return and_.join(parts) or None


@dataclass(frozen=True)
class SearchHit:
    """An article that matches a search, best first: where it stands and a snippet of it."""

    article_key: str
    story_id: str
    title: str | None
    outlet: str | None
    published: str | None
    snippet: str  # plain text around the best match ("…" where cut)
    rank: float  # relevance (BM25; ts_rank_cd on PostgreSQL): higher is better; 0 for a query that only excludes
    highlights: tuple[tuple[int, int], ...] = ()  # the matched words' spans in ``snippet``

    def parts(self) -> list[tuple[str, bool]]:
        """The snippet cut into pieces, each with whether it is a matched word: for showing
        the snippet with the matches marked, the text escaped piece by piece."""
        pieces: list[tuple[str, bool]] = []
        at = 0
        for start, end in self.highlights:
            if start > at:
                pieces.append((self.snippet[at:start], False))
            pieces.append((self.snippet[start:end], True))
            at = end
        if at < len(self.snippet):
            pieces.append((self.snippet[at:], False))
        return pieces


def read_snippet(marked: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """A snippet as FTS5 marks it (:data:`MATCH_OPEN` … :data:`MATCH_CLOSE`) as plain text and
    the spans of its matches; an unbalanced mark is dropped."""
    plain: list[str] = []
    spans: list[tuple[int, int]] = []
    length = 0
    opened: int | None = None
    for piece in re.split(f"([{MATCH_OPEN}{MATCH_CLOSE}])", marked):
        if piece == MATCH_OPEN:
            opened = length
        elif piece == MATCH_CLOSE:
            if opened is not None and length > opened:
                spans.append((opened, length))
            opened = None
        else:
            piece = _SPACE.sub(" ", piece)  # one line: paragraph breaks inside a snippet mean nothing
            plain.append(piece)
            length += len(piece)
    return "".join(plain), tuple(spans)
