"""Who the words naming a quote's speaker stand for, beyond the actor they resolve to.

:func:`storydesk.quotes.extract` finds the speaker's head word; :class:`SpeakerResolver` then
reads what that word is:

* a title or party tag set beside a name ("Hale, D-Maine, said", "Secretary of the Treasury
  Ann Berry echoed", "The chairman ..., Representative Tom Ogden, said") stands for the name;
* a document or statement ("the lawsuit says", "the report found", "according to the DOJ
  document") is its author's: a name in its own phrase ("the lawsuit from X", "X's letter",
  "the DOJ document"), else the author of an earlier mention of the same kind of document ("X
  filed a lawsuit", "X said in a statement", "the suit was brought by X");
* a definite role ("the committee chairman", "the president") is the latest person introduced
  with that role, and a definite organisation noun ("the agency", "the service") the latest
  organisation named outside quotation marks, preferring one whose name holds the noun;
  a description an earlier apposition gave a name ("X, a project run by ...": "the project") is
  that name; "her office" is hers; "the two states" the pair named before;
* a group named by a description, not a name ("more than a half-dozen House Democrats", "legal
  scholars", "several", "a grand jury", "Mr. X's team"), is an unnamed source under the whole
  description;
* a definite description of one person that nothing before resolves ("the top Republican on
  the committee said ... . Rep. X questioned ...") is the person the next sentence names as its
  subject (not "the official", an unnamed source's word); "Two states" with no determiner the
  pair the next sentence names;
* "X and Y said": X speaks, Y is a co-speaker, the pair led as where first named together
  ("Y and X said" after "X and Y sued": X); "They say" after such a pair is the pair;
* "...," he said after a named person's quote continues that person's turn (:func:`carry_turns`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from storydesk.annotate.actors import Actor, descriptor_span
from storydesk.annotate.coref import MentionIndex
from storydesk.annotate.corefmodel import first_names, words
from storydesk.lexicon import (
    document_families,
    generic_org_nouns,
    indefinite_holders,
    outlet_nouns,
    principal_nouns,
    source_nouns,
    titles,
)
from storydesk.models import Quote
from storydesk.outlets import outlets
from storydesk.text import fold

SUBJECTS = ("nsubj", "nsubjpass")
AUTHOR_PREPS = ("from", "by", "of")  # "the lawsuit from X", "a letter by X", "a statement of X"
CHANNEL_PREPS = ("in", "through", "via")  # "X said in a statement"
NAMING_DEPS = ("pobj", "oprd", "appos")  # where a description's words name the body it stands for
ROLE_SENTENCES_BACK = 3  # how far "the agency" looks for the organisation it stands for
NAME_AND_TITLE_WORDS = 5  # words a titled name may run to ("Foreign Minister Mary Jane Doe")
LIST_CLOSERS = frozenset({"—", "–", ")", "."})  # what closes the list after "including"
SERIES_OPENERS = frozenset({";", ":", "—", "–", "(", "\u201c", '"'})  # what ends the item before a series' next
INDEFINITE = frozenset({"a", "an"})
DEFINITE = frozenset({"the", "this", "that"})


@dataclass(frozen=True)
class Resolved:
    """The speaker a head word stands for: an actor, or an unnamed source's description."""

    actor: Actor | None
    description: str | None = None  # an unnamed source's words, when ``actor`` is None
    co_speakers: tuple[str, ...] = ()


@functools.cache
def title_words() -> frozenset[str]:
    """The last words of the titles ("chairman", "sen", "secretary")."""
    return frozenset(t[-1] for t in titles())


def _is_document(tok: Token) -> bool:
    return tok.pos_ == "NOUN" and tok.lower_ in document_families()


def _determiner(tok: Token) -> str:
    return next((c.lower_ for c in tok.children if c.dep_ in ("det", "poss")), "")


