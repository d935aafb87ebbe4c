"""Stage ``storydesk_quotes``: direct, indirect and mixed quotes with cue and speaker.

Two modes (the component's ``tagger`` setting; ``nlp.load(tagger=True)``; for ``analyze`` the
``quotes`` setting, ``STORYDESK_QUOTES``, or ``analyze --fast`` for the rules):

* default, the tagger (:mod:`storydesk.quotes.tagger`) with the rules' help: a fine-tuned MiniLM
  marks content, cue and source spans, :mod:`storydesk.quotes.assembly` links them. The speaker
  is the cue's subject in the parse, else the tagger's source words, else the speaker of a rule
  quote on the same words (a paragraph continuing someone's quote), else a name after a dash
  ("..." ― Jane Doe) or before a colon. A content over quoted pieces in separate sentences
  ("A," he said. "B.") becomes one quote per piece, as the rules make it. The rules add what
  the tagger cannot mark: an attribution nested in another by a second verb ("X said he ... and
  called for Y"), and direct quotes on words it left untagged. PolNeAR dev: loose F1 0.769,
  strict 0.549, speaker accuracy 0.868, attribution F1 0.668, at about half the speed of the
  rules (``benchmarks/bench_analyze.py``);
* fast, the rules and a linear model over the parse (PolNeAR dev 0.707, 0.509, 0.890, 0.629):

  * direct (rules over quotation marks): a passage in quotation marks that stands as speech
    (opens a paragraph or follows ``,`` / ``:``), with a reporting verb just after it ("...," he
    said) or just before it (X said: "..."); "A," he said, "B." is one quote; a quoted passage
    with no cue of its own right after another quote keeps that quote's speaker: in the next
    sentence ("A," he said. "B.") it is a quote of its own with the same speaker mention, in a
    paragraph of its own it has the speaker but no mention;
  * every other attribution (the trained model of :mod:`storydesk.quotes.model`): a cue (a verb
    of saying, believing or intending, "according to", a nominal cue such as "X's call for", a
    headline colon) with the content span the parse offers for it; the cue's subject, owner or
    "according to" object is the source; a source naming no one ("many have said ...")
    in a sentence that cites someone with "according to" gives way to that citation;

In both modes a transcript line ("SMITH: We will appeal.", :mod:`storydesk.quotes.turns`) is a
direct quote of its label, with the colon as its cue.

* kind: mixed when the content holds quoted words, direct when it is nearly all quoted.

``span`` is the reported content only; ``cue`` the verb; ``speaker.mention`` the words naming
the speaker (maybe a pronoun) and ``speaker.name`` the actor they resolve to, read by
:mod:`storydesk.quotes.speakers` (a title or party tag for the name beside it, a document for its
author, "the chairman" for the person, a described group as an unnamed source, "X and Y said"
with Y in ``speaker.co_speakers``, "he said" continuing the previous turn).
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
from collections import deque
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Token

from storydesk.annotate.actors import descriptor_span, in_ranges, is_source_chunk
from storydesk.annotate.coref import MentionIndex
from storydesk.annotate.doc import ensure_defaults
from storydesk.lexicon import (
    bare_reporting_verbs,
    document_families,
    indefinite_holders,
    reporting_verbs,
    source_nouns,
)
from storydesk.models import Mention, Quote, QuoteAct, QuoteKind, Speaker
from storydesk.quotes import acts
from storydesk.quotes.assembly import Linker, paragraph_pieces
from storydesk.quotes.features import DocMarks
from storydesk.quotes.marks import QuoteSpan
from storydesk.quotes.model import load_model
from storydesk.quotes.speakers import Resolved, SpeakerResolver, carry_turns, title_words
from storydesk.quotes.tagger import load_tagger
from storydesk.quotes.turns import Turn, find_turns

SUBJECTS = ("nsubj", "csubj")
CONTENT_DEPS = ("ccomp", "xcomp")
CUE_WINDOW = 30  # tokens after a closing mark searched for "he said"
LEAD_WINDOW = 15  # tokens before an opening mark searched for "X said:"
HEADLINE_SPEAKER_WORDS = 6  # "Name:" before a headline-style claim is at most this long
SPEECH_OPENERS = ",:;.?!—–-("  # a quote that stands as speech follows one of these (or a line start)
SPEECH_GOES_ON = (",", ":", ".", " but", " and")  # how the words between two pieces of one quote end
INVERTED_NAME_WORDS = 4  # "..., said Jane Q. Doe, ...": a name after an inverted verb of saying
# prepositions whose gerund's speaker is the subject of the verb they hang from ("X joined Y
# in asking", "X ended by saying"); not "for" ("X thanked Y for saying": Y said it)
SUBJECT_PREPS = frozenset({"in", "by", "after", "before", "while", "upon", "when"})
SUBJECT_SPOKE_PASSIVES = frozenset({"quote", "cite", "hear"})  # "X was quoted as saying": X spoke
UNNAMED_SOURCE = "unnamed source"  # the speaker of a passive "it was announced that ..."
PLURAL_PRONOUNS = ("they",)  # a speaker that may stand for a pair named just before
SPLIT_GAP = 80  # chars between the halves of "A," he said, "B."
MIN_CONTENT_CHARS = 15  # a tagged content shorter than this is mostly noise (dev)
# A tagged content whose pieces average under this confidence is left out: PolNeAR dev
# attribution F1 0.658 (none left out), 0.663 (0.55), 0.668 (0.6), 0.662 (0.65), 0.658 (0.7).
MIN_CONTENT_CONFIDENCE = 0.6
RULE_FALLBACK = True  # keep the rules' direct quotes on words the tagger left untagged
DASHES = "―—–"  # a dash after a closing quotation mark may introduce its speaker
DASH_NAME_WORDS = 5  # the name after such a dash is at most this long
DASH_TAIL = 40  # chars at a content's end searched for a closing mark, a dash and a name
LEADING_JUNK = ",;:.-—–"  # punctuation a tagged content may start with (a dateline's dash, a full stop)
DIRECT_SHARE = 0.8  # an indirect clause this much inside quotation marks is a direct quote
NOMINALS = ("NOUN", "PROPN", "PRON")  # a tagged source's speaker is one of these where it can be
# Word classes that never name a speaker ("," or "of"); names the tagger mislabels may be any other
FUNCTION_WORDS = frozenset(
    {"ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NUM", "PART", "PUNCT", "SCONJ", "SPACE", "SYM"}
)
# Entity types that never speak: a live blog's "5:45 p.m." before a paragraph is not its source
NOT_SPEAKERS = frozenset({"TIME", "DATE", "CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY"})


@dataclass
class _Found:
    start: int  # char span of the content
    end: int
    kind: QuoteKind
    cue: Token | None
    speaker: Token | None = None
    inherited: Speaker | None = None  # a continued paragraph's speaker
    cue_end: int = 0  # char end of a multi-word cue ("according to")
    cue_span: tuple[int, int] | None = None  # the tagger's cue, when it gave one
    mention: tuple[int, int] | None = None  # speaker words that are no parse phrase (a turn's label)


class _Context:
    """What every rule needs about one doc, computed once."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.text = doc.text
        self.doc_marks = DocMarks(doc)
        self.marks = self.doc_marks.spans
        self.mark_starts = [m.start for m in self.marks]
        self.mark_of = self.doc_marks.of
        self.boiler = sorted(doc._.boilerplate)
        self.starts = [t.idx for t in doc]
        self.index = MentionIndex(doc)
        self.resolver = SpeakerResolver(doc, self.index, lambda i: self.mark_of[i] >= 0)
        self.verbs = reporting_verbs(direct=True)
        self.bare = bare_reporting_verbs(direct=True)

    def token_at(self, char: int) -> int:
        """Index of the first token starting at or after ``char``."""
        return bisect.bisect_left(self.starts, char)

    def whole_words(self, start: int, end: int) -> tuple[int, int]:
        """A char span widened to the tokens it cuts into: the tagger reads word pieces, so its
        spans may start or end inside a word ("##anyahu's")."""
        first = bisect.bisect_right(self.starts, start) - 1
        if first >= 0 and start < self.starts[first] + len(self.doc[first]):
            start = self.starts[first]
        last = bisect.bisect_right(self.starts, end - 1) - 1
        if last >= 0 and end < self.starts[last] + len(self.doc[last]):
            end = self.starts[last] + len(self.doc[last])
        return start, end

    def is_cue(self, tok: Token) -> bool:
        """A verb that may introduce quoted words, outside quotation marks and boilerplate."""
        if tok.pos_ not in ("VERB", "AUX") or self.mark_of[tok.i] >= 0:
            return False
        if in_ranges(self.boiler, tok.idx, tok.idx + 1):
            return False
        lemma = tok.lemma_.lower()
        if lemma in self.bare:
            return True
        particles = self.verbs.get(lemma)
        return particles is not None and _particle_child(tok, particles) is not None


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
    inverted = _inverted_subject(cue)
    if inverted is not None:
        return inverted
    if _agentless_passive(cue):  # "it was announced that ...": no one named, not the clause above's subject
        return None
    nearer = _clause_before_participle(cue)
    if nearer is not None:
        return nearer
    tok: Token | None = cue
    for _ in range(3):
        if tok is None:
            return None
        if tok.dep_ == "acl" and tok.head.pos_ in ("NOUN", "PROPN", "PRON"):
            # "a box labeled ...", "the bill, known as ...": what was named, not who; a past
            # tense with an object of its own is the noun's finite verb the parser took for one
            # ("X, a group that ..., called Y's plan a step")
            if tok.tag_ == "VBN" and not any(c.dep_ == "dobj" for c in tok.children):
                return _agent(tok)
            return tok.head
        # a verb given two subjects (a sentence run on over a paragraph break without a full
        # stop) has the one in its own paragraph
        verb = tok
        for child in sorted(tok.children, key=lambda c: _paragraph_break_between(c, verb)):
            if child.dep_ in SUBJECTS and not _in_boilerplate(child):  # a dateline parsed as a subject
                return child
            # "The suit was filed by X and asks": the suit; "X was quoted as saying": X
            if child.dep_ == "nsubjpass" and (tok is not cue or cue.lemma_.lower() in SUBJECT_SPOKE_PASSIVES):
                return child
            if child.dep_ == "agent" and tok is cue:  # passive: "was criticized by X" (its subject is not the speaker)
                return _agent(tok)
        # "X, asked if ..., said": a verb of saying with no subject of its own has that of the
        # aside before it, parsed as its modifier or (wrongly) as the verb it complements
        aside = _aside_subject(tok)
        if aside is not None:
            return aside
        if tok.dep_ == "pcomp" and tok.head.lower_ in SUBJECT_PREPS and tok.head.dep_ == "prep":
            tok = tok.head.head  # "X joined Y in asking ...": X asks
            continue
        if tok.dep_ not in ("conj", "advcl", "xcomp", "parataxis", "ccomp") or tok.head.i == tok.i:
            return None
        if tok.dep_ == "ccomp" and (tok.head.i > tok.i or not _after_comma(tok)):
            return None
        tok = tok.head
    return None


