"""The orchestrator: articles in, one :class:`Analysis` per article out, in input order; and
the batch dossier (analysis, stories, dossiers, no store).

Each stage is a spaCy component (see :mod:`storydesk.nlp`); this module only runs the
pipeline, in worker processes when asked, and turns each Doc into a record.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice

from spacy.language import Language
from spacy.tokens import Doc

from storydesk import chunks, deadline, nlp
from storydesk.annotate.actors import ActorIndex
from storydesk.crosscheck import vectors as statement_vectors
from storydesk.dossier import build_story
from storydesk.errors import AnalysisError
from storydesk.language import is_english, language_name
from storydesk.models import Analysis, Article, Dossier, Entity
from storydesk.outlets import article_outlet
from storydesk.positions import Body
from storydesk.quotes.tagger import load_tagger
from storydesk.settings import Settings, load_settings
from storydesk.stories import StoryClusterer

BATCH = 64  # articles per worker task: big enough to amortise pickling, small for progress
# Below this many articles a second process costs more (loading the model: ~2 s) than it saves.
PARALLEL_FROM = 150
MAX_TAGGER_THREADS = 4  # torch gains little beyond this on texts of one article


def worker_count(articles: int, requested: int = 0) -> int:
    """``requested`` worker processes, or with 0 one per core (at most 4) for big batches."""
    if requested > 0:
        return requested
    if articles < PARALLEL_FROM:
        return 1
    return max(1, min(4, len(os.sched_getaffinity(0))))


def tagger_threads(processes: int) -> int:
    """Torch threads for the quote tagger in each of ``processes`` workers: the cores they share
    (at most ``MAX_TAGGER_THREADS``). Two threads on two cores tag 1.4-1.7x as fast as one."""
    cores = len(os.sched_getaffinity(0))
    return max(1, min(MAX_TAGGER_THREADS, cores // max(1, processes)))


def to_analysis(article: Article, doc: Doc, parse: bytes | None = None) -> Analysis:
    """The record of ``article`` from its Doc; ``parse`` is the Doc's parse as kept
    (:func:`storydesk.nlp.kept_parses`), for the dossier's stages to read."""
    entities = []
    index = ActorIndex(doc._.actors)
    for ent in doc.ents:
        actor = index.at(ent.start_char, ent.end_char)
        entities.append(
            Entity(
                text=ent.text,
                label=ent.label_,
                span=(ent.start_char, ent.end_char),
                actor=actor.name if actor else None,
            )
        )
    return Analysis(
        id=article.id,
        outlet=article_outlet(article.source, article.url, doc._.outlet),
        dateline=doc._.dateline,
        credits=list(doc._.credits),
        entities=entities,
        quotes=list(doc._.quotes),
        amounts=list(doc._.amounts),
        actors=[a.ref() for a in doc._.actors],
        title=article.title,
        published=article.date,
        boilerplate=[(start, end) for start, end in doc._.boilerplate],
        parse=parse,
    )


def _analyze_batch(
    batch: list[Article], tagger: bool = False, threads: int = 1, vectors: bool = True
) -> list[Analysis | AnalysisError]:
    pipeline = nlp.load(tagger)
    if tagger:
        load_tagger().threads = threads
    settings = load_settings()
    limit = settings.max_analysis_chars
    # One article at a time, each under its own budget: no slower than spaCy's batches here
    # (64 BASIL articles: 19.3 s one by one, 21.0 s as one batch).
    out = [_analyze_one(pipeline, article, settings, limit) for article in batch]
    # The statements' sentence vectors, for cross-checking (a long article's from its joined
    # record): one encoder call per batch, so that no dossier build encodes again.
    done = [
        (a.analysed(article), a)
        for article, a in zip(batch, out, strict=True)
        if isinstance(a, Analysis) and a.language is None  # no statements in another language
    ]
    if vectors and done:
        found = statement_vectors.encode_statements(done)
        for (_, analysis), kept in zip(done, found, strict=True):
            analysis.vectors = kept
    return out


