"""Ingest from the web: uploaded files and a feed URL go through the same reader and
:func:`storydesk.desk.ingest` as the command line.

Uploads are read in memory, never written to disk, under names of the app's choosing
(``upload/01-name.txt``: the client's file name only lends its last part's safe characters);
only file types storydesk reads are accepted. A feed must be an http(s) URL: anything else, a
local path above all, is refused before the reader sees it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath, PureWindowsPath
from urllib.parse import urlsplit

from storydesk import desk
from storydesk.errors import FetchError, InputError
from storydesk.ingest import KNOWN_SUFFIXES, read_contents, read_inputs
from storydesk.ingest.fetch import check_scheme, is_url, private_address
from storydesk.models import Article
from storydesk.web.state import WebState

ACCEPTED_SUFFIXES = KNOWN_SUFFIXES
MAX_FILES = 20
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_NAME = 80
UPLOAD_PREFIX = "upload/"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes


@dataclass
class IngestOutcome:
    added: int = 0
    duplicates: int = 0
    failed: list[str] = field(default_factory=list)  # one line per unusable item
    stories: list[str] = field(default_factory=list)  # stories that gained articles


def safe_name(filename: str) -> str:
    """The last part of a client's file name (either slash), with only safe characters kept."""
    last = PureWindowsPath(PurePosixPath(filename).name).name
    cleaned = _UNSAFE.sub("_", last).strip("._")[-MAX_NAME:]
    return cleaned or "upload"


def upload_problem(upload: Upload) -> str | None:
    """Why an upload is refused before reading (its type or size), or None."""
    suffix = PurePosixPath(safe_name(upload.filename)).suffix.lower()
    if suffix not in ACCEPTED_SUFFIXES:
        return f"{safe_name(upload.filename)}: file type not accepted (accepted: {', '.join(ACCEPTED_SUFFIXES)})"
    if len(upload.data) > MAX_FILE_BYTES:
        return f"{safe_name(upload.filename)}: larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB"
    if not upload.data:
        return f"{safe_name(upload.filename)}: empty file"
    return None


def feed_problem(url: str) -> str | None:
    """Why a feed URL is refused before fetching (not an http(s) URL, or one that points into
    this machine's or its network's private addresses), or None."""
    if not is_url(url):
        return f"{url}: not a URL (give an http:// or https:// address)"
    try:
        check_scheme(url, url)
    except FetchError as exc:
        return str(exc)
    if private_address(urlsplit(url).hostname or "") is not None:
        return f"{url}: refused: the address is local or private"
    return None


def _uploaded_items(uploads: list[Upload]) -> Iterator[Article | InputError]:
    named = ((f"{UPLOAD_PREFIX}{n:02d}-{safe_name(u.filename)}", u.data) for n, u in enumerate(uploads, start=1))
    return read_contents(named, max_bytes=MAX_FILE_BYTES)


def ingest(state: WebState, uploads: list[Upload], feed_url: str | None) -> IngestOutcome:
    """Stores the articles of ``uploads`` and of the feed at ``feed_url`` (one ingest at a time)."""
    outcome = IngestOutcome()
    accepted = []
    for upload in uploads[:MAX_FILES]:
        problem = upload_problem(upload)
        if problem:
            outcome.failed.append(problem)
        else:
            accepted.append(upload)
    if len(uploads) > MAX_FILES:
        outcome.failed.append(f"only {MAX_FILES} files are read per upload: {len(uploads) - MAX_FILES} left out")
    feeds = []
    if feed_url:
        problem = feed_problem(feed_url)
        if problem:
            outcome.failed.append(problem)
        else:
            feeds.append(feed_url)
    if not accepted and not feeds:
        return outcome
    with state.ingest_lock:
        report = desk.ingest(state.store, _items(accepted, feeds, state))
    outcome.added = len(report.added)
    outcome.duplicates = report.duplicates
    outcome.failed.extend(str(e) for e in report.failed)
    outcome.stories = sorted(report.stories)
    return outcome


def _items(uploads: list[Upload], feeds: list[str], state: WebState) -> Iterator[Article | InputError]:
    yield from _uploaded_items(uploads)
    yield from read_inputs(feeds, fetch=True, client=state.http_client)