def _cue_over_as_clause(ctx: _Context, cue: Token, content: tuple[int, int]) -> Token | None:
    """The verb of saying that a cue in an "as" clause hangs from, outside the content ("As X
    reported Wednesday, ... , a spokesman said": said), when it has a subject of its own: the
    clause only says who else reported the words."""
    if cue.dep_ != "advcl" or not _marked_as(cue):
        return None
    main = cue.head  # the clause may hang from the content's own verb: up to the one outside it
    while content[0] <= main.idx < content[1] and main.dep_ == "ccomp":
        main = main.head
    if content[0] <= main.idx < content[1] or not ctx.is_cue(main):
        return None
    return main if any(c.dep_ in SUBJECTS for c in main.children) else None


def _agent(verb: Token) -> Token | None:
    """The object of a passive verb's "by" ("comments made by X": X)."""
    agent = next((c for c in verb.children if c.dep_ == "agent"), None)
    return next((g for g in agent.children if g.dep_ == "pobj"), None) if agent is not None else None


def _paragraph_break_between(a: Token, b: Token) -> bool:
    first, last = sorted((a.i, b.i))
    return any("\n" in t.text or "\n" in t.whitespace_ for t in a.doc[first:last])


def _clause_before_participle(cue: Token) -> Token | None:
    """The subject of a subordinate clause that ends right before a participle cue, both
    hanging from one verb ("X's comments came as Y turned down ..., saying ..."): the
    participle goes with the nearer clause, which the parser may attach to the main verb."""
    if cue.tag_ != "VBG" or cue.dep_ != "advcl":
        return None
    end = cue.i - 1 if cue.i > 0 and cue.nbor(-1).text == "," else cue.i
    for clause in cue.head.children:
        if clause.dep_ == "advcl" and clause.i < cue.i and clause.right_edge.i + 1 == end:
            subject = next((c for c in clause.children if c.dep_ in SUBJECTS), None)
            if subject is not None and any(c.dep_ == "mark" for c in clause.children):
                return subject
    return None


