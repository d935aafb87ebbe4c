"""Stage ``storydesk_quotes``: direct, indirect and mixed quotes with cue and speaker.

* direct: a passage in quotation marks that stands as speech (opens a paragraph or follows
  ``,`` / ``:``), with a reporting verb just after it ("...," he said) or just before it
  (X said: "..."); "A," he said, "B." is one quote; a quoted paragraph with no cue of its own
  right after another quote keeps that quote's speaker (with no mention);
* indirect: a reporting verb (``data/reporting_verbs.txt``) with a clausal complement, the
  clause being the content ("said that ..."), also inverted ("..., officials said") and
  "according to X";
* mixed: an indirect quote whose clause holds quoted words.

``span`` is the reported content only; ``cue`` the verb; ``speaker.mention`` the words naming
the speaker (maybe a pronoun) and ``speaker.name`` the actor they resolve to.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Token

from storydesk.actors import descriptor_span, in_ranges, is_source_chunk
from storydesk.coref import MentionIndex
from storydesk.models import Mention, Quote, QuoteKind, Speaker
from storydesk.nlp import ensure_defaults
from storydesk.quote_lexicon import bare_reporting_verbs, object_verbs, reporting_verbs, source_nouns
from storydesk.quote_marks import QuoteSpan, find_quotes

SUBJECTS = ("nsubj", "csubj")
CONTENT_DEPS = ("ccomp", "xcomp")
CUE_WINDOW = 30  # tokens after a closing mark searched for "he said"
LEAD_WINDOW = 15  # tokens before an opening mark searched for "X said:"
HEADLINE_SPEAKER_WORDS = 6  # "Name:" before a headline-style claim is at most this long
HEADLINE_WORDS = 40  # a paragraph longer than this is prose, not a headline
SPEECH_OPENERS = ",:;.?!—–-("  # a quote that stands as speech follows one of these (or a line start)
SPLIT_GAP = 80  # chars between the halves of "A," he said, "B."
OBJECT_PREPS = ("as", "of", "for")  # "accused X of Y", "criticized X for Y", "described X as Y"
DIRECT_SHARE = 0.8  # an indirect clause this much inside quotation marks is a direct quote


@dataclass
class _Found:
    start: int  # char span of the content
    end: int
    kind: QuoteKind
    cue: Token | None
    speaker: Token | None = None
    inherited: Speaker | None = None  # a continued paragraph's speaker
    cue_end: int = 0  # char end of a multi-word cue ("according to")


class _Context:
    """What every rule needs about one doc, computed once."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.text = doc.text
        self.marks = find_quotes(self.text)
        self.mark_starts = [m.start for m in self.marks]
        self.boiler = sorted(doc._.boilerplate)
        self.starts = [t.idx for t in doc]
        self.mark_of = self._mark_of_tokens()
        self.index = MentionIndex(doc)
        self.verbs = reporting_verbs()
        self.bare = bare_reporting_verbs()
        self.direct_verbs = reporting_verbs(direct=True)
        self.direct_bare = bare_reporting_verbs(direct=True)
        self.object_verbs = object_verbs()

    def _mark_of_tokens(self) -> list[int]:
        """For each token, the index of the quoted passage it lies in, or -1."""
        out = [-1] * len(self.doc)
        for k, m in enumerate(self.marks):
            for i in range(self.token_at(m.start), self.token_at(m.end)):
                out[i] = k
        return out

    def token_at(self, char: int) -> int:
        """Index of the first token starting at or after ``char``."""
        return bisect.bisect_left(self.starts, char)

    def is_cue(self, tok: Token, direct: bool = False) -> bool:
        """A reporting verb outside quotation marks and boilerplate; ``direct``: one that may
        introduce quoted words only."""
        if tok.pos_ not in ("VERB", "AUX") or self.mark_of[tok.i] >= 0:
            return False
        lemma = tok.lemma_.lower()
        if in_ranges(self.boiler, tok.idx, tok.idx + 1):
            return False
        if lemma in (self.direct_bare if direct else self.bare):
            return True
        if not direct and lemma in self.object_verbs and _object_of(tok) is not None:
            return True
        particles = (self.direct_verbs if direct else self.verbs).get(lemma)
        return particles is not None and _particle_child(tok, particles) is not None


