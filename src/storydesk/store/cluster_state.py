"""The story clusterer's state kept in the store (tables ``cluster_*``, migration
0009_cluster_state), so that an ingest reads only what its articles need: the ids and
document frequencies of their terms, the postings of the terms that find their candidate
stories, those stories' centroids, and the members of the stories they change. See
:mod:`storydesk.stories.state` for what is kept and why it decides as a clusterer rebuilt from
every stored article would.

That holds while new articles come after the stored ones in the clustering order (by date,
undated last, then as stored: :meth:`storydesk.store.Store.all_articles_for_clustering`),
the usual case of news arriving. An article dated before a stored one changes the document
frequencies every later article's vector was computed with: then the ingest rebuilds the
clusterer from every stored article, as before, and the state is written again by the next
ingest that can keep it. So is a store without a state (made before the migration), or one
whose state an interrupted or concurrent ingest left behind (``cluster_meta.valid``).

Queries are plain SQL on the driver's connection: they run per ingested article, and
SQLAlchemy's statement building would cost more than the lookups themselves. They are written
with SQLite's ``?`` marks; PostgreSQL's driver (psycopg) gets them as ``%s``."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np
from sqlalchemy import Connection, Engine

from storydesk.store.engine import writing
from storydesk.stories.state import SavedStory, StateChanges, StoredStory, StoredVector


def _marks(n: int) -> str:
    return ",".join("?" * n)


def _run(c: Connection, query: str, parameters: Any = None) -> Any:  # a CursorResult
    """``query`` (``?`` marks) run with ``parameters`` (a tuple, or a list of them for many)."""
    if c.dialect.paramstyle != "qmark":
        query = query.replace("?", "%s")
    return c.exec_driver_sql(query, parameters) if parameters is not None else c.exec_driver_sql(query)


Last = tuple[bool, str | None]  # the last article in the clustering order: (dated, published)


def follows(last: Last | None, dates: Sequence[str | None]) -> bool:
    """Whether articles with these dates (added in this order) come after the article ``last``
    (None: none) in the clustering order, so that a clusterer's state stays what a rebuild in
    that order would give: undated ones always do (undated last, then as stored), dated ones
    when ``last`` is dated and not later."""
    if last is None:
        return True
    dated, published = last
    return all(d is None or (dated and published is not None and d >= published) for d in dates)


class ClusterState:
    """A store's kept clustering state (a :class:`storydesk.stories.state.StateSource`)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.valid = False
        self.generation = 0
        self.docs = self.terms = self.numbers = 0
        self.last: Last | None = None  # the last kept article
        with self._read() as c:
            meta = _run(c, "SELECT valid, generation, docs, terms, numbers FROM cluster_meta").first()
            stored = _run(c, "SELECT count(*) FROM story_articles").scalar_one()
            if meta is not None:
                valid, self.generation, self.docs, self.terms, self.numbers = meta
                self.valid = bool(valid) and self.docs == stored
            self.stored = int(stored)
            if self.valid and self.docs:
                published = _run(c, "SELECT published FROM cluster_vectors ORDER BY position DESC LIMIT 1").scalar_one()
                self.last = (published is not None, published)

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self.engine.connect() as connection:
            yield connection

    def usable(self, dates: Sequence[str | None]) -> bool:
        """Whether a clusterer can go on from this state for articles with these dates."""
        return self.valid and follows(self.last, dates)

    # The StateSource protocol.

    def term_ids(self, terms: Sequence[tuple[int, str]]) -> list[tuple[int, str, int, int]]:
        wanted = set(terms)
        found: list[tuple[int, str, int, int]] = []
        words = sorted({t for _, t in terms})
        rows = self._where_in("SELECT channel, term, id, df FROM cluster_terms WHERE term IN ({})", words)
        found.extend((ch, t, i, df) for ch, t, i, df in rows if (ch, t) in wanted)
        return found

    def posting_sizes(self, terms: Sequence[int]) -> dict[int, int]:
        with self._read() as c:
            rows = _run(
                c,
                f"SELECT term, count(*) FROM cluster_postings WHERE term IN ({_marks(len(terms))}) GROUP BY term",
                tuple(terms),
            )
            return {int(t): int(n) for t, n in rows}

    def postings(self, terms: Sequence[int]) -> list[tuple[int, int]]:
        with self._read() as c:
            rows = _run(
                c,
                f"SELECT term, story FROM cluster_postings WHERE term IN ({_marks(len(terms))})",
                tuple(terms),
            )
            return [(int(t), int(s)) for t, s in rows]

    def stories(self, numbers: Sequence[int]) -> list[StoredStory]:
        query = "SELECT number, story_id, rank, members, first, last, sq_norm FROM cluster_stories WHERE number IN ({})"
        return [StoredStory(*row) for row in self._where_in(query, numbers)]

    def centroids(self, numbers: Sequence[int]) -> list[tuple[int, Any, Any]]:
        rows = self._where_in("SELECT number, indices, data FROM cluster_stories WHERE number IN ({})", numbers)
        return [(n, np.frombuffer(i, dtype=np.int32), np.frombuffer(d, dtype=np.float32)) for n, i, d in rows]

    def _where_in(self, query: str, keys: Sequence[Any]) -> list[Any]:
        """The rows of ``query`` for ``keys`` (its ``IN ({})``), asked 900 keys at a time:
        SQLite takes at most 999 parameters."""
        found: list[Any] = []
        with self._read() as c:
            for start in range(0, len(keys), 900):
                chunk = keys[start : start + 900]
                found.extend(_run(c, query.format(_marks(len(chunk))), tuple(chunk)).all())
        return found

    def members(self, number: int) -> list[StoredVector]:
        with self._read() as c:
            rows = _run(
                c,
                "SELECT v.article_key, v.position, v.day, v.indices, v.data, v.channels FROM cluster_stories s "
                "JOIN story_articles m ON m.story_id = s.story_id "
                "JOIN cluster_vectors v ON v.article_key = m.article_key "
                "WHERE s.number = ?",
                (number,),
            )
            return [
                StoredVector(
                    key,
                    position,
                    day,
                    np.frombuffer(indices, dtype=np.int32),
                    np.frombuffer(data, dtype=np.float32),
                    np.frombuffer(channels, dtype=np.int8),
                )
                for key, position, day, indices, data, channels in rows
            ]

    def has_story(self, story_id: str) -> bool:
        with self._read() as c:
            return _run(c, "SELECT 1 FROM cluster_stories WHERE story_id = ?", (story_id,)).first() is not None


