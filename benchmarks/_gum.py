"""GUM / OntoGUM coreference documents from ../shared, parsed by storydesk's pipeline.

Each document's text is rebuilt from its tokens (GUM gives them pre-split: no space goes before
closing punctuation or after opening), parsed by the pipeline's spaCy model and actor stages,
and its gold mentions (OntoGUM chains; GUM entity types) are mapped onto spaCy tokens by their
characters. The texts stay under ../shared; parses may be cached in a folder outside the repo.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, DocBin

from storydesk import nlp

NO_SPACE_BEFORE = frozenset(
    {",", ".", ";", ":", "!", "?", ")", "]", "}", "%", "'s", "’s", "n't", "'", "'re", "'ve", "'ll", "'d", "'m"}
)
NO_SPACE_AFTER = frozenset({"(", "[", "{", "$", "#"})
SENT_END = frozenset({".", "!", "?", '"', "'", "”", "’", ")", ":"})
STAGES = ("storydesk_metadata", "storydesk_places", "storydesk_actors")  # what the actors need
_MARK = re.compile(r"\((\d+)\)|\((\d+)|(\d+)\)")


@dataclass
class GoldDoc:
    name: str
    text: str
    chars: list[tuple[int, int]]  # char span of each GUM token
    chains: list[list[tuple[int, int]]]  # OntoGUM chains: GUM token ranges [start, end)
    types: dict[tuple[int, int], str] = field(default_factory=dict)  # GUM entity type by token range


def split_names(shared: Path) -> dict[str, list[str]]:
    """The standard split: {"train": [...], "dev": [...], "test": [...]} (Reddit left out, its text is absent)."""
    root = shared / "bench" / "coref-gum"
    present = {p.stem for p in (root / "conll").glob("*.conll")}
    split: dict[str, list[str]] = {"dev": [], "test": []}
    current = ""
    for line in (root / "splits.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            current = line[3:].strip()
        elif line.strip().startswith("* ") and current in split:
            name = line.strip()[2:].strip()
            if name in present:
                split[current].append(name)
    held = set(split["dev"]) | set(split["test"])
    split["train"] = sorted(n for n in present if n not in held and n.startswith("GUM_"))
    return split


def _tsv(path: Path) -> tuple[list[list[str]], dict[tuple[int, int], str]]:
    """Sentences of tokens and the entity type of each span (GUM token ranges)."""
    sents: list[list[str]] = []
    spans: dict[str, list[int]] = {}
    kinds: dict[str, str] = {}
    n = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#Text="):
            sents.append([])
            continue
        cols = line.split("\t")
        if len(cols) < 4 or not re.match(r"^\d+-\d+$", cols[0]):
            continue
        sents[-1].append(cols[2])
        if cols[3] not in ("_", ""):
            for entry in cols[3].split("|"):
                m = re.match(r"^([a-z]+)(?:\[(\d+)\])?$", entry)
                if m is None:
                    continue
                key = m.group(2) or f"single{n}"
                spans.setdefault(key, []).append(n)
                kinds[key] = m.group(1)
        n += 1
    types = {(min(toks), max(toks) + 1): kinds[k] for k, toks in spans.items()}
    return sents, types


def _conll(path: Path) -> tuple[int, list[list[tuple[int, int]]]]:
    """Token count and chains of an OntoGUM file."""
    n = 0
    open_at: dict[str, list[int]] = {}
    chains: dict[str, list[tuple[int, int]]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        for m in _MARK.finditer(cols[-1]):
            single, opening, closing = m.groups()
            if single:
                chains.setdefault(single, []).append((n, n + 1))
            elif opening:
                open_at.setdefault(opening, []).append(n)
            elif closing and open_at.get(closing):
                chains.setdefault(closing, []).append((open_at[closing].pop(), n + 1))
        n += 1
    return n, [sorted(c) for c in chains.values()]


def _detokenize(sents: list[list[str]]) -> tuple[str, list[tuple[int, int]]]:
    parts: list[str] = []
    chars: list[tuple[int, int]] = []
    at = 0
    prev = ""
    for k, sent in enumerate(sents):
        for i, tok in enumerate(sent):
            if k or i:
                gap = " "
                if i == 0 and prev not in SENT_END:
                    gap = "\n"  # a heading: keep it apart from the next sentence
                elif tok in NO_SPACE_BEFORE or prev in NO_SPACE_AFTER:
                    gap = ""
                parts.append(gap)
                at += len(gap)
            chars.append((at, at + len(tok)))
            parts.append(tok)
            at += len(tok)
            prev = tok
    return "".join(parts), chars


def read_gold(shared: Path, name: str) -> GoldDoc:
    root = shared / "bench" / "coref-gum"
    sents, types = _tsv(root / "tsv" / f"{name}.tsv")
    count, chains = _conll(root / "conll" / f"{name}.conll")
    text, chars = _detokenize(sents)
    if count != len(chars):
        raise ValueError(f"{name}: {count} OntoGUM tokens, {len(chars)} GUM tokens")
    return GoldDoc(name, text, chars, chains, types)


def parse(golds: list[GoldDoc], cache: Path | None, tag: str) -> list[Doc]:
    """The docs through spaCy (cached as ``tag.spacy`` under ``cache``) and the actor stages."""
    base = nlp.load_base()
    file = cache / f"{tag}.spacy" if cache else None
    if file is not None and file.exists():
        docs = list(DocBin().from_disk(file).get_docs(base.vocab))
    else:
        docs = list(base.pipe((g.text for g in golds), batch_size=8))
        if file is not None:
            file.parent.mkdir(parents=True, exist_ok=True)
            db = DocBin(store_user_data=False)
            for d in docs:
                db.add(d)
            db.to_disk(file)
    return [annotate(nlp.load(), d) for d in docs]


def annotate(language: Language, doc: Doc) -> Doc:
    for name, proc in language.pipeline:
        if name in STAGES:
            doc = proc(doc)
    return doc


@dataclass(frozen=True)
class GoldMention:
    chain: int
    start: int  # spaCy token range
    end: int
    head: int
    type: str  # GUM entity type ("person", "organization", ...), "" if unknown


def gold_mentions(doc: Doc, gold: GoldDoc) -> Iterator[GoldMention]:
    """The gold mentions on spaCy tokens (those whose characters map onto tokens)."""
    for c, chain in enumerate(gold.chains):
        for s, e in chain:
            span = doc.char_span(gold.chars[s][0], gold.chars[e - 1][1], alignment_mode="expand")
            if span is None or len(span) == 0:
                continue
            yield GoldMention(c, span.start, span.end, span.root.i, gold.types.get((s, e), ""))


def mention_chains(heads: list[int], golds: list[GoldMention]) -> list[int | None]:
    """The gold chain of each predicted mention (by its head token), None for one in no chain."""
    by_head: dict[int, int] = {}
    for g in golds:
        by_head.setdefault(g.head, g.chain)
    return [by_head.get(h) for h in heads]