def _agentless_passive(cue: Token) -> bool:
    """Whether the cue is a passive verb that names no one who spoke ("it was announced
    that ...", "the staff were told ..."): an unnamed source's words."""
    deps = {c.dep_ for c in cue.children}
    speaker_is_subject = cue.lemma_.lower() in SUBJECT_SPOKE_PASSIVES
    return cue.pos_ == "VERB" and "auxpass" in deps and "agent" not in deps and not speaker_is_subject


def _inverted_subject(cue: Token) -> Token | None:
    """The name right after a verb of saying set between commas ("Her comments, said Jane Doe,
    the spokeswoman, are ..."), which the parser may make the subject of the reported clause."""
    if not _after_comma(cue) or cue.i + 1 >= len(cue.doc):
        return None
    name = cue.doc[cue.i + 1 : cue.i + 1 + INVERTED_NAME_WORDS]
    words = list(itertools.takewhile(lambda t: t.ent_type_ == "PERSON", name))
    if not words or words[-1].i + 1 >= len(cue.doc) or cue.doc[words[-1].i + 1].text != ",":
        return None
    return words[-1]


def _aside_subject(verb: Token) -> Token | None:
    """The subject of a participle clause set before ``verb`` between commas ("X, asked if
    ..., said"), which the parser may hang off the verb with the subject inside."""
    if any(c.dep_ == "auxpass" for c in verb.children) or not _after_comma(verb):
        return None  # only an active "..., said" right after the aside's closing comma
    for child in verb.lefts:
        if child.dep_ in ("advcl", "ccomp") and child.tag_ in ("VBN", "VBD"):
            subject = next((g for g in child.children if g.dep_ in SUBJECTS and g.i < child.i), None)
            if subject is not None:
                return subject
    return None


def _after_comma(tok: Token) -> bool:
    return tok.i > 0 and tok.nbor(-1).text == ","


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
    head = ctx.resolver.named_head(head)  # "Hale, D-Maine, said": Hale
    start, end = _mention_range(head)
    doc = ctx.doc
    mention = Mention(text=doc[start:end].text, span=(doc[start].idx, doc[end - 1].idx + len(doc[end - 1])))
    antecedent = _antecedent(head)
    if antecedent is not None:  # "X, who said ...": the mention stays "who", the speaker is X
        start, end = _mention_range(antecedent)
        head = antecedent
    resolved = _resolved(ctx, head, start, end)
    if resolved.actor is not None:
        actor = resolved.actor
        return Speaker(
            name=actor.name, anonymous=actor.anonymous, mention=mention, co_speakers=list(resolved.co_speakers)
        )
    if resolved.description is not None:
        return Speaker(name=resolved.description, anonymous=True, mention=mention)
    anonymous = head.pos_ == "NOUN" and head.lemma_.lower() in source_nouns()
    return Speaker(name=doc[start:end].text, anonymous=anonymous, mention=mention)


