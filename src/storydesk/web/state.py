"""What the web app keeps between requests: the store, the write token, and the dossiers of
recently viewed stories (rebuilt when their story changes)."""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime

import httpx

from storydesk import desk
from storydesk.models import Article, Story
from storydesk.store import Store
from storydesk.web.pages import StoryPage, story_page

CACHED_STORIES = 256


@dataclass
class LoadedStory:
    """A story's dossier and its articles, as of ``updated``."""

    story: Story
    articles: list[Article]
    updated: datetime
    html: str | None = None  # the rendered story page, kept as long as the dossier

    @functools.cached_property
    def page(self) -> StoryPage:
        return story_page(self.story, self.articles)

    @functools.cached_property
    def json(self) -> bytes:
        return self.story.model_dump_json().encode()


class StoryCache:
    """The dossiers of the most recently viewed stories. A dossier is built from every article
    of its story, so it is kept until the story changes rather than rebuilt per request."""

    def __init__(self, store: Store, size: int = CACHED_STORIES) -> None:
        self.store = store
        self.size = size
        self._items: OrderedDict[str, LoadedStory] = OrderedDict()
        self._lock = threading.Lock()

    def load(self, ref: str) -> LoadedStory:
        """The story named by id or unique id prefix (:class:`NotFoundError` when none)."""
        story_id = self.store.find_story(ref)
        updated = self.store.story_updated(story_id)
        with self._lock:
            cached = self._items.get(story_id)
            if cached is not None and cached.updated == updated:
                self._items.move_to_end(story_id)
                return cached
        # Built outside the lock: an ingest meanwhile leaves ``updated`` older than the story,
        # so the next request rebuilds it.
        loaded = LoadedStory(
            story=desk.show(self.store, story_id),
            articles=[article for article, _ in self.store.story_articles(story_id)],
            updated=updated,
        )
        with self._lock:
            self._items[story_id] = loaded
            self._items.move_to_end(story_id)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return loaded


@dataclass
class WebState:
    store: Store
    token: str | None  # None: every write is refused
    stories: StoryCache
    http_client: httpx.Client | None  # for fetching feeds; None: a fresh client per ingest
    ingest_lock: threading.Lock  # one ingest at a time: the NLP pipeline and clusterer are not shared
