"""What the web app keeps between requests: the store, the write token, and the dossiers of
recently viewed stories with their rendered pages.

A dossier is built from every article of its story, which takes long (a second for a few
articles), so it is built once per change of its story: kept here, in memory, and in the store
(:meth:`storydesk.store.Store.store_dossier`), where every other server process and later runs
find it. A request checks that the story has not changed since (one indexed read) before it
serves what is kept.
"""

from __future__ import annotations

import functools
import threading
import zlib
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from storydesk import desk
from storydesk.models import Article, Story
from storydesk.store import Store, StoryStamp
from storydesk.web.pages import StoryPage, story_page

CACHED_STORIES = 256
BUILD_LOCKS = 64  # stories are built under one of these (by id), so each is built once at a time


@dataclass
class LoadedStory:
    """A story's dossier and its articles, as of ``stamp``."""

    story: Story
    articles: list[Article]
    stamp: StoryStamp
    json: bytes  # the dossier as the API serves it
    html: bytes | None = None  # the rendered story page, kept as long as the dossier
    _render_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @functools.cached_property
    def page(self) -> StoryPage:
        return story_page(self.story, self.articles)

    def rendered(self, render: Callable[[LoadedStory], str]) -> bytes:
        """The story page, rendered by ``render`` the first time only."""
        with self._render_lock:
            if self.html is None:
                self.html = render(self).encode()
            return self.html


class StoryCache:
    """The dossiers of the most recently viewed stories, each kept until its story changes."""

    def __init__(self, store: Store, size: int = CACHED_STORIES) -> None:
        self.store = store
        self.size = size
        self._items: OrderedDict[str, LoadedStory] = OrderedDict()
        self._lock = threading.Lock()
        self._build_locks = [threading.Lock() for _ in range(BUILD_LOCKS)]

    def current(self, ref: str) -> LoadedStory | None:
        """The kept dossier of the story named by id or unique id prefix if it is current, else
        None (:class:`NotFoundError` when there is no such story). Quick: one indexed read."""
        return self._kept(self.store.story_stamp(ref))

    def _kept(self, stamp: StoryStamp) -> LoadedStory | None:
        with self._lock:
            cached = self._items.get(stamp.id)
            if cached is None or cached.stamp != stamp:
                return None
            self._items.move_to_end(stamp.id)
            return cached

    def load(self, ref: str) -> LoadedStory:
        """The story named by id or unique id prefix (:class:`NotFoundError` when none): kept,
        else read from the store, else built (and stored)."""
        stamp = self.store.story_stamp(ref)
        kept = self._kept(stamp)
        if kept is not None:
            return kept
        # One build per story at a time: requests arriving meanwhile wait and take its result.
        with self._build_locks[zlib.crc32(stamp.id.encode()) % BUILD_LOCKS]:
            kept = self._kept(stamp)
            if kept is not None:
                return kept
            loaded = self._read_or_build(stamp)
        with self._lock:
            self._items[stamp.id] = loaded
            self._items.move_to_end(stamp.id)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return loaded

    def _read_or_build(self, stamp: StoryStamp) -> LoadedStory:
        story, payload = desk.stored_or_built(self.store, stamp)
        return LoadedStory(story=story, articles=self.store.story_texts(stamp.id), stamp=stamp, json=payload.encode())


@dataclass
class WebState:
    store: Store
    token: str | None  # None: every write is refused
    stories: StoryCache
    http_client: httpx.Client | None  # for fetching feeds; None: a fresh client per ingest
    ingest_lock: threading.Lock  # one ingest at a time: the NLP pipeline and clusterer are not shared
    outlets: OutletMenu = field(init=False)

    def __post_init__(self) -> None:
        self.outlets = OutletMenu(self.store)


class OutletMenu:
    """The outlets of the stored articles, read again only after the stories changed."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._kept: tuple[object, list[str]] | None = None

    def get(self) -> list[str]:
        changed = self.store.last_change()
        kept = self._kept
        if kept is not None and kept[0] == changed:
            return kept[1]
        outlets = self.store.outlets()
        self._kept = (changed, outlets)
        return outlets
