"""Positions: who stands where on the story's question, with the words that say so.

Each sentence is searched for stance cues (``data/stance_cues.yaml``): verbs and phrases
("backs", "voiced opposition to", "argued in favor of"), nouns with a holder ("X's call for
Y"), timing ("do not think the time is right") and a proposal said to do good or harm in the
holder's words ("an invitation would end the war"). A cue counts when its object (or, for a
cue without one, its sentence and the one before) touches the question's core, what it asks
about (``question.core``): sharing a side word of the question is not enough. Then

- the holder is the cue's subject, possessor or passive agent; a pronoun is the subject of
  the verb that reports it ("X said it will veto"), else the speaker of the quote it is in;
  a relative pronoun is what its clause modifies ("rules that favor X" have no holder), or,
  for a description set beside a name, that name ("X, a group that favors Y" is X); an
  infinitive with no subject ("... to urge X") has none either, rather than a guess;
  a holder naming no one ("some members") is the examples the sentence gives ("such as X"),
  and actor names that name no one ("one senator", "Dozens") are dropped;
- a holder phrase yields every actor in it: "the U.S. and German governments" is two states
  (nationality adjectives and capitals map to states through ``data/demonyms.txt``);
- negation flips the cue ("does not think the time is right" opposes); a negated opposition
  is neutral (not standing in the way is not support); a hedge makes it unclear; an object
  headed by a reversal verb ("proposed *putting off* X") flips it too.

An actor's stance over all its cues: support or oppose when they agree, mixed when both,
else neutral, else unclear; then read with their own words on the question
(:mod:`speech`), which decide where the cues take no side (:func:`actor_stance`).

Nothing is parsed here: the articles' parses are those their analyses keep
(:mod:`storydesk.annotate.parse`), with the parses of the questions they could propose; a
stated question comes parsed (:class:`storydesk.models.ParsedQuestion`).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from storydesk import resources
from storydesk.annotate import parse
from storydesk.errors import StaleParseError
from storydesk.models import Analysis, Article, DossierActor, Evidence, ParsedQuestion, Position, Positions, Stance
from storydesk.positions import question, speech

SKIPPABLE_POS = frozenset({"DET", "ADV", "ADJ"})  # words a cue phrase may have between its words
SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
# Clauses through which a cue's verb reaches the verb whose subject holds it; "acomp" and
# "oprd" for "X is ready to block Y", "X appears ready to block Y".
CLIMB_DEPS = frozenset({"ccomp", "xcomp", "advcl", "conj", "relcl", "acomp", "oprd"})
EVIDENCE_REACH = 8  # words before a cue that its evidence may reach back to, for the verb above it
RELATIVE_TAGS = frozenset({"WDT", "WP"})  # "practices that favor X": the holder is what "that" stands for
NON_FINITE_DEPS = frozenset({"acl", "xcomp", "pcomp"})
PRONOUNS_SPEAKER = frozenset({"i", "we", "my", "our", "me", "us"})
MAX_CLIMB = 3
NOUN_OBJECT_PREPS = frozenset({"for", "to", "of", "behind", "against", "toward", "towards"})
NOUN_HOLDER_PREPS = frozenset({"from", "by"})
MODALS = frozenset({"would", "could", "will", "can", "might", "may"})
OBLIGATION = frozenset({"should", "must", "ought"})
DASHES = frozenset({"—", "―", "–", "-", "--"})
POLARITY = {"support": 1, "oppose": -1, "timing": 1, "neutral": 0}


@dataclass(frozen=True)
class Topic:
    """The question's terms (its content stems, widened) and its core (what it asks about)."""

    terms: frozenset[str]
    core: frozenset[str]
    # The question asks about undoing something ("Should X *cancel* the summit?"): a cue for
    # cancelling it is for the question, not against it.
    reverses: bool = False
    undone: frozenset[str] = frozenset()  # the stems of what it would undo (when it reverses)

    def touches(self, stems: set[str]) -> bool:
        """True when ``stems`` are about the question: they hold a core word, or, when the
        question has no core, any term."""
        return bool(stems & (self.core or self.terms))


@dataclass(frozen=True)
class CueBook:
    """The cue families of ``data/stance_cues.yaml`` as lemma tuples, longest phrases first."""

    phrases: tuple[tuple[tuple[str, ...], str], ...]
    nouns: dict[str, str]
    reversal: tuple[tuple[str, ...], ...]
    hedge: frozenset[str]
    hedge_phrases: tuple[tuple[str, ...], ...]
    negation: frozenset[str]
    benefit: frozenset[str]
    harm: frozenset[str]
    state_heads: frozenset[str]
    noun_verbs: frozenset[str]
    generic_heads: frozenset[str]
    examples: tuple[tuple[str, ...], ...]
    unnamed: frozenset[str]
    committing: frozenset[str]
    defending: frozenset[tuple[str, ...]]

    @functools.cached_property
    def phrases_by_first(self) -> dict[str, list[tuple[tuple[str, ...], str]]]:
        """``phrases`` by their first word, in their order: a phrase can only match from a
        token with that lemma, so the others need not be tried (most of a dossier's time)."""
        out: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for phrase, family in self.phrases:
            out.setdefault(phrase[0], []).append((phrase, family))
        return out


def _split(phrases: Sequence[str]) -> list[tuple[str, ...]]:
    return [tuple(p.lower().split()) for p in phrases]


@functools.cache
def cue_book() -> CueBook:
    data = resources.yaml_data("stance_cues.yaml")
    phrases = [(p, family) for family in ("support", "oppose", "timing", "neutral") for p in _split(data[family])]
    hedges = _split(data["hedge"])
    return CueBook(
        phrases=tuple(sorted(phrases, key=lambda pf: -len(pf[0]))),
        nouns={n: "support" for n in data["support_nouns"]} | {n: "oppose" for n in data["oppose_nouns"]},
        reversal=tuple(sorted(_split(data["reversal"]), key=len, reverse=True)),
        hedge=frozenset(h[0] for h in hedges if len(h) == 1),
        hedge_phrases=tuple(h for h in hedges if len(h) > 1),
        negation=frozenset(w.lower() for w in data["negation"]),
        benefit=frozenset(data["benefit"]),
        harm=frozenset(data["harm"]),
        state_heads=frozenset(data["state_heads"]),
        noun_verbs=frozenset(data["noun_verbs"]),
        generic_heads=frozenset(data["generic_heads"]),
        examples=tuple(_split(data["examples"])),
        unnamed=frozenset(w.lower() for w in data["unnamed"]),
        committing=frozenset(data["committing"]),
        defending=frozenset(_split(data["defending"])),
    )


@functools.cache
def countries() -> dict[str, str]:
    """Every name, nationality adjective and capital of ``data/demonyms.txt`` -> the state."""
    return {variant: group[0] for group in resources.groups("demonyms.txt") for variant in group}


