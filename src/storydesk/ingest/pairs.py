"""The input of ``storydesk check``: a JSONL file of ``{"id", "claim", "text"}`` lines, read as
every input is (BOMs, detection, a cap per line, one-line errors naming ``path:LINE``) and
cleaned as article text is (same length, so evidence spans index the text as given)."""

from __future__ import annotations

from collections.abc import Iterator

from storydesk.crosscheck.claims import ClaimPair
from storydesk.errors import InputError
from storydesk.ingest.clean import MAX_ID, clean_field, clean_text
from storydesk.ingest.decode import check_regular
from storydesk.ingest.readers import jsonl_records
from storydesk.settings import DEFAULT_MAX_BYTES

NO_PAIRS = "no claim pairs"
BAD_FIELDS = 'needs string fields "id", "claim" and "text"'


def read_pairs(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[ClaimPair | InputError]:
    """The claim pairs of the JSONL file at ``path``; a bad line yields an InputError naming
    ``path:LINE`` and reading goes on. ``max_bytes`` caps each line."""
    try:
        check_regular(path)
        f = open(path, "rb")  # noqa: SIM115 - closed by the with below, after the error check
    except InputError as exc:
        yield exc
        return
    except OSError as exc:
        yield InputError(path, f"cannot read: {exc.strerror or exc}")
        return
    with f:
        try:
            for record in jsonl_records(path, f, max_bytes, NO_PAIRS):
                if isinstance(record, InputError):
                    yield record
                    continue
                where, row = record
                pair_id, claim, text = (row.get(k) for k in ("id", "claim", "text"))
                if not isinstance(pair_id, str | int) or not isinstance(claim, str) or not isinstance(text, str):
                    yield InputError(where, BAD_FIELDS)
                else:
                    # An int id stays an int: output ids equal input ids in JSON.
                    cleaned_id = clean_field(pair_id, MAX_ID) if isinstance(pair_id, str) else pair_id
                    yield ClaimPair(id=cleaned_id, claim=clean_text(claim), text=clean_text(text))
        except InputError as exc:  # the whole file: binary or empty
            yield exc