def _resolved(ctx: _Context, head: Token, start: int, end: int) -> Resolved:
    """The actor or unnamed group the speaker's head word (phrase ``start:end``) stands for."""
    if head.pos_ == "NOUN" and head.lower_ in document_families():
        author = ctx.resolver.document_author(head)
        if author is not None:  # "the lawsuit says": its filer's words
            return author
    if head.lower_ in PLURAL_PRONOUNS:
        pair = ctx.resolver.plural_antecedent(head)  # "X and Y said ... They say"
        if pair is not None:
            return pair
    # "her office": hers; "the president": the article's own; "the project" after "X, a project"
    resolver = ctx.resolver
    actor = resolver.principal(head) or resolver.title_holder(head) or resolver.described(head)
    actor = actor or ctx.index.actor_of(head)
    named = [ctx.index.by_token.get(c.i) for c in head.children if c.dep_ == "appos"]
    if named and named[0] is not None and named[0].kind == "person" and (actor is None or actor.anonymous):
        actor = named[0]  # "the president's pick, retired general X, said"
    if actor is None:
        staff = ctx.resolver.staff_of(head)  # "Mr. X's team": not X
        if staff is not None:
            return Resolved(None, staff)
        # a person named in the phrase, not its possessor ("the president's budget director")
        owners = {t.i for c in head.children if c.dep_ == "poss" for t in c.subtree}
        words = [t for t in ctx.doc[start:end] if t.i not in owners]
        actor = next((a for t in words if (a := ctx.index.by_token.get(t.i)) and a.kind == "person"), None)
    if actor is None:
        numbered = ctx.resolver.numbered_group(head)  # "the two states" after "X and Y"
        if numbered is not None:
            return numbered
        actor = ctx.resolver.role_bearer(head)  # "the committee chairman", "the agency"
    if actor is None or actor.anonymous or actor.kind == "group":
        later = ctx.resolver.named_next(head)  # "The top Republican on ... said. Rep. X ..."
        if later is not None:
            return Resolved(later)
    if actor is None or actor.anonymous or actor.kind == "group":
        members = ctx.resolver.named_members(head)  # "a handful, including X and Y, urged"
        if members is not None:
            return members
    group = ctx.resolver.unnamed_group(head, actor)
    if group is not None:
        return Resolved(None, group)
    if actor is None:
        return Resolved(None)
    return ctx.resolver.coordinated(head, actor)


def _antecedent(tok: Token) -> Token | None:
    """The noun a relative pronoun stands for ("the agency, which said ...": agency); for a
    group the subject is counted in ("X was among the many who called ...", "X was one of
    several members who signed ..."), the subject."""
    if tok.tag_ in ("WP", "WDT") and tok.head.dep_ == "relcl" and tok.head.head.pos_ in NOMINALS:
        return _member_of(tok.head.head) or tok.head.head
    return None


def _member_of(group: Token) -> Token | None:
    """The subject of "X was among <group>" / "X was one of <group>", else None."""
    if group.dep_ != "pobj" or group.head.lower_ not in ("among", "of"):
        return None
    verb = group.head.head
    if group.head.lower_ == "of":
        if verb.lower_ != "one" or verb.dep_ not in ("attr", "pobj"):
            return None
        verb = verb.head
    if verb.lemma_ != "be":
        return None
    return next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)


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
        if ctx.is_cue(tok):
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
        if ctx.is_cue(tok):
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
    return spoken.model_copy(update={"mention": spoken.mention if same_paragraph else None})


# attributions the tagger finds ------------------------------------------------------------------


def _head_token(ctx: _Context, span: tuple[int, int]) -> Token | None:
    """The token of a char span whose syntactic head lies outside it (the phrase's head)."""
    first, last = ctx.token_at(span[0]), ctx.token_at(span[1]) - 1
    if last < first:
        return None
    return min(ctx.doc[first : last + 1], key=lambda t: _depth_within(t, first, last))


def _source_head(ctx: _Context, span: tuple[int, int]) -> Token | None:
    """The word of a tagged source that names it: the highest in the parse of those that may
    speak ("like Mr. Smith": Smith), a noun or pronoun before other words, the first on ties; a
    dateline's words never do."""
    first, last = ctx.token_at(span[0]), ctx.token_at(span[1]) - 1
    while first <= last and _in_boilerplate(ctx.doc[first]):
        first += 1
    words = [t.head if t.dep_ == "case" else t for t in ctx.doc[first : last + 1]]  # "Smith's": Smith
    speaking = [t for t in words if _may_speak(t)]
    return min(
        speaking,
        key=lambda t: (t.pos_ not in NOMINALS, _depth_within(t, first, last), _is_title(t)),
        default=None,
    )


def _is_title(tok: Token) -> bool:
    """A title word ("Sens." of "Sens. A and B"), which the parser may make the phrase's head
    beside the name it belongs to: the name speaks."""
    return tok.lower_.rstrip(".") in title_words()


def _depth_within(tok: Token, first: int, last: int) -> int:
    """How many of a token's syntactic ancestors lie in tokens ``first..last``."""
    depth = 0
    while tok.head.i != tok.i and first <= tok.head.i <= last:
        tok, depth = tok.head, depth + 1
    return depth


def _in_boilerplate(tok: Token) -> bool:
    return in_ranges(tok.doc._.boilerplate, tok.idx, tok.idx + len(tok))


def _mutual_cover(a: tuple[int, int], b: tuple[int, int], share: float) -> bool:
    shared = min(a[1], b[1]) - max(a[0], b[0])
    return shared > share * (a[1] - a[0]) and shared > share * (b[1] - b[0])


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in LEADING_JUNK):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:"):
        end -= 1
    return start, end


def _tagged_quotes(ctx: _Context, rules: list[_Found]) -> list[_Found]:
    """The tagger's attributions, each with its speaker (see :func:`_tagged_speaker`), split
    into one quote per sentence as the rules do; then the rules' attributions the tagger cannot
    hold: nested ones and direct quotes on words it left untagged."""
    tagged = load_tagger().tag(ctx.text)
    confident = [
        ctx.whole_words(*piece)
        for s, e, conf in tagged.content
        if conf >= MIN_CONTENT_CONFIDENCE
        for piece in paragraph_pieces(ctx.text, (s, e))
    ]
    contents = [_trim(ctx.text, *c) for c in confident]
    contents = [_before_dash(ctx.text, c) for c in contents if c[1] - c[0] >= MIN_CONTENT_CHARS]
    cues = [ctx.whole_words(s, e) for s, e, _ in tagged.cue]
    sources = [ctx.whole_words(s, e) for s, e, _ in tagged.source]
    found: list[_Found] = []
    linker = Linker(ctx.text, cues, sources)
    pending = deque(linker(contents))
    while pending:
        linked = pending.popleft()
        start, end = linked.content
        f = _Found(start, end, "indirect", None)  # its kind is set once its span is final
        if linked.cue is not None:
            f.cue_span = linked.cue
            f.cue = ctx.doc[min(ctx.token_at(linked.cue[0]), len(ctx.doc) - 1)]
            (f.start, f.end), others = _without_own_cue(ctx, f.start, f.end, linked.cue)
            others = [o for o in others if o[1] - o[0] >= MIN_CONTENT_CHARS]
            pending.extend(linker(others))
            cue_head = _head_token(ctx, linked.cue)
            main = _cue_over_as_clause(ctx, cue_head, (f.start, f.end)) if cue_head is not None else None
            if main is not None:  # "As X reported, ... Y said": Y's words
                f.cue, f.cue_span = main, (main.idx, main.idx + len(main))
        f.end = _without_trailing_name(ctx, f.start, f.end)
        _tagged_speaker(ctx, f, linked.source, rules)
        found += _split_sentences(ctx, f)
    found += _nested(found, rules)
    if RULE_FALLBACK:
        spans = [(f.start, f.end) for f in found]
        found += [r for r in rules if r.kind == "direct" and not any(s < r.end and r.start < e for s, e in spans)]
    return found