@functools.cache
def title_words() -> frozenset[str]:
    return frozenset(w for line in resources.lines("titles.txt") for w in line.lower().split())


# ---------------------------------------------------------------- one article's context


def _dateline(tok: Token) -> bool:
    """A capitalised place opening a sentence before a dash ("PARIS — ..."): where the story
    was filed, not who holds a stance."""
    sent = tok.sent
    if not tok.text.isupper() or tok.i - sent.start > 3:
        return False
    after = tok.doc[tok.i + 1 : min(tok.i + 3, sent.end)]
    return any(t.text in DASHES for t in after)


def _people(tok: Token) -> bool:
    """A plural nationality noun ("Americans", "Hungarians"): a people, not the state; a
    country whose name is plural ("the Netherlands") is its canonical name, not this."""
    text = tok.text
    return (
        tok.tag_ in ("NNS", "NNPS")
        and text.endswith("s")
        and text[:-1] in countries()
        and countries().get(text, text) != text
    )


@dataclass
class ArticleContext:
    """An article's parse with its actors by character offset and its quotes' speakers."""

    article: str
    doc: Doc
    actor_at: dict[int, str]  # token index -> canonical actor name
    quotes: list[tuple[int, int, str]]  # (start, end, named speaker) of quotes with a named speaker
    rename: dict[str, str]
    anonymous: frozenset[str] = frozenset()  # unnamed sources ("one senator"): no holders

    def actor(self, tok: Token) -> str | None:
        """The actor ``tok`` names: an entity's actor, or a state by name, adjective or capital.
        A nation's people ("most Americans") are not its state, and no one actor."""
        name = self.actor_at.get(tok.i)
        if name in self.anonymous or _people(tok) or _dateline(tok):
            return None
        if name is not None:
            name = self.rename.get(name, name)
            return countries().get(name, name)
        text = tok.text
        for span in (self.doc[tok.i : tok.i + 3], self.doc[tok.i : tok.i + 2], self.doc[tok.i : tok.i + 1]):
            if span.text in countries() and tok.text[:1].isupper():
                return countries()[span.text]
        return countries().get(text) if text[:1].isupper() else None

    def speaker_at(self, tok: Token) -> str | None:
        for start, end, speaker in self.quotes:
            if start <= tok.idx < end:
                return self.rename.get(speaker, speaker)
        return None


def _token_actors(doc: Doc, analysis: Analysis) -> dict[int, str]:
    out: dict[int, str] = {}
    for ent in analysis.entities:
        if ent.actor is None:
            continue
        span = doc.char_span(ent.span[0], ent.span[1], alignment_mode="expand")
        if span is not None:
            for t in span:
                out[t.i] = ent.actor
    # A one-word name the entity tagger missed in one place ("WASHINGTON - AARP said ..."),
    # where the article names that organisation or person elsewhere.
    single = {
        form: a.name
        for a in analysis.actors
        if a.kind in ("person", "organization") and not a.anonymous
        for form in (a.name, *a.aliases)
        if " " not in form and form[:1].isupper()
    }
    for t in doc:
        if t.i not in out and t.pos_ == "PROPN" and t.text in single and not _dateline(t):
            out[t.i] = single[t.text]
    out.update(_missed_names(doc, analysis, out))
    return out


def _missed_names(doc: Doc, analysis: Analysis, found: dict[int, str]) -> dict[int, str]:
    """The mentions of a name of several words the entity tagger missed in one place
    ("Third Way, a group that favors X" where it tagged "Third Way" elsewhere): every exact
    occurrence on word boundaries, none of whose words is an actor's already."""
    forms = {
        form: a.name
        for a in analysis.actors
        if a.kind in ("person", "organization", "place") and not a.anonymous
        for form in (a.name, *a.aliases)
        if " " in form and form[:1].isupper()
    }
    out: dict[int, str] = {}
    for form, name in sorted(forms.items(), key=lambda f: -len(f[0])):
        start = doc.text.find(form)
        while start >= 0:
            span = doc.char_span(start, start + len(form))  # strict: whole words only
            if span is not None and not any(t.i in found or t.i in out for t in span):
                out.update((t.i, name) for t in span)
            start = doc.text.find(form, start + 1)
    return out


def _rename_map(actors: Sequence[DossierActor]) -> dict[str, str]:
    """Article-level actor names -> the story actor they were merged into; a person's
    surname alone ("Bruning said ...", where a quote's speaker was left at the surname) -> the
    one person of the story who bears it."""
    out: dict[str, str] = {}
    for a in actors:
        for alias in a.aliases:
            out[alias] = a.name
    bearers: dict[str, list[str]] = defaultdict(list)
    for a in actors:
        if a.kind == "person" and " " in a.name:
            bearers[a.name.split()[-1]].append(a.name)
    taken = {a.name for a in actors} | set(out)
    out |= {surname: names[0] for surname, names in bearers.items() if len(names) == 1 and surname not in taken}
    return out


# ---------------------------------------------------------------- cues


@dataclass
class Cue:
    """One stance expression: its words, family, object and the token its holder hangs on."""

    tokens: list[Token]
    family: str
    anchor: Token  # the verb (or noun) of the cue
    obj: list[Token] = field(default_factory=list)
    holder: Token | None = None  # set for noun cues with a possessor or "from"/"by" object


def _match_at(sent: Span, i: int, phrase: tuple[str, ...]) -> list[Token] | None:
    """The tokens of ``phrase`` matched from ``sent[i]`` on, skipping determiners and adverbs."""
    matched: list[Token] = []
    j = i
    for word in phrase:
        while j < len(sent) and matched and sent[j].lemma_.lower() != word and _skippable(sent[j]):
            j += 1
        if j >= len(sent) or sent[j].lemma_.lower() != word:
            return None
        matched.append(sent[j])
        j += 1
    return matched


def _skippable(tok: Token) -> bool:
    # "npadvmod": a time between the words ("called *Friday* for X").
    return tok.pos_ in SKIPPABLE_POS or tok.dep_ in ("poss", "neg", "npadvmod")


def _verb_of(tok: Token) -> Token:
    """The verb a cue hangs on: itself if a verb, else the verb governing it."""
    t = tok
    while t.pos_ not in ("VERB", "AUX") and t.head.i != t.i:
        t = t.head
    return t


def _object_after(anchor: Token, last: Token) -> list[Token]:
    """The cue's object: the tokens of the anchor's clause after the cue's last word, up to a
    comma or subordinate clause that closes it. A relative clause on a pronoun is the object's
    content ("does not support *anything that would cut benefits*")."""
    out: list[Token] = []
    for t in anchor.subtree:
        if t.i <= last.i:
            continue
        if (
            t.text in (",", ";", "—", "–")
            or t.dep_ == "mark"
            or (t.dep_ == "relcl" and t.head.pos_ != "PRON")
            or (t.dep_ == "advcl" and not _purpose(t))
            or (t.dep_ == "prep" and t.head.i == anchor.i and out)
        ):
            break
        out.append(t)
    return out


