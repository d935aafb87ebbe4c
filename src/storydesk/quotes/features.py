"""Features of attribution cues and their content, shared by the quote model and its training.

An attribution (PolNeAR's sense: speech, writing, belief, intention, "according to", a report
that "shows") has a *cue* (one token: "said", "according", "call", a headline colon), a
*content* span and a *source*. The model scores every token that may be a cue, then, for an
accepted cue, every span the parse offers as its content (:func:`content_candidates`): the
subtree of one of its dependents, the clause it interrupts ("X, officials said, Y"), or the
rest of its sentence on either side (never the whole sentence: content that holds its own cue
is the split quote "A," he said, "B", which the direct-quote rules join). Features are
strings; a linear model weighs them.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from storydesk.lexicon import bare_reporting_verbs, object_verbs, reporting_verbs, source_nouns
from storydesk.quotes.marks import find_quotes

CUE_POS = ("VERB", "AUX", "NOUN", "PROPN", "ADP", "ADJ")
CLAUSE_DEPS = ("ccomp", "xcomp", "dobj", "nsubj", "prep", "advcl", "parataxis")
SKIP_DEPS = ("punct", "aux", "auxpass", "neg", "det", "cc", "case", "prt", "mark")
LENGTH_BINS = (1, 3, 6, 12, 25, 50)
CLOSING_MARKS = "”\"'’"  # tested as a substring, as the trimming always has


@dataclass(frozen=True)
class Candidate:
    """A content span for a cue: tokens ``[start, end)`` and how the parse relates it to the cue."""

    relation: str
    start: int
    end: int


class DocMarks:
    """Which quoted passage (by quotation marks) each token lies in, for one doc."""

    def __init__(self, doc: Doc) -> None:
        self.spans = find_quotes(doc.text)
        starts = [t.idx for t in doc]
        self.of = [-1] * len(doc)
        for k, mark in enumerate(self.spans):
            for i in range(bisect.bisect_left(starts, mark.start), bisect.bisect_left(starts, mark.end)):
                self.of[i] = k
        # Running counts and skip tables, built once per doc, so that each of the many
        # candidate spans is measured and trimmed in constant time: a "sentence" of thousands
        # of tokens (a page of colons, a paragraph of 5,000 "X said" sentences) stays linear.
        edge = [t.is_punct or t.is_space for t in doc]
        self._quoted_before = _running([i >= 0 for i in self.of])
        self._verbs_before = _running([t.pos_ in ("VERB", "AUX") for t in doc])
        self._word_from = _next_false(edge)
        self._word_until = _last_false_end(edge)
        self._content_from = _next_false([e and k < 0 for e, k in zip(edge, self.of, strict=True)])
        self._content_until = _last_false_end(
            [e and t.text not in CLOSING_MARKS for e, t in zip(edge, doc, strict=True)]
        )
        self._line_break_from = _next_false(["\n" not in t.text for t in doc])
        self.sentence: list[tuple[int, int]] = [(0, 0)] * len(doc)  # each token's sentence's [start, end)
        for sent in doc.sents:
            self.sentence[sent.start : sent.end] = [(sent.start, sent.end)] * (sent.end - sent.start)

    def quoted(self, i: int) -> bool:
        return self.of[i] >= 0

    def share(self, start: int, end: int) -> float:
        """Share of tokens ``[start, end)`` inside quotation marks."""
        return (self._quoted_before[end] - self._quoted_before[start]) / max(1, end - start)

    def has_verb(self, start: int, end: int) -> bool:
        return self._verbs_before[end] > self._verbs_before[start]

    def without_edge_punct(self, start: int, end: int) -> tuple[int, int]:
        """Tokens ``[start, end)`` less the punctuation and spaces at either edge."""
        start = min(self._word_from[start], end)
        return start, max(self._word_until[end], start)

    def paragraph_end(self, i: int, sent_end: int) -> int:
        """The sentence end after token ``i``, or the line end when a line break comes first
        (headlines)."""
        return min(self._line_break_from[i + 1], sent_end)

    def content_edges(self, start: int, end: int) -> tuple[int, int]:
        """Tokens ``[start, end)`` less edge punctuation and spaces, keeping a quoted one at the
        start and a closing mark at the end."""
        start = min(self._content_from[start], end)
        return start, max(self._content_until[end], start)


def _running(flags: list[bool]) -> list[int]:
    """``out[i]``: how many of ``flags[:i]`` are true."""
    out = [0]
    for f in flags:
        out.append(out[-1] + f)
    return out


def _next_false(flags: list[bool]) -> list[int]:
    """``out[i]``: the first ``j >= i`` whose flag is false (``len(flags)`` when none)."""
    out = [len(flags)] * (len(flags) + 1)
    for i in range(len(flags) - 1, -1, -1):
        out[i] = out[i + 1] if flags[i] else i
    return out


def _last_false_end(flags: list[bool]) -> list[int]:
    """``out[e]``: one past the last ``j < e`` whose flag is false (0 when none)."""
    out = [0] * (len(flags) + 1)
    for e in range(1, len(flags) + 1):
        out[e] = out[e - 1] if flags[e - 1] else e
    return out


def is_cue_candidate(tok: Token) -> bool:
    return tok.pos_ in CUE_POS or tok.text == ":"


def _bin(n: int) -> str:
    return str(next((b for b in LENGTH_BINS if n <= b), "more"))


def _lexicon_tag(tok: Token) -> str:
    lemma = tok.lemma_.lower()
    if lemma in bare_reporting_verbs(direct=True):
        return "bare"
    if lemma in reporting_verbs(direct=True):
        return "particle"
    if lemma in object_verbs():
        return "object"
    if lemma in source_nouns():
        return "source"
    return "none"


def cue_features(tok: Token, marks: DocMarks) -> list[str]:
    """Features of ``tok`` as a possible cue: its word, its place in the parse, its neighbours."""
    lemma = tok.lemma_.lower()
    doc = tok.doc
    prev = doc[tok.i - 1].lower_ if tok.i > 0 else "<s>"
    nxt = doc[tok.i + 1].lower_ if tok.i + 1 < len(doc) else "</s>"
    deps = sorted({c.dep_ for c in tok.children})
    feats = [
        "bias",
        f"l={lemma}",
        f"w={tok.lower_}",
        f"p={tok.pos_}",
        f"t={tok.tag_}",
        f"d={tok.dep_}",
        f"lp={lemma}|{tok.pos_}",
        f"ld={lemma}|{tok.dep_}",
        f"hl={tok.head.lemma_.lower()}",
        f"hp={tok.head.pos_}|{tok.dep_}",
        f"prev={prev}",
        f"next={nxt}",
        f"ln={lemma}|{nxt}",
        f"lex={_lexicon_tag(tok)}",
        f"lexp={_lexicon_tag(tok)}|{tok.pos_}",
        f"q={marks.quoted(tok.i)}",
        f"root={tok.dep_ == 'ROOT'}",
    ]
    subject = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass", "poss")), None)
    subj = "none" if subject is None else subject.ent_type_ or subject.pos_
    feats += [f"subj={subj}", f"lsubj={lemma}|{subj}", f"lsig={lemma}|{'|'.join(d for d in deps if d in CLAUSE_DEPS)}"]
    feats += [f"c={d}" for d in deps]
    feats += [f"lc={lemma}|{d}" for d in deps]
    feats += [f"lprep={lemma}|{c.lower_}" for c in tok.children if c.dep_ in ("prep", "dative", "agent")]
    feats += [f"ptag={tok.tag_}|{d}" for d in deps if d in ("ccomp", "xcomp", "nsubj", "dobj", "poss")]
    if tok.text == ":":
        feats += _colon_features(tok)
    return feats


def _colon_features(tok: Token) -> list[str]:
    """A colon after a short name at a line start is a headline or transcript attribution."""
    doc = tok.doc
    start = tok.i
    while start > 0 and "\n" not in doc[start - 1].text and tok.i - start < 8:
        start -= 1
    line_start = start == 0 or "\n" in doc[start - 1].text
    before = doc[start : tok.i]
    verbs = any(t.pos_ in ("VERB", "AUX") for t in before)
    return [f"colon_line={line_start}", f"colon_words={_bin(len(before))}", f"colon_verbs={verbs}"]


def _subtree(tok: Token) -> tuple[int, int]:
    return tok.left_edge.i, tok.right_edge.i + 1


def content_candidates(cue: Token, marks: DocMarks | None = None) -> list[Candidate]:
    """Spans that may be what ``cue`` attributes, each named by its relation to the cue
    (``marks``: the doc's, when the caller has them)."""
    marks = marks or DocMarks(cue.doc)
    out: list[Candidate] = []
    for child in cue.children:
        if child.dep_ in SKIP_DEPS:
            continue
        side = "R" if child.i > cue.i else "L"
        out.append(Candidate(f"{child.dep_}{side}", *_subtree(child)))
        if child.dep_ in ("prep", "agent", "dative"):
            for grand in child.children:
                if grand.dep_ in ("pobj", "pcomp"):
                    out.append(Candidate(f"{child.lower_}>{grand.dep_}", *_subtree(grand)))
    if cue.head.i != cue.i:
        out.extend(_interrupted(cue, marks))
    sent_start, sent_end = marks.sentence[cue.i]
    if cue.i + 1 < sent_end:
        out.append(Candidate("after", cue.i + 1, marks.paragraph_end(cue.i, sent_end)))
    if sent_start < cue.i:
        out.append(Candidate("before", sent_start, cue.i))
    return _merged(c for c in out if c.end > c.start)


def _merged(cands: Iterable[Candidate]) -> list[Candidate]:
    """One candidate per span, named by every relation that yields it ("ccompR+after")."""
    by_span: dict[tuple[int, int], list[str]] = {}
    for c in cands:
        by_span.setdefault((c.start, c.end), []).append(c.relation)
    return [Candidate("+".join(sorted(set(rels))), s, e) for (s, e), rels in by_span.items()]


def _interrupted(cue: Token, marks: DocMarks) -> list[Candidate]:
    """The clause the cue hangs from, without the cue's own words: "X, officials said, Y"."""
    start, end = marks.without_edge_punct(*_subtree(cue.head))
    own_start, own_end = marks.without_edge_punct(*_subtree(cue))
    rel = f"head:{cue.dep_}"
    if own_end >= end:
        return [Candidate(rel, start, own_start)]
    if own_start <= start:
        return [Candidate(rel, own_end, end)]
    return [Candidate(rel, start, end)]


def content_features(cue: Token, cand: Candidate, marks: DocMarks) -> list[str]:
    """Features of ``cand`` as the content of ``cue``."""
    doc = cue.doc
    lemma = cue.lemma_.lower()
    first = doc[cand.start]
    n = cand.end - cand.start
    quoted = marks.share(cand.start, cand.end)
    has_verb = marks.has_verb(cand.start, cand.end)
    rels = cand.relation.split("+")
    cue_deps = sorted({c.dep_ for c in cue.children if c.dep_ in CLAUSE_DEPS})
    at_end = cand.end >= marks.sentence[cue.i][1] - 1
    subjects = [c.i for c in cue.children if c.dep_ in ("nsubj", "nsubjpass", "poss")]
    holds_source = any(cand.start <= i < cand.end for i in subjects)  # content rarely holds its own source
    holds_cue = cand.start <= cue.i < cand.end
    return [
        *(f"r1={r}" for r in rels),
        *(f"r1l={r}|{lemma}" for r in rels),
        *(f"rc={r}|{d}" for r in rels for d in cue_deps),
        f"end={at_end}",
        f"src={holds_source}",
        f"rsrc={cand.relation}|{holds_source}",
        f"cue={holds_cue}",
        f"rend={cand.relation}|{at_end}",
        "bias",
        f"r={cand.relation}",
        f"rl={cand.relation}|{lemma}",
        f"rp={cand.relation}|{cue.pos_}",
        f"rd={cand.relation}|{cue.dep_}",
        f"rn={cand.relation}|{_bin(n)}",
        f"first={first.lower_ if first.pos_ in ('SCONJ', 'ADP', 'PART', 'PRON', 'DET') else first.pos_}",
        f"rf={cand.relation}|{first.pos_}",
        f"quoted={round(quoted, 1)}",
        f"rq={cand.relation}|{quoted > 0.5}",
        f"verb={has_verb}",
        f"rv={cand.relation}|{has_verb}",
    ]