def _object_of(verb: Token) -> Token | None:
    return next((c for c in verb.rights if c.dep_ == "dobj"), None)


def _object_range(verb: Token, obj: Token) -> tuple[int, int]:
    """The object and what completes it: "called X a liar", "accused X of Y", "described X as Y"."""
    end = obj.right_edge.i + 1
    for child in verb.rights:
        if child.i < end:
            continue
        if child.dep_ in ("oprd", "xcomp", "ccomp") or (child.dep_ == "prep" and child.lower_ in OBJECT_PREPS):
            end = child.right_edge.i + 1
        elif not child.is_punct:
            break
    return obj.left_edge.i, end


def _particle_child(verb: Token, particles: frozenset[str]) -> Token | None:
    """The child after ``verb`` that holds its particle: the preposition of "call for X", or the
    clause of "call for X to do Y" (which the parser hangs off the verb with "for" inside)."""
    for child in verb.rights:
        if child.lower_ in particles or child.left_edge.lower_ in particles:
            return child
    return None


def _speaker_token(cue: Token) -> Token | None:
    """The subject of the cue, or of the verb it hangs from ("he said, adding ..."), or the noun
    a participle describes ("a man saying ...")."""
    tok: Token | None = cue
    for _ in range(3):
        if tok is None:
            return None
        if tok.dep_ == "acl" and tok.head.pos_ in ("NOUN", "PROPN", "PRON"):
            return tok.head
        for child in tok.children:
            if child.dep_ in SUBJECTS:
                return child
            if child.dep_ == "agent":  # passive: "was criticized by X" (its subject is not the speaker)
                return next((g for g in child.children if g.dep_ == "pobj"), None)
        if tok.dep_ not in ("conj", "advcl", "xcomp", "parataxis") or tok.head is tok:
            return None
        tok = tok.head
    return None


def _breaks_phrase(tok: Token) -> bool:
    """Punctuation that ends a name phrase (a hyphen inside a word, "President-elect", does not)."""
    if tok.is_space:
        return True
    inner_hyphen = tok.text == "-" and not tok.whitespace_ and tok.i > 0 and not tok.nbor(-1).whitespace_
    return tok.is_punct and not inner_hyphen


def _mention_range(head: Token) -> tuple[int, int]:
    """Token range naming the speaker: the head and the words before it in its phrase up to any
    punctuation; for a source noun also its short modifiers ("people familiar with the matter")."""
    start = head.i
    while start > head.left_edge.i and not _breaks_phrase(head.doc[start - 1]):
        start -= 1
    end = head.i + 1
    for child in head.rights:
        if child.dep_ in ("compound", "flat") and child.i == end:
            end += 1
    if head.pos_ == "NOUN" and head.lemma_.lower() in source_nouns():
        chunk = head.doc[start:end]
        if is_source_chunk(chunk):
            start, end = descriptor_span(chunk)
    return start, end


def _speaker(ctx: _Context, head: Token) -> Speaker:
    start, end = _mention_range(head)
    doc = ctx.doc
    mention = Mention(text=doc[start:end].text, span=(doc[start].idx, doc[end - 1].idx + len(doc[end - 1])))
    actor = ctx.index.actor_of(head)
    named = [ctx.index.by_token.get(c.i) for c in head.children if c.dep_ == "appos"]
    if named and named[0] is not None and named[0].kind == "person" and (actor is None or actor.anonymous):
        actor = named[0]  # "the president's pick, retired general X, said"
    if actor is None:
        for tok in doc[start:end]:
            actor = ctx.index.by_token.get(tok.i)
            if actor is not None and actor.kind == "person":
                break
        else:
            actor = None
    if actor is not None:
        return Speaker(name=actor.name, anonymous=actor.anonymous, mention=mention)
    anonymous = head.pos_ == "NOUN" and head.lemma_.lower() in source_nouns()
    return Speaker(name=mention.text, anonymous=anonymous, mention=mention)


# direct quotes ---------------------------------------------------------------------------------


