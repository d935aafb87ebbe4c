"""Stage ``storydesk_amounts``: money and counts with value and unit.

Tokens are scanned for numbers (digits, "1.2bn", number words), with scale words after them
("million", "bn", "crore"). A number is kept as

- money when a currency symbol or code precedes it ("$640 million", "€1.2bn", "Rs 500 crore")
  or a currency word follows ("5 billion euros"); unit: the ISO code,
- a percentage when "%", "percent", "per cent" ... follows; unit "percent",
- a count when it modifies a noun ("12,000 troops", "three people"); unit: the noun as
  written, lower-cased; the span covers the number only,
- a quantity when the model labels it QUANTITY ("10 kilometres"); unit: the words after it.

Numbers in DATE, TIME and ORDINAL entities, bare years and numbers inside boilerplate
(datelines, credit lines) are skipped. Vocabulary lives in ``data/units.yaml``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Token

from storydesk import resources
from storydesk.annotate.doc import ensure_defaults
from storydesk.models import Amount

SKIP_LABELS = frozenset({"DATE", "TIME", "ORDINAL"})
NOUNS = frozenset({"NOUN", "PROPN"})
_DIGITS = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?([A-Za-z]*)$")  # 30,000 / 1.2 / 1.2bn


@dataclass(frozen=True)
class Units:
    symbols: dict[str, str]
    codes: dict[str, str]
    words: dict[str, str]  # currency words, possibly of two words ("pounds sterling")
    scales: dict[str, float]
    percent: frozenset[str]
    numbers: dict[str, float]


@functools.cache
def units() -> Units:
    data: dict[str, Any] = resources.yaml_data("units.yaml")
    codes = {c: c for c in data["codes"]} | data.get("code_aliases", {})
    return Units(
        symbols=dict(data["currency_symbols"]),
        codes=codes,
        words={k.lower(): v for k, v in data["currency_words"].items()},
        scales={k.lower(): float(v) for k, v in data["scales"].items()},
        percent=frozenset(w.lower() for w in data["percent_words"]),
        numbers={k.lower(): float(v) for k, v in data["numbers"].items()},
    )


def _skipped(doc: Doc) -> list[bool]:
    """Per token: inside a date/time/ordinal entity or a boilerplate range."""
    skip = [False] * len(doc)
    for ent in doc.ents:
        if ent.label_ in SKIP_LABELS:
            skip[ent.start : ent.end] = [True] * len(ent)
    for start, end in doc._.boilerplate or []:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None:
            skip[span.start : span.end] = [True] * len(span)
    return skip


def _word_number(doc: Doc, i: int) -> tuple[float, int] | None:
    """A number written in words from token ``i`` ("three", "twenty-five", "a" before a scale)."""
    table = units().numbers
    total, j = 0.0, i
    while j < len(doc):
        parts = [p for p in doc[j].lower_.split("-") if p]
        if not parts or not all(p in table for p in parts):
            if doc[j].text == "-" and j > i and j + 1 < len(doc) and doc[j + 1].lower_ in table:
                j += 1
                continue
            break
        total += sum(table[p] for p in parts)
        j += 1
    if j == i or (doc[i].lower_ in ("a", "an") and (j >= len(doc) or doc[j].lower_ not in units().scales)):
        return None
    return total, j


def _number(doc: Doc, i: int) -> tuple[float, int, bool] | None:
    """(value, end token, written in digits) of a number starting at token ``i``, scales applied."""
    m = _DIGITS.match(doc[i].text)
    scales = units().scales
    if m and (not m.group(3) or m.group(3).lower() in scales):
        value = float(m.group(1).replace(",", "") + (m.group(2) or ""))
        if m.group(3):
            value *= scales[m.group(3).lower()]
        end, digits = i + 1, True
    elif found := _word_number(doc, i):
        (value, end), digits = found, False
    else:
        return None
    while end < len(doc) and doc[end].lower_ in scales and doc[end].lower_ not in ("m", "b", "k"):
        value *= scales[doc[end].lower_]
        end += 1
    return value, end, digits


def _currency_before(doc: Doc, i: int) -> tuple[str, int] | None:
    u = units()
    if i == 0:
        return None
    prev = doc[i - 1].text
    code = u.symbols.get(prev) or u.codes.get(prev)
    return (code, i - 1) if code else None


def _after(doc: Doc, end: int, table: dict[str, str] | frozenset[str]) -> tuple[str, int] | None:
    """The longest entry of ``table`` (one or two words) right after token ``end``."""
    for n in (2, 1):
        if end + n <= len(doc):
            words = " ".join(t.lower_ for t in doc[end : end + n])
            if words in table:
                return (table[words] if isinstance(table, dict) else "percent"), end + n
    return None


def _is_year(doc: Doc, i: int, end: int, value: float) -> bool:
    return end == i + 1 and bool(re.fullmatch(r"1[89]\d\d|20\d\d", doc[i].text)) and value.is_integer()


def _count_unit(doc: Doc, i: int, end: int) -> str | None:
    """The noun a number counts: its head through ``nummod`` ("12,000 troops")."""
    last: Token = doc[end - 1]
    head = last.head
    if last.dep_ == "nummod" and head.pos_ in NOUNS and head.i >= end:
        return head.lower_
    if doc[i].ent_type_ != "QUANTITY":
        return None
    j = end  # "10 kilometres": the rest of the QUANTITY entity is the unit
    while j < len(doc) and doc[j].ent_iob_ == "I" and doc[j].ent_type_ == "QUANTITY":
        j += 1
    return " ".join(t.lower_ for t in doc[end:j]) or None


def _amount(doc: Doc, i: int) -> tuple[Amount, int] | None:
    """The amount starting at token ``i`` and the token after it, if there is one."""
    found = _number(doc, i)
    if found is None:
        return None
    value, end, digits = found
    start = i
    unit: str | None = None
    if before := _currency_before(doc, i):
        unit, start = before
    elif after := _after(doc, end, units().words):
        unit, end = after
    elif pct := _after(doc, end, units().percent):
        unit, end = pct
    elif digits and _is_year(doc, i, end, value):
        return None
    else:
        unit = _count_unit(doc, i, end)
    if unit is None:
        return None
    span = doc[start:end]
    return Amount(text=span.text, span=(span.start_char, span.end_char), value=value, unit=unit), end


@Language.component("storydesk_amounts", requires=["doc.ents"], assigns=["doc._.amounts"])
def find_amounts(doc: Doc) -> Doc:
    ensure_defaults(doc)
    skip = _skipped(doc)
    amounts: list[Amount] = []
    i = 0
    while i < len(doc):
        found = None if skip[i] else _amount(doc, i)
        if found is None:
            i += 1
            continue
        amount, i = found
        amounts.append(amount)
    doc._.amounts = amounts
    return doc
