"""storydesk's exception tree.

Library code raises these; only the edges (CLI, web) turn them into exit codes or HTTP
statuses::

    StorydeskError
    ├── InputError        one input item cannot be used (empty, binary, malformed, too big)
    │   ├── FetchError    a URL could not be fetched (unreachable, timeout, too big, bad scheme)
    │   ├── SkippedItem   an item left out on purpose: a filter, a web-archive record that holds
    │   │                 no article; said in one line, never counted as a failure
    │   └── AnalysisError an article's analysis ran past its time budget or failed in a stage
    ├── StoreError        the database cannot be opened or written
    ├── NotFoundError     a story, actor or article that does not exist was asked for
    ├── ModelError        a bundled model or the spaCy model package is missing or unreadable
    └── StaleParseError   a kept parse lacks what this version derives from it (a question
                          an older version proposed in other words)
"""

from __future__ import annotations

import re

MAX_SHOWN = 200  # characters of one value an error message shows
# Control characters (C0, DEL, C1) and lone surrogates (a file name that is not UTF-8 comes as
# surrogate-escaped bytes): shown escaped, so a message is one printable line.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def one_line(value: str, limit: int = MAX_SHOWN) -> str:
    """``value`` fit for a one-line message: control characters and lone surrogates escaped
    (``\\n``, ``\\x1b``, ``\\udcff``), cut to ``limit`` characters with "…"."""
    if len(value) > limit:
        value = value[:limit] + "…"
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), value)


class StorydeskError(Exception):
    """Base of every error storydesk raises on purpose."""


class InputError(StorydeskError):
    """One input item cannot be used. ``item`` names it (a path, URL or JSONL line).

    The message is one printable line whatever the item's name or the reason hold (see
    :func:`one_line`); ``item`` and ``reason`` keep them as given."""

    def __init__(self, item: str, reason: str) -> None:
        super().__init__(f"{one_line(item)}: {one_line(reason)}")
        self.item = item
        self.reason = reason

    def __reduce__(self) -> tuple[type[InputError], tuple[str, str]]:
        # rebuilt from (item, reason), not from the message: errors cross worker processes
        return type(self), (self.item, self.reason)


class FetchError(InputError):
    """A URL could not be fetched."""


class SkippedItem(InputError):
    """An input item left out on purpose, not for a fault: a filter (domains, dates, languages)
    leaves it out, or a web-archive record holds no article (a redirect, an image). Said in one
    line like an error, but counted apart: it does not make a command exit non-zero."""


class AnalysisError(InputError):
    """An article was read but its analysis failed: it ran past its time budget, or a stage
    failed on it. The batch goes on without it."""


class StoreError(StorydeskError):
    """The store cannot be opened, migrated or written."""


class NotFoundError(StorydeskError):
    """A requested story, actor or article does not exist."""


class ModelError(StorydeskError):
    """A model storydesk needs (the spaCy package, a bundled weights file) is missing or unusable."""


class StaleParseError(StorydeskError):
    """An article's kept parse was made by a storydesk that words its proposable questions
    otherwise: the question proposed now has no kept parse. The store refreshes the parses
    (:func:`storydesk.nlp.refresh_question_parses`) and builds again."""