def _stands_as_speech(text: str, mark: QuoteSpan) -> bool:
    i = mark.start - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    return i < 0 or text[i] == "\n" or text[i] in SPEECH_OPENERS or text[i] in "”\"'’"


def _has_outside_content(ctx: _Context, cue: Token) -> bool:
    """The cue introduces an unquoted clause of its own (so it is not this quote's cue)."""
    return any(c.dep_ in CONTENT_DEPS and ctx.mark_of[c.i] < 0 and c.i > cue.i for c in cue.children)


def _trailing_cue(ctx: _Context, k: int) -> Token | None:
    """ "...," he said / "...," said X: a cue in the words right after the closing mark."""
    mark = ctx.marks[k]
    first = ctx.token_at(mark.end)
    if first >= len(ctx.doc):
        return None
    sent_end = ctx.doc[first].sent.end
    for i in range(first, min(sent_end, first + CUE_WINDOW)):
        tok = ctx.doc[i]
        if ctx.mark_of[i] >= 0 or (tok.is_space and "\n" in tok.text):
            return None
        if ctx.is_cue(tok, direct=True):
            return None if _has_outside_content(ctx, tok) else tok
        if tok.is_sent_start and i > first:
            return None
    return None


def _leading_cue(ctx: _Context, k: int) -> Token | None:
    """X said, "..." / X said: "..." (the colon may end the previous paragraph)."""
    last = ctx.token_at(ctx.marks[k].start) - 1
    while last >= 0 and ctx.doc[last].is_space:
        last -= 1
    if last < 0 or ctx.doc[last].text not in (",", ":"):
        return None
    for i in range(last - 1, max(-1, last - LEAD_WINDOW), -1):
        tok = ctx.doc[i]
        if ctx.mark_of[i] >= 0 or tok.text in ".?!" or (tok.is_space and "\n" in tok.text):
            return None
        if ctx.is_cue(tok, direct=True):
            return tok
    return None


def _continues(ctx: _Context, k: int, previous: _Found | None) -> bool:
    """A quote with no cue right after a quote continues its speaker: the next paragraph, or
    the next sentence after the cue ("A," he said. "B.")."""
    if previous is None or previous.kind != "direct":
        return False
    gap = ctx.text[previous.end : ctx.marks[k].start]
    if "\n" in gap:  # the quote fills a paragraph right after the one holding the previous quote
        own_paragraph = gap.rstrip(" \t").endswith("\n")
        return own_paragraph and "\n" not in gap.strip() and _cue_of(ctx, k) is None
    return previous.cue is not None and len(gap) <= SPLIT_GAP and gap.rstrip().endswith(".")


def _cue_of(ctx: _Context, k: int) -> Token | None:
    if not _stands_as_speech(ctx.text, ctx.marks[k]):
        return None
    return _leading_cue(ctx, k) or _trailing_cue(ctx, k)


def _joins(ctx: _Context, k: int, cue: Token, next_cue: Token | None) -> bool:
    """Mark ``k + 1`` goes on with the quote of mark ``k`` (cue ``cue``) within one sentence:
    "A," he said, "B." ("A," he said. "B." makes two quotes, the second continuing the first)."""
    gap_start, gap_end = ctx.marks[k].end, ctx.marks[k + 1].start
    gap = ctx.text[gap_start:gap_end]
    if "\n" in gap or len(gap) > SPLIT_GAP or next_cue not in (None, cue):
        return False
    return gap.strip() == "" or (gap_start <= cue.idx < gap_end and gap.rstrip().endswith((",", ":")))


def _direct_quotes(ctx: _Context, used_cues: set[int]) -> list[_Found]:
    found: list[_Found] = []
    cues = [_cue_of(ctx, k) for k in range(len(ctx.marks))]
    k = 0
    while k < len(ctx.marks):
        mark, cue = ctx.marks[k], cues[k]
        start, end = mark.inner
        if not _stands_as_speech(ctx.text, mark):
            k += 1
            continue
        while cue is not None and k + 1 < len(ctx.marks) and _joins(ctx, k, cue, cues[k + 1]):
            k += 1
            end = ctx.marks[k].inner[1]
        previous = found[-1] if found else None
        if cue is not None:
            used_cues.add(cue.i)
            found.append(_Found(start, end, "direct", cue, _speaker_token(cue)))
        elif previous is not None and _continues(ctx, k, previous):
            same_paragraph = "\n" not in ctx.text[previous.end : start]
            found.append(_Found(start, end, "direct", None, inherited=_inherit(ctx, previous, same_paragraph)))
        k += 1
    return found