def _marks_within(ctx: _Context, start: int, end: int) -> list[QuoteSpan]:
    """The quoted passages that open at or after ``start`` and close by ``end``; one that runs
    on into the next paragraph (news style re-opens it there) up to ``end`` when that is its
    paragraph's end: the tagger's contents stop at a paragraph's end."""
    k = bisect.bisect_left(ctx.mark_starts, start)
    marks = []
    while k < len(ctx.marks) and ctx.marks[k].end <= end:
        marks.append(ctx.marks[k])
        k += 1
    if k < len(ctx.marks) and ctx.marks[k].start < end:
        mark, stop = ctx.marks[k], _paragraph_end(ctx.text, ctx.marks[k].start, end)
        if stop is not None:
            marks.append(QuoteSpan(mark.start, stop, mark.opening, 0))
    return marks


def _paragraph_end(text: str, start: int, end: int) -> int | None:
    """The end of ``text[start:end]``'s words when they lie in one paragraph that ends there
    (maybe before spaces), else None."""
    stop = end
    while stop > start and text[stop - 1].isspace():
        stop -= 1
    one_paragraph = "\n" not in text[start:stop]
    return stop if one_paragraph and text[stop:].lstrip(" \t").startswith("\n") else None


def _without_own_cue(
    ctx: _Context, start: int, end: int, cue: tuple[int, int]
) -> tuple[tuple[int, int], list[tuple[int, int]]]:
    """A tagged content fitted to its cue when the cue lies inside it, with the parts that are
    no content of this cue, to be linked on their own. The tagger's span may run on over the
    cue: it is cut at the quotation marks ("A," X told / X said: "A"). A cue between two quoted
    pieces is a split quote's, which stays whole when the words around the cue end as a speech
    goes on ("A," X said, "B." / X said. "B." / X said, but "B."); else a sentence end there
    parts other attributions off ("A," X said. The plan "failed," he added), and a later piece
    in the cue's own sentence is no more of the speech ("A," X told "Today.")."""
    if start <= cue[0] < end and not ctx.text[start : cue[0]].strip():  # it opens with its cue
        start, end = _trim(ctx.text, cue[1], end)
    marks = _marks_within(ctx, start, end)
    if not marks or not (start <= cue[0] and cue[1] <= end):
        return (start, end), []
    before = [m for m in marks if m.end <= cue[0]]
    if len(before) == len(marks):
        return (start, marks[-1].end), []
    if not before:
        lead_in = ctx.text[cue[1] : marks[0].start].strip()
        return ((marks[0].start, end) if lead_in in ("", ",", ":") else (start, end)), []
    gap_start, gap_end = before[-1].end, marks[len(before)].start
    if ctx.text[gap_start:gap_end].rstrip().endswith(SPEECH_GOES_ON):
        return (start, end), []
    others = []
    lead = _sentence_starts(ctx, gap_start, cue[0])
    if lead:  # the pieces before the cue's sentence are another's
        others.append(_trim(ctx.text, start, lead[-1]))
        start = lead[-1]
    tail = _sentence_starts(ctx, cue[1], gap_end)
    if tail:
        others.append(_trim(ctx.text, tail[0], end))
        end = tail[0]
    elif not lead:
        end = before[-1].end
    own, more = _without_own_cue(ctx, *_trim(ctx.text, start, end), cue) if others else ((start, end), [])
    return own, others + more


def _without_trailing_name(ctx: _Context, start: int, end: int) -> int:
    """The end of a content that runs past its closing mark over a name only ("A," Mr. Smith):
    the name is the speaker's, not the words'."""
    marks = _marks_within(ctx, start, end)
    if not marks or marks[-1].end >= end:
        return end
    tail = [t for t in ctx.doc[ctx.token_at(marks[-1].end) : ctx.token_at(end)] if not t.is_space]
    return marks[-1].end if tail and all(t.pos_ in ("PROPN", "PRON", "PUNCT") for t in tail) else end


def _sentence_starts(ctx: _Context, start: int, end: int) -> list[int]:
    """Char offsets of the sentences that begin within ``[start, end)``."""
    first, last = ctx.token_at(start), ctx.token_at(end)
    return [t.idx for t in ctx.doc[first:last] if t.is_sent_start and not t.is_space]


