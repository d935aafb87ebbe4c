"""What an actor's own words say of the question, where their stance cues take no side.

A quote of a named speaker is on the question when it, its sentence or the sentence before
shares a term with the question. Its stance comes from the judgement words of
``data/stance_cues.yaml`` in it ("it is *destructive*", "a *welcome* step"): approving ones
count for the question, disapproving ones against, negated ones ("not helpful", "without
merit") the other way; a call for the question's own action ("Cancel it", "it must be
released") counts for it before any judgement. A question that undoes something ("Should X
*cancel* Y?") turns a judgement of what it would undo around: calling Y harmful is being for
cancelling it; judging anything else (the lawsuit that asks for it) keeps its sign. A quote
on the question with no judgement word, or whose words cancel out, is neutral.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from storydesk import lexicon, resources
from storydesk.positions import question

SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
TARGET_PARTS = frozenset({"compound", "poss", "amod", "appos"})  # words naming what is judged with its head
PREDICATE_DEPS = frozenset({"acomp", "attr", "oprd", "dobj", "pobj", "conj", "advmod", "npadvmod"})
MAX_CLIMB = 4  # words from a judgement word up to the verb whose subject is judged
OBLIGATION = frozenset({"should", "must", "ought", "need"})
OBLIGING_VERBS = frozenset({"need", "have", "ought"})  # "needs *to be released*", "has *to go*"
FIRST_PERSON = frozenset({"i", "we"})


@dataclass(frozen=True)
class SpeechStance:
    """One quote's reading: its speaker, the sign of its judgement (0: on the question, no
    side) and where it is."""

    speaker: str
    value: int
    span: tuple[int, int]
    text: str
    conditional: bool = False  # a call for or against the question on a condition ("if X, ...")


@functools.cache
def judgement_words() -> dict[str, int]:
    """Judgement lemmas -> +1 (approving) or -1 (disapproving)."""
    data = resources.yaml_data("stance_cues.yaml")
    return {w.lower(): 1 for w in data["approving"]} | {w.lower(): -1 for w in data["disapproving"]}


@functools.cache
def judgement_negators() -> frozenset[str]:
    data = resources.yaml_data("stance_cues.yaml")
    return frozenset(w.lower() for w in [*data["negation"], *data["judgement_negation"]])


def _negated(tok: Token) -> bool:
    """A judgement word negated on itself, on the words it hangs from up to its verb, or as the
    object of a negating preposition ("without merit")."""
    neg = judgement_negators()
    t = tok
    for _ in range(MAX_CLIMB):
        if any(c.dep_ in ("neg", "det", "advmod") and c.lower_ in neg for c in t.children):
            return True
        if t.dep_ == "pobj" and t.head.lower_ in neg:
            return True
        if t.pos_ in ("VERB", "AUX") or t.head.i == t.i:
            return False
        t = t.head
    return False


@functools.cache
def doubt_words() -> tuple[frozenset[str], frozenset[str]]:
    """Words that doubt the clause they govern ("I *doubt* X is wise"), and words of belief
    that doubt it negated ("I'm *not sure* X is wise", "I *don't think* X is wise")."""
    data = resources.yaml_data("stance_cues.yaml")["doubt"]
    return frozenset(data["doubting"]), frozenset(data["believing"])


def _doubted(tok: Token) -> bool:
    """A judgement word in a clause its speaker doubts: the verbs above its own, or one the
    parse hangs below it before it ("I'm not sure [filing a suit is wise]", parsed with "'m"
    under "is"), doubt it or negate a belief in it."""
    verb = tok
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    above = [verb]
    while above[-1].dep_ == "ccomp" and len(above) <= MAX_CLIMB:
        above.append(above[-1].head)
    candidates = above[1:] + [c for c in verb.children if c.dep_ == "ccomp" and c.i < tok.i]
    doubting, believing = doubt_words()
    for cand in candidates:
        # "sure" may head the clause itself ("not *sure* [X is wise]"): its verb holds the "not".
        holder = cand.head if cand.dep_ == "acomp" else cand
        words = {cand.lemma_.lower(), *(c.lemma_.lower() for c in holder.children if c.dep_ == "acomp")}
        # "I can't believe X" is indignation, not doubt.
        negated = any(c.dep_ == "neg" for c in holder.children) and not any(
            c.dep_ == "aux" and c.lemma_.lower() in ("can", "could") for c in holder.children
        )
        if words & doubting or (negated and words & believing):
            return True
    return False


@functools.cache
def harm_verbs() -> frozenset[str]:
    """Verbs that judge their subject, not their object ("X has *undermined* Y")."""
    return frozenset(resources.yaml_data("stance_cues.yaml")["harm"])


def judged(tok: Token) -> list[Token]:
    """What a judgement word judges: the noun an attributive word modifies ("a *divisive*
    invitation"), a verb's object ("*defend* the law"), else the subject of the verb it hangs
    from ("this suit is without *merit*", "X has *undermined* Y"); empty when the parse names
    nothing."""
    obj = next((c for c in tok.children if c.dep_ == "dobj"), None) if tok.pos_ == "VERB" else None
    if tok.dep_ == "amod" and tok.head.pos_ in ("NOUN", "PROPN"):
        head = tok.head
        copula = head.head
        subject = next((c for c in copula.children if c.dep_ in SUBJECT_DEPS), None)
        if head.dep_ == "attr" and copula.lemma_ == "be" and subject is not None:
            head = subject  # "X will be a *destructive* force" judges X
    elif obj is not None and tok.lemma_.lower() not in harm_verbs():
        head = obj
    else:
        t = tok
        for _ in range(MAX_CLIMB):
            if t.pos_ in ("VERB", "AUX") or t.dep_ not in PREDICATE_DEPS:
                break
            t = t.head
        head = next((c for c in t.children if c.dep_ in SUBJECT_DEPS), None)  # type: ignore[assignment]
        if head is None and t.tag_ == "VBG" and t.dep_ in ("advcl", "conj", "xcomp"):
            # "X flows in, *undermining* Y": the participle's subject is its clause's; hung on
            # the verb reporting a quote ("'X flows in,' the suit says, *undermining* Y"), the
            # quote's clause's, not the speaker.
            clause = _reported_clause(t.head) or t.head
            head = next((c for c in clause.children if c.dep_ in SUBJECT_DEPS), None)
        if head is None:
            return []
    if head.dep_ == "csubj" and (obj := next((c for c in head.children if c.dep_ == "dobj"), None)) is not None:
        # "*filing a lawsuit* is not wise" judges the lawsuit: the act's object names it.
        return [obj, *(c for c in obj.children if c.dep_ in TARGET_PARTS), head]
    return [head, *(c for c in head.children if c.dep_ in TARGET_PARTS)]


def _judges_the_undone(target: list[Token], undone: frozenset[str]) -> bool:
    """True when a judgement's target is what the question would undo: named by its words,
    or a pronoun standing for it ("declare *it* unconstitutional"): things are judged, and in
    a story about undoing one, the thing is what a bare "it" judged stands for."""
    if target and target[0].pos_ == "PRON" and target[0].lower_ in THING_PRONOUNS:
        return True
    return bool(question.content_stems(target) & undone)


THING_PRONOUNS = frozenset({"it", "this", "that"})


def _reverses_the_proposal(span: Span) -> bool:
    """True when the words undo the story's proposal without naming it: a reversal verb with
    no object or a proposal noun for one ("grateful that X would *reconsider*", "glad they
    *reversed the decision*"): what is undone is what the story is about."""
    for tok in span:
        if tok.pos_ != "VERB" or tok.lemma_.lower() not in reversal_verbs():
            continue
        objects = [c for c in tok.children if c.dep_ == "dobj" and c.pos_ != "PRON"]
        if all(o.lemma_.lower() in proposal_nouns() for o in objects):
            return True
    return False


def _reported_clause(verb: Token) -> Token | None:
    """The clause a reporting verb reports ("'X flows in,' the suit *says*"), if it is one."""
    if verb.lemma_.lower() not in lexicon.bare_reporting_verbs(direct=True):
        return None
    return next((c for c in verb.children if c.dep_ == "ccomp"), None)


@functools.cache
def reversal_verbs() -> frozenset[str]:
    return frozenset(w.split()[0].lower() for w in resources.yaml_data("stance_cues.yaml")["reversal"])


def _judges_a_reversal(tok: Token) -> bool:
    """True when what the word judges is a clause that undoes something: "it is *great* that
    public outrage forced X to reconsider the decision"."""
    verb = tok
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    # The clause hangs on the verb ("it is great *that* ...") or on the word ("grateful *that* ...").
    clauses = [c for h in {verb, tok} for c in h.children if c.dep_ in ("ccomp", "csubj", "xcomp") and c.i != tok.i]
    return any(t.pos_ == "VERB" and t.lemma_.lower() in reversal_verbs() for c in clauses for t in c.subtree)


def _about_the_question(target: list[Token], terms: frozenset[str], core: frozenset[str] = frozenset()) -> bool:
    """A judgement counts when what it judges is unnamed, a pronoun ("it is destructive") or
    a proposal noun ("this suit is reckless"), or shares a term with the question; a
    relative pronoun stands for what its clause modifies ("a deal *that* threatens X" judges
    the deal). A name judged ("to *challenge* the governor") is a person or body, not the proposal,
    unless the question asks about it (its ``core``)."""
    if not target or not terms:
        return True
    head = target[0]
    if head.tag_ in ("WDT", "WP") and head.head.dep_ == "relcl":
        head = head.head.head
        target = [head, *(c for c in head.children if c.dep_ in TARGET_PARTS)]
    elif head.pos_ == "PRON" or head.lemma_.lower() in proposal_nouns():
        return True  # "this suit", "the decision": the story's proposal taken up
    if head.pos_ == "PROPN" and core and not question.content_stems(target) & core:
        return False
    return bool(question.content_stems(target) & terms)


@functools.cache
def proposal_nouns() -> frozenset[str]:
    return frozenset(resources.yaml_data("stance_cues.yaml")["proposal_nouns"])


def judgement(
    tokens: Iterable[Token],
    undone: frozenset[str],
    terms: frozenset[str] = frozenset(),
    core: frozenset[str] = frozenset(),
) -> list[int]:
    """The sign of each judgement word among ``tokens`` that judges something of the question
    (of ``terms``, a name only of its ``core``; any, when empty): negation turns it, and so
    does judging something of ``undone`` (the stems of what the question would undo)."""
    out = []
    for tok in tokens:
        sign = judgement_words().get(tok.lemma_.lower())
        if sign is None or question.stem(tok.lemma_) in terms or _names_an_event(tok):
            # A word the question itself uses ("benefits" asking about benefit cuts) names
            # what is at stake, not a judgement of it.
            continue
        if not _about_the_question(judged(tok), terms, core):
            continue
        if _negated(tok) != _doubted(tok):
            sign = -sign
        if undone and _judges_the_undone(judged(tok), undone):
            sign = -sign
        elif not undone and _judges_a_reversal(tok):
            sign = -sign  # "it is great that X was forced to reconsider Y" is against Y
        out.append(sign)
    return out


EVENT_DEPS = frozenset({"nsubj", "nsubjpass", "compound"})


def _names_an_event(tok: Token) -> bool:
    """A judgement noun that names something rather than says it of something: one whose
    possessor does it ("into *Russia's attack* on our democracy") or that stands as a subject
    ("*the attack* was ..."); "it is *a mistake*", "called it *a stunt*", "*without merit*"
    say it."""
    if tok.pos_ != "NOUN":
        return False
    return tok.dep_ in EVENT_DEPS or any(c.dep_ == "poss" for c in tok.children)


def calls(tokens: Iterable[Token], core: frozenset[str], reverses: bool = False) -> list[tuple[Token, int]]:
    """Each call in ``tokens`` for the question's own action, with its sign: its verb as a
    command ("Cancel the meeting") or with an obligation ("X should cancel it", "must be
    released"): +1, negated -1. A call to act on what the question asks about with another
    verb ("the report *must be provided* to Congress", "*Release* the report", "the summit
    should not *go ahead*") is for it too, and for a question that ``reverses`` it against
    (holding the summit is not cancelling it); with a reversal verb, the other way round."""
    out = []
    for tok in tokens:
        if tok.pos_ != "VERB":
            continue
        called = _obliged(tok) or _command(tok)
        if question.stem(tok.lemma_) in core:
            sign = 1 if called or _own_intention(tok) else 0
        elif called and question.content_stems(_acted_on(tok)) & core:
            sign = -1 if _undoes(tok) != reverses else 1
        else:
            sign = 0
        if sign:
            out.append((tok, -sign if _negated(tok) else sign))
    return out


CONDITIONS = frozenset({"if", "unless"})


def conditional(verb: Token) -> bool:
    """True when a call holds only on a condition: "*If* X is not prepared to Y, the summit
    should not go ahead" is for cancelling it one way and against the other."""
    clauses = [c for c in verb.children if c.dep_ == "advcl"]
    return any(m.dep_ == "mark" and m.lower_ in CONDITIONS for c in clauses for m in c.children)


@functools.cache
def reversal_phrases() -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(w.lower().split()) for w in resources.yaml_data("stance_cues.yaml")["reversal"])


def _undoes(verb: Token) -> bool:
    """True when the verb with its particles is a reversal ("cancel", "call off"); "hold"
    alone is not "hold off"."""
    words = (verb.lemma_.lower(), *(c.lower_ for c in verb.children if c.dep_ == "prt"))
    return any(words[: len(r)] == r for r in reversal_phrases())


def _obliged(verb: Token) -> bool:
    """A verb with an obligation: "should cancel", "must be released", "needs to be made
    public", "has to go"."""
    if any(c.dep_ in ("aux", "auxpass") and c.lower_ in OBLIGATION for c in verb.children):
        return True
    return verb.dep_ == "xcomp" and verb.head.lemma_.lower() in OBLIGING_VERBS


def _acted_on(verb: Token) -> list[Token]:
    """What a verb acts on, named by its head noun and the words naming it: its object or
    passive subject, or for a verb obliged through another ("the report *needs* to be
    released") that verb's subject. Not what the head is of: "a preview *of the report*"
    is a preview."""
    heads = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
    if not heads and verb.dep_ == "xcomp" and verb.head.lemma_.lower() in OBLIGING_VERBS:
        heads = [c for c in verb.head.children if c.dep_ in SUBJECT_DEPS]
    if not heads:
        # A thing said to go on or not ("*the summit* should not move forward"): no one acts
        # on it, it is what the call is about. A person or a pronoun is who would act.
        heads = [c for c in verb.children if c.dep_ == "nsubj" and c.pos_ == "NOUN"]
    return [t for h in heads for t in (h, *(c for c in h.children if c.dep_ in TARGET_PARTS))]


def _own_intention(verb: Token) -> bool:
    """The speaker's own intention: "*I will* address Congress", "*I will* go there to
    address it" (the purpose of a verb they intend)."""
    if verb.dep_ in ("xcomp", "advcl") and not any(c.dep_ in SUBJECT_DEPS for c in verb.children):
        verb = verb.head
    subject = next((c for c in verb.children if c.dep_ in SUBJECT_DEPS), None)
    if subject is None or subject.lower_ not in FIRST_PERSON:
        return False
    return any(c.dep_ == "aux" and c.lower_ in ("will", "'ll", "shall") for c in verb.children)


def _command(verb: Token) -> bool:
    """An imperative: a bare verb heading its clause with no subject ("Cancel the meeting")."""
    return (
        verb.tag_ == "VB"
        and verb.dep_ in ("ROOT", "conj")
        and not any(c.dep_ in (*SUBJECT_DEPS, "aux", "auxpass") for c in verb.children)
    )


def judged_phrases(sents: Iterable[Span]) -> list[Span]:
    """The noun phrases that judgement words in ``sents`` judge ("the mayor's upcoming
    budget will be *destructive*"), each from its first word to its head noun: what a story
    that opens on a judgement is about."""
    out = []
    for sent in sents:
        for tok in sent:
            if tok.lemma_.lower() not in judgement_words():
                continue
            target = judged(tok)
            if target and target[0].pos_ == "NOUN":
                head = target[0]
                phrase = head.doc[head.left_edge.i : head.i + 1]
                # A misparsed clause is no phrase; a participle modifying the noun ("planned") is.
                if not any(t.pos_ in ("VERB", "AUX") and not _participle(t) for t in phrase):
                    out.append(phrase)
    return out


def _participle(tok: Token) -> bool:
    return tok.tag_ in ("VBN", "VBG") and tok.dep_ == "amod"


def _window(doc: Doc, span: Span) -> list[Token]:
    """The quote's sentence and the one before: where what the quote is about is named."""
    sent = span[0].sent
    first = doc[sent.start - 1].sent.start if sent.start > 0 else sent.start
    last = max(span.end, span[-1].sent.end)
    return list(doc[first:last])


def quote_stances(
    doc: Doc,
    quotes: Sequence[tuple[int, int, str]],
    terms: frozenset[str],
    undone: frozenset[str],
    core: frozenset[str] = frozenset(),
) -> list[SpeechStance]:
    """The reading of each quote (start, end, speaker) on the question of ``terms``; quotes
    not on it are left out. A call for the question's action (its ``core``) outweighs any
    judgement."""
    out = []
    for start, end, speaker in quotes:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or not len(span):
            continue
        sentences = doc[span[0].sent.start : span[-1].sent.end]
        if not question.content_stems(_window(doc, span)) & terms and not _reverses_the_proposal(sentences):
            continue
        called = calls(span, core, bool(undone))
        signs = [sign for _, sign in called] or judgement(span, undone, terms, core)
        on_condition = any(conditional(verb) for verb, _ in called)
        out.append(SpeechStance(speaker, _sign(sum(signs)), (start, end), doc.text[start:end], on_condition))
    return out


def _sign(value: int) -> int:
    return (value > 0) - (value < 0)