def _inherit(ctx: _Context, previous: _Found, same_paragraph: bool) -> Speaker | None:
    """The previous quote's speaker; its mention too when it stands in the same paragraph
    ("A," he said. "B."), none for a quote in a paragraph of its own."""
    spoken = previous.inherited
    if spoken is None and previous.speaker is not None:
        spoken = _speaker(ctx, previous.speaker)
    if spoken is None:
        return None
    return Speaker(name=spoken.name, anonymous=spoken.anonymous, mention=spoken.mention if same_paragraph else None)


# indirect quotes -------------------------------------------------------------------------------


def _content_range(ctx: _Context, cue: Token) -> tuple[int, int] | None:
    """Token range of what the cue reports: its clausal complement, or for a parenthetical
    ("X, officials said, Y") the clause it interrupts; for "call for X", the X."""
    for child in cue.children:
        if child.dep_ == "ccomp" or (child.dep_ == "xcomp" and child.i > cue.i):
            return child.left_edge.i, child.right_edge.i + 1
    particles = ctx.verbs.get(cue.lemma_.lower())
    holder = _particle_child(cue, particles) if particles else None
    if particles and holder is not None:
        if holder.lower_ not in particles:  # "call for X to do Y": the clause without its "for"
            return holder.left_edge.i + 1, holder.right_edge.i + 1
        objects = [g for g in holder.children if g.dep_ == "pobj"]
        if objects:
            return objects[0].left_edge.i, objects[0].right_edge.i + 1
    obj = _object_of(cue) if cue.lemma_.lower() in ctx.object_verbs else None
    if obj is not None:
        return _object_range(cue, obj)
    if cue.dep_ == "parataxis":
        start, end = cue.head.left_edge.i, cue.head.right_edge.i + 1
        if cue.right_edge.i + 1 >= end:  # "..., diplomats said." ends the clause
            end = cue.left_edge.i
        return start, end
    return None


def _trim(ctx: _Context, start: int, end: int) -> tuple[int, int] | None:
    """Char span of tokens ``[start, end)`` without edge punctuation (a closing mark stays)."""
    doc = ctx.doc
    while start < end and (doc[start].is_punct or doc[start].is_space) and ctx.mark_of[start] < 0:
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space) and doc[end - 1].text not in "”\"'’":
        end -= 1
    if end - start < 2:
        return None
    return doc[start].idx, doc[end - 1].idx + len(doc[end - 1])


def _classify(ctx: _Context, start: int, end: int) -> tuple[QuoteKind, int, int]:
    """Mixed when the clause holds quoted words; direct (the marks' span) when it is all quoted."""
    kind: QuoteKind = "indirect"
    k = bisect.bisect_right(ctx.mark_starts, end) - 1
    while k >= 0 and ctx.marks[k].end > start:
        mark = ctx.marks[k]
        inner_s, inner_e = mark.inner
        shared = min(end, inner_e) - max(start, inner_s)
        if shared >= DIRECT_SHARE * (end - start):
            return "direct", inner_s, inner_e
        kind = "mixed"
        k -= 1
    return kind, start, end


def _indirect_quotes(ctx: _Context, used_cues: set[int], taken: list[tuple[int, int]]) -> list[_Found]:
    found: list[_Found] = []
    for tok in ctx.doc:
        if tok.i in used_cues or not ctx.is_cue(tok):
            continue
        rng = _content_range(ctx, tok)
        chars = _trim(ctx, *rng) if rng else None
        if chars is None:
            continue
        kind, start, end = _classify(ctx, *chars)
        if in_ranges(taken, start, end) and kind == "direct":
            continue
        found.append(_Found(start, end, kind, tok, _speaker_token(tok)))
    return found