def _tagged_speaker(ctx: _Context, f: _Found, source: tuple[int, int] | None, rules: list[_Found]) -> None:
    """Sets the speaker of a tagged content, the first of: the cue's subject in the parse (the
    tagger's nearest source span is wrong more often on PolNeAR dev); that source span; the
    speaker of a rule quote on the same words (a paragraph continuing someone's quote); a name
    after a dash or before a colon next to the content."""
    if f.cue_span is not None:
        head = _head_token(ctx, f.cue_span)
        parsed = _source_token(head) if head is not None else None
        if head is not None and parsed is not None and _speaks_for(ctx, f, parsed, head):
            f.speaker = parsed
            return
    tagged = _source_head(ctx, source) if source is not None else None
    if tagged is not None and tagged.dep_ == "nsubjpass" and _agentless_passive(tagged.head):
        return  # "it was announced that", "X was told that": the one told, or no one, is no speaker
    if tagged is not None and _may_speak(tagged):
        f.speaker = tagged
        return
    rule = next((r for r in rules if _mutual_cover((r.start, r.end), (f.start, f.end), 0.3)), None)
    if rule is not None and (rule.speaker is not None or rule.inherited is not None):
        f.speaker, f.inherited = rule.speaker, rule.inherited
        if f.cue is None:
            f.cue, f.cue_end = rule.cue, rule.cue_end
        return
    f.speaker = _dash_source(ctx, f.end) or _colon_source(ctx, f.start)


def _speaks_for(ctx: _Context, f: _Found, speaker: Token, cue: Token) -> bool:
    """Whether the cue's subject in the parse may be the content's speaker: not a word of the
    content, nor one in quotation marks the cue stands outside ("X told police "the idiot shot
    me" and said ...": not the idiot), and a word that may name someone."""
    quoted = ctx.mark_of[speaker.i] >= 0 and ctx.mark_of[cue.i] < 0
    return not f.start <= speaker.idx < f.end and not quoted and _may_speak(speaker)


def _may_speak(tok: Token) -> bool:
    """Whether a speaker's head word may name one: not a time, date or figure. Only the tagger's
    speaker choice asks: in :func:`_source_token`, for both modes, it cost PolNeAR dev speaker
    accuracy (rules 0.890 -> 0.883, tagger mode 0.868 -> 0.863)."""
    return tok.pos_ not in FUNCTION_WORDS and tok.ent_type_ not in NOT_SPEAKERS and not tok.like_num


