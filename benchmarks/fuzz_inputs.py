"""Hostile inputs through the batch commands as real processes (issue 16's fuzz bar).

Writes, in a temporary folder, 1,000+ generated hostile input items (random bytes, mutated
articles, odd encodings, broken JSONL, HTML and feeds; ``random`` with a fixed seed) mixed with
good articles written here (no copyrighted text), plus hand-written edge cases: empty and
whitespace-only files, binary files with text suffixes, truncated UTF-8, UTF-16/32 with and
without a BOM, lone surrogates, 100,000-deep JSON, HTML with 100,000 ``&amp;``, XML bombs and
external entities, JSON Feed, control characters in feed titles and links, absurd dates, file
names with escape characters and non-UTF-8 bytes, a FIFO, symlink loops, names in many
scripts, thousands of "X said" sentences, 20,000 lines of ":", a text past 1,000,000
characters, claims JSONL in odd encodings. The items are split into folders (runs) small
enough for each command to finish well within the time limit.

Each folder goes through ``storydesk ingest`` (one new store for the whole benchmark),
``analyze --fast``, ``cluster`` and ``dossier --format json`` (``STORYDESK_QUOTES=rules``), and
each claims file through ``check``, every one a new process killed after ``--timeout`` seconds
(60). Counted: tracebacks (stderr containing "Traceback"), hangs (runs killed at the limit, or
an item reported "analysis timed out": past storydesk's 60 s per-article budget),
batches stopped by one item (exit 1 on a single error line, without the failed-items count),
exit codes (1 when a run holds an item that must fail, 0 for a run of good items only, else 1
exactly when an item failed), good items missing from the store or an output (a JSONL line's
id, a file's path, a feed entry's id; in the store also by text), the canary of the
external-entity files found in the store or an output (a leak), and the store's readability
and SQLite integrity check. Prints one line per run (the error lines or the traceback's last
storydesk frame where it went wrong), a summary table and a PASS/FAIL line per bar; exits 1
on any FAIL.

    PYTHONPATH=src .venv/bin/python benchmarks/fuzz_inputs.py [--quick] [--bulk 1000] [--seed 16]
        [--per-run 250] [--timeout 60] [--one-folder] [--keep DIR] [--verbose]

``--quick`` writes 200 generated items and skips the heaviest cases (a few minutes).
``--one-folder`` puts every item in one folder, as the bar has it: each command is then one run
over all of them (killed after 1,200 s), and each item is held to 60 s by the per-article budget
(about 15 minutes in all here). Runs as
root: a chmod-000 file or folder can still be read, so that case is skipped (and said so).
"""

from __future__ import annotations

import argparse
import codecs
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from _shared import start_storydesk

GOOD, BAD, ANY = "good", "bad", "any"  # stored and output / must be refused / either, no crash

# ---------------------------------------------------------------------------------------------
# Good articles, written for this benchmark: a few sentences each, with quotes.

FIRST = ["Mara", "Tomas", "Ines", "Kofi", "Lena", "Ravi", "Noor", "Pavel", "Amara", "Jonas", "Yuki", "Sofia"]
LAST = ["Quill", "Ashgrove", "Okafor", "Brandt", "Lindqvist", "Mehta", "Haddad", "Novak", "Reyes", "Tanaka"]
SCRIPT_NAMES = ["김민준", "Анна Петрова", "王伟", "محمد العلي", "Δημήτρης Παπαδόπουλος", "יעל כהן", "Nguyễn Văn An"]
PLACES = ["Brenmoor", "Castleford", "Port Aven", "Lakemere", "Dunhill", "Westbridge", "Harrowgate", "Kilnsea"]
BODIES = ["city council", "harbour board", "school trustees", "water authority", "transport committee"]
TOPICS = [
    ("approved a plan to rebuild the old pier", "The pier will open by spring", "the cost was too high"),
    ("voted to close the central library for repairs", "Nobody likes to lose the library", "repairs could wait"),
    ("agreed to raise bus fares next month", "Fares have not changed in six years", "riders would suffer"),
    ("rejected a proposal for a new stadium", "The numbers simply did not add up", "the town needs jobs"),
    ("announced a ban on cars in the old town", "Our streets belong to people", "shops will lose trade"),
    ("delayed a vote on the river bridge", "We need more time to study it", "the delay costs money"),
    ("ordered an inquiry into flooding at the docks", "Families deserve answers", "the inquiry is too narrow"),
    ("signed a deal to buy electric ferries", "This is the cleanest fleet we have had", "the ferries are untested"),
]


def good_text(rng: random.Random, serial: int, name: str | None = None) -> tuple[str, str]:
    """(title, text) of a short article of its own: a decision, a quote for it, one against."""
    action, pro, con = rng.choice(TOPICS)
    place, body = rng.choice(PLACES), rng.choice(BODIES)
    leader = name or f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    critic = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    amount = rng.randrange(2, 900)
    text = (
        f"{place.upper()} - The {body} of {place} {action} on Tuesday, after months of debate.\n\n"
        f'"{pro}," said {leader}, who leads the {body}. "We have waited long enough."\n\n'
        f"{critic}, a local business owner, said {con} and that {amount} families had signed a petition.\n\n"
        f"The decision, reference {serial}, will be reviewed in {rng.randrange(2, 12)} months."
    )
    return f"{place} {body} {action.split(' ')[0]} plan ({serial})", text


# ---------------------------------------------------------------------------------------------
# Items and runs


@dataclass
class Item:
    name: bytes  # path under its run's folder, as bytes: names need not be UTF-8
    data: bytes | None  # None: made by ``make`` (FIFO, links, sparse files)
    expect: str  # GOOD, BAD or ANY
    kind: str  # what it tests, for the counts
    ids: list[str] = field(default_factory=list)  # the ids of its good articles, which must come through
    texts: list[str] = field(default_factory=list)  # its texts, when known (stored once by text)
    make: Callable[[Path], None] | None = None


@dataclass
class Run:
    name: str
    items: list[Item]
    commands: tuple[str, ...] = ("ingest", "analyze", "cluster", "dossier")
    stop_on_hang: bool = False  # the later commands read the inputs alike: they would hang too