def _purpose(verb: Token) -> bool:
    """An infinitive of purpose inside a proposal: "wanted to bring X in *to address* Y" wants
    Y addressed, where a clause with a conjunction ("because ...", "if ...") says something
    else."""
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children) and not any(
        c.dep_ == "mark" for c in verb.children
    )


def _phrase_cues(sent: Span) -> Iterator[Cue]:
    book = cue_book()
    taken: set[int] = set()
    for i, tok in enumerate(sent):
        if tok.i in taken:
            continue
        for phrase, family in book.phrases_by_first.get(tok.lemma_.lower(), ()):
            matched = _match_at(sent, i, phrase)
            if matched is None:
                continue
            first = matched[0]
            if family in ("support", "oppose") and not _predicative(first):
                continue  # a noun ("the call for") is a noun cue, with its own holder
            anchor = _verb_of(first)
            taken.update(t.i for t in matched)
            obj = [] if family in ("timing", "neutral") else _object_after(anchor, matched[-1])
            if family in ("support", "oppose") and not obj:
                break
            yield Cue(matched, family, anchor, obj)
            break


def _predicative(tok: Token) -> bool:
    """A verb, or an adjective said of its verb's subject ("X *remains opposed* to Y", "X is
    *supportive* of Y"): a word whose holder is a subject, unlike a noun's."""
    return tok.pos_ in ("VERB", "AUX") or (tok.pos_ == "ADJ" and tok.dep_ in ("acomp", "oprd"))


def _noun_cues(sent: Span, taken: set[int]) -> Iterator[Cue]:
    nouns = cue_book().nouns
    for tok in sent:
        if tok.pos_ != "NOUN" or tok.i in taken or tok.lemma_.lower() not in nouns:
            continue
        holder = next((c for c in tok.children if c.dep_ == "poss"), None)
        obj: list[Token] = []
        for prep in tok.children:
            if prep.dep_ != "prep":
                continue
            word = prep.lower_
            if word in NOUN_HOLDER_PREPS and holder is None:
                holder = next((c for c in prep.children if c.dep_ == "pobj"), None)
            elif word in NOUN_OBJECT_PREPS and not obj:
                obj = [t for c in prep.children if c.dep_ in ("pobj", "pcomp") for t in c.subtree]
        if not obj:
            obj = _infinitive_object(tok)
        voiced = tok.dep_ == "dobj" and tok.head.lemma_.lower() in cue_book().noun_verbs
        if obj and (holder is not None or voiced):
            yield Cue([tok], nouns[tok.lemma_.lower()], tok, obj, holder)


def _infinitive_object(noun: Token) -> list[Token]:
    """A stance noun's infinitive: "X's call *to release the report*", "a bid to block Y"; the
    parse often hangs it on the verb whose object the noun is, right after the noun."""
    after = [c for c in noun.head.children if c.dep_ == "advcl"] if noun.dep_ == "dobj" else []
    verb = next(
        (
            c
            for c in (*noun.children, *after)
            if c.dep_ in ("acl", "advcl")
            and any(a.lower_ == "to" and a.i in (noun.right_edge.i + 1, c.i - 1) for a in c.children)
            and (c.dep_ == "acl" or c.i == noun.right_edge.i + 2)
        ),
        None,
    )
    if verb is None:
        return []
    return _clause_end([t for t in verb.subtree if t.i >= verb.i])


def _commitment_cues(sent: Span, taken: set[int]) -> Iterator[Cue]:
    """A committing verb with a "to"-infinitive: "the House voted 420-0 to release the
    report" is the House for releasing it, whatever words stand between the two (a vote's
    count, an adverb), which a phrase cue could not skip."""
    committing = cue_book().committing
    for tok in sent:
        if tok.pos_ != "VERB" or tok.i in taken or tok.lemma_.lower() not in committing:
            continue
        infinitive = next(
            (c for c in tok.children if c.dep_ == "xcomp" and any(a.lower_ == "to" for a in c.children)), None
        )
        if infinitive is None:
            continue
        obj = [t for t in infinitive.subtree if t.i >= infinitive.i]
        yield Cue([tok], "support", tok, _clause_end(obj))


def _clause_end(obj: list[Token]) -> list[Token]:
    """``obj`` up to the comma or the subordinate clause that closes it."""
    out: list[Token] = []
    for t in obj:
        if t.text in (",", ";", "—", "–") or t.dep_ in ("mark", "relcl") or (t.dep_ == "advcl" and not _purpose(t)):
            break
        out.append(t)
    return out


def _effect_cues(sent: Span, topic: Topic) -> Iterator[Cue]:
    """ "An invitation would end the war": a question term as the subject of a modal verb of
    benefit (support) or harm (oppose)."""
    book = cue_book()
    for tok in sent:
        lemma = tok.lemma_.lower()
        if tok.pos_ != "VERB" or (lemma not in book.benefit and lemma not in book.harm):
            continue
        if not any(c.dep_ == "aux" and c.lower_ in MODALS for c in tok.children):
            continue
        subject = next((c for c in tok.children if c.dep_ in SUBJECT_DEPS), None)
        if subject is None or not topic.touches({question.stem(subject.lemma_)}):
            continue
        family = "support" if lemma in book.benefit else "oppose"
        yield Cue([tok], family, tok, list(subject.subtree), holder=None)


def find_cues(sent: Span, topic: Topic) -> list[Cue]:
    """Every stance cue of the sentence, relevant to the question or not (phrases first)."""
    cues = list(_phrase_cues(sent))
    taken = {t.i for c in cues for t in c.tokens}
    cues += _noun_cues(sent, taken)
    cues += _commitment_cues(sent, taken)
    cues += [c for c in _effect_cues(sent, topic) if c.anchor.i not in taken]
    return cues


# ---------------------------------------------------------------- polarity


def _chain(anchor: Token) -> list[Token]:
    """The anchor and the verbs above it through complement clauses ("do not *think* [it] is")."""
    out = [anchor]
    t = anchor
    for _ in range(MAX_CLIMB):
        if t.dep_ not in CLIMB_DEPS or t.head.i == t.i or t.dep_ == "conj":
            break
        t = t.head
        out.append(t)
    return out


def _negated(cue: Cue, depth: int) -> bool:
    neg = cue_book().negation
    heads = [*cue.tokens, *_chain(cue.anchor)[: depth + 1]]
    return any(c.dep_ in ("neg", "det", "advmod", "preconj") and c.lower_ in neg for h in heads for c in h.children)


def _hedged(cue: Cue) -> bool:
    book = cue_book()
    chain = _chain(cue.anchor)
    if any(t.lemma_.lower() in book.hedge for t in chain[1:]):
        return True
    if any(c.lower_ in book.hedge or c.lemma_.lower() in book.hedge for c in cue.anchor.children if c.dep_ != "nsubj"):
        return True
    words = [t.lemma_.lower() for t in cue.anchor.sent]
    return any(_contains(words, phrase) for phrase in book.hedge_phrases)