def begin(engine: Engine) -> int:
    """Marks the state as being changed (invalid until :meth:`save`); returns the generation
    that :meth:`save` expects to find, so an ingest running meanwhile makes it a rebuild."""
    with writing(engine).begin() as c:
        _run(
            c,
            "INSERT INTO cluster_meta (id, valid, generation, docs, terms, numbers) VALUES (1, false, 1, 0, 0, 0) "
            "ON CONFLICT (id) DO UPDATE SET valid = false, generation = cluster_meta.generation + 1",
        )
        return int(_run(c, "SELECT generation FROM cluster_meta").scalar_one())


def save(engine: Engine, changes: StateChanges, generation: int) -> bool:
    """Writes the clusterer's changes (all of its state when ``changes.full``); False, and
    nothing written, when another ingest began meanwhile."""
    with writing(engine).begin() as c:
        if _run(c, "SELECT generation FROM cluster_meta").scalar_one() != generation:
            return False
        if changes.full:
            for table in ("cluster_terms", "cluster_vectors", "cluster_stories", "cluster_postings"):
                _run(c, f"DELETE FROM {table}")
        _write_terms(c, changes)
        _write_vectors(c, changes.vectors)
        _write_stories(c, changes.stories)
        _run(
            c,
            "UPDATE cluster_meta SET valid = true, docs = ?, terms = ?, numbers = ?",
            (changes.docs, changes.terms, changes.numbers),
        )
    return True


def _write_terms(c: Connection, changes: StateChanges) -> None:
    frequencies = dict(changes.frequencies)
    if changes.new_terms:
        _run(
            c,
            "INSERT INTO cluster_terms (id, term, channel, df) VALUES (?, ?, ?, ?)",
            [(i, term, channel, frequencies.get(i, 0)) for i, channel, term in changes.new_terms],
        )
    new = {i for i, _, _ in changes.new_terms}
    old = [(df, i) for i, df in changes.frequencies if i not in new]
    if old:
        _run(c, "UPDATE cluster_terms SET df = ? WHERE id = ?", old)


def _write_vectors(c: Connection, vectors: Sequence[StoredVector]) -> None:
    if not vectors:
        return
    published: dict[str, str | None]
    if len(vectors) <= 900:
        keys = tuple(v.key for v in vectors)
        query = f"SELECT key, published FROM articles WHERE key IN ({_marks(len(keys))})"
        published = dict(_run(c, query, keys).all())
    else:  # a rebuild: every article (the date index holds both columns)
        published = dict(_run(c, "SELECT key, published FROM articles").all())
    _run(
        c,
        "INSERT INTO cluster_vectors (article_key, position, published, day, indices, data, channels) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (
                v.key,
                v.position,
                published.get(v.key),
                v.when,
                v.indices.tobytes(),
                v.data.tobytes(),
                v.channels.tobytes(),
            )
            for v in vectors
        ],
    )


def _write_stories(c: Connection, stories: Sequence[SavedStory]) -> None:
    if not stories:
        return
    numbers = [(s.story.number,) for s in stories]
    _run(c, "DELETE FROM cluster_postings WHERE story = ?", numbers)
    _run(c, "DELETE FROM cluster_stories WHERE number = ?", numbers)
    kept = [s for s in stories if s.story.members]
    if not kept:
        return
    _run(
        c,
        "INSERT INTO cluster_stories (number, story_id, rank, members, first, last, sq_norm, indices, data) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(*s.story[:7], s.indices.tobytes(), s.data.tobytes()) for s in kept],
    )
    postings = [(term, s.story.number) for s in kept for term in s.posted.tolist()]
    if postings:
        _run(c, "INSERT INTO cluster_postings (term, story) VALUES (?, ?)", postings)