def _before_dash(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """A content without the "― Name" that may follow its closing quotation mark."""
    start, end = span
    tail = text[max(start, end - DASH_TAIL) : end]
    for k in range(len(tail) - 1, 0, -1):
        if tail[k] in DASHES and tail[:k].rstrip(" \t\xa0").endswith(("”", '"')):
            return start, end - len(tail) + len(tail[:k].rstrip(" \t\xa0"))
    return span


def _dash_source(ctx: _Context, end: int) -> Token | None:
    """The name after a dash that closes a quote ("..." ― Jane Doe), as in vox pops."""
    i = end
    while i < len(ctx.text) and (ctx.text[i] in "\"'”’." or ctx.text[i] in " \t\xa0"):
        i += 1
    if i >= len(ctx.text) or ctx.text[i] not in DASHES:
        return None
    first = ctx.token_at(i + 1)
    while first < len(ctx.doc) and ctx.doc[first].is_space and "\n" not in ctx.doc[first].text:
        first += 1
    last = first
    while last < len(ctx.doc) and last - first < DASH_NAME_WORDS and not _breaks_phrase(ctx.doc[last]):
        last += 1
    names = [t for t in ctx.doc[first:last] if t.pos_ == "PROPN"]
    return names[-1] if names and ctx.doc[first].is_title else None


def _colon_source(ctx: _Context, start: int) -> Token | None:
    """The speaker of a colon just before the content, maybe ending the previous paragraph:
    "X added:" (the verb's subject) or a line that opens with a name ("SMITH: ...")."""
    i = start - 1
    while i >= 0 and ctx.text[i] in " \t\n\"'“‘":
        i -= 1
    if i < 0 or ctx.text[i] != ":":
        return None
    colon = ctx.doc[min(ctx.token_at(i), len(ctx.doc) - 1)]
    if colon.text != ":" or colon.i == 0:
        return None
    before = colon.nbor(-1)
    if ctx.is_cue(before):
        return _speaker_token(before)
    verb = _verb_before_colon(colon)  # "X tweeted to Y: ..."
    return _speaker_token(verb) if verb is not None else _headline_speaker(colon)


def _verb_before_colon(colon: Token) -> Token | None:
    """The verb nearest before the colon in its sentence, when it has a subject ("X wrote to Y:
    ...", "X said in a statement:"): the colon introduces its words; a headline's "Name:" has
    none."""
    for i in range(colon.i - 1, max(colon.sent.start, colon.i - LEAD_WINDOW) - 1, -1):
        tok = colon.doc[i]
        if tok.pos_ == "VERB" and any(c.dep_ in SUBJECTS for c in tok.children):
            return tok
    return None


def _nested(tagged: list[_Found], rules: list[_Found]) -> list[_Found]:
    """Rule attributions nested in a tagged content by a second verb of its speaker ("X said
    he ... and called for Y"): the tagger marks one content per word, so an attribution inside
    another is the rules' to find. Only coordinated cues: all nested rule attributions cost
    PolNeAR dev 0.015 of loose F1 in precision; these cost nothing."""
    out = []
    for r in rules:
        if r.cue is None or r.kind == "direct" or r.cue.dep_ != "conj":
            continue
        inside = any(f.start <= r.cue.idx < f.end and f.start <= r.start and r.end <= f.end + 1 for f in tagged)
        if not inside or any(f.start == r.start and f.end == r.end for f in tagged):
            continue
        if r.cue_span is None and any(f.cue is not None and f.cue.i == r.cue.i for f in tagged):
            continue
        out.append(r)
    return out


def _split_sentences(ctx: _Context, f: _Found) -> list[_Found]:
    """A content that runs over quoted pieces in separate sentences ("A," he said. "B.") as one
    quote per piece, the later ones continuing the first's speaker: the convention of the
    direct-quote rules, so both modes agree (a comma between the pieces keeps one quote)."""
    pieces = [f]
    # + 1: a trimmed content may stop just before its closing mark
    for a, b in itertools.pairwise(_marks_within(ctx, f.start, f.end + 1)):
        gap = ctx.text[a.end : b.start]
        if "\n" in gap or not gap.strip() or not gap.rstrip().endswith(".") or len(gap) > SPLIT_GAP:
            continue
        last = pieces[-1]
        # a tail whose quote ends its sentence ends there (the tagger may run on into the next)
        tail_end = b.inner[1] if ctx.text[b.inner[1] - 1 : b.inner[1]] in (".", "?", "!") else last.end
        head = dataclasses.replace(last, end=a.end)  # the whole mark: a mixed head keeps its closing mark
        tail = dataclasses.replace(last, start=b.inner[0], end=tail_end, cue=None, cue_end=0, cue_span=None)
        pieces[-1:] = [head, tail]
    for piece in pieces:
        piece.kind, start, end = _classify(ctx, piece.start, piece.end)
        if piece.start <= start and end <= piece.end:  # the marks off a whole quote, as in the rules
            piece.start, piece.end = start, end
    return pieces


# attributions the model finds --------------------------------------------------------------------


def _classify(ctx: _Context, start: int, end: int) -> tuple[QuoteKind, int, int]:
    """Mixed when the content holds quoted words; direct (the marks' span) when it is all quoted."""
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


def _source_token(cue: Token) -> Token | None:
    """Who the cue attributes to: the subject of a verb; the owner or agent of a noun ("X's call",
    "a call by X"); the object of "according to"; the name before a headline colon."""
    if cue.lower_ == "according":
        to = next((c for c in cue.children if c.lower_ == "to"), None)
        return next((g for g in to.children if g.dep_ == "pobj"), None) if to is not None else None
    if cue.text == ":":
        verb = _verb_before_colon(cue)
        return _speaker_token(verb) if verb is not None else _headline_speaker(cue)
    if cue.pos_ in ("NOUN", "PROPN"):
        for child in cue.children:
            if child.dep_ == "poss" or (child.dep_ == "prep" and child.lower_ == "by"):
                return child if child.dep_ == "poss" else next((g for g in child.children if g.dep_ == "pobj"), None)
        return None
    return _speaker_token(cue)


def _headline_speaker(colon: Token) -> Token | None:
    """The last noun of the words between the line start and the colon ("Mayor Lee: ...")."""
    doc = colon.doc
    i = colon.i - 1
    while i >= 0 and "\n" not in doc[i].text and colon.i - i <= HEADLINE_SPEAKER_WORDS:
        if doc[i].pos_ in ("NOUN", "PROPN", "PRON"):
            return doc[i]
        i -= 1
    return None


def _cue_end(cue: Token) -> int:
    """Char end of the cue's words: "according to" is one cue."""
    end = cue.idx + len(cue)
    if cue.lower_ == "according" and cue.i + 1 < len(cue.doc) and cue.nbor(1).lower_ == "to":
        end = cue.nbor(1).idx + len(cue.nbor(1))
    return end


def _modelled_quotes(ctx: _Context, used_cues: set[int], taken: list[tuple[int, int]]) -> list[_Found]:
    """Attributions of the trained model whose cue the direct-quote rules did not already use."""
    found: list[_Found] = []
    for attribution in load_model().attributions(ctx.doc, ctx.doc_marks):
        cue = attribution.cue
        if cue.i in used_cues or in_ranges(ctx.boiler, cue.idx, cue.idx + 1):
            continue
        kind, start, end = _classify(ctx, *attribution.chars)
        if kind == "direct" and in_ranges(taken, start, end):
            continue
        cue = _cue_over_as_clause(ctx, cue, (start, end)) or cue
        found.append(_Found(start, end, kind, cue, _source_token(cue), cue_end=_cue_end(cue)))
    return found


def _to_quote(ctx: _Context, f: _Found) -> Quote:
    cue = None
    if f.cue_span is not None:
        cue = Mention(text=ctx.text[f.cue_span[0] : f.cue_span[1]], span=f.cue_span)
    elif f.cue is not None:
        cue_end = f.cue_end or f.cue.idx + len(f.cue)
        cue = Mention(text=ctx.text[f.cue.idx : cue_end], span=(f.cue.idx, cue_end))
    speaker = f.inherited
    if speaker is None and f.speaker is None and f.cue is not None and _agentless_passive(f.cue):
        speaker = Speaker(name=UNNAMED_SOURCE, anonymous=True)
    if f.speaker is not None:
        speaker = _speaker(ctx, f.speaker)
        if f.mention is not None:
            mention = Mention(text=ctx.text[f.mention[0] : f.mention[1]], span=f.mention)
            speaker = speaker.model_copy(update={"mention": mention})
    cue_word = _head_token(ctx, f.cue_span) if f.cue_span is not None else f.cue
    if cue_word is not None:
        speaker = _with_as_did(ctx, cue_word, speaker)
    text = ctx.text[f.start : f.end]
    return Quote(text=text, span=(f.start, f.end), kind=f.kind, cue=cue, speaker=speaker, act=_act(ctx, f))


def _with_as_did(ctx: _Context, cue: Token, speaker: Speaker | None) -> Speaker | None:
    """The speaker with those an "as did X" after the cue adds ("Some members called for it, as
    did Senator X"): co-speakers of a named speaker; the speaker, with the rest as co-speakers,
    in place of one no actor stands for ("Some", "several members")."""
    did = next((c for c in cue.children if c.dep_ == "advcl" and c.lemma_ == "do" and _marked_as(c)), None)
    subject = next((c for c in did.children if c.dep_ in SUBJECTS), None) if did is not None else None
    if subject is None:
        return speaker
    also = _speaker(ctx, subject)
    if also.anonymous or also.name not in {a.name for a in ctx.doc._.actors if not a.anonymous}:
        return speaker
    named = speaker is not None and any(a.name == speaker.name and not a.anonymous for a in ctx.doc._.actors)
    if speaker is None or not named:
        return also
    added = [n for n in (also.name, *also.co_speakers) if n != speaker.name and n not in speaker.co_speakers]
    return speaker.model_copy(update={"co_speakers": [*speaker.co_speakers, *added]})


def _marked_as(verb: Token) -> bool:
    return any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children)


