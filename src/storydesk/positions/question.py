"""The story's central question: the proposal its actors take sides on.

Given by the user, or proposed from the story: among the objects of the stance cues the
articles report ("called for *an immediate invitation*", "voiced opposition to *X joining Y*"),
the one that shares most words with the others and with the lead is the contested proposal.
A question's *terms* are its content-word stems, widened by the related-word groups of
``data/stance_cues.yaml`` ("membership" brings "join" and "accession"); a cue is about the
question when its object shares a term.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Iterable, Sequence

from spacy.tokens import Doc, Span, Token

from storydesk import resources

CONTENT_POS = frozenset({"NOUN", "VERB", "PROPN", "ADJ"})
LIGHT_LEMMAS = frozenset({"be", "have", "do", "make", "take", "get", "go", "say", "will", "should", "would", "can"})
HEAD_DEPS = frozenset({"attr", "nsubj", "nsubjpass", "dobj", "acomp", "xcomp"})  # what a light verb asks about
SMALL_CLAUSE_DEPS = frozenset({"ccomp", "oprd"})  # "make [the report public]"
ADJUNCT_DEPS = frozenset({"prep", "npadvmod", "advmod", "advcl"})
STEM_LENGTH = 5  # "invitation" and "invite" share "invit"; "membership" and "member" "membe"


def stem(word: str) -> str:
    """A crude stem: the lower-cased word cut to five letters when longer."""
    w = word.lower()
    return w[:STEM_LENGTH] if len(w) > STEM_LENGTH else w


@functools.cache
def related_groups() -> tuple[frozenset[str], ...]:
    return tuple(frozenset(stem(w) for w in group) for group in resources.yaml_data("stance_cues.yaml")["related"])


def widen(stems: Iterable[str]) -> frozenset[str]:
    """``stems`` plus every stem in a related-word group of one of them."""
    out = set(stems)
    for group in related_groups():
        if out & group:
            out |= group
    return frozenset(out)


def content_stems(tokens: Iterable[Token]) -> set[str]:
    """Stems of the content words among ``tokens`` (nouns, verbs, names, adjectives)."""
    return {
        stem(t.lemma_)
        for t in tokens
        if t.pos_ in CONTENT_POS and t.lemma_.lower() not in LIGHT_LEMMAS and not t.is_stop and t.is_alpha
    }


def terms(question: Doc | Span | Sequence[Token]) -> frozenset[str]:
    """The question's terms: content-word stems widened by related words."""
    return widen(content_stems(question))


def _is_content(tok: Token) -> bool:
    return tok.pos_ in CONTENT_POS and tok.lemma_.lower() not in LIGHT_LEMMAS and tok.is_alpha


@functools.cache
def stance_verbs() -> frozenset[str]:
    """One-word stance cues ("back", "oppose"): a question's verb that asks for a stance, not
    what the stance is about ("Should DACA be *backed*?" is about DACA)."""
    data = resources.yaml_data("stance_cues.yaml")
    return frozenset(p.lower() for family in ("support", "oppose") for p in data[family] if " " not in p)


@functools.cache
def phrasal_stance_verbs() -> frozenset[tuple[str, str]]:
    """Two-word stance cues that are a verb and its particle ("strike down", "call off")."""
    data = resources.yaml_data("stance_cues.yaml")
    pairs = (tuple(p.lower().split()) for family in ("support", "oppose") for p in data[family])
    return frozenset((p[0], p[1]) for p in pairs if len(p) == 2)


def asks_a_stance(verb: Token) -> bool:
    """True when the verb is a stance cue, alone or with its particle ("Should the court *strike
    down* X?" asks about X as "Should the court *overturn* X?" does, not about striking)."""
    lemma = verb.lemma_.lower()
    if lemma in stance_verbs():
        return True
    return any((lemma, c.lower_) in phrasal_stance_verbs() for c in verb.children if c.dep_ == "prt")


@functools.cache
def adoption_verbs() -> frozenset[str]:
    """Verbs of adopting a proposal ("pass", "ratify"): their object is asked about too."""
    return frozenset(resources.yaml_data("stance_cues.yaml")["adoption"])