@dataclass
class Result:
    run: str
    command: str
    rc: int | None
    seconds: float
    traceback: bool
    hang: bool
    reported: int  # failed items the run reported
    stopped: bool  # it exited 1 on one error line, without the failed-items count: the batch stopped
    exit_ok: bool
    missing: list[str]
    leak: bool
    control: bool  # a raw escape character reached stderr
    tail: str


class Corpus:
    """The items, built from one seeded random generator."""

    def __init__(self, seed: int, canary: Path) -> None:
        self.rng = random.Random(seed)
        self.serial = 0
        self.canary = canary

    def article(self, name: str | None = None) -> tuple[str, str]:
        self.serial += 1
        return good_text(self.rng, self.serial, name)

    def good_txt(self, name: str, encoding: str = "utf-8", bom: bytes = b"", kind: str = "good .txt") -> Item:
        _, text = self.article()
        return Item(name.encode(), bom + text.encode(encoding), GOOD, kind, ids=[name], texts=[text])

    def good_line(self, prefix: str) -> tuple[str, str, dict[str, object]]:
        title, text = self.article()
        ident = f"{prefix}-{self.serial}"
        return ident, text, {"id": ident, "title": title, "text": text, "source": "Fuzz Gazette"}

    def good_jsonl(self, name: str, lines: int = 3) -> Item:
        rows = [self.good_line("fz") for _ in range(lines)]
        data = "".join(json.dumps(r) + "\n" for _, _, r in rows).encode()
        return Item(
            name.encode(), data, GOOD, "good .jsonl", ids=[i for i, _, _ in rows], texts=[t for _, t, _ in rows]
        )

    def good_html(self, name: str) -> Item:
        title, text = self.article()
        paragraphs = "".join(f"<p>{p}</p>\n" for p in text.split("\n\n"))
        page = (
            f"<!doctype html><html><head><title>{title}</title></head><body><nav><a href='/'>Home</a></nav>"
            f"<article><h1>{title}</h1>{paragraphs}</article><footer>(c) Fuzz Gazette</footer></body></html>"
        )
        return Item(name.encode(), page.encode(), GOOD, "good .html", ids=[name])

    def good_feed(self, name: str, atom: bool = False, entries: int = 3) -> Item:
        ids, body = [], []
        for _ in range(entries):
            title, text = self.article()
            link = f"https://news.example/{self.serial}"
            ids.append(f"urn:fuzz:{self.serial}" if atom else link)
            html = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
            if atom:
                body.append(
                    f"<entry><id>urn:fuzz:{self.serial}</id><title>{title}</title><link href='{link}'/>"
                    f"<updated>2024-12-10T10:00:00Z</updated><content type='html'>{_xml_escape(html)}</content></entry>"
                )
            else:
                body.append(
                    f"<item><title>{title}</title><link>{link}</link><pubDate>Tue, 10 Dec 2024 10:00:00 GMT</pubDate>"
                    f"<description>{_xml_escape(html)}</description></item>"
                )
        if atom:
            doc = "<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'><title>Fuzz Atom</title>"
            doc += "".join(body) + "</feed>"
        else:
            doc = "<?xml version='1.0'?><rss version='2.0'><channel><title>Fuzz RSS</title>"
            doc += "".join(body) + "</channel></rss>"
        return Item(name.encode(), doc.encode(), GOOD, "good feed", ids=ids)

    # -- the hand-written edge cases ----------------------------------------------------------

    def edge_cases(self) -> list[Item]:
        r = self.rng
        _, text = self.article()
        items = [
            Item(b"empty.txt", b"", BAD, "empty"),
            Item(b"empty.jsonl", b"", ANY, "empty"),
            Item(b"empty.html", b"", BAD, "empty"),
            Item(b"empty.rss", b"", BAD, "empty"),
            Item(b"spaces.txt", b" \n\t\r\n  \x0b\x0c ", BAD, "whitespace-only"),
            Item(b"nbsp.txt", "\u00a0\u2003\u3000\n".encode(), BAD, "whitespace-only"),
            Item(b"tiny-binary.txt", b"\x00\x01\x02", BAD, "binary"),
            Item(b"binary.html", bytes(r.randrange(256) for _ in range(5000)) + b"\x00", BAD, "binary"),
            Item(b"binary.jsonl", b"\x00\xff\xfe" * 100 + b"\n" + b"\x89PNG\r\n\x1a\n\x00", BAD, "binary"),
            Item(b"large-binary.txt", r.randbytes(3_000_000) + b"\x00", BAD, "binary"),
            Item(b"over-cap.txt", None, BAD, "over the size cap", make=_sparse(b"over-cap.txt", 10 * 1024 * 1024 + 1)),
            Item(b"truncated-utf8.txt", text.encode()[:-1] + "é".encode()[:1], ANY, "truncated UTF-8"),
            Item(b"invalid-utf8.txt", b"The mayor said \xff\xfe\xc3\x28 it was fine today.", ANY, "invalid UTF-8"),
            self.good_txt("utf8-bom.txt", bom=codecs.BOM_UTF8, kind="BOM text"),
            self.good_txt("utf16le-bom.txt", "utf-16-le", codecs.BOM_UTF16_LE, "BOM text"),
            self.good_txt("utf16be-bom.txt", "utf-16-be", codecs.BOM_UTF16_BE, "BOM text"),
            self.good_txt("utf32le-bom.txt", "utf-32-le", codecs.BOM_UTF32_LE, "BOM text"),
            self.good_txt("cp1252.txt", "cp1252", kind="legacy encoding"),
            Item(b"utf16-nobom.txt", text.encode("utf-16-le"), ANY, "UTF-16/32 no BOM"),
            Item(b"utf32-nobom.txt", text.encode("utf-32-be"), ANY, "UTF-16/32 no BOM"),
            Item(b"utf16-bom.jsonl", codecs.BOM_UTF16_LE + _line(text).encode("utf-16-le"), ANY, "UTF-16 JSONL"),
            Item(b"utf32-nobom.jsonl", _line(text).encode("utf-32-le"), ANY, "UTF-32 JSONL"),
            Item(b"utf8-bom.jsonl", codecs.BOM_UTF8 + _line(text + " BOM line.").encode(), ANY, "BOM JSONL"),
            Item(b"surrogates.jsonl", _surrogates(text), ANY, "lone surrogates"),
            Item(
                b"nested.jsonl",
                b"[" * 100_000 + b"]" * 100_000 + b"\n" + b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
                BAD,
                "100,000-deep JSON",
            ),
            Item(b"non-object.jsonl", b'1\n"text"\nnull\n[1,2]\ntrue\n1e999\n', BAD, "non-object JSON"),
            Item(b"wrong-types.jsonl", _wrong_types(text), BAD, "wrong field types"),
            Item(b"huge-fields.jsonl", _huge_fields(text), ANY, "huge fields"),
            Item(
                b"line-over-cap.jsonl",
                b'{"text": "' + b"a" * (10 * 1024 * 1024 + 10) + b'"}\n',
                BAD,
                "over the size cap",
            ),
            Item(
                b"malformed.html",
                b"<html><body><p>Unclosed <b><i>tags <div><p>said the mayor <table><tr>"
                b"<td>on Monday.</p></span></html></html><!-- never closed",
                ANY,
                "malformed HTML",
            ),
            Item(
                b"no-article.html",
                b"<html><body><nav><a href='/'>Home</a> | <a href='/news'>News</a></nav>"
                b"<ul><li>Sport</li><li>Weather</li></ul></body></html>",
                BAD,
                "HTML without article",
            ),
            Item(b"bomb.xml", _bomb().encode(), ANY, "XML bomb"),
            Item(b"bomb.rss", _bomb(rss=True).encode(), ANY, "XML bomb"),
            Item(b"xxe.rss", _xxe(self.canary).encode(), ANY, "external entity"),
            Item(b"xxe.atom", _xxe(self.canary, atom=True).encode(), ANY, "external entity"),
            Item(
                b"broken.rss",
                b"<?xml version='1.0'?><rss version='2.0'><channel><title>Broken</title><item>"
                b"<title>Half an item</title><description>The council said",
                ANY,
                "broken feed",
            ),
            Item(
                b"broken.atom",
                b"<feed xmlns='http://www.w3.org/2005/Atom'><entry><title>x</title></feed>",
                ANY,
                "broken feed",
            ),
            Item(
                b"no-entries.rss",
                b"<rss version='2.0'><channel><title>Empty</title></channel></rss>",
                BAD,
                "broken feed",
            ),
            Item(b"jsonfeed.xml", _json_feed(text).encode(), BAD, "JSON Feed"),
            Item(b"jsonfeed.jsonl", _json_feed(text).encode(), ANY, "JSON Feed"),
            Item(b"jsonfeed.json", _json_feed(text).encode(), ANY, "JSON Feed"),
            Item(b"control.rss", _control_feed(text).encode(), ANY, "control characters in feed"),
            Item(b"control-escaped.rss", _control_feed(text, escaped=True).encode(), ANY, "control characters in feed"),
            Item(b"dates.jsonl", self._dates(), ANY, "absurd dates"),
            self.good_txt("\x1b[2J\x1b[31mred.txt", kind="odd file name"),
            Item(b"\xff\xfe-not-utf8.txt", text.encode() + b" Name bytes.", ANY, "odd file name"),
            Item(b"new\nline.txt", text.encode() + b" Newline name.", ANY, "odd file name"),
            Item(b"--help.txt", text.encode() + b" Dash name.", ANY, "odd file name"),
            Item(("x" * 240 + ".txt").encode(), text.encode() + b" Long name.", ANY, "odd file name"),
            Item(b"loop-a.txt", None, BAD, "symlink loop", make=_link(b"loop-a.txt", b"loop-b.txt")),
            Item(b"loop-b.txt", None, BAD, "symlink loop", make=_link(b"loop-b.txt", b"loop-a.txt")),
            Item(b"dangling.txt", None, BAD, "symlink loop", make=_link(b"dangling.txt", b"/nonexistent/none.txt")),
            Item(b"sub/up", None, ANY, "symlink loop", make=_link(b"sub/up", b"..")),
            Item(b"dev-zero.txt", None, BAD, "device file", make=_link(b"dev-zero.txt", b"/dev/zero")),
        ]
        for name in SCRIPT_NAMES:
            _, t = self.article(name)
            ident = f"script-{self.serial}.txt"
            items.append(Item(ident.encode(), t.encode(), GOOD, "names in many scripts", ids=[ident], texts=[t]))
        foreign = {
            "korean.txt": '서울 시의회는 화요일 새 다리 건설 계획을 승인했다. 김민준 의장은 "오래 기다렸다"고 말했다.',
            "russian.txt": "Городской совет Москвы в среду одобрил план. «Мы долго ждали», — сказала Анна Петрова.",
            "chinese.txt": "北京市议会周二批准了新桥建设计划。王伟说：“我们已经等了很久了。”",
            "arabic.txt": 'وافق مجلس المدينة يوم الثلاثاء على خطة الجسر الجديد. وقال محمد العلي: "لقد انتظرنا طويلا".',
        }
        for name, t in foreign.items():
            items.append(Item(name.encode(), t.encode(), GOOD, "text in many scripts", ids=[name], texts=[t]))
        if os.geteuid() != 0:
            items.append(Item(b"mode000.txt", text.encode(), BAD, "chmod 000", make=_mode000(b"mode000.txt")))
        return items

    def _dates(self) -> bytes:
        dates: list[object] = [
            "yesterday",
            "31/12/2024",
            "2024-13-45T99:99:99",
            "99999-01-01",
            "-0001-01-01",
            "0000-00-00",
            "Tue, 10 Dec 2024 10:00:00 GMT",
            "December 10, 2024",
            1e308,
            -1,
            2**70,
            True,
            "\x1b[2J2024",
            "2024-12-10" + "9" * 100_000,
            "2024-12-10T10:00:00+99:99",
        ]
        lines = []
        for d in dates:
            _, t = self.article()
            lines.append(json.dumps({"id": f"date-{self.serial}", "text": t, "date": d}))
        return ("\n".join(lines) + "\n").encode()

    def heavy(self, quick: bool) -> list[Run]:
        """One folder each: the cases that take the pipeline long, so a slow one is named."""
        said = " ".join(
            f"{FIRST[i % 12]} {LAST[i % 10]}{i} said the plan was {('good', 'bad')[i % 2]}." for i in range(4000)
        )
        amps = (
            "<html><body><article><h1>Amp</h1><p>"
            + "&amp;" * 100_000
            + " said the mayor today.</p></article></body></html>"
        )
        _, base = self.article()
        big = (base + "\n\n") * (1_000_001 // (len(base) + 2) + 1)
        big = big[:1_000_001] + "."
        runs = [
            Run("heavy-said", [Item(b"said.txt", said.encode(), GOOD, "thousands of 'X said'", ids=["said.txt"])]),
            Run("heavy-colons", [Item(b"colons.txt", b":\n" * 20_000, ANY, "20,000 lines of ':'")]),
            Run("heavy-amp", [Item(b"amp.html", amps.encode(), ANY, "100,000 &amp;")]),
            Run(
                "heavy-random",
                [
                    Item(
                        b"random.txt",
                        bytes(self.rng.randrange(1, 256) for _ in range(200_000)),
                        ANY,
                        "random bytes, no NUL",
                    )
                ],
            ),
        ]
        if not quick:
            runs.append(
                Run(
                    "heavy-1m",
                    [
                        Item(
                            b"big.txt",
                            big.encode(),
                            GOOD,
                            "text past 1,000,000 characters",
                            ids=["big.txt"],
                            texts=[big],
                        )
                    ],
                )
            )
        return runs

    # -- generated items ----------------------------------------------------------------------

    def generated(self, count: int) -> list[Item]:
        makers = [
            self._random_bytes,
            self._flipped,
            self._truncated,
            self._encoded,
            self._jsonl,
            self._html,
            self._feed,
            self._unicode,
        ]
        return [self.rng.choice(makers)(n) for n in range(count)]

    def _base(self) -> str:
        return good_text(self.rng, self.rng.randrange(10**6))[1]

    def _random_bytes(self, n: int) -> Item:
        suffix = self.rng.choice([".txt", ".html", ".htm", ".jsonl", ".xml", ".rss", ".atom"])
        data = self.rng.randbytes(self.rng.choice([1, 7, 64, 512, 4096]))
        return Item(f"gen{n:05d}-bytes{suffix}".encode(), data, ANY, "generated: random bytes")

    def _flipped(self, n: int) -> Item:
        data = bytearray(self._base().encode())
        for _ in range(self.rng.randrange(1, 12)):
            data[self.rng.randrange(len(data))] = self.rng.randrange(256)
        return Item(f"gen{n:05d}-flipped.txt".encode(), bytes(data), ANY, "generated: flipped bytes")

    def _truncated(self, n: int) -> Item:
        data = self._base().encode("utf-8")
        cut = self.rng.randrange(len(data))
        return Item(f"gen{n:05d}-cut.txt".encode(), data[:cut], ANY, "generated: truncated")

    def _encoded(self, n: int) -> Item:
        r = self.rng
        encoding = r.choice(
            [
                "utf-16-le",
                "utf-16-be",
                "utf-32-le",
                "utf-32-be",
                "cp1252",
                "latin-1",
                "koi8-r",
                "shift_jis",
                "gb18030",
                "utf-7",
                "cp437",
            ]
        )
        text = self._base() + " " + r.choice(SCRIPT_NAMES) + " agreed."
        data = text.encode(encoding, errors="replace")
        if r.random() < 0.5:
            bom = {
                "utf-16-le": codecs.BOM_UTF16_LE,
                "utf-16-be": codecs.BOM_UTF16_BE,
                "utf-32-le": codecs.BOM_UTF32_LE,
                "utf-32-be": codecs.BOM_UTF32_BE,
            }.get(encoding, codecs.BOM_UTF8)
            data = bom + data
        suffix = r.choice([".txt", ".jsonl"]) if encoding.startswith("utf-") else ".txt"
        if suffix == ".jsonl":
            data = _line(text).encode(encoding)
        return Item(f"gen{n:05d}-{encoding}{suffix}".encode(), data, ANY, "generated: odd encoding")

    def _jsonl(self, n: int) -> Item:
        """A JSONL file of bad lines with good ones among them: the good ones must be stored."""
        r = self.rng
        lines: list[bytes] = []
        ids: list[str] = []
        texts: list[str] = []
        for _ in range(r.randrange(1, 6)):
            if r.random() < 0.35:
                ident, text, row = self.good_line(f"gen{n:05d}")
                ids.append(ident)
                texts.append(text)
                lines.append(json.dumps(row, ensure_ascii=r.random() < 0.5).encode())
            else:
                lines.append(self._bad_line())
        data = (b"\r\n" if r.random() < 0.2 else b"\n").join(lines) + b"\n"
        return Item(f"gen{n:05d}-lines.jsonl".encode(), data, GOOD if ids else ANY, "generated: JSONL", ids, texts)

    def _bad_line(self) -> bytes:
        r = self.rng
        text = self._base()
        depth = r.choice([10, 1000, 5000, 50_000])
        options: list[bytes] = [
            b"[" * depth + b"]" * depth,
            b'{"text":' * depth + b'"x"' + b"}" * depth,
            json.dumps(r.choice([1, "s", None, [1], True, 2.5])).encode(),
            json.dumps({"id": r.choice([[1], {"a": 1}, True]), "text": text}).encode(),
            json.dumps({"text": r.choice([5, [text], {"t": text}, "", "   ", None])}).encode(),
            json.dumps({"title": text}).encode(),
            json.dumps({"text": text, "title": r.choice([7, [1], {"x": 1}])}).encode(),
            ('{"text": "' + text[: r.randrange(len(text))]).encode(),
            json.dumps({"text": text[:40]})[:-2].encode() + b'\\ud800"}',
            json.dumps({"text": "".join(chr(r.randrange(0, 32)) for _ in range(50)) + text}).encode(),
            r.randbytes(r.randrange(1, 200)).replace(b"\n", b" "),
            json.dumps({"maintext": text, "date_publish": r.choice(["", "nan", "9" * 50]), "authors": 5}).encode(),
        ]
        return r.choice(options)

    def _html(self, n: int) -> Item:
        r = self.rng
        text = self._base()
        parts = [f"<p>{p}</p>" for p in text.split("\n\n")]
        messes: list[Callable[[], str]] = [
            lambda: "<div>" * r.choice([100, 5000]) + "".join(parts),
            lambda: "".join(parts) + "&amp;" * r.randrange(10, 20000),
            lambda: "<script>" + "var x = 1;" * 100 + "".join(parts),
            lambda: "<!--" + "".join(parts),
            lambda: "".join(parts).replace("</p>", ""),
            lambda: "<![CDATA[" + "".join(parts) + "]]>",
            lambda: "".join(parts) + "&#x0;&#xdfff;&#99999999;&#x1b;[2J",
            lambda: "<table>" + "<tr><td>" * 500 + "".join(parts),
        ]
        mess = r.choice(messes)()
        page = f"<html><head><title>T{n}</title></head><body>{mess}</body></html>"
        return Item(f"gen{n:05d}-page.html".encode(), page.encode("utf-8", "surrogatepass"), ANY, "generated: HTML")

    def _feed(self, n: int) -> Item:
        r = self.rng
        text = self._base()
        title = r.choice(["\x1b[2J\x1b[H", "<b>bold</b>", "&amp;&lt;", "]]>", "\u202eevil", "", "x" * 5000])
        link = r.choice(["javascript:alert(1)", "file:///etc/passwd", "\x1b[31mhttp://x", "http://[::1", "", "%%"])
        date = r.choice(["Tue, 10 Dec 2024 10:00:00 GMT", "never", "9" * 1000, "2024-02-30", ""])
        item = f"<item><title>{title}</title><link>{link}</link><pubDate>{date}</pubDate>"
        item += f"<description>{_xml_escape(text)}</description></item>"
        doc = f"<?xml version='1.0'?><rss version='2.0'><channel><title>Gen {n}</title>{item * r.randrange(1, 3)}"
        doc += r.choice(["</channel></rss>", "", "</rss>", "<item>"])
        suffix = r.choice([".rss", ".xml", ".atom"])
        return Item(f"gen{n:05d}-feed{suffix}".encode(), doc.encode("utf-8", "surrogatepass"), ANY, "generated: feed")

    def _unicode(self, n: int) -> Item:
        r = self.rng
        blocks = [
            (0x0300, 0x036F),
            (0x200B, 0x200F),
            (0x202A, 0x202E),
            (0xAC00, 0xD7A3),
            (0x0600, 0x06FF),
            (0x4E00, 0x9FFF),
            (0x1F300, 0x1F5FF),
            (0xFFF0, 0xFFFF),
            (0x0000, 0x001F),
            (0xE000, 0xF8FF),
        ]
        chars = []
        for _ in range(r.randrange(1, 3000)):
            lo, hi = r.choice(blocks)
            chars.append(chr(r.randrange(lo, hi + 1)))
        text = self._base() + "".join(chars) if r.random() < 0.5 else "".join(chars)
        return Item(
            f"gen{n:05d}-unicode.txt".encode(), text.encode("utf-8", "surrogatepass"), ANY, "generated: unicode soup"
        )

    # -- claims for ``check`` -----------------------------------------------------------------

    def claims(self) -> list[tuple[str, bytes, str, list[str]]]:
        """(file name, bytes, expectation, good ids) of each claims file."""
        rows = []
        for k in range(6):
            _, text = self.article()
            rows.append({"id": f"c{k}", "claim": "The council approved the plan.", "text": text})
        good = "".join(json.dumps(r) + "\n" for r in rows)
        _, text = self.article()
        bad_lines = [
            json.dumps({"id": "ok1", "claim": "A plan was approved.", "text": text}),
            "[" * 100_000 + "]" * 100_000,
            json.dumps({"id": "sur", "claim": "x", "text": "x"})[:-2] + '\\udc80"}',
            "not json",
            "5",
            json.dumps({"id": [1], "claim": "x", "text": "y"}),
            json.dumps({"id": "huge", "claim": "x" * 2_000_000, "text": text}),
            json.dumps({"id": "ok2", "claim": "Fares went up.", "text": text + " Fares went up."}),
        ]
        mixed = ("\n".join(bad_lines) + "\n").encode() + b'{"id": "bytes", "claim": "\xff\xfe", "text": "t"}\n'
        return [
            ("claims-good.jsonl", good.encode(), GOOD, [str(r["id"]) for r in rows]),
            ("claims-bad-lines.jsonl", mixed, BAD, ["ok1", "ok2"]),
            ("claims-utf16-bom.jsonl", codecs.BOM_UTF16_LE + good.encode("utf-16-le"), ANY, []),
            ("claims-utf8-bom.jsonl", codecs.BOM_UTF8 + good.encode(), ANY, []),
            ("claims-utf32.jsonl", good.encode("utf-32-be"), ANY, []),
            ("claims-cp1252.jsonl", good.replace("council", "caf\u00e9 council").encode("cp1252"), ANY, []),
            ("claims-empty.jsonl", b"", ANY, []),
        ]


def _xml_escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _line(text: str) -> str:
    return json.dumps({"text": text}, ensure_ascii=False) + "\n"


def _surrogates(text: str) -> bytes:
    lines = [
        json.dumps({"id": "sur1", "text": text[:60] + " \\ud800 end."}).replace("\\\\ud800", "\\ud800"),
        json.dumps({"id": "sur2", "text": text, "title": "T"}).replace('"T"', '"\\udfff\\ud800"'),
        '{"id": "\\ud83d", "text": "The mayor said the plan was fine and would go ahead soon."}',
    ]
    return ("\n".join(lines) + "\n").encode()


def _wrong_types(text: str) -> bytes:
    rows: list[object] = [
        {"id": [1, 2], "text": text},
        {"id": "w2", "text": 12345},
        {"id": "w3", "text": [text]},
        {"id": "w4", "text": text, "source": {"name": "x"}},
        {"id": "w5", "text": text, "date": ["2024"]},
        {"id": "w6", "text": None},
    ]
    return "".join(json.dumps(r) + "\n" for r in rows).encode()


def _huge_fields(text: str) -> bytes:
    rows = [
        {"id": "h1" + "i" * 1_000_000, "text": text + " One."},
        {"id": "h2", "title": "t" * 2_000_000, "text": text + " Two."},
        {"id": "h3", "url": "http://x/" + "u" * 1_000_000, "source": "s" * 1_000_000, "text": text + " Three."},
        {"id": "h4", "text": text + " Four.", "authors": ["a" * 100_000] * 20},
    ]
    return "".join(json.dumps(r) + "\n" for r in rows).encode()


def _bomb(rss: bool = False) -> str:
    entities = "<!ENTITY lol0 'lol'>" + "".join(f"<!ENTITY lol{i} '{f'&lol{i - 1};' * 10}'>" for i in range(1, 10))
    body = "<title>&lol9;</title><description>The council said &lol9; today.</description>"
    root = f"<rss version='2.0'><channel><title>Bomb</title><item>{body}</item></channel></rss>"
    return f"<?xml version='1.0'?><!DOCTYPE rss [{entities}]>{root}" if rss else f"<!DOCTYPE rss [{entities}]>{root}"


def _xxe(canary: Path, atom: bool = False) -> str:
    dtd = f"<!DOCTYPE r [<!ENTITY xxe SYSTEM 'file://{canary}'>]>"
    if atom:
        return (
            f"<?xml version='1.0'?>{dtd}<feed xmlns='http://www.w3.org/2005/Atom'><title>&xxe;</title><entry>"
            "<id>urn:xxe</id><title>&xxe;</title><content>The council said &xxe; today in a statement.</content>"
            "</entry></feed>"
        )
    return (
        f"<?xml version='1.0'?>{dtd}<rss version='2.0'><channel><title>&xxe;</title><item><title>&xxe;</title>"
        "<link>http://x/xxe</link><description>The council said &xxe; today in a statement.</description></item>"
        "</channel></rss>"
    )


def _json_feed(text: str) -> str:
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Fuzz JSON Feed",
        "items": [{"id": "jf1", "content_text": text, "title": "JSON Feed item", "date_published": "2024-12-10"}],
    }
    return json.dumps(feed, indent=2)