def _act(ctx: _Context, f: _Found) -> QuoteAct:
    """Speech or thought, by the cue's words and their lemmas (:func:`acts.act_of`)."""
    if f.cue_span is not None:
        words = list(ctx.doc.char_span(*f.cue_span, alignment_mode="expand") or ())
    else:
        words = [f.cue] if f.cue is not None else []
    return acts.act_of(w for t in words for w in (t.lemma_, t.text))


def _outside_boilerplate(ctx: _Context, quotes: list[_Found]) -> list[_Found]:
    return [f for f in quotes if not in_ranges(ctx.boiler, f.start, f.end)]


def _rule_quotes(ctx: _Context) -> list[_Found]:
    """Direct-quote rules plus the linear model's attributions."""
    used: set[int] = set()
    direct = _direct_quotes(ctx, used)
    taken = sorted((f.start, f.end) for f in direct)
    return _outer_sources(direct + _modelled_quotes(ctx, used, taken))


def _names_no_one(head: Token) -> bool:
    """A holder of quantifier words only ("some others", "many"): no one the reader can check."""
    start, end = _mention_range(head)
    return all(t.lower_ in indefinite_holders() or t.like_num for t in head.doc[start:end])


def _outer_sources(found: list[_Found], also_citing: tuple[_Found, ...] = ()) -> list[_Found]:
    """Nested attribution whose inner holder names no one ("many expect a strike, according to
    officials"): the words rest on the source the sentence cites (in
    ``found`` or ``also_citing``), who becomes the speaker."""
    cited = {
        f.cue.sent.start: f.speaker
        for f in (*found, *also_citing)
        if f.cue is not None and f.cue.lower_ == "according" and f.speaker is not None
    }
    for f in found:
        if f.cue is None or f.speaker is None or f.cue.lower_ == "according":
            continue
        outer = cited.get(f.cue.sent.start)
        if outer is not None and _names_no_one(f.speaker):
            f.speaker = outer
    return found


def _nested_in(f: _Found, turn: Turn) -> bool:
    """Whether ``f`` is an attribution made inside a turn's words ("SMITH: Jones told me ...")."""
    start, end = turn.content
    if not (start <= f.start and f.end <= end) or f.cue is None or f.speaker is None:
        return False
    return start <= f.cue.idx < end and start <= f.speaker.idx < end


def _turn_over(f: _Found, turns: list[Turn]) -> Turn | None:
    """The turn line (label to end of words) that ``f`` overlaps, if any."""
    return next((t for t in turns if f.start < t.content[1] and t.label[0] < f.end), None)


def _with_turns(ctx: _Context, found: list[_Found]) -> list[_Found]:
    """Transcript turns (:mod:`storydesk.quotes.turns`) as quotes of their labels: a turn's words
    are its speaker's, whatever a verb inside them or the tagger's span over the label says;
    only an attribution made inside the words stays beside the turn."""
    turns = find_turns(ctx.text)
    if not turns:
        return found
    kept = [f for f in found if (t := _turn_over(f, turns)) is None or _nested_in(f, t)]
    for t in turns:
        label = ctx.doc.char_span(*t.label, alignment_mode="expand")
        colon = ctx.doc[min(ctx.token_at(t.colon[0]), len(ctx.doc) - 1)]
        if label is None or colon.text != ":":
            continue
        kept.append(_Found(*t.content, "direct", colon, label[-1], cue_span=t.colon, mention=t.label))
    return kept


def extract(doc: Doc, tagger: bool = False) -> Doc:
    """Sets ``doc._.quotes``: by the rules and linear model, or with ``tagger`` by the tagger."""
    ensure_defaults(doc)
    ctx = _Context(doc)
    found = _rule_quotes(ctx)
    if tagger:
        found = _outer_sources(_tagged_quotes(ctx, found), also_citing=tuple(found))
    found = _outside_boilerplate(ctx, _with_turns(ctx, found))
    found = [f for f in found if not acts.names_a_work(ctx.text, f.start, f.end)]  # titles are no speech
    found.sort(key=lambda f: (f.start, f.end))
    quotes = [_to_quote(ctx, f) for f in found]
    doc._.quotes = carry_turns(doc, ctx.index, quotes, lambda i: ctx.mark_of[i] >= 0)
    return doc


class QuoteExtractor:
    """The pipeline component (``tagger`` picks the mode, see :func:`extract`)."""

    def __init__(self, tagger: bool) -> None:
        self.tagger = tagger
        if tagger:
            load_tagger()  # load the weights with the pipeline, not on the first doc

    def __call__(self, doc: Doc) -> Doc:
        return extract(doc, self.tagger)


@Language.factory(
    "storydesk_quotes",
    default_config={"tagger": False},
    requires=["token.dep", "doc.ents", "doc._.actors", "doc._.boilerplate"],
    assigns=["doc._.quotes"],
)
def make_quote_extractor(nlp: Language, name: str, tagger: bool) -> QuoteExtractor:
    return QuoteExtractor(tagger)
