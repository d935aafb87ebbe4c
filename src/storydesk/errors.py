"""storydesk's exception tree.

Library code raises these; only the edges (CLI, web) turn them into exit codes or HTTP
statuses::

    StorydeskError
    ├── InputError        one input item cannot be used (empty, binary, malformed, too big)
    │   └── FetchError    a URL could not be fetched (unreachable, timeout, too big, bad scheme)
    ├── StoreError        the database cannot be opened or written
    ├── NotFoundError     a story, actor or article that does not exist was asked for
    └── ModelError        a bundled model or the spaCy model package is missing or unreadable
"""

from __future__ import annotations


class StorydeskError(Exception):
    """Base of every error storydesk raises on purpose."""


class InputError(StorydeskError):
    """One input item cannot be used. ``item`` names it (a path, URL or JSONL line)."""

    def __init__(self, item: str, reason: str) -> None:
        super().__init__(f"{item}: {reason}")
        self.item = item
        self.reason = reason


class FetchError(InputError):
    """A URL could not be fetched."""


class StoreError(StorydeskError):
    """The store cannot be opened, migrated or written."""


class NotFoundError(StorydeskError):
    """A requested story, actor or article does not exist."""


class ModelError(StorydeskError):
    """A model storydesk needs (the spaCy package, a bundled weights file) is missing or unusable."""