def _analyze_one(pipeline: Language, article: Article, settings: Settings, limit: int) -> Analysis | AnalysisError:
    """The record of one article, or the error that names it when its analysis runs past its
    time budget or a stage fails on it (the batch goes on without it). A text longer than
    ``limit`` characters is analysed up to a boundary before it (``analysed_chars``)."""
    if not is_english(article.language):
        return untouched(article)
    end = chunks.prefix_end(article.text, limit)
    if end < len(article.text):
        found = _analyze_one(pipeline, article.model_copy(update={"text": article.text[:end]}), settings, limit)
        if isinstance(found, Analysis):
            found.analysed_chars = end
        return found
    budget = settings.analysis_budget(len(article.text))
    try:
        with deadline.time_limit(budget):
            parts = chunks.pieces(article.text)
            docs = list(pipeline.pipe(text for _, text in parts))
            # A text past spaCy's limit is analysed in pieces: their parses are kept as one Doc.
            whole = docs[0] if len(docs) == 1 else _joined_doc(docs)
            (parse,) = nlp.kept_parses(pipeline, [whole])
            if len(docs) == 1:
                return to_analysis(article, whole, parse)
            records = [
                (offset, to_analysis(article.model_copy(update={"text": text}), d))
                for (offset, text), d in zip(parts, docs, strict=True)
            ]
            return chunks.joined(records, parse)
    except deadline.Timeout:
        return AnalysisError(article.id, f"analysis timed out after {budget:.0f} s")
    except Exception as exc:  # a stage's defect on one text must not stop the batch
        return AnalysisError(article.id, f"analysis failed: {type(exc).__name__}: {exc}")


def untouched(article: Article) -> Analysis:
    """The record of an article in a language other than English: its metadata alone. The
    stages read English (the model's parser and entities, the quote rules, the sentence
    encoder); on other text they find sentence fragments, never actors or quotes."""
    return Analysis(
        id=article.id,
        outlet=article_outlet(article.source, article.url, None),
        title=article.title,
        published=article.date,
        boilerplate=[],
        language=article.language,
    )


def language_note(analysis: Analysis) -> str | None:
    """The one-line note that says ``analysis``'s article was left out of the English-only
    stages for its language, or None."""
    if analysis.language is None:
        return None
    name = language_name(analysis.language)
    return (
        f"{analysis.id}: {name} ({analysis.language}) text: stored and listed, left out of actors, quotes and stances"
    )


def cut_note(article: Article, analysis: Analysis) -> str | None:
    """The one-line note that says ``article``'s text was analysed only in part, or None."""
    if analysis.analysed_chars is None:
        return None
    return (
        f"{article.id}: only the first {analysis.analysed_chars:,} of {len(article.text):,} characters "
        "were analysed (STORYDESK_MAX_ANALYSIS_CHARS)"
    )


def _joined_doc(docs: list[Doc]) -> Doc:
    # The pieces' extensions are joined as records (chunks.joined); only the parse is wanted.
    # spaCy's stub lacks the ``exclude`` argument that its Doc.from_docs takes since 3.3.
    return Doc.from_docs(docs, ensure_whitespace=False, exclude=["user_data"])  # type: ignore[call-arg]