class SpeakerResolver:
    """Resolves speaker head words of one doc. ``quoted(i)`` says whether token ``i`` stands in
    quotation marks (a name in someone's quoted words is no antecedent outside them)."""

    def __init__(self, doc: Doc, index: MentionIndex, quoted: Callable[[int], bool]) -> None:
        self.doc = doc
        self.index = index
        self.quoted = quoted

    # the name a title or tag stands beside ------------------------------------------------------
    def named_head(self, head: Token) -> Token:
        """The name that a title, party tag or role in the speaker's phrase belongs to."""
        if self._person(head):
            return head
        if head.dep_ == "appos" and self._person(head.head):
            return head.head  # "Hale, D-Maine," / "Smith, the committee chairman,"
        for child in head.children:  # "The chairman of X, Representative Tom Ogden,"
            if child.dep_ == "appos" and self._person(child):
                return child
        if head.lower_.rstrip(".") in title_words() and head.lemma_.lower() not in source_nouns():
            named = [t for t in head.subtree if t.i > head.i and self._person(t) and self._titled_by(t, head)]
            if named:  # "Secretary of the Treasury Ann Berry", not "a spokeswoman for X"
                return named[-1].head if named[-1].dep_ == "compound" else named[-1]
        return head

    @staticmethod
    def _titled_by(name: Token, title: Token) -> bool:
        """Whether the path from a name up to its title passes only name, "of" and
        organisation words ("Secretary of the Interior X"), no clause nor another preposition."""
        tok = name
        while tok.i != title.i:
            if tok.dep_ in ("relcl", "acl", "ccomp", "advcl", "poss") or (tok.dep_ == "prep" and tok.lower_ != "of"):
                return False
            tok = tok.head
        return True

    def _person(self, tok: Token) -> bool:
        actor = self.index.by_token.get(tok.i)  # the NER may label a surname ORG: the actor table decides
        return actor is not None and actor.kind == "person" and not actor.anonymous

    # documents ----------------------------------------------------------------------------------
    def document_author(self, doc_tok: Token) -> Resolved | None:
        """The author of a document mention: named in its phrase, else the author of the latest
        earlier mention of a document of its family."""
        own = self._author_in_phrase(doc_tok) or self._author_in_clause(doc_tok)
        if own is not None:  # "X issued a statement saying ...", "the suit, brought by X, asks"
            return own
        family = document_families()[doc_tok.lower_]
        for i in range(doc_tok.i - 1, -1, -1):
            tok = self.doc[i]
            if not _is_document(tok) or document_families()[tok.lower_] != family or self.quoted(i):
                continue
            found = self._author_in_phrase(tok) or self._author_in_clause(tok)
            if found is not None:
                return found
        return None

    def _author_in_phrase(self, doc_tok: Token) -> Resolved | None:
        """ "the lawsuit from X", "X's letter", "the DOJ document", "a CRS report"."""
        for child in doc_tok.children:
            if child.dep_ == "poss":
                found = self._actor_or_named_part(child)
                if found is not None:
                    return found
            if child.dep_ == "prep" and child.lower_ in AUTHOR_PREPS:
                obj = next((g for g in child.children if g.dep_ == "pobj"), None)
                found = self._actor_or_named_part(obj) if obj is not None else None
                if found is not None:
                    return found
        for tok in doc_tok.lefts:
            if tok.dep_ in ("compound", "nmod") and tok.pos_ == "PROPN":
                actor = self.index.by_token.get(tok.i)
                if actor is not None and not actor.anonymous:
                    return Resolved(actor)
        return None

    def _author_in_clause(self, doc_tok: Token, passive: bool = True) -> Resolved | None:
        """ "X filed a lawsuit", "X said in a statement", and with ``passive`` "the suit, brought
        by X", "the lawsuit was brought by X" (a document that speaks reads its own clause so
        too: "The suit was brought by X and asks ...")."""
        verb: Token | None = None
        if doc_tok.dep_ in ("dobj", "attr"):
            verb = doc_tok.head
        elif doc_tok.dep_ == "pobj" and doc_tok.head.lower_ in CHANNEL_PREPS:
            verb = doc_tok.head.head
        if verb is not None and verb.pos_ in ("VERB", "AUX"):
            subject = _subject(verb)
            return self._actor_or_named_part(subject) if subject is not None else None
        if not passive:
            return None
        verbs = [doc_tok.head] if doc_tok.dep_ == "nsubjpass" else []
        verbs += [c for c in doc_tok.children if c.dep_ in ("relcl", "acl")]
        for v in verbs:
            agent = next((c for c in v.children if c.dep_ == "agent"), None)
            obj = next((g for g in agent.children if g.dep_ == "pobj"), None) if agent is not None else None
            if obj is not None:
                return self._actor_or_named_part(obj)
        return None

    def _actor_or_named_part(self, tok: Token) -> Resolved | None:
        """The named actor ``tok`` stands for (with any coordinated ones), else one named in its
        modifiers ("attorneys general in X and Y": X, with Y)."""
        actor = self._named_actor(tok)
        if actor is not None:
            return self.coordinated(tok, actor)
        numbered = self.numbered_group(tok)
        if numbered is not None:
            return numbered
        for t in tok.subtree:  # "attorneys general in X", "a coalition called X", "the group, X,"
            if t.i == tok.i or t.dep_ not in NAMING_DEPS:
                continue
            actor = self._named_actor(t)
            if actor is not None and actor.kind in ("organization", "place"):
                return self.coordinated(t, actor)
        return None

    def _named_actor(self, tok: Token) -> Actor | None:
        actor = self.index.actor_of(tok)
        return actor if actor is not None and not actor.anonymous and not _is_document(tok) else None

    # roles ----------------------------------------------------------------------------------------
    def role_bearer(self, head: Token) -> Actor | None:
        """The person "the <title>" stands for, or the organisation "the <agency>" does; the
        person "her office" speaks for."""
        principal = self.principal(head)
        if principal is not None:
            return principal
        if head.pos_ != "NOUN" or _determiner(head) not in DEFINITE:
            return None
        described = self._described_earlier(head)
        if described is not None:
            return described
        noun = head.lower_
        if head.lemma_.lower() in outlet_nouns():
            return self._named_outlet(head)
        if noun in title_words():
            return self._titled_person(head, noun) or self._main_subject_before(head)
        if head.lemma_.lower() in words().org_nouns:
            return self._named_organisation(head, noun)
        return None

    def principal(self, head: Token) -> Actor | None:
        """The person whose office or spokesman ``head`` is ("her office said"), who speaks
        through it."""
        if head.pos_ != "NOUN" or head.lemma_.lower() not in principal_nouns():
            return None
        owner = next((c for c in head.children if c.dep_ == "poss"), None)
        actor = self.index.actor_of(owner) if owner is not None else None
        return actor if actor is not None and actor.kind == "person" and not actor.anonymous else None

    def described(self, head: Token) -> Actor | None:
        """The named actor a definite description stands for by an earlier apposition ("the
        project" after "X, a project financed by ..."), see :meth:`_described_earlier`."""
        if head.pos_ != "NOUN" or _determiner(head) not in DEFINITE:
            return None
        return self._described_earlier(head)

    def title_holder(self, head: Token) -> Actor | None:
        """The person a bare "the <title>" ("the president", "the governor") stands for: the
        holder of that title the article has mentioned most (:meth:`_titled_person`), which a
        reader takes over the latest name (who may hold the same title elsewhere). A modified
        title ("the Russian president", "the former governor") is left to the coreference."""
        if head.pos_ != "NOUN" or head.lower_ not in title_words() or _determiner(head) != "the":
            return None
        if any(c.dep_ not in ("det", "punct") for c in head.lefts):
            return None
        return self._titled_person(head, head.lower_)

    def _titled_person(self, head: Token, noun: str) -> Actor | None:
        """The person before ``head`` introduced with ``noun`` as a title ("Chairman X", "X,
        chairman of ..."): of several, the one the article has mentioned most by then ("the
        president" of a story about one president who meets another is the first), the
        latest on a tie."""
        before = head.idx
        best: Actor | None = None
        best_count = 0
        for entry in reversed(self.index.heads):
            if entry.tok >= head.i:
                continue
            actor = entry.actor
            if actor.kind != "person" or actor.anonymous or actor is best:
                continue
            tok = self.doc[entry.tok]
            roles = {c.lower_ for c in tok.children if c.dep_ == "appos"}
            roles |= {t.lower_ for c in tok.children if c.dep_ == "appos" for t in c.lefts}
            if noun in actor.titles or noun in roles:
                count = sum(s < before for s, _ in actor.mentions)
                if not self._title_of_elsewhere(actor, noun):
                    count += len(self.doc.text)  # the article's own holder outranks any foreign one
                if count > best_count:
                    best, best_count = actor, count
        return best

    def _title_of_elsewhere(self, actor: Actor, noun: str) -> bool:
        """Whether every time ``actor`` is given the title ``noun`` before the name, a
        nationality or place qualifies it ("Russian President X", "Ohio Governor Y"): the
        holder of that title somewhere other than where the article's bare "the <title>" is."""
        qualified = False
        for _, end in actor.mentions:
            title = self._title_before(end, noun)
            if title is None:
                continue
            if title.i == 0 or self.doc[title.i - 1].ent_type_ not in ("NORP", "GPE"):
                return False
            qualified = True
        return qualified

    def _title_before(self, end: int, noun: str) -> Token | None:
        """The capitalised title ``noun`` among the capitalised words that end with a mention
        ending at char ``end`` ("President" of "Russian President Jane Doe")."""
        last = self._token_at(end) - 1
        tok = self.doc[last] if last >= 0 else None
        while tok is not None and tok.is_title and last - tok.i <= NAME_AND_TITLE_WORDS:
            if tok.lower_.rstrip(".") == noun:
                return tok
            tok = self.doc[tok.i - 1] if tok.i > 0 else None
        return None

    def _token_at(self, char: int) -> int:
        return next((t.i for t in self.doc if t.idx >= char), len(self.doc))

    def named_next(self, head: Token) -> Actor | None:
        """The person the next sentence names as its subject, for a definite description of
        one person that nothing before resolves ("The top Republican on the committee called
        for ... . Rep. Jo Park questioned ..."): news introduces a speaker by role, then by
        name."""
        definite = _determiner(head) in DEFINITE or any(c.dep_ == "poss" for c in head.children)
        lemma = head.lemma_.lower()
        one_person = lemma in words().person_nouns or head.ent_type_ == "NORP"
        # "the official", "the aide": the words of unnamed sources, whom the next name is not
        if not definite or not one_person or lemma in source_nouns() or head.tag_ not in ("NN", "NNP"):
            return None
        for tok in self._next_sentence(head):
            if tok.dep_ in SUBJECTS and tok.head.dep_ == "ROOT" and not self.quoted(tok.i):
                return self._person_of(tok)
        return None

    def _person_of(self, tok: Token) -> Actor | None:
        actor = self.index.by_token.get(tok.i)
        return actor if actor is not None and actor.kind == "person" and not actor.anonymous else None

    def _described_earlier(self, head: Token) -> Actor | None:
        """The named actor an earlier apposition described with ``head``'s noun ("the River
        Survey, a project financed by ..." for a later "the project")."""
        lemma = head.lemma_.lower()
        for tok in reversed(self.doc[: head.i]):
            if tok.lemma_.lower() != lemma or tok.dep_ != "appos" or self.quoted(tok.i):
                continue
            actor = self.index.by_token.get(tok.head.i)
            if actor is not None and not actor.anonymous and actor.kind != "place":
                return actor
        return None

    def _main_subject_before(self, head: Token) -> Actor | None:
        """The named person who is the subject of the main clause of the sentence before
        ``head``'s, outside quotation marks ("X questioned the action. ... the chairman said"):
        whom a role first used of no one takes up."""
        sent = head.sent
        if sent.start == 0:
            return None
        previous = self.doc[sent.start - 1].sent
        for tok in previous:
            if tok.dep_ in SUBJECTS and tok.head.dep_ == "ROOT" and not self.quoted(tok.i):
                actor = self.index.by_token.get(tok.i)
                if actor is not None and actor.kind == "person" and not actor.anonymous:
                    return actor
        return None

    def _named_outlet(self, head: Token) -> Actor | None:
        """The latest news outlet named outside quotation marks in the sentences before
        ``head`` ("The Journal reported ... according to the paper"): an organisation known
        as an outlet by its name or a name of it."""
        start = self._sentences_back(head)
        for entry in reversed(self.index.heads):
            if entry.tok >= head.i or self.quoted(entry.tok):
                continue
            if entry.tok < start:
                break
            actor = entry.actor
            if actor.kind == "organization" and not actor.anonymous and _is_outlet(actor):
                return actor
        return None

    def _sentences_back(self, head: Token) -> int:
        """The first token of the sentence ``ROLE_SENTENCES_BACK`` before ``head``'s."""
        first_sent = head.sent
        for _ in range(ROLE_SENTENCES_BACK):
            if first_sent.start == 0:
                break
            first_sent = self.doc[first_sent.start - 1].sent
        return first_sent.start

    def _named_organisation(self, head: Token, noun: str) -> Actor | None:
        """The latest organisation named outside quotation marks in the sentences before
        ``head``, one whose name holds ``noun`` ("the service": "Forest Service")
        first."""
        start = self._sentences_back(head)
        nearest: Actor | None = None
        for entry in reversed(self.index.heads):
            if entry.tok >= head.i:
                continue
            if entry.tok < start:
                break
            actor = entry.actor
            if actor.kind != "organization" or actor.anonymous or self.quoted(entry.tok):
                continue
            if noun in actor.name.lower().split():
                return actor
            nearest = nearest or actor
        # "the agency" may be any organisation; "the committee" is one named "... Committee"
        return nearest if noun in generic_org_nouns() else None

    # groups -----------------------------------------------------------------------------------------
    def unnamed_group(self, head: Token, actor: Actor | None) -> str | None:
        """The description of a speaker that names no one: a nationality or party group
        ("Democrats"), a plural or indefinite common noun ("legal scholars", "a grand jury") or
        a quantifier ("several")."""
        if actor is not None and (actor.anonymous or actor.kind != "group"):
            return None
        if head.pos_ == "PRON":
            return actor.name if actor is not None else None
        if actor is None and head.pos_ not in ("NOUN", "ADJ", "DET", "NUM"):
            return None
        if _is_document(head):
            return None
        plural = head.tag_ in ("NNS", "NNPS")
        indefinite = _determiner(head) in INDEFINITE | indefinite_holders() or head.lower_ in indefinite_holders()
        if actor is None and not (plural or indefinite):
            return None
        return self._description(head)

    def staff_of(self, head: Token) -> str | None:
        """The description of a person's team or staff speaking ("Mr. X's team"): an unnamed
        source, not the person (whose "office" does speak for them, see :meth:`role_bearer`)."""
        lemma = head.lemma_.lower()
        if head.pos_ != "NOUN" or lemma not in words().org_nouns or lemma in principal_nouns():
            return None
        owner = next((c for c in head.children if c.dep_ == "poss"), None)
        actor = self.index.actor_of(owner) if owner is not None else None
        if actor is None or actor.kind != "person":
            return None
        return self._description(head)

    def numbered_group(self, head: Token) -> Resolved | None:
        """ "The two states" for the latest named pair of one kind coordinated before it ("X and
        Y asked ..."), "Two states" with no determiner for the pair the next sentence names:
        the first speaks, the others are co-speakers."""
        determiner = _determiner(head)
        count = next((_number(c) for c in head.children if c.dep_ == "nummod"), 0)
        if count < 2 or determiner not in DEFINITE | {""}:
            return None
        # "the two states" for a pair named before; "Two states sued ... . The suit, by X and Y,
        # ..." for the pair the next sentence names
        candidates = reversed(self.doc[: head.i]) if determiner else iter(self._next_sentence(head))
        for tok in candidates:
            actor = self._named_actor(tok)
            if actor is None or self.quoted(tok.i) or tok.dep_ == "conj" or not tok.conjuncts:
                continue
            others = [self._named_actor(c) for c in tok.conjuncts if c.i > tok.i]
            if len(others) + 1 == count and all(o is not None and o.kind == actor.kind for o in others):
                return self.coordinated(tok, actor)
        return None

    def _next_sentence(self, tok: Token) -> Span:
        """The sentence after ``tok``'s (empty at the doc's end), past blank lines and
        quotation marks left over from the one before."""
        end = tok.sent.end
        while end < len(self.doc) and (self.doc[end].is_space or self.doc[end].is_punct):
            end += 1
        return self.doc[end].sent if end < len(self.doc) else self.doc[end:end]

    def _description(self, head: Token) -> str:
        """The words of a group's description: its phrase with short modifiers after it."""
        start = head.left_edge.i
        while start < head.i and self.doc[start].is_punct:
            start += 1
        chunk: Span = self.doc[start : head.i + 1]
        s, e = descriptor_span(chunk)
        text = self.doc[s:e].text
        first = self.doc[s]
        return text[0].lower() + text[1:] if first.pos_ != "PROPN" and first.is_title else text

    # coordination ---------------------------------------------------------------------------------
    def coordinated(self, head: Token, actor: Actor) -> Resolved:
        """The speaker with the actors coordinated with it ("X and Y said": X, with Y), led by
        the one named first where the same actors were first named together: "Y and X said"
        after "X and Y filed a suit" is still X's, with Y (a reader keeps the pair as met)."""
        members = self._coordinated(head, actor)
        if len(members) > 1:
            members = self._first_order(head, members)
        if actor.kind == "person":
            earlier = [a for a in self._semicolon_series(head) if all(a is not m for m in members)]
            members = earlier + members
        return Resolved(members[0], co_speakers=tuple(a.name for a in members[1:]))

    def named_members(self, head: Token) -> Resolved | None:
        """The people a group speaker's "including" lists ("a handful — including X of A, the
        chairman of B; Y; and Z — urged"): the first named leads, the others are co-speakers.
        The items run to the dash or bracket that closes the list, split at semicolons, or at
        commas and "and" when there is no semicolon; each item's first person counts."""
        including = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "including"), None)
        if including is None:
            return None
        end = including.i + 1
        while end < len(self.doc) and self.doc[end].text not in LIST_CLOSERS and not self.doc[end].is_space:
            end += 1
        items = self.doc[including.i + 1 : end]
        separators = (";",) if any(t.text == ";" for t in items) else (",", "and")
        people: list[Actor] = []
        taken = False  # whether the current item has given its person
        for tok in items:
            if tok.lower_ in separators:
                taken = False
                continue
            person = self._person_of(tok)
            if person is not None and not taken and not self.quoted(tok.i):
                taken = True
                if all(person is not p for p in people):
                    people.append(person)
        if not people:
            return None
        return Resolved(people[0], co_speakers=tuple(p.name for p in people[1:]))

    def _semicolon_series(self, head: Token) -> list[Actor]:
        """The people named first in the items of a series set off by semicolons before the
        speaker's own ("a handful, including X of A, the chairman of B; Y of C; and Z, urged"),
        which the parser may leave out of the coordination: in text order."""
        found: list[Actor] = []
        i = head.left_edge.i - 1
        while i > 0 and self.doc[i].text == ";":
            end = i
            i -= 1
            while i >= 0 and self.doc[i].text not in SERIES_OPENERS and not self.doc[i].is_space:
                i -= 1
            person = next(
                (a for t in self.doc[i + 1 : end] if (a := self._person_of(t)) is not None and not self.quoted(t.i)),
                None,
            )
            if person is None:
                break
            found.insert(0, person)
            if i < 0 or self.doc[i].text != ";":
                break
        return found

    def _coordinated(self, head: Token, actor: Actor) -> list[Actor]:
        """The named actors of the coordination ``head`` (of ``actor``) stands in, in text
        order: the parser may make a later conjunct the cue's subject ("X and Y asked"), so one
        just before it, joined by "and" alone and of its kind, leads (a name parsed as joined
        by a comma alone, "In a post to Twitter, Jane Doe said", does not)."""
        out: list[Actor] = []
        for tok in sorted((head, *head.conjuncts), key=lambda t: t.i):
            other = actor if tok.i == head.i else self._named_actor(tok)
            if other is None or any(other is o or other.name == o.name for o in out):
                continue
            if tok.i < head.i and not (other.kind == actor.kind and self._joined_by_and(tok, head)):
                continue
            out.append(other)
        return out

    def _joined_by_and(self, first: Token, second: Token) -> bool:
        between = self.doc[first.i + 1 : second.i]
        return any(t.dep_ == "cc" for t in between) and all(t.dep_ == "cc" or t.is_punct for t in between)

    def _first_order(self, head: Token, members: list[Actor]) -> list[Actor]:
        """``members`` in the order of the first coordination of just them before ``head``."""
        wanted = {id(a) for a in members}
        for tok in self.doc[: head.i]:
            if tok.dep_ == "conj" or not tok.conjuncts or self.quoted(tok.i):
                continue
            group = [self._named_actor(t) for t in sorted((tok, *tok.conjuncts), key=lambda t: t.i)]
            if {id(a) for a in group if a is not None} == wanted and len(group) == len(members):
                return [a for a in group if a is not None]
        return members

    def plural_antecedent(self, pron: Token) -> Resolved | None:
        """ "They say ..." after "X and Y said ...": the pair (X, with Y), when the subject of a
        main clause in the pronoun's sentence or the one before is a coordination of named
        actors."""
        sent = pron.sent
        first = self.doc[sent.start - 1].sent.start if sent.start > 0 else sent.start
        for tok in reversed(self.doc[first : pron.i]):
            if tok.dep_ not in SUBJECTS or tok.head.dep_ != "ROOT" or self.quoted(tok.i) or not tok.conjuncts:
                continue
            actor = self._named_actor(tok)
            if actor is not None and len(self._coordinated(tok, actor)) > 1:
                return self.coordinated(tok, actor)
        return None