def _control_feed(text: str, escaped: bool = False) -> str:
    esc = "&#27;" if escaped else "\x1b"
    title = f"{esc}[2J{esc}[H{esc}]0;pwned\x07 Title"
    link = f"http://example.org/{esc}[31mred"
    return (
        f"<?xml version='1.0'?><rss version='2.0'><channel><title>{title}</title>"
        f"<item><title>{title}</title><link>{link}</link><description>{_xml_escape(text)}</description></item>"
        f"<item><title>{title}</title><link>{link}2</link></item></channel></rss>"
    )


def _sparse(name: bytes, size: int) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        with open(os.path.join(os.fsencode(folder), name), "wb") as f:
            f.truncate(size)

    return make


def _link(name: bytes, target: bytes) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        path = os.path.join(os.fsencode(folder), name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        os.symlink(target, path)

    return make


def _fifo(name: bytes) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        os.mkfifo(os.path.join(os.fsencode(folder), name))

    return make


def _mode000(name: bytes) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        path = os.path.join(os.fsencode(folder), name)
        with open(path, "wb") as f:
            f.write(b"The council said it would meet again on Friday to decide the plan.")
        os.chmod(path, 0)
        locked = os.path.join(os.fsencode(folder), b"locked")
        os.makedirs(locked)
        with open(os.path.join(locked, b"inside.txt"), "wb") as f:
            f.write(b"The mayor said the vote would take place next week after the holiday.")
        os.chmod(locked, 0)

    return make


# ---------------------------------------------------------------------------------------------
# Writing and running


def write_run(run: Run, folder: Path) -> None:
    folder.mkdir(parents=True)
    for item in run.items:
        if item.make is not None:
            item.make(folder)
            continue
        path = os.path.join(os.fsencode(folder), item.name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(item.data or b"")


def storydesk(args: list[str], timeout: float) -> tuple[int | None, float, str]:
    """(exit code or None on timeout, seconds, stderr) of one ``storydesk`` process."""
    started = time.perf_counter()
    process = start_storydesk(args)  # a hang is killed with the worker processes it started
    try:
        _, err = process.communicate(timeout=timeout)
        rc: int | None = process.returncode
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        _, err = process.communicate()
        rc = None
    return rc, time.perf_counter() - started, err.decode("utf-8", "replace")


def output_ids(command: str, path: Path) -> set[str]:
    if not path.exists():
        return set()
    try:
        if command == "dossier":
            found = json.loads(path.read_text(encoding="utf-8"))
            return {a["id"] for s in found["stories"] for a in s["articles"]}
        with path.open(encoding="utf-8") as f:
            return {str(json.loads(line)["id"]) for line in f if line.strip()}
    except (ValueError, KeyError, TypeError):
        return set()


def stored(db: Path) -> tuple[set[str], set[str], str | None]:
    """The input ids and keys of the articles in the store at ``db``, and the error that kept
    the store from being read (tried three times, a second apart), if any."""
    if not db.exists():
        return set(), set(), None
    error = None
    for _ in range(3):
        con = sqlite3.connect(db)
        try:
            rows = con.execute("SELECT input_id, key FROM articles").fetchall()
            return {r[0] for r in rows}, {r[1] for r in rows}, None
        except sqlite3.Error as exc:
            error = f"{type(exc).__name__}: {exc}"
            time.sleep(1)
        finally:
            con.close()
    files = ", ".join(f"{p.name} {p.stat().st_size} B" for p in sorted(db.parent.glob(db.name + "*")))
    fresh = subprocess.run(  # the same read in a new process: tells a bad file from a bad reader
        [
            sys.executable,
            "-c",
            f"import sqlite3; print(sqlite3.connect({str(db)!r}).execute('SELECT count(*) FROM articles').fetchone())",
        ],
        capture_output=True,
        text=True,
    )
    return set(), set(), f"{error} ({files}; a new process reads: {(fresh.stdout or fresh.stderr).strip()[-200:]})"


def integrity(db: Path) -> str:
    con = sqlite3.connect(db)
    try:
        return str(con.execute("PRAGMA integrity_check").fetchone()[0])
    except sqlite3.Error as exc:
        return f"{type(exc).__name__}: {exc}"
    finally:
        con.close()


def cleaned_id(ident: str) -> str:
    """The id the store and outputs give an input id: cleaned at the edge like every field
    (control characters replaced; :func:`storydesk.ingest.clean.clean_field`)."""
    from storydesk.ingest.clean import MAX_ID, clean_field

    return clean_field(ident, MAX_ID)


def text_key(text: str) -> str:
    """The store's key of a text (:func:`storydesk.ingest.article_key`, imported lazily: the
    benchmark itself needs no storydesk until it checks the store)."""
    from storydesk.ingest import article_key
    from storydesk.models import Article

    return article_key(Article(id="k", text=text))


REPORTED = re.compile(r"(\d+) input item\(s\) failed")


def judge(
    run: Run,
    command: str,
    rc: int | None,
    seconds: float,
    err: str,
    found: set[str],
    keys: set[str],
    canary: str,
    outputs: Iterable[Path],
    prefix: str,
) -> Result:
    """The run's result: what it must have done against what it did."""
    match = REPORTED.search(err)
    reported = int(match.group(1)) if match else 0
    must_fail = any(i.expect == BAD for i in run.items)
    good_only = all(i.expect == GOOD for i in run.items)
    traceback = "Traceback" in err
    stopped = rc == 1 and not match and not traceback
    if rc is None:
        exit_ok = False
    elif must_fail:
        exit_ok = rc == 1
    elif good_only:
        exit_ok = rc == 0
    else:  # 1 exactly when an item failed (reported, or the error that stopped the batch)
        exit_ok = rc == (1 if reported or stopped or traceback else 0)
    missing = []
    if rc is not None:
        for item in run.items:
            for n, ident in enumerate(item.ids):  # a bad file's good lines (claims) count too
                full = cleaned_id(prefix + ident if _is_path_id(item, ident) else ident)
                text_stored = command == "ingest" and n < len(item.texts) and text_key(item.texts[n]) in keys
                if full not in found and not text_stored:
                    missing.append(full)
    leak = any(canary in p.read_text(encoding="utf-8", errors="replace") for p in outputs if p.exists())
    return Result(
        run.name,
        command,
        rc,
        seconds,
        traceback,
        rc is None or "analysis timed out" in err,  # the whole run, or one item past its budget
        reported,
        stopped,
        exit_ok,
        missing,
        leak or canary in err,
        "\x1b" in err,
        err[-2000:],
    )


def _is_path_id(item: Item, ident: str) -> bool:
    """True when the article's id is its file's path (text and HTML files), not one it names."""
    return os.fsencode(ident) == item.name and item.name.endswith((b".txt", b".html", b".htm"))


def run_all(
    runs: list[Run],
    claims: list[tuple[str, bytes, str, list[str]]],
    work: Path,
    timeout: float,
    canary: str,
    verbose: bool,
) -> tuple[list[Result], list[str]]:
    db = work / "store.sqlite"
    results: list[Result] = []
    store_errors: list[str] = []
    for run in runs:
        folder = work / "inputs" / run.name
        for command in run.commands:
            out = work / "out" / f"{run.name}.{command}"
            out.parent.mkdir(parents=True, exist_ok=True)
            if command == "ingest":
                args = ["ingest", str(folder), "--db", str(db)]
            elif command == "analyze":
                args = ["analyze", str(folder), "--output", str(out), "--fast"]
            elif command == "cluster":
                args = ["cluster", str(folder), "--output", str(out)]
            else:
                args = ["dossier", str(folder), "--format", "json", "--output", str(out)]
            rc, seconds, err = storydesk(args, timeout)
            if command == "ingest":
                found, keys, unreadable = stored(db)
                outputs: list[Path] = [db]
                if unreadable:
                    store_errors.append(f"after {run.name} ingest: {unreadable}")
                    print(f"      store unreadable: {unreadable}")
            else:
                found, keys, outputs = output_ids(command, out), set(), [out]
            result = judge(run, command, rc, seconds, err, found, keys, canary, outputs, str(folder) + os.sep)
            results.append(result)
            show(result, len(run.items), verbose)
            if result.hang and run.stop_on_hang:
                print(f"  {run.name:<22} the other commands skipped: they read the inputs as {command} does")
                break
    for name, _, expect, ids in claims:
        path = work / "inputs" / "claims" / name
        out = work / "out" / f"{name}.check"
        rc, seconds, err = storydesk(["check", str(path), "--output", str(out)], timeout)
        items = [Item(name.encode(), b"", expect, "claims", ids=ids)]
        run = Run(f"claims:{name}", items, ("check",))
        result = judge(run, "check", rc, seconds, err, output_ids("check", out), set(), canary, [out], "")
        results.append(result)
        show(result, 1, verbose)
    check = integrity(db)
    print(f"  the store's integrity check: {check}")
    if check != "ok":
        store_errors.append(f"integrity check: {check}")
    return results, store_errors


def show(r: Result, items: int, verbose: bool) -> None:
    flags = [
        f
        for f, on in (
            ("TRACEBACK", r.traceback),
            ("HANG", r.hang),
            ("STOPPED", r.stopped),
            ("BAD-EXIT", not r.exit_ok),
            ("MISSING", bool(r.missing)),
            ("LEAK", r.leak),
            ("ESC", r.control),
        )
        if on
    ]
    rc = "-" if r.rc is None else str(r.rc)
    print(
        f"  {r.run:<22} {r.command:<8} items {items:>5}  rc {rc:>2}  {r.seconds:6.1f} s  "
        f"reported {r.reported:>4}  {' '.join(flags) or 'ok'}",
        flush=True,
    )
    if r.missing:
        print(f"      missing {len(r.missing)} good: {', '.join(ascii(m) for m in r.missing[:5])}")
    lines = [line for line in r.tail.strip().splitlines() if line.strip()]
    if r.traceback:  # where in storydesk it was raised, and what
        frames = [line for line in lines if line.lstrip().startswith("File ") and "storydesk" in line]
        lines = frames[-1:] + lines[-1:]
    elif not (r.stopped or not r.exit_ok or verbose):
        lines = []
    for line in lines[-6:]:
        print(f"      | {ascii(line.strip())[1:-1][:220]}")


def plan(
    seed: int, bulk: int, per_run: int, quick: bool, canary: Path
) -> tuple[list[Run], list[tuple[str, bytes, str, list[str]]]]:
    corpus = Corpus(seed, canary)
    good = [corpus.good_txt(f"good{k}.txt") for k in range(4)]
    good += [
        corpus.good_jsonl("good.jsonl"),
        corpus.good_html("good.html"),
        corpus.good_feed("good.rss"),
        corpus.good_feed("good.atom", atom=True),
        corpus.good_txt("good-utf16.txt", "utf-16-le", codecs.BOM_UTF16_LE, "BOM text"),
    ]
    runs = [Run("good-only", good)]
    edge = corpus.edge_cases()
    quarter = -(-len(edge) // 4)  # four folders: an item that stops a batch hides fewer others
    for k in range(4):
        part = [*edge[k * quarter : (k + 1) * quarter], corpus.good_txt(f"edge-good-{k}.txt")]
        runs.append(Run(f"edge-{k + 1}", part))
    fifo = [Item(b"pipe.txt", None, BAD, "FIFO", make=_fifo(b"pipe.txt")), corpus.good_txt("f.txt")]
    runs.append(Run("fifo", fifo, stop_on_hang=True))
    generated = corpus.generated(bulk)
    for start in range(0, len(generated), per_run):
        chunk = [*generated[start : start + per_run], corpus.good_txt(f"bulk-good-{start}.txt")]
        runs.append(Run(f"bulk-{start // per_run + 1}", chunk))
    runs += corpus.heavy(quick)
    return runs, corpus.claims()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="200 generated items, no 1,000,000-character text")
    parser.add_argument("--bulk", type=int, default=None, help="generated items (default 1,000; 200 with --quick)")
    parser.add_argument("--per-run", type=int, default=250, help="generated items per folder (run)")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--timeout", type=float, default=None, help="seconds a command may run (the bar: 60)")
    parser.add_argument(
        "--one-folder",
        action="store_true",
        help="every item in one folder, each command one run (killed after 1,200 s); an item is "
        "held to 60 s by storydesk's own per-article budget, whose 'analysis timed out' is a hang",
    )
    parser.add_argument("--keep", type=Path, help="write the inputs and outputs here and keep them")
    parser.add_argument("--verbose", action="store_true", help="show each run's last stderr lines")
    args = parser.parse_args()
    bulk = args.bulk if args.bulk is not None else (200 if args.quick else 1000)
    work = Path(tempfile.mkdtemp(prefix="storydesk-fuzz-")) if args.keep is None else args.keep
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    try:
        canary_path = work / "secret" / "canary.txt"
        canary_path.parent.mkdir(parents=True)
        canary = f"CANARY-{random.Random(args.seed).getrandbits(64):016x}"
        canary_path.write_text(canary + "\n")
        runs, claims = plan(args.seed, bulk, args.per_run, args.quick, canary_path)
        if args.one_folder:
            runs = [Run("all", [i for r in runs for i in r.items])]
        timeout = args.timeout or (1200.0 if args.one_folder else 60.0)
        for run in runs:
            write_run(run, work / "inputs" / run.name)
        (work / "inputs" / "claims").mkdir()
        for name, data, _, _ in claims:
            (work / "inputs" / "claims" / name).write_bytes(data)
        items = [i for r in runs for i in r.items]
        kinds = Counter(i.expect for i in items)
        print(
            f"inputs in {work / 'inputs'}: {len(items)} items ({kinds[GOOD]} good, {kinds[BAD]} must fail, "
            f"{kinds[ANY]} hostile) in {len(runs)} folders, {len(claims)} claims files; seed {args.seed}"
        )
        if os.geteuid() == 0:
            print("  running as root: chmod 000 does not stop root's reads, so that case is skipped")
        print(f"runs (each a new process, killed after {timeout:.0f} s):", flush=True)
        results, store_errors = run_all(runs, claims, work, timeout, canary, args.verbose)
        failed = summary(results, store_errors, items, time.perf_counter() - started)
    finally:
        if args.keep is None:
            for dirpath, dirnames, _ in os.walk(work):  # chmod-000 folders left by a non-root run
                for d in dirnames:
                    os.chmod(os.path.join(dirpath, d), 0o755)
            shutil.rmtree(work, ignore_errors=True)
    sys.exit(1 if failed else 0)


def summary(results: list[Result], store_errors: list[str], items: list[Item], seconds: float) -> bool:
    """Prints the counts and a verdict per bar; True when any bar failed."""
    by_kind = Counter(i.kind for i in items)
    print("\nitems by kind:")
    for kind, n in sorted(by_kind.items()):
        print(f"  {n:>5}  {kind}")
    tracebacks = sum(r.traceback for r in results)
    hangs = sum(r.hang for r in results)
    bad_exit = sum(not r.exit_ok for r in results)
    stopped = sum(r.stopped for r in results)
    missing = sum(len(r.missing) for r in results)
    leaks = sum(r.leak for r in results)
    escapes = sum(r.control for r in results)
    slowest = max(results, key=lambda r: r.seconds)
    codes = Counter("timeout" if r.rc is None else str(r.rc) for r in results)
    print(
        f"\n{len(results)} command runs in {seconds:.0f} s; exit codes {dict(sorted(codes.items()))}; "
        f"slowest {slowest.run} {slowest.command} {slowest.seconds:.1f} s"
    )
    print(f"  {'tracebacks':<28}{tracebacks:>6}")
    print(f"  {'hangs (killed; item timed out)':<28}{hangs:>6}")
    print(f"  {'wrong exit codes':<28}{bad_exit:>6}")
    print(f"  {'batches stopped by an item':<28}{stopped:>6}")
    print(f"  {'good items missing':<28}{missing:>6}")
    print(f"  {'external-entity leaks':<28}{leaks:>6}")
    print(f"  {'store errors':<28}{len(store_errors):>6}")
    print(f"  {'raw ESC on stderr (info)':<28}{escapes:>6}")
    bars = [
        ("0 tracebacks", tracebacks == 0),
        ("0 hangs", hangs == 0),
        ("no batch stopped by one item", stopped == 0),
        ("every good item stored or output", missing == 0),
        ("exit 1 when an item failed, else 0", bad_exit == 0),
        ("no external entity read", leaks == 0),
        ("the store readable and intact", not store_errors),
    ]
    for bar, ok in bars:
        print(f"{'PASS' if ok else 'FAIL'}  {bar}")
    return not all(ok for _, ok in bars)


if __name__ == "__main__":
    main()