def core(question: Doc | Span) -> frozenset[str]:
    """The stems of what the question asks about, widened: its main verb ("Should X *join*
    Y?"), or for a light one the noun it asks about ("Should there be *sanctions*?"), with
    that word's compounds.

    A cue about the question must touch its core: sharing a side word ("women" in a question
    about a lawsuit on behalf of women) is not being about it. Empty when the parse finds no
    head word, and then every term counts."""
    roots = [s.root for s in question.sents] if isinstance(question, Doc) else [question.root]
    heads: list[Token] = []
    for root in roots:
        if _is_content(root) and not asks_a_stance(root):
            heads.append(root)
        else:
            asked = [c for c in root.children if c.dep_ in HEAD_DEPS and _is_content(c)]
            # "Should X *make the report public*?" asks about the report: the subject of the
            # light verb's small clause, however the parse hangs it.
            asked += [s for c in root.children if c.dep_ in SMALL_CLAUSE_DEPS for s in c.children if s.dep_ == "nsubj"]
            # "Should *the president* cancel the summit?" asks about the summit: the one who
            # would act is no core word where the verb has an object.
            objects = [c for c in asked if c.dep_ not in ("nsubj", "nsubjpass") or c.head.i != root.i]
            heads += objects or asked
    # Adopting a proposal: the proposal is asked about too ("pass *the bill*").
    heads += [c for h in heads if h.lemma_.lower() in adoption_verbs() for c in h.children if c.dep_ == "dobj"]
    # A compound or apposition is part of the head: "a membership invitation" is about
    # membership too, "the governor, Rick Perry" about Perry.
    heads += [c for h in heads for c in h.children if c.dep_ in ("compound", "appos") and _is_content(c)]
    return widen(stem(t.lemma_) for t in heads)


def as_question(obj: Span, challenged: bool = False) -> str:
    """A yes/no question from a cue object: a clause ("X joining Y"), a person or name ("Should
    X be backed?") or a noun phrase. Words of the cue's clause that are not the object's own
    ("endorsed X *on Tuesday during a visit*") are left out. A thing ``challenged`` in the
    story (defended by some, attacked by others: "vowed to defend *the law*") is asked about
    as its undoing, the change at stake: "Should the law be overturned?"."""
    own = _own_words(obj)
    text = _text(own)
    if challenged and obj.root.pos_ == "NOUN":
        return f"Should {text} be {UNDOING}?"
    told = _told_to(own)
    if told is not None:  # "X to cancel Y": should X cancel Y?
        to, verb = told
        subject = _text([t for t in own if t.i < to.i])
        rest = _text([t for t in own if t.i > verb.i])
        return " ".join(w for w in ("Should", subject, verb.text, rest) if w) + "?"
    verbs = [t for t in own if t.tag_ == "VBG" and any(c.dep_ in ("nsubj", "poss") for c in t.children)]
    if verbs:
        verb = verbs[0]
        subject = _text([t for t in own if t.i < verb.i])
        rest = _text([t for t in own if t.i > verb.i])
        return " ".join(w for w in ("Should", subject, verb.lemma_, rest) if w) + "?"
    if obj.root.pos_ == "PROPN":
        return f"Should {text} be backed?"
    if _definite(own, obj.root):
        # A thing already named ("the decision to X", "his meeting with Y") is planned or
        # under way: what is at stake is its going ahead, not whether there is one.
        return f"Should {text} {GOING_AHEAD}?"
    return f"Should there be {text}?"


DEFINITE_DETERMINERS = frozenset({"the", "this", "that", "these", "those"})


def _definite(own: Sequence[Token], head: Token) -> bool:
    """True when the object names a particular thing: led by a definite determiner or its head
    noun's possessor ("the plan", "its decision", "the mayor's plan"; not "a ban on the
    mayor's plan")."""
    if not own:
        return False
    return own[0].lower_ in DEFINITE_DETERMINERS or any(c.dep_ == "poss" for c in head.children)


def _told_to(own: Sequence[Token]) -> tuple[Token, Token] | None:
    """The "to" and verb of an object that tells someone to act ("X to cancel Y"): the first
    bare infinitive after a leading noun phrase, with its marker; None otherwise."""
    if not own or own[0].pos_ not in ("PROPN", "NOUN", "DET"):
        return None
    inside = {t.i for t in own}
    for tok in own:
        verb = tok.head
        if tok.lower_ == "to" and tok.dep_ == "aux" and verb.tag_ == "VB" and verb.i > tok.i:
            # The verb hangs outside the object (on the cue: "urged X to act"), not on one of
            # its nouns ("a decision to act" asks about the decision).
            return (tok, verb) if tok.i > own[0].i and verb.head.i not in inside else None
    return None