def _is_outlet(actor: Actor) -> bool:
    """Whether an organisation is a news outlet of ``data/outlets.yaml`` by its name or a name
    of it."""
    known = outlets().by_folded
    return any(n.casefold() in known for n in (actor.name, *actor.aliases))


NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def _number(tok: Token) -> int:
    """The count a number word or figure gives ("two", "3"), 0 when none."""
    if tok.lower_ in NUMBER_WORDS:
        return NUMBER_WORDS.index(tok.lower_)
    return int(tok.text) if tok.text.isdigit() and len(tok.text) < 3 else 0


def _subject(verb: Token) -> Token | None:
    for _ in range(3):
        subject = next((c for c in verb.children if c.dep_ in SUBJECTS), None)
        if subject is not None:
            return subject
        if verb.dep_ not in ("conj", "advcl", "xcomp") or verb.head.i == verb.i:
            return None
        verb = verb.head
    return None


# pronouns across sentences --------------------------------------------------------------------------
PERSONAL = {"he": "m", "him": "m", "she": "f", "her": "f"}
TURN_PARAGRAPHS = 2  # paragraph breaks a "he said" may look back over for the previous turn's speaker


def actor_gender(actor: Actor) -> str:
    """ "m" or "f" from the actor's first name or an honorific seen with it, else ""."""
    found = first_names().get(fold(actor.name.split()[0]), "") if actor.name else ""
    for title in actor.titles:
        found = found or words().gender.get(title, "")
    return found