def _according_to(ctx: _Context) -> list[_Found]:
    """ "..., according to X" and "According to X, ...": X speaks, the rest of the clause is said."""
    found: list[_Found] = []
    doc = ctx.doc
    for tok in doc:
        if tok.lower_ != "according" or tok.i + 1 >= len(doc) or doc[tok.i + 1].lower_ != "to":
            continue
        if ctx.mark_of[tok.i] >= 0 or in_ranges(ctx.boiler, tok.idx, tok.idx + 1):
            continue
        objects = [c for c in doc[tok.i + 1].children if c.dep_ == "pobj"]
        phrase_end = tok.right_edge.i + 1
        head = tok.head
        clause_start, clause_end = head.left_edge.i, head.right_edge.i + 1
        if head is tok:  # the parser made "according" a root: take its sentence
            clause_start, clause_end = tok.sent.start, tok.sent.end
        rng = (phrase_end, clause_end) if tok.i <= clause_start else (clause_start, tok.i)
        chars = _trim(ctx, *rng)
        if chars is None:
            continue
        kind, start, end = _classify(ctx, *chars)
        to = doc[tok.i + 1]
        found.append(_Found(start, end, kind, tok, objects[0] if objects else None, cue_end=to.idx + len(to)))
    return found


def _headline_colons(ctx: _Context) -> list[_Found]:
    """Headline attribution "Speaker: claim." at the start of a short paragraph."""
    found: list[_Found] = []
    text = ctx.text
    for tok in ctx.doc:
        if tok.text != ":" or ctx.mark_of[tok.i] >= 0:
            continue
        para_start = text.rfind("\n", 0, tok.idx) + 1
        para_end = text.find("\n", tok.idx)
        para_end = len(text) if para_end < 0 else para_end
        prefix = text[para_start : tok.idx]
        if not prefix[:1].isupper() or len(prefix.split()) > HEADLINE_SPEAKER_WORDS:
            continue
        if len(text[para_start:para_end].split()) > HEADLINE_WORDS:
            continue
        before = ctx.doc[ctx.token_at(para_start) : tok.i]
        if any(t.pos_ in ("VERB", "AUX") or ctx.mark_of[t.i] >= 0 for t in before):
            continue
        heads = [t for t in before if t.pos_ in ("NOUN", "PROPN")]
        chars = _trim(ctx, tok.i + 1, ctx.token_at(para_end))
        if not heads or chars is None:
            continue
        kind, start, end = _classify(ctx, *chars)
        found.append(_Found(start, end, kind, tok, heads[-1]))
    return found


def _to_quote(ctx: _Context, f: _Found) -> Quote:
    cue = None
    if f.cue is not None:
        cue_end = f.cue_end or f.cue.idx + len(f.cue)
        cue = Mention(text=ctx.text[f.cue.idx : cue_end], span=(f.cue.idx, cue_end))
    speaker = f.inherited
    if f.speaker is not None:
        speaker = _speaker(ctx, f.speaker)
    return Quote(text=ctx.text[f.start : f.end], span=(f.start, f.end), kind=f.kind, cue=cue, speaker=speaker)


def _outside_boilerplate(ctx: _Context, quotes: list[_Found]) -> list[_Found]:
    return [f for f in quotes if not in_ranges(ctx.boiler, f.start, f.end)]


@Language.component(
    "storydesk_quotes",
    requires=["token.dep", "doc.ents", "doc._.actors", "doc._.boilerplate"],
    assigns=["doc._.quotes"],
)
def extract_quotes(doc: Doc) -> Doc:
    ensure_defaults(doc)
    ctx = _Context(doc)
    used: set[int] = set()
    direct = _direct_quotes(ctx, used)
    taken = sorted((f.start, f.end) for f in direct)
    found = direct + _indirect_quotes(ctx, used, taken) + _according_to(ctx) + _headline_colons(ctx)
    found = _outside_boilerplate(ctx, found)
    found.sort(key=lambda f: (f.start, f.end))
    doc._.quotes = [_to_quote(ctx, f) for f in found]
    return doc
