"""Clauses: the pieces of information a sentence holds, found in the analysis pass's parse.

One sentence often reports two facts ("The speech, scheduled for March 3, was arranged by the
Speaker without consulting the White House"), while another outlet reports each in a sentence of
its own. Compared as whole sentences, the first links to one of the two at most. Cut into its
clauses (the main clause, and each clausal complement, adverbial or relative clause, clausal
modifier or coordinated predicate of it), it can link each piece to its own counterpart.

A clause is the set of the sentence's words whose nearest clause head is its head; a clause too
small to report anything of its own (fewer than :data:`MIN_CONTENT` content words: "Rice said",
"officials added") is joined to the clause it hangs on (a main clause to its largest dependent
clause). Clauses are returned as character ranges of the article's text, in text order.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc, Span, Token

from storydesk.annotate import parse
from storydesk.crosscheck.statements import Statement, clause_statement
from storydesk.models import Analysis, Article
from storydesk.models import Span as CharSpan

# Dependencies that open a clause of their own: clausal complements ("said that ..."), adverbial
# clauses ("as Netanyahu turned down ..."), relative clauses and clausal modifiers of a noun ("the
# speech, scheduled for March 3"), coordinated predicates ("... and called it a stunt") and loose
# juxtapositions. Open clausal complements (xcomp: "wanted to bring") and other "to" infinitives
# stay with their head: they complete its predicate.
CLAUSE_DEPS = frozenset({"ccomp", "advcl", "relcl", "acl", "conj", "parataxis"})
PREDICATES = frozenset({"VERB", "AUX"})
# Calibration: a clause reports something when it holds a subject or object, a predicate and one
# more content word at least; with fewer ("Rice said", "he added"), it only frames another clause.
MIN_CONTENT = 3


def _opens_clause(token: Token, span: Span) -> bool:
    """Whether ``token`` heads a clause of the sentence ``span``: its root, or a predicate
    attached by a clausal dependency."""
    if token.head == token or not (span.start <= token.head.i < span.end):
        return True
    return token.pos_ in PREDICATES and token.dep_ in CLAUSE_DEPS and not _infinitive(token)


def _infinitive(token: Token) -> bool:
    """A "to" infinitive ("an invitation to meet privately", "wanted to bring") completes the
    word it hangs on rather than reporting something of its own."""
    return any(c.dep_ == "aux" and c.tag_ == "TO" for c in token.children)


def _content(token: Token) -> bool:
    return (token.is_alpha or token.like_num) and not token.is_stop


def _owner(token: Token, heads: set[int], span: Span) -> int:
    """The head of the clause ``token`` belongs to: itself or its nearest clause-heading ancestor."""
    while token.i not in heads:
        if token.head == token or not (span.start <= token.head.i < span.end):
            return token.i
        token = token.head
    return token.i


def _parent(head: int, heads: dict[int, list[int]], doc: Doc, span: Span) -> int | None:
    """The clause the clause headed by ``head`` hangs on, None for a root."""
    token = doc[head]
    if token.head == token or not (span.start <= token.head.i < span.end):
        return None
    for other, members in heads.items():
        if token.head.i in members:
            return other
    return None


def _merge_small(clauses: dict[int, list[int]], doc: Doc, span: Span) -> dict[int, list[int]]:
    """Clauses with too few content words joined to the clause they hang on, deepest first."""
    depth = {h: sum(1 for _ in doc[h].ancestors) for h in clauses}
    for head in sorted(clauses, key=lambda h: -depth[h]):
        if head not in clauses or sum(_content(doc[i]) for i in clauses[head]) >= MIN_CONTENT:
            continue
        parent = _parent(head, clauses, doc, span)
        if parent is None:
            children = [h for h in clauses if h != head and _parent(h, clauses, doc, span) == head]
            if not children:
                continue
            parent = max(children, key=lambda h: len(clauses[h]))
        clauses[parent] = sorted(clauses[parent] + clauses.pop(head))
    return clauses


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


def sentence_clauses(doc: Doc, start: int, end: int) -> list[list[CharSpan]]:
    """The clauses of the sentence at characters ``[start, end)`` of the parsed text: each a
    list of character ranges (a clause may be interrupted by another: "The speech, scheduled for
    March 3, was arranged ..."), in order of their first character. One clause (the whole
    sentence) when it holds no other that reports something of its own."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return [[(start, end)]]
    heads = {t.i for t in span if _opens_clause(t, span)}
    clauses: dict[int, list[int]] = {}
    for t in span:
        clauses.setdefault(_owner(t, heads, span), []).append(t.i)
    clauses = _merge_small(clauses, doc, span)
    if len(clauses) == 1:
        return [[(start, end)]]
    found = [_char_ranges(doc, sorted(tokens)) for tokens in clauses.values()]
    return sorted((ranges for ranges in found if ranges), key=lambda r: r[0][0])


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
            out.append([clause_statement(st, ranges, article.text, analysis) for ranges in found])
    return out