def carry_turns(doc: Doc, index: MentionIndex, quotes: list[Quote], quoted: Callable[[int], bool]) -> list[Quote]:
    """A quote whose speaker is "he" or "she" goes to the speaker of the previous quote when that
    one is a named person of the same gender and no person of that gender is the subject of a
    main clause between them ("X said A. ... 'B,' he said" is X's, though the sentence between
    names Y as an object). The coreference model weighs every earlier name; the turn a pronoun
    continues is what a reader follows. Quotes that continue the changed one change with it."""
    by_name = {a.name: a for a in doc._.actors}
    out: list[Quote] = []
    changed: dict[str, str] = {}  # old speaker name -> new, for the continuing quotes after a change
    for q in quotes:
        sp = q.speaker
        if sp is not None and sp.mention is None and sp.name in changed:
            q = q.model_copy(update={"speaker": sp.model_copy(update={"name": changed[sp.name]})})
            out.append(q)
            continue
        changed = {}
        gender = PERSONAL.get(sp.mention.text.lower(), "") if sp is not None and sp.mention is not None else ""
        previous = _previous_turn(doc, out, q, gender, by_name) if gender and sp is not None else None
        if (
            sp is not None
            and sp.mention is not None
            and previous is not None
            and previous.name != sp.name
            and not _subject_between(doc, index, quoted, previous, sp.mention.span[0], gender)
        ):
            changed[sp.name] = previous.name
            q = q.model_copy(update={"speaker": sp.model_copy(update={"name": previous.name, "anonymous": False})})
        out.append(q)
    return out


