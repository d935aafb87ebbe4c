"""``storydesk check``'s input read as every input is: any encoding, one error per bad line,
the text cleaned without moving an offset."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

from storydesk.crosscheck.claims import ClaimPair
from storydesk.errors import InputError
from storydesk.ingest.clean import REPLACEMENT
from storydesk.ingest.pairs import BAD_FIELDS, NO_PAIRS, read_pairs

CLAIM = "Café owner wins the lottery"
TEXT = "The owner of a café in Lyon won the national lottery on Saturday, his family said."


def rows(path: Path) -> tuple[list[ClaimPair], list[InputError]]:
    items = list(read_pairs(str(path)))
    return [i for i in items if isinstance(i, ClaimPair)], [i for i in items if isinstance(i, InputError)]


def test_a_legacy_encoded_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "claims.jsonl"
    line = json.dumps({"id": 1, "claim": CLAIM, "text": TEXT}, ensure_ascii=False)
    path.write_bytes(line.encode("cp1252") + b"\n")  # crashed with UnicodeDecodeError before
    pairs, errors = rows(path)
    assert not errors and pairs == [ClaimPair(id=1, claim=CLAIM, text=TEXT)]


def test_a_utf16_file_with_a_bom_is_read(tmp_path: Path) -> None:
    path = tmp_path / "claims.jsonl"
    lines = [json.dumps({"id": i, "claim": CLAIM, "text": TEXT}, ensure_ascii=False) for i in ("a", "b")]
    path.write_bytes(codecs.BOM_UTF16_LE + "\n".join(lines).encode("utf-16-le"))
    pairs, errors = rows(path)
    assert not errors and [p.id for p in pairs] == ["a", "b"]


def test_bad_lines_are_named_and_reading_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "claims.jsonl"
    good = json.dumps({"id": "ok", "claim": CLAIM, "text": "Before \ud800 after."})
    path.write_text(
        "\n".join(["{not json", json.dumps({"id": 2, "claim": CLAIM}), "[" * 100_000, good]) + "\n", encoding="utf-8"
    )
    pairs, errors = rows(path)
    assert [e.item for e in errors] == [f"{path}:{n}" for n in (1, 2, 3)]
    assert errors[1].reason == BAD_FIELDS
    assert pairs == [ClaimPair(id="ok", claim=CLAIM, text=f"Before {REPLACEMENT} after.")]  # same length


def test_an_empty_or_missing_file_is_one_error(tmp_path: Path) -> None:
    (tmp_path / "empty.jsonl").write_bytes(b"\n")
    assert [str(e) for e in rows(tmp_path / "empty.jsonl")[1]] == [f"{tmp_path / 'empty.jsonl'}: {NO_PAIRS}"]
    assert [e.item for e in rows(tmp_path / "missing.jsonl")[1]] == [str(tmp_path / "missing.jsonl")]


def test_a_binary_file_is_one_error(tmp_path: Path) -> None:
    (tmp_path / "claims.jsonl").write_bytes(bytes(range(1, 256)) * 64)
    pairs, errors = rows(tmp_path / "claims.jsonl")
    assert not pairs and [e.item for e in errors] == [str(tmp_path / "claims.jsonl")]