CONDITIONS = frozenset({"if", "unless"})


def _conditional(verb: Token) -> bool:
    """True when the stance holds only on a condition: "would back it *if* X", "will oppose
    it *unless* Y" (for it one way, against it the other)."""
    clauses = [c for c in verb.children if c.dep_ == "advcl"]
    return any(m.dep_ == "mark" and m.lower_ in CONDITIONS for c in clauses for m in c.children)


def _alternative(verb: Token) -> bool:
    """True when the stance is one of two courses offered: "make X a priority, *or cancel*
    the meeting" is for cancelling only if the other is not taken. Not so when the other
    course is the same kind of act ("postpone or cancel it", "back or endorse it")."""
    if verb.dep_ == "conj" and verb.head.pos_ == "VERB":
        other: Token | None = verb.head
    else:
        other = next((c for c in verb.children if c.dep_ == "conj" and c.pos_ == "VERB"), None)
    if other is None or not any(c.dep_ == "cc" and c.lower_ == "or" for c in (*verb.children, *other.children)):
        return False
    words = _verb_words(other)
    same_kind = any(words[: len(r)] == r for r in cue_book().reversal) or words[0] in question.stance_verbs()
    return not same_kind


def _contains(words: list[str], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return any(tuple(words[i : i + n]) == phrase for i in range(len(words) - n + 1))


def _reversed(obj: list[Token]) -> bool:
    """True when the object is headed by a reversal verb ("putting off X", "to delay X") or,
    with no verb, by its noun ("the cancellation of X", "a repeal of Y")."""
    verbs = [t for t in obj if t.pos_ == "VERB"]
    if not verbs:
        inside = {t.i for t in obj}
        heads = [t for t in obj if t.head.i not in inside or t.head.i == t.i]
        return bool(heads) and heads[0].pos_ == "NOUN" and question.stem(heads[0].lemma_) in _reversal_stems()
    words = _verb_words(verbs[0])
    return any(words[: len(r)] == r for r in cue_book().reversal)


def _verb_words(verb: Token) -> tuple[str, ...]:
    """The verb's lemma, its particles, then its prepositions with their objects' lemmas:
    "put the decision on hold" reads as "put on hold", "called it off" as "call off"."""
    particles = [c.lower_ for c in verb.children if c.dep_ == "prt"]
    # The parse often hangs "on hold" on the object noun rather than on the verb.
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    preps = [w for h in (verb, *objects) for c in h.children if c.dep_ == "prep" for w in (c.lower_, *_pobj_lemmas(c))]
    return (verb.lemma_.lower(), *particles, *preps)


def _pobj_lemmas(prep: Token) -> list[str]:
    return [c.lemma_.lower() for c in prep.children if c.dep_ == "pobj"]


@functools.cache
def _reversal_stems() -> frozenset[str]:
    """The stems of the one-word reversal verbs: their nouns share them ("cancel",
    "cancellation"; "suspend", "suspension")."""
    return frozenset(question.stem(r[0]) for r in cue_book().reversal if len(r) == 1)


def _negated_object(obj: list[Token]) -> bool:
    """True when the object is a negated verb: "urged X *not to declare* Y" is against Y."""
    verbs = [t for t in obj if t.pos_ in ("VERB", "AUX")]
    return bool(verbs) and any(c.dep_ == "neg" for c in verbs[0].children)


def polarity(cue: Cue, depth: int = 0, reverses: bool = False) -> Stance:
    """The stance a cue expresses toward its object, negation counted up to ``depth`` verbs
    above it (where its holder is the subject); toward the question when it ``reverses``
    something too ("Should X cancel Y?": urging X to cancel Y is support)."""
    if cue.family == "neutral":
        return "neutral"
    if _hedged(cue) and cue.family != "timing":
        return "unclear"
    if cue.family in ("support", "oppose") and (_conditional(cue.anchor) or _alternative(cue.anchor)):
        return "mixed"
    value = POLARITY[cue.family]
    if _reversed(cue.obj) != (reverses and not takes_up(cue.obj)):
        value = -value
    if _negated_object(cue.obj):
        value = -value
    if _negated(cue, depth):
        if value < 0:
            return "neutral"
        value = -value
    return "support" if value > 0 else "oppose"


# ---------------------------------------------------------------- holders


def _subject(verb: Token) -> Token | None:
    subj = next((c for c in verb.children if c.dep_ in SUBJECT_DEPS), None)
    if verb.dep_ == "nsubjpass" or any(c.dep_ == "nsubjpass" for c in verb.children):
        agent = next((c for c in verb.children if c.dep_ == "agent"), None)
        pobj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
        return pobj
    return subj


def _phrase_actors(ctx: ArticleContext, head: Token) -> list[str]:
    """The actors a holder phrase names: its head's actor, else its appositions', else the
    states and names modifying a state-like head ("the U.S. and German governments")."""
    found = ctx.actor(head)
    if found is not None:
        return [found, *(a for c in head.children if c.dep_ == "conj" for a in _phrase_actors(ctx, c))]
    for child in head.children:
        if child.dep_ == "appos" and (inner := _phrase_actors(ctx, child)):
            return inner
    out: list[str] = []
    if head.lemma_.lower() in cue_book().state_heads:
        for mod in head.children:
            if mod.dep_ in ("compound", "amod", "nmod", "poss", "npadvmod"):
                out += [a for t in _with_conjuncts(mod) if (a := ctx.actor(t)) is not None]
    for c in head.children:
        if c.dep_ == "conj":
            out += _phrase_actors(ctx, c)
    return list(dict.fromkeys(out))


def _with_conjuncts(tok: Token) -> list[Token]:
    out = [tok]
    for c in tok.children:
        if c.dep_ == "conj":
            out += _with_conjuncts(c)
    return out


def _examples(ctx: ArticleContext, sent: Span) -> list[str]:
    """The actors a sentence gives as examples: "such as X and Y", "including Z"."""
    words = [t.lower_ for t in sent]
    out: list[str] = []
    for phrase in cue_book().examples:
        n = len(phrase)
        for i in range(len(words) - n + 1):
            if tuple(words[i : i + n]) != phrase:
                continue
            last = sent[i + n - 1]
            objects = [c for c in last.children if c.dep_ == "pobj"] or [sent[i + n]] if i + n < len(sent) else []
            for obj in objects:
                out += _phrase_actors(ctx, obj)
    return list(dict.fromkeys(out))


def _is_generic(tok: Token) -> bool:
    return tok.lemma_.lower() in cue_book().generic_heads or tok.lower_ in cue_book().generic_heads


def holders(ctx: ArticleContext, cue: Cue) -> tuple[list[str], int]:
    """The actors holding a cue's stance (empty when the text names none), and how many verbs
    above the cue their subject sits (negation there counts: "X does not think it is right").

    A pronoun subject passes to the verb reporting it ("X said it will veto"); a subject that
    is no actor stops the search ("the plan cannot block X, she said" is not hers)."""
    if cue.holder is not None:
        found = _resolve(ctx, cue.holder, cue)
        if not found and cue.holder.pos_ == "PRON" and cue.holder.dep_ == "poss":
            # "X repeated *her* call for Y": a possessive pronoun is the subject of its verb.
            subject = _subject(_verb_of(cue.anchor))
            found = _resolve(ctx, subject, cue) if subject is not None else []
        return found, 0
    if cue.anchor.pos_ == "NOUN":
        return _resolve(ctx, _subject(_verb_of(cue.anchor.head)) or cue.anchor, cue), 1
    effect = cue.anchor.lemma_.lower() in cue_book().benefit | cue_book().harm and cue.tokens == [cue.anchor]
    verbs = _chain(cue.anchor)
    start = 1 if effect or cue.family == "timing" else 0
    for depth, verb in enumerate(verbs[start:], start):
        subject = _subject(verb)
        if subject is None and verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
            # "people who never liked X and *want* to end it": conjoined verbs share a subject.
            verb = verb.head
            subject = _subject(verb)
        if subject is None:
            continue
        if subject.tag_ in RELATIVE_TAGS and verb.dep_ == "relcl":
            return _noun_holder(ctx, verb.head, cue), depth
        if any(c.dep_ == "aux" and c.lower_ in OBLIGATION for c in verb.children):
            # "X should back Y, Z said": what X should do is Z's stance, if anyone's.
            continue
        found = _resolve(ctx, subject, cue)
        if found or subject.pos_ != "PRON":
            return found, depth
    noun = _modified_noun(cue)
    if noun is not None:
        return _noun_holder(ctx, noun, cue), 0
    if not effect and cue.family != "timing" and _non_finite(verbs[-1]):
        # "... to urge X", with no subject: someone the clause does not name does the urging,
        # not the person the sentence is attributed to.
        return [], len(verbs) - 1
    speaker = ctx.speaker_at(cue.anchor)
    return ([speaker] if speaker is not None else []), len(verbs) - 1


def _modified_noun(cue: Cue) -> Token | None:
    """The noun a participle cue describes, which holds its stance: "a coalition *opposed to*
    cuts", "lawmakers *calling for* a vote". A past participle only with "to" after it: with
    anything else it is passive ("a plan *backed* by X" is X's, not the plan's)."""
    verb = cue.anchor
    if verb.dep_ not in ("acl", "amod") or verb.head.pos_ not in ("NOUN", "PROPN"):
        return None
    if any(c.dep_ in (*SUBJECT_DEPS, "agent") for c in verb.children):
        return None
    if verb.tag_ == "VBG" or (verb.tag_ == "VBN" and cue.obj and cue.obj[0].lower_ == "to"):
        return verb.head
    return None


def _noun_holder(ctx: ArticleContext, noun: Token, cue: Cue) -> list[str]:
    """The actors ``noun`` names, or, for an apposition ("X, a coalition opposed to Y"), the
    actors of the name it describes."""
    found = _resolve(ctx, noun, cue)
    if not found and noun.dep_ == "appos":
        found = _resolve(ctx, noun.head, cue)
    return found


def _non_finite(verb: Token) -> bool:
    """An infinitive, participle or gerund clause: "to urge", "seeking", "voting for"."""
    if verb.dep_ in NON_FINITE_DEPS or any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        return True
    return verb.tag_ in ("VBG", "VBN") and not any(c.dep_ in ("aux", "auxpass") for c in verb.children)


def named(name: str) -> bool:
    """True when an actor name names someone: "Republicans", not "one senator", "Dozens",
    "Even some justices" or a fragment starting with a quotation mark."""
    words = name.lower().split()
    return name[:1].isupper() and not any(w in cue_book().unnamed for w in words[:2])


def _resolve(ctx: ArticleContext, tok: Token, cue: Cue) -> list[str]:
    if tok.pos_ == "PRON":
        if tok.lower_ in PRONOUNS_SPEAKER and (speaker := ctx.speaker_at(tok)) is not None:
            return [speaker]
        return []
    found = _phrase_actors(ctx, tok)
    if found:
        return found
    body = _whole_body(tok)
    if body is not None:
        return _phrase_actors(ctx, body)
    if _is_generic(tok):
        return _examples(ctx, cue.anchor.sent)
    return []


def _whole_body(tok: Token) -> Token | None:
    """The body whose members, all of them, act: "Members of the House voted ..." is the
    House; "18 members of X" or "some members of X" are not X."""
    if tok.lemma_.lower() != "member" or tok.tag_ != "NNS":
        return None
    preps = [c for c in tok.children if c.dep_ == "prep"]
    if len(preps) != 1 or preps[0].lower_ != "of" or any(c.dep_ != "prep" for c in tok.children):
        return None
    return next((c for c in preps[0].children if c.dep_ == "pobj"), None)


def affiliation(ctx: ArticleContext, holder_head: Token) -> str | None:
    """The state an official speaks for, when the text says so: "Hungarian Foreign Minister X"."""
    left = [t for t in holder_head.subtree if t.i < holder_head.i]
    if not any(t.lower_ in title_words() for t in left):
        return None
    for t in left:
        if t.text in countries():
            return countries()[t.text]
    return None


# ---------------------------------------------------------------- relevance and assembly


def takes_up(obj: Sequence[Token]) -> bool:
    """True when the object takes up the story's proposal without naming it: a proposal noun
    with only determiners or a possessive ("this action", "the move", "its decision"), and
    nothing after it that says which ("its decision *to X*"); a description of it is no
    naming ("defended its decision *as part of a strategy*")."""
    words = [t for t in obj if not t.is_punct and not t.is_space]
    lead = 0
    while lead < len(words) and (
        words[lead].pos_ == "DET" or (words[lead].dep_ == "poss" and words[lead].pos_ == "PRON")
    ):
        lead += 1
    if lead == len(words):
        return False
    head = words[lead]
    if head.pos_ != "NOUN" or head.lemma_.lower() not in speech.proposal_nouns():
        return False
    naming = [
        c for c in head.rights if not c.is_punct and not (c.dep_ == "prep" and c.lower_ in question.DESCRIBING_PREPS)
    ]
    return not naming


def _relevant(cue: Cue, topic: Topic) -> bool:
    """True when the cue is about the question: its object touches the question's core, or,
    for a cue without an object, its sentence or the one before does."""
    if cue.obj:
        return topic.touches(question.content_stems(cue.obj)) or takes_up(cue.obj)
    sent = cue.anchor.sent
    window = list(sent)
    if sent.start > 0:
        window += list(cue.anchor.doc[sent.start - 1].sent)
    return topic.touches(question.content_stems(window))


@dataclass
class Finding:
    actor: str
    stance: Stance
    evidence: Evidence
    affiliation: str | None = None


def _evidence(ctx: ArticleContext, cue: Cue, depth: int) -> Evidence:
    """The cue's words and object; for a cue in a complement clause, from the nearby verbs
    above it, up to its holder's, with their negation ("do not think the time is right",
    "encouraged X to seek Y", "appears ready to block")."""
    obj = list(cue.obj)
    while obj and (obj[-1].is_space or obj[-1].is_punct):
        obj.pop()  # the sentence's full stop and the paragraph break after it are no evidence
    tokens = [*cue.tokens, *obj]
    first = min(t.i for t in tokens)
    for verb in _chain(cue.anchor)[1 : max(depth, cue.family == "timing") + 1]:
        if verb.i < first - EVIDENCE_REACH:
            break
        tokens += [verb, *(c for c in verb.children if c.dep_ in ("neg", "aux") and c.i >= first - EVIDENCE_REACH)]
    start = min(t.idx for t in tokens)
    end = max(t.idx + len(t) for t in tokens)
    return Evidence(article=ctx.article, span=(start, end), text=ctx.doc.text[start:end])


@dataclass
class HeldCue:
    """A cue on the question with its holders and the verbs between it and their subject."""

    cue: Cue
    actors: list[str]
    depth: int

    def negated(self) -> bool:
        return _negated(self.cue, self.depth)


def article_findings(ctx: ArticleContext, topic: Topic) -> list[Finding]:
    held = [
        HeldCue(cue, *holders(ctx, cue))
        for sent in ctx.doc.sents
        for cue in find_cues(sent, topic)
        if _relevant(cue, topic)
    ]
    out = []
    for h in held:
        if _corrected(h, held, topic):
            continue
        stance = polarity(h.cue, h.depth, topic.reverses)
        out += [Finding(actor, stance, _evidence(ctx, h.cue, h.depth)) for actor in h.actors if named(actor)]
    return out


def _corrected(h: HeldCue, held: Sequence[HeldCue], topic: Topic) -> bool:
    """True when a negated cue on something else is set against the same cue affirmed of
    what the question asks about, by the same holder, in its sentence or the next ("I don't
    want *a summary* of the report. I want *the whole report*"): the negation turns down a
    lesser thing for the one asked about, not the question."""
    if not h.actors or not h.negated() or _names_the_asked(h.cue.obj, topic):
        return False
    sent = h.cue.anchor.sent
    return any(
        o is not h
        and o.cue.anchor.sent.start in (sent.start, sent.end)
        and o.cue.anchor.lemma_ == h.cue.anchor.lemma_
        and set(o.actors) & set(h.actors)
        and not o.negated()
        and _names_the_asked(o.cue.obj, topic)
        for o in held
    )


def _names_the_asked(obj: Sequence[Token], topic: Topic) -> bool:
    """True when the object's head word is one of the question's terms ("the whole *report*"),
    not a thing of it ("a *summary* of the report")."""
    inside = {t.i for t in obj}
    head = next((t for t in obj if t.head.i not in inside or t.head.i == t.i), None)
    return head is not None and question.stem(head.lemma_) in topic.terms


def combine(stances: Sequence[Stance]) -> Stance:
    """One actor's stance from all its findings."""
    kinds = set(stances)
    if {"support", "oppose"} <= kinds:
        return "mixed"
    for firm in ("support", "oppose", "mixed", "neutral"):
        if firm in kinds:
            return firm
    return "unclear"


def _contexts(
    items: Sequence[tuple[Article, Analysis]], actors: Sequence[DossierActor]
) -> tuple[list[ArticleContext], dict[str, Doc]]:
    """Each article's context on the parse kept by its analysis, and the parses of the
    questions the articles could propose, by text."""
    rename = _rename_map(actors)
    out = []
    questions: dict[str, Doc] = {}
    for _, an in items:
        if an.parse is None:
            raise ValueError(f"the analysis of {an.id!r} keeps no parse (analyse the article again)")
        kept = parse.from_bytes(an.parse)
        quotes = _named_quotes(an)
        anonymous = frozenset(a.name for a in an.actors if a.anonymous)
        out.append(ArticleContext(an.id, kept.doc, _token_actors(kept.doc, an), quotes, rename, anonymous))
        questions |= kept.questions
    return out, questions


def _named_quotes(an: Analysis) -> list[tuple[int, int, str]]:
    """(start, end, speaker) of each quote with a named speaker, once for each who said it:
    "X and Y said ..." is Y's statement as much as X's."""
    return [
        (q.span[0], q.span[1], name)
        for q in an.quotes
        if q.speaker and not q.speaker.anonymous
        for name in (q.speaker.name, *q.speaker.co_speakers)
    ]


ROLE_PREPS = frozenset({"of", "with", "at", "for"})  # "president *of* Y", "a lawyer *with* Y"


@functools.cache
def role_nouns() -> frozenset[str]:
    return frozenset(w.lower() for w in resources.lines("role_nouns.txt"))


def _principal_of(ctx: ArticleContext, name: Token, kinds: dict[str, str]) -> str | None:
    """The organisation a person's mention says they speak for: a role word with it beside
    the name ("X, president of Y", "X, a lawyer with Y", "Y press secretary X", "X, the Y
    spokesman"), or its possessive ("Y's X"). None when the mention names none."""
    roles = [c for c in name.children if c.dep_ == "appos" and c.lemma_.lower() in role_nouns()]
    if name.dep_ == "appos" and name.head.lemma_.lower() in role_nouns():
        roles.append(name.head)  # "the Y spokesman, X"
    titled = [t for t in name.lefts if t.dep_ == "compound" and t.lemma_.lower() in role_nouns()]
    modifiers = [
        *(t for t in name.lefts if t.dep_ == "compound" and titled and t.i < titled[-1].i),
        *(c for t in (*titled, *roles) for c in t.children if c.dep_ in ("compound", "nmod", "amod")),
    ]
    owners = [
        *(c for t in (name, *titled, *roles) for c in t.children if c.dep_ == "poss"),
        *(p for r in roles for c in r.children if c.dep_ == "prep" and c.lower_ in ROLE_PREPS for p in c.children),
    ]
    for tok, owned in [*((t, False) for t in modifiers), *((t, True) for t in owners)]:
        for cand in (tok, *(c for c in tok.children if c.dep_ in ("appos", "compound"))):
            org = _organisation(ctx, cand, kinds, owned)
            if org is not None:
                return org
    return None


def _organisation(ctx: ArticleContext, tok: Token, kinds: dict[str, str], owned: bool) -> str | None:
    """The organisation ``tok`` names, by the name the article uses ("the White House" serves
    a president: it is not the state :meth:`ArticleContext.actor` would read). No state. A
    name tagged as a place counts only as an owner ("president *of* Y", "Y's X"): as a
    modifier it is where the person is from ("a Denver lawyer")."""
    name = ctx.actor_at.get(tok.i)
    if name is None:
        return None
    name = ctx.rename.get(name, name)
    if countries().get(name) == name:
        return None
    kind = kinds.get(name)
    return name if kind == "organization" or (owned and kind == "place" and name not in countries()) else None


def principals(contexts: Sequence[ArticleContext], kinds: dict[str, str]) -> dict[str, str]:
    """Each person -> the organisation they speak for, where a mention says so (the first).
    A state is no principal here: an official's state is their affiliation
    (:func:`_affiliations`), and "U.S. President X" does not speak for every American."""
    out: dict[str, str] = {}
    for ctx in contexts:
        for i, name in ctx.actor_at.items():
            tok = ctx.doc[i]
            person = ctx.rename.get(name, name)
            if kinds.get(person) != "person" or (ctx.actor_at.get(tok.head.i) == name and tok.head.i != i):
                continue  # no person, or not the head word of the name
            org = _principal_of(ctx, tok, kinds)
            if org is not None and org != person:
                out.setdefault(person, org)
    return out


def _kinds(items: Sequence[tuple[Article, Analysis]], actors: Sequence[DossierActor]) -> dict[str, str]:
    """Each actor's kind, by the story's name for it where the story merged it."""
    rename = _rename_map(actors)
    out: dict[str, str] = {rename.get(a.name, a.name): a.kind for _, an in items for a in an.actors}
    return out | {a.name: a.kind for a in actors}


def _affiliations(contexts: Sequence[ArticleContext]) -> dict[str, str]:
    """Each person's state where a mention says so ("Hungarian Foreign Minister X")."""
    out: dict[str, str] = {}
    for ctx in contexts:
        for i, name in ctx.actor_at.items():
            tok = ctx.doc[i]
            if tok.head.i in ctx.actor_at or name in countries():
                continue
            state = affiliation(ctx, tok)
            if state is not None:
                out.setdefault(ctx.rename.get(name, name), state)
    return out


def alternatives(contexts: Sequence[ArticleContext], asked: ParsedQuestion | None) -> list[str]:
    """The questions the story could be asked besides the proposed one; none when the user
    asked one."""
    if asked is not None and asked.text:
        return []
    lead = next(iter(contexts[0].doc.sents), None) if contexts else None
    objects, challenged = _all_objects(contexts)
    return question.candidates(objects, lead, challenged=challenged)[1:]


def _question(
    contexts: Sequence[ArticleContext], questions: dict[str, Doc], asked: ParsedQuestion | None
) -> tuple[str | None, Topic]:
    if asked is not None and asked.text:
        given = parse.from_bytes(asked.parse).doc
        return asked.text, _topic(given)
    lead = next(iter(contexts[0].doc.sents), None) if contexts else None
    objects, challenged = _all_objects(contexts)
    proposed = question.propose(objects, lead, challenged)
    if not proposed:
        return None, Topic(frozenset(), frozenset())
    # Parsed with the article it comes from (proposable_questions), as it would be if typed.
    doc = questions.get(proposed)
    if doc is None:  # kept by a storydesk whose cues differ from these
        raise StaleParseError(f"no kept parse of the proposed question {proposed!r} (analyse the articles again)")
    return proposed, _topic(doc)


def _topic(doc: Doc) -> Topic:
    reverses = _asks_reversal(doc)
    # What the question would undo: its verb's object with the words naming it and its
    # "of" ("cancel *the Geneva summit* with the premier", "strike down *the state's ban
    # on fracking*"), not whom it is with: judging the premier is not judging the summit.
    undone = [t for s in doc.sents for c in s.root.children if c.dep_ in ("dobj", "nsubjpass") for t in _named(c)]
    stems = frozenset(question.content_stems(undone)) if reverses else frozenset()
    return Topic(question.terms(doc), question.core(doc), reverses, stems)


def _named(noun: Token) -> list[Token]:
    """A noun with the words that name what it is: its compounds, modifiers, possessor, "of"
    phrase ("the state's ban on fracking") and participle ("the law *banning
    fracking*"), without its other phrases."""
    out = [noun]
    for c in noun.children:
        participle = c.dep_ == "acl" and c.tag_ in ("VBG", "VBN")
        if c.dep_ in speech.TARGET_PARTS or (c.dep_ == "prep" and c.lower_ == "of") or participle:
            out += list(c.subtree)
    return out


def _asks_reversal(doc: Doc) -> bool:
    """True when the question's main verb undoes something: "Should X cancel Y?", "Should
    the court strike down Y?"."""
    for sent in doc.sents:
        # The root, whatever its tag: a short question's verb is often tagged as a noun.
        root = sent.root
        words = (root.lemma_.lower(), *(c.lower_ for c in root.children if c.dep_ == "prt"))
        if any(words[: len(r)] == r for r in cue_book().reversal):
            return True
    return False


def _cue_objects(doc: Doc) -> Iterator[tuple[Cue, Span]]:
    """The support and oppose cues of ``doc`` that have an object, each with its object: what
    a story's question can be proposed from (a reversal too: "urged X to cancel Y" asks
    whether X should cancel Y)."""
    no_topic = Topic(frozenset(), frozenset())
    for sent in doc.sents:
        for cue in find_cues(sent, no_topic):
            if cue.obj and cue.family in ("support", "oppose"):
                first, last = min(t.i for t in cue.obj), max(t.i for t in cue.obj)
                yield cue, doc[first : last + 1]


def _all_objects(contexts: Sequence[ArticleContext]) -> tuple[list[Span], list[Span]]:
    """The objects of the story's support and oppose cues that have a holder, then what the
    articles' opening sentences judge; and those of them that the story challenges
    (:func:`_challenged`)."""
    held = [(cue, obj) for ctx in contexts for cue, obj in _cue_objects(ctx.doc) if holders(ctx, cue)[0]]
    cued = [obj for _, obj in held]
    return cued + [obj for ctx in contexts for obj in _lead_judged(ctx.doc)], _challenged(held)


def _challenged(cued: Sequence[tuple[Cue, Span]]) -> list[Span]:
    """The objects of defending cues ("vowed to defend *the state's law*") that another cue
    of the story attacks (opposes or would undo, sharing a word of it): the thing is under
    challenge, and the change at stake is its undoing, not its being."""
    attacked = [question.content_stems(obj) for cue, obj in cued if cue.family == "oppose" or _reversed(cue.obj)]
    return [
        obj for cue, obj in cued if _defends(cue) and any(stems & question.content_stems(obj) for stems in attacked)
    ]


def _defends(cue: Cue) -> bool:
    """A cue that stands up for its object against a challenge: "defend", "stand by"."""
    words = tuple(t.lemma_.lower() for t in cue.tokens)
    return cue.family == "support" and words in cue_book().defending


def _lead_judged(doc: Doc) -> list[Span]:
    """What the opening sentences judge: a story that opens on a judgement ("X's planned
    speech will be *destructive*") is about the thing judged."""
    return speech.judged_phrases(list(doc.sents)[: question.LEAD_SENTENCES])


def proposable_questions(doc: Doc) -> list[str]:
    """Every question :func:`question.propose` could ask from this article's cue objects
    (which one depends on the story), in text order, each once. Holders are not needed to
    know them: the story's question is one of these, so parsing them with the article's parse
    leaves nothing to parse when the dossier is built."""
    cued = list(_cue_objects(doc))
    objects = [obj for _, obj in cued] + _lead_judged(doc)
    asked = [question.as_question(obj) for obj in objects if question.askable(obj)]
    # Whether the story challenges a defended thing depends on its other articles: both.
    asked += [question.as_question(obj, True) for cue, obj in cued if _defends(cue) and question.askable(obj)]
    return list(dict.fromkeys(asked))


def build_positions(
    items: Sequence[tuple[Article, Analysis]], actors: list[DossierActor], question: ParsedQuestion | None
) -> Positions:
    """Every actor's stance on the question (proposed from the story when not given), read
    from the parses the analyses keep: no parsing here."""
    contexts, questions = _contexts(items, actors)
    asked, topic = _question(contexts, questions, question)
    if not topic.terms:
        return Positions(question=asked)
    by_actor: dict[str, list[Finding]] = defaultdict(list)
    for ctx in contexts:
        for f in article_findings(ctx, topic):
            by_actor[f.actor].append(f)
    cued: dict[str, list[Stance]] = defaultdict(list)
    cued |= {name: [f.stance for f in found] for name, found in by_actor.items()}
    spoken: dict[str, list[int]] = defaultdict(list)
    for name, found in _speech_findings(contexts, topic).items():
        by_actor[name] += found
        # A call on a condition points both ways.
        spoken[name] = [sign for f in found for sign in ((1, -1) if f.stance == "mixed" else (SIGNS[f.stance],))]
    speaks_for = {p: org for p, org in principals(contexts, _kinds(items, actors)).items() if p in by_actor}
    for person, org in speaks_for.items():
        # What a spokesperson or officer says is their organisation's statement too.
        by_actor[org] += by_actor[person]
        cued[org] += cued.get(person, [])
        spoken[org] += spoken.get(person, [])
    by_actor = {name: by_actor[name] for name in principal_first(list(by_actor), speaks_for)}
    stances_of = {name: actor_stance(cued.get(name, []), spoken.get(name, [])) for name in by_actor}
    states = _affiliations(contexts)
    stances = [
        Position(actor=name, stance=stances_of[name], evidence=distinct_evidence(found), affiliation=states.get(name))
        for name, found in by_actor.items()
    ]
    return Positions(question=asked, stances=stances, alternatives=alternatives(contexts, question))


def distinct_evidence(found: Sequence[Finding]) -> list[Evidence]:
    """The findings' evidence, each passage once, in order: one sentence may hold two cues of
    one stance ("called on X to cancel Y": a call and what it calls for), and a spokesperson's
    words are their organisation's too; the reader is shown the passage once."""
    seen: set[tuple[str, tuple[int, int]]] = set()
    out: list[Evidence] = []
    for f in found:
        key = (f.evidence.article, (f.evidence.span[0], f.evidence.span[1]))
        if key not in seen:
            seen.add(key)
            out.append(f.evidence)
    return out


def principal_first(names: Sequence[str], speaks_for: dict[str, str]) -> list[str]:
    """``names`` in their order, each organisation moved before the first who speaks for it:
    the dossier lists a group before its spokespeople."""
    out: list[str] = []
    for name in names:
        org = speaks_for.get(name)
        if org is not None and org not in out:
            out.append(org)
        if name not in out:
            out.append(name)
    return out


SIGNS: dict[Stance, int] = {"support": 1, "oppose": -1, "neutral": 0}
STANCE_OF_SIGN: dict[int, Stance] = {1: "support", -1: "oppose", 0: "neutral"}


def _speech_findings(contexts: Sequence[ArticleContext], topic: Topic) -> dict[str, list[Finding]]:
    """Each named speaker's quotes on the question, read by :mod:`speech`."""
    out: dict[str, list[Finding]] = defaultdict(list)
    for ctx in contexts:
        # A speaker's sentence whose stance cue of theirs is about something else says nothing
        # on the question; one whose cue takes no side on it ("steered clear of discussing
        # whether X should ...") says what that cue says, whatever words it reports.
        cued = {
            (cue.anchor.sent.start, actor)
            for sent in ctx.doc.sents
            for cue in find_cues(sent, topic)
            if cue.obj or (cue.family == "neutral" and _relevant(cue, topic))
            for actor in holders(ctx, cue)[0]
        }
        quotes = [q for q in ctx.quotes if (_sentence_start(ctx.doc, q[0]), ctx.rename.get(q[2], q[2])) not in cued]
        for q in speech.quote_stances(ctx.doc, quotes, topic.terms, topic.undone, topic.core):
            name = ctx.rename.get(q.speaker, q.speaker)
            if named(name) and name not in ctx.anonymous:
                evidence = Evidence(article=ctx.article, span=q.span, text=q.text)
                out[name].append(Finding(name, "mixed" if q.conditional else STANCE_OF_SIGN[q.value], evidence))
    return out


def _sentence_start(doc: Doc, char: int) -> int:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span[0].sent.start if span is not None and len(span) else -1


def actor_stance(cued: Sequence[Stance], spoken: Sequence[int]) -> Stance:
    """One actor's stance from all their evidence: their stance cues (what they said they
    back or oppose, and did: :func:`combine`) and their own words' judgements on the question
    (:func:`combine_judgements`). A cue that takes a side is exact and decides; a judgement
    read from their words decides where the cues take none (neutral, hedged) or there are
    none; neutral when they speak on the question without taking a side."""
    from_cues = combine(cued) if cued else None
    if from_cues in ("support", "oppose") and _both_ways(spoken):
        return "mixed"  # their own words put a condition on the side reported of them
    if from_cues in ("support", "oppose", "mixed") or not spoken:
        return from_cues or "unclear"
    from_words = combine_judgements(spoken)
    return from_words if from_words != "neutral" or from_cues is None else combine([from_cues, from_words])


def _both_ways(signs: Sequence[int]) -> bool:
    """True when an actor's own words, taken together, point both ways as much."""
    return 1 in signs and -1 in signs and not sum(signs)


def combine_judgements(signs: Sequence[int]) -> Stance:
    """One actor's stance from their quotes' judgements: the side most of them take; mixed
    when as many take each side; neutral when none takes one."""
    total = sum(signs)
    if total:
        return STANCE_OF_SIGN[(total > 0) - (total < 0)]
    return "mixed" if any(signs) else "neutral"