def _own_words(obj: Span) -> list[Token]:
    """The object's words up to the first adjunct that hangs on the cue's verb rather than on
    the object ("X *for the nomination on Tuesday*", "X *Wednesday*"), or that describes it
    ("its decision *as part of a strategy*": what it is called, not which it is)."""
    inside = {t.i for t in obj}
    out: list[Token] = []
    for t in obj:
        if out and t.dep_ in ADJUNCT_DEPS and (t.head.i not in inside or _describes(t)):
            break
        out.append(t)
    # A clause cut short by the cue's object ending ("tenants *that were*"): its opening
    # words ask nothing.
    while len(out) > 1 and (out[-1].tag_ in DANGLING_TAGS or out[-1].pos_ == "AUX" or out[-1].is_punct):
        out.pop()
    return out


DESCRIBING_PREPS = frozenset({"as"})


def _describes(tok: Token) -> bool:
    """A preposition that says what its noun is taken for: "its decision *as* part of X"."""
    return tok.dep_ == "prep" and tok.lower_ in DESCRIBING_PREPS and tok.head.pos_ == "NOUN"


def _text(tokens: Sequence[Token]) -> str:
    return "".join(t.text_with_ws for t in tokens).strip().rstrip(".,;:").strip()


def askable(obj: Span) -> bool:
    """A noun phrase or a gerund clause ("X joining Y"); an infinitive ("to be president") or a
    that-clause names no proposal by itself."""
    if obj.root.pos_ == "PROPN" and any(t.pos_ == "VERB" and any(c.dep_ == "neg" for c in t.children) for t in obj):
        return False  # a person told not to act ("urged X not to declare Y"): Y is the proposal
    return obj.root.pos_ in ("NOUN", "PROPN") or obj.root.tag_ == "VBG" or _told_to(list(obj)) is not None


DANGLING_TAGS = frozenset({"WDT", "WP", "IN", "TO", "DT", "CC"})  # words that cannot end a question
CANDIDATES = 3  # questions offered where the story is open
LEAD_SENTENCES = 2  # an article's opening sentences: where news writing puts its central event
LEAD_POINTS = 2  # what being there is worth, against one point per other object sharing a term


def in_lead(obj: Span) -> bool:
    """True when ``obj`` lies in its article's opening sentences."""
    for i, sent in enumerate(obj.doc.sents):
        if i >= LEAD_SENTENCES:
            return False
        if sent.start <= obj.start < sent.end:
            return True
    return False


UNDOING = "overturned"  # the general verb of undoing a law, a decision or a ruling
GOING_AHEAD = "go ahead"  # light words: the question's core stays the thing (see :func:`core`)


def propose(objects: Sequence[Span], lead: Span | None, challenged: Collection[Span] = ()) -> str | None:
    """The question asked by the most shared cue object, or None when no cue has an object
    (the first of :func:`candidates`)."""
    ranked = candidates(objects, lead, 1, challenged)
    return ranked[0] if ranked else None


def candidates(
    objects: Sequence[Span], lead: Span | None, count: int = CANDIDATES, challenged: Collection[Span] = ()
) -> list[str]:
    """The ``count`` best questions the cue objects ask, best first, each once; those of
    ``challenged`` ask about undoing their thing (:func:`as_question`).

    An object scores one point for each other object (in another sentence) it shares a term
    with, one for sharing a term with the lead, and :data:`LEAD_POINTS` for standing in its
    article's opening sentences (the central event); ties go to a proposal over a name, then
    to the earliest."""
    objects = [o for o in objects if askable(o)]
    stems = [content_stems(o) for o in objects]
    lead_stems = content_stems(lead) if lead is not None else set()

    def score(i: int) -> int:
        mine = widen(stems[i])
        shared = sum(1 for j, o in enumerate(objects) if j != i and o.sent != objects[i].sent and mine & stems[j])
        return shared + bool(mine & lead_stems) + LEAD_POINTS * in_lead(objects[i])

    # On a tie, a proposal beats a person's name: news asks about acts more than people.
    ranked = sorted(range(len(objects)), key=lambda i: (-score(i), objects[i].root.pos_ == "PROPN", i))
    return list(dict.fromkeys(as_question(objects[i], objects[i] in challenged) for i in ranked))[:count]
