"""A clusterer's state kept apart from it (in the store), so that a clusterer need not be rebuilt
from every stored article: what a :class:`storydesk.stories.cluster.StoryClusterer` reads from
such a state as it needs it (:class:`StateSource`) and what it hands back to be kept
(:class:`StateChanges`).

The state kept is exactly what a clusterer rebuilt from the stored articles in their stored
order would hold: each article's vector as it was computed when the article came (the
document frequencies of the articles before it), each story's centroid, squared norm, dates
and posted terms as its members, joined in that order, make them, and the vocabulary's ids.
So a clusterer that reads it decides as one rebuilt from every article would, as long as new
articles come after the stored ones in that order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol

import numpy as np
import numpy.typing as npt

Int32Array = npt.NDArray[np.int32]
Float32Array = npt.NDArray[np.float32]
Int8Array = npt.NDArray[np.int8]


class StoredVector(NamedTuple):
    """An article's unit vector as kept: ``position`` in the stored order, date ordinal."""

    key: str
    position: int
    when: float | None
    indices: Int32Array
    data: Float32Array
    channels: Int8Array  # of each term (words, names, numbers)


class StoredStory(NamedTuple):
    """What candidate search needs of a story: ``order`` ranks stories as a rebuild would
    register them (by their first member's position); ``first``/``last`` its dated members'
    date ordinals (None: none dated)."""

    number: int
    id: str
    order: int
    members: int
    first: float | None
    last: float | None
    sq_norm: float


class SavedStory(NamedTuple):
    """A story's state to keep (``members`` 0: the story is gone)."""

    story: StoredStory
    indices: Int32Array  # its centroid
    data: Float32Array
    posted: Int32Array  # the terms it is posted under


class StateSource(Protocol):
    """A kept state, read lazily. Numbers identify stories; they are never reused."""

    docs: int  # articles kept
    terms: int  # term ids handed out
    numbers: int  # story numbers handed out

    def term_ids(self, terms: Sequence[tuple[int, str]]) -> list[tuple[int, str, int, int]]:
        """(channel, term, id, document frequency) of those of ``terms`` (channel, term) kept."""
        ...

    def posting_sizes(self, terms: Sequence[int]) -> dict[int, int]:
        """How many stories are posted under each of ``terms`` (absent: none)."""
        ...

    def postings(self, terms: Sequence[int]) -> list[tuple[int, int]]:
        """(term, story number) for each story posted under one of ``terms``."""
        ...

    def stories(self, numbers: Sequence[int]) -> list[StoredStory]:
        """The kept stories among ``numbers``."""
        ...

    def centroids(self, numbers: Sequence[int]) -> list[tuple[int, Int32Array, Float32Array]]:
        """(number, term ids, weights) of the centroids of the kept stories among ``numbers``."""
        ...

    def members(self, number: int) -> list[StoredVector]:
        """The vectors of a kept story's members."""
        ...

    def has_story(self, story_id: str) -> bool:
        """Whether a kept story has this id."""
        ...


@dataclass
class StateChanges:
    """What changed since a clusterer was made: to add to the kept state, or (``full``) to
    replace it with."""

    full: bool
    docs: int
    terms: int
    numbers: int
    new_terms: list[tuple[int, int, str]] = field(default_factory=list)  # (id, channel, term)
    frequencies: list[tuple[int, int]] = field(default_factory=list)  # (id, document frequency), new or changed
    vectors: list[StoredVector] = field(default_factory=list)  # of the articles added
    stories: list[SavedStory] = field(default_factory=list)  # that gained or lost members