def _batches(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    it = iter(articles)
    while batch := list(islice(it, size)):
        yield batch


def analyze(
    articles: Iterable[Article],
    processes: int = 1,
    on_done: Callable[[int], None] | None = None,
    tagger: bool | None = None,
    vectors: bool = True,
) -> Iterator[Analysis]:
    """Analyses ``articles`` and yields their records in input order (see
    :func:`analyze_each`). Raises :class:`AnalysisError` at the first article whose analysis
    fails; :func:`analyze_each` goes on past it."""
    for result in analyze_each(articles, processes, on_done, tagger, vectors):
        if isinstance(result, AnalysisError):
            raise result
        yield result


def analyze_each(
    articles: Iterable[Article],
    processes: int = 1,
    on_done: Callable[[int], None] | None = None,
    tagger: bool | None = None,
    vectors: bool = True,
    dask: str | None = None,
) -> Iterator[Analysis | AnalysisError]:
    """Analyses ``articles`` and yields, in input order, each one's record, or the
    :class:`AnalysisError` that names it when its analysis ran past its time budget (the
    ``analysis_timeout`` setting) or a stage failed on it.

    ``processes`` > 1 runs the pipeline in that many worker processes (each loads the model
    once). ``on_done`` is called with the number of articles finished after each batch.
    ``tagger`` finds quotes with the fine-tuned tagger (True) or the faster rules (False); by
    default the ``quotes`` setting picks (see :mod:`storydesk.settings`). ``vectors`` keeps
    the statements' sentence vectors with each record (``Analysis.vectors``) for the dossier;
    without them a dossier encodes the statements it compares when it is built.
    ``dask`` runs the batches on a Dask cluster instead (``local:N`` or a scheduler's address,
    see :mod:`storydesk.dask_workers`), one tagger thread per worker; ``processes`` is unused.
    """
    if tagger is None:
        tagger = load_settings().quotes == "tagger"
    if dask is not None:
        yield from _analyze_on_dask(dask, articles, on_done, tagger, vectors)
        return
    threads = tagger_threads(processes)
    if processes <= 1:
        for batch in _batches(articles, BATCH):
            yield from _analyze_batch(batch, tagger, threads, vectors)
            if on_done:
                on_done(len(batch))
        return
    ctx = multiprocessing.get_context("spawn")  # fork after torch/BLAS threads start is unsafe
    with ctx.Pool(processes) as pool:
        job = functools.partial(_analyze_batch, tagger=tagger, threads=threads, vectors=vectors)
        for result in pool.imap(job, _batches(articles, BATCH)):
            yield from result
            if on_done:
                on_done(len(result))


def _analyze_on_dask(
    address: str,
    articles: Iterable[Article],
    on_done: Callable[[int], None] | None,
    tagger: bool,
    vectors: bool,
) -> Iterator[Analysis | AnalysisError]:
    """:func:`analyze_each` on a Dask cluster: the same batch function, run by its workers, each
    batch's records in input order. A worker runs one batch at a time on one thread, as one of
    ``local:N``'s processes: its tagger uses one torch thread."""
    from storydesk import dask_workers

    job = functools.partial(_analyze_batch, tagger=tagger, threads=1, vectors=vectors)
    with dask_workers.client(address) as client:
        for result in dask_workers.map_batches(client, job, _batches(articles, BATCH), on_done):
            yield from result


def dossier(
    articles: Iterable[Article],
    processes: int = 1,
    on_done: Callable[[int], None] | None = None,
    question: str | None = None,
    bodies: Sequence[Body] | None = None,
    on_error: Callable[[AnalysisError], None] | None = None,
    on_note: Callable[[str], None] | None = None,
) -> Dossier:
    """Runs the whole pipeline on ``articles`` (no store): analysis, stories, dossiers. The
    dossiers read the analyses' parses; a ``question`` given is parsed here, once. An article
    whose analysis fails is left out and passed to ``on_error``; ``on_note`` gets the note of
    each text analysed only in part (:func:`cut_note`) and of each left out for its language
    (:func:`language_note`)."""
    asked = nlp.parse_question(question) if question else None
    given = list(articles)
    arts, analyses = [], []
    for art, an in zip(given, analyze_each(given, processes=processes, on_done=on_done), strict=True):
        if isinstance(an, AnalysisError):
            if on_error:
                on_error(an)
            continue
        if on_note:
            for note in filter(None, (cut_note(art, an), language_note(an))):
                on_note(note)
        arts.append(art)
        analyses.append(an)
    assignment = StoryClusterer().cluster(arts)
    grouped: dict[str, list[tuple[Article, Analysis]]] = defaultdict(list)
    for art, an in zip(arts, analyses, strict=True):
        grouped[assignment[art.id]].append((art, an))
    return Dossier(stories=[build_story(sid, items, question=asked, bodies=bodies) for sid, items in grouped.items()])
