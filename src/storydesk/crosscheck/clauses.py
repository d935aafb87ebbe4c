"""Clauses: the pieces of information a sentence holds, found in the analysis pass's parse.

One sentence often reports two facts ("The hearing, set for May 9, was called by the
chairwoman without consulting the committee"), while another outlet reports each in a sentence of
its own. Compared as whole sentences, the first links to one of the two at most. Cut into its
clauses (the main clause, and each clausal complement, adverbial or relative clause, clausal
modifier or coordinated predicate of it), it can link each piece to its own counterpart.

A clause is the set of the sentence's words whose nearest clause head is its head; a clause too
small to report anything of its own (fewer than :data:`MIN_CONTENT` content words: "Rice said",
"officials added") is joined to the clause it hangs on (a main clause to its largest dependent
clause). Clauses are returned as character ranges of the article's text, in text order.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from storydesk import lexicon, resources
from storydesk.annotate import parse
from storydesk.crosscheck.statements import Statement, clause_statement, split_statements
from storydesk.models import Analysis, Article
from storydesk.models import Span as CharSpan

# Dependencies that open a clause of their own: clausal complements ("said that ..."), adverbial
# clauses ("as the mayor turned down ..."), relative clauses and clausal modifiers of a noun ("the
# hearing, set for May 9"), coordinated predicates ("... and called it a stunt") and loose
# juxtapositions. Open clausal complements (xcomp: "wanted to bring") and other "to" infinitives
# stay with their head: they complete its predicate.
CLAUSE_DEPS = frozenset({"ccomp", "advcl", "relcl", "acl", "conj", "parataxis"})
PREDICATES = frozenset({"VERB", "AUX"})
# Calibration: a clause reports something when it holds a subject or object, a predicate and one
# more content word at least; with fewer ("Rice said", "he added"), it only frames another clause.
MIN_CONTENT = 3


ROOT = -1  # the main clause: the words whose chain of heads leaves the sentence or ends in its root


def _opens_clause(token: Token, span: Span) -> bool:
    """Whether ``token`` heads a dependent clause of the sentence ``span``: a predicate attached
    by a clausal dependency within it."""
    inside = token.head != token and span.start <= token.head.i < span.end
    return inside and token.pos_ in PREDICATES and token.dep_ in CLAUSE_DEPS and not _infinitive(token)


def _infinitive(token: Token) -> bool:
    """A "to" infinitive ("an invitation to meet privately", "wanted to bring") completes the
    word it hangs on rather than reporting something of its own."""
    return any(c.dep_ == "aux" and c.tag_ == "TO" for c in token.children)


def _content(token: Token) -> bool:
    """A word that carries information: not a stop word, and not a verb of saying (a clause of
    attribution, "the two unions said", frames the clause it introduces)."""
    if not (token.is_alpha or token.like_num) or token.is_stop:
        return False
    return not (token.pos_ == "VERB" and token.lemma_.lower() in lexicon.bare_reporting_verbs(direct=True))


def _owner(token: Token, heads: set[int], span: Span) -> int:
    """The head of the clause ``token`` belongs to: its nearest clause-heading ancestor (itself
    included), else :data:`ROOT`. The parser's sentences may differ from the statement's (a
    heading line parsed with the sentence below it): a chain that leaves the sentence ends in
    its main clause."""
    while token.i not in heads:
        if token.head == token or not (span.start <= token.head.i < span.end):
            return ROOT
        token = token.head
    return token.i


def _merge_small(clauses: dict[int, list[int]], doc: Doc, span: Span) -> tuple[dict[int, list[int]], dict[int, int]]:
    """Clauses with too few content words joined to the clause they hang on, deepest first; a
    main clause too small is joined to its largest dependent clause. Returns the clauses left
    and the clause each dependent one hangs on."""
    heads = set(clauses) - {ROOT}
    parent = {h: _owner(doc[h].head, heads, span) for h in heads}
    depth = {h: sum(1 for _ in doc[h].ancestors) for h in heads}

    def join(head: int, into: int) -> None:
        clauses[into] = clauses[into] + clauses.pop(head)
        for h, p in parent.items():
            if p == head:
                parent[h] = into
        parent.pop(head, None)

    for head in sorted(heads, key=lambda h: -depth[h]):
        if sum(_content(doc[i]) for i in clauses[head]) < MIN_CONTENT:
            join(head, parent[head])
    children = [h for h, p in parent.items() if p == ROOT]
    if ROOT in clauses and children and sum(_content(doc[i]) for i in clauses[ROOT]) < MIN_CONTENT:
        largest = max(children, key=lambda h: len(clauses[h]))
        join(ROOT, largest)
        parent.pop(largest)  # now the main clause
    return clauses, parent


@dataclass(frozen=True)
class Clause:
    """One clause of a sentence: its character ranges, and those of the clause it hangs on (its
    frame: "The hospital rejected reports" for "that it lost the records"), empty for a main
    clause."""

    ranges: tuple[CharSpan, ...]
    frame: tuple[CharSpan, ...] = ()


def _char_ranges(doc: Doc, tokens: Sequence[int]) -> list[CharSpan]:
    """Runs of consecutive ``tokens`` (sorted) as character ranges, spaces left out."""
    runs: list[CharSpan] = []
    last = -2
    for i in tokens:
        t = doc[i]
        if not t.is_space:
            if i == last + 1 and runs:
                runs[-1] = (runs[-1][0], t.idx + len(t.text))
            else:
                runs.append((t.idx, t.idx + len(t.text)))
        last = i
    return runs


def sentence_clauses(doc: Doc, start: int, end: int) -> list[Clause]:
    """The clauses of the sentence at characters ``[start, end)`` of the parsed text, in order
    of their first character; a clause may be interrupted by another ("The speech, scheduled
    for March 3, was arranged ..."). One clause (the whole sentence) when it holds no other that
    reports something of its own."""
    whole = [Clause(((start, end),))]
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return whole
    heads = {t.i for t in span if _opens_clause(t, span)}
    clauses: dict[int, list[int]] = {ROOT: []}
    for t in span:
        clauses.setdefault(_owner(t, heads, span), []).append(t.i)
    clauses, parent = _merge_small({h: ts for h, ts in clauses.items() if ts}, doc, span)
    if len(clauses) == 1:
        return whole
    ranges = {h: tuple(_char_ranges(doc, sorted(tokens))) for h, tokens in clauses.items()}
    found = [Clause(r, ranges.get(parent[h], ()) if h in parent else ()) for h, r in ranges.items() if r]
    return sorted(found, key=lambda c: c.ranges[0][0])


@functools.cache
def enabled() -> bool:
    """Whether statements are compared clause by clause (``clauses`` in data/fact_linking.yaml)."""
    return bool(resources.yaml_data("fact_linking.yaml")["clauses"])


def units(article: Article, analysis: Analysis) -> list[Statement]:
    """The statements of ``article`` that cross-checking compares, in text order: the clauses of
    each sentence (:func:`clause_units`) when :func:`enabled`, else its sentences."""
    sentences = split_statements(article, analysis)
    if not enabled():
        return sentences
    return [unit for found in clause_units(article, analysis, sentences) for unit in found]


def clause_units(article: Article, analysis: Analysis, statements: Sequence[Statement]) -> list[list[Statement]]:
    """Each statement of ``article`` cut into the statements its clauses make (the statement
    itself when it holds one clause, or when the analysis keeps no parse)."""
    if analysis.parse is None:
        return [[st] for st in statements]
    doc = parse.from_bytes(analysis.parse).doc
    out = []
    for st in statements:
        found = sentence_clauses(doc, *st.span)
        if len(found) < 2:
            out.append([st])
        else:
            out.append([clause_statement(st, c.ranges, c.frame, article.text, analysis) for c in found])
    return out