def _previous_turn(doc: Doc, before: list[Quote], q: Quote, gender: str, by_name: dict[str, Actor]) -> Actor | None:
    """The named person who spoke the latest quote before ``q``, within a few paragraphs, when
    their gender is ``gender``."""
    for k in range(len(before) - 1, -1, -1):
        prev = before[k]
        if prev.span[1] > q.span[0] or prev.speaker is None or _nested(prev, before[:k]):
            continue
        if doc.text.count("\n\n", prev.span[1], q.span[0]) > TURN_PARAGRAPHS:
            return None
        actor = by_name.get(prev.speaker.name)
        if actor is None or actor.kind != "person" or actor.anonymous:
            return None
        # a first name the list lacks leaves the gender open
        return actor if actor_gender(actor) in ("", gender) else None
    return None


def _nested(q: Quote, earlier: list[Quote]) -> bool:
    """Whether ``q`` is an attribution inside an earlier quote's words ("X said Y should demand
    that Z ..."): not a turn of its own."""
    return any(e.span[0] <= q.span[0] and q.span[1] <= e.span[1] for e in earlier)


def _subject_between(
    doc: Doc, index: MentionIndex, quoted: Callable[[int], bool], previous: Actor, end: int, gender: str
) -> bool:
    """Whether a person of ``gender`` other than ``previous`` is the subject of a main clause,
    outside quotation marks, between ``previous``'s latest mention and char ``end``."""
    last = max((s for s, _ in previous.mentions if s < end), default=-1)
    for tok in doc:
        if tok.idx <= last or tok.idx >= end or quoted(tok.i):
            continue
        if tok.dep_ not in SUBJECTS or tok.head.dep_ != "ROOT":
            continue
        actor = index.by_token.get(tok.i)
        if (
            actor is not None
            and actor is not previous
            and actor.kind == "person"
            and actor_gender(actor) in ("", gender)
        ):
            return True
    return False
