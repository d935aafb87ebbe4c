"""Analysis on a Dask distributed cluster: batches of articles go to the cluster's workers, their
records come back as each batch is done, and are handed on in input order.

The driver (the ``ingest`` command) reads the inputs, clusters and writes the store; the workers
only run :func:`storydesk.pipeline.analyze_each`'s batch function, the very one a local run runs,
so their records are those of a local run. Each worker process loads the models once (they are
cached per process, :func:`storydesk.nlp.load`) and keeps them for every later batch.

A worker that dies mid-run loses no article: the scheduler runs its batches again on another
worker (Dask's ``distributed.scheduler.allowed-failures`` times, 3 by default, before the run
fails), and the driver, which alone writes the store, writes each record once it is back.

Addresses: ``local:N`` starts a LocalCluster of N worker processes, one thread each, on this
machine for the run; anything else (``tcp://HOST:8786``) is a running scheduler, whose workers
must have storydesk and its models installed. Start them one thread each, without Dask's
profiler and without a nanny (``DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED=False dask worker
tcp://HOST:8786 --nthreads 1 --no-nanny``, one command a worker): a process analyses one batch at
a time anyway, the profiler costs a third more CPU (``NO_PROFILER``), and a nanny starts its
worker with ``MALLOC_TRIM_THRESHOLD_`` set, whose page faults cost a tenth more
(``MALLOC_TRIM_VARIABLE``). A LocalCluster's workers run without either.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, TypeVar

from storydesk import deadline
from storydesk.errors import StorydeskError
from storydesk.settings import ENV_VARS

if TYPE_CHECKING:
    from distributed import Client, Future

T = TypeVar("T")
R = TypeVar("R")

_LOCAL = re.compile(r"local:(\d+)")
CONNECT_TIMEOUT = "30s"  # to reach a scheduler at a tcp:// address
# A worker samples its task thread's stack every 10 ms by default (for the dashboard): on a batch
# of 64 bench articles that cost 39 % more CPU than the analysis alone, against 10 % without it.
NO_PROFILER = {"distributed.worker.profile.enabled": False}
# Dask's nannies start workers with MALLOC_TRIM_THRESHOLD_=65536 (to hand freed memory back to
# the system at once). Set at all, it also stops glibc adapting its mmap threshold, so every large
# array the parser and the encoder make is mapped and unmapped anew: on a batch of 64 bench
# articles 4.1M page faults and 8 s of system time, against 0.2M and 0.4 s without it. A worker
# holds its models for the whole run anyway; its memory is not what to save.
MALLOC_TRIM_VARIABLE = "MALLOC_TRIM_THRESHOLD_"
# Batches in flight per worker: one running, one waiting, so that no worker idles between two.
IN_FLIGHT_PER_WORKER = 2
# How far past the oldest unfinished batch new ones may be sent: records come back in any order
# and wait for it, so this bounds the driver's memory when one batch is slow.
AHEAD_PER_WORKER = 8
# The settings that change what an analysis finds: the driver's travel with each batch, so a
# worker whose environment differs analyses as the driver would.
ANALYSIS_SETTINGS = ("quotes", "analysis_timeout", "max_analysis_chars")
# One batch at a time per worker process: the language pipeline and torch's thread count are
# the process's own, not to be shared by two task threads.
_ONE_AT_A_TIME = threading.Lock()


def check_address(address: str) -> str:
    """``address`` if it names a cluster (``local:N`` with N >= 1, or a scheduler URL such as
    ``tcp://HOST:8786``); raises :class:`StorydeskError` saying what is expected."""
    local = _LOCAL.fullmatch(address)
    if (local and int(local.group(1)) >= 1) or re.fullmatch(r"[a-z][a-z0-9+.-]*://\S+", address):
        return address
    raise StorydeskError(
        f"--dask {address!r}: expected local:N (N worker processes here) or a scheduler's tcp://HOST:PORT"
    )


@contextmanager
def client(address: str) -> Iterator[Client]:
    """A client of the cluster at ``address`` (see the module's docstring), closed on exit; a
    LocalCluster started for it is closed with it."""
    import dask
    from distributed import Client, LocalCluster

    local = _LOCAL.fullmatch(check_address(address))
    if local is None:
        try:
            connected = Client(address, timeout=CONNECT_TIMEOUT)  # type: ignore[no-untyped-call]
        except OSError as exc:  # no scheduler there (Dask raises OSError subclasses on timeouts)
            raise StorydeskError(f"--dask {address}: cannot reach the scheduler ({exc})") from exc
        with connected:
            yield connected
        return
    with (
        dask.config.set({**NO_PROFILER, **worker_environment()}),
        LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=int(local.group(1)),
            threads_per_worker=1,
            processes=True,
            # The scheduler's HTTP server (health, dashboard) on a free port of this machine only:
            # a fixed one may be taken (another cluster), and nothing need reach it from elsewhere.
            dashboard_address="127.0.0.1:0",
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster) as connected,  # type: ignore[no-untyped-call]
    ):
        yield connected


def worker_environment() -> dict[str, dict[str, object]]:
    """Dask's setting of the variables its nannies set before starting a worker process, less
    the malloc trim threshold (see ``MALLOC_TRIM_VARIABLE``): for a LocalCluster's workers."""
    import dask

    key = "distributed.nanny.pre-spawn-environ"
    variables = dict(dask.config.get(key, default={}))
    variables.pop(MALLOC_TRIM_VARIABLE, None)
    return {key: variables}


def analysis_environment(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The driver's ``STORYDESK_*`` variables of the settings that change an analysis."""
    env = os.environ if environ is None else environ
    return {ENV_VARS[name]: env[ENV_VARS[name]] for name in ANALYSIS_SETTINGS if env.get(ENV_VARS[name])}


def on_worker(job: Callable[[list[T]], list[R]], batch: list[T], environment: Mapping[str, str]) -> list[R]:
    """Runs ``job`` on ``batch`` in a worker under the driver's analysis settings. Task threads
    are not the main thread: the per-article time limit is let work there
    (:func:`storydesk.deadline.allow_worker_threads`)."""
    deadline.allow_worker_threads()
    with _ONE_AT_A_TIME:
        for name in ANALYSIS_SETTINGS:
            os.environ.pop(ENV_VARS[name], None)
        os.environ.update(environment)
        return job(batch)


def map_batches(
    connected: Client,
    job: Callable[[list[T]], list[R]],
    batches: Iterable[list[T]],
    on_batch: Callable[[int], None] | None = None,
) -> Iterator[list[R]]:
    """``job``'s result for each of ``batches``, in their order, run on the cluster's workers.

    Batches are sent as workers free up, a few per worker in flight; ``on_batch`` is called
    with each batch's size as it comes back, in whatever order. A batch whose worker died is
    run again by the scheduler; an exception ``job`` raises is raised here."""
    from distributed import KilledWorker, as_completed

    environment = analysis_environment()
    pending = enumerate(batches)
    index: dict[Future[list[R]], int] = {}
    ready: dict[int, list[R]] = {}
    sent = next_out = 0
    running = as_completed()  # type: ignore[no-untyped-call]

    def send_more() -> None:
        nonlocal sent
        # Counted each time: workers that join a running cluster get batches too.
        workers = max(1, len(connected.scheduler_info(n_workers=-1).get("workers", {})))
        while len(index) < IN_FLIGHT_PER_WORKER * workers and sent - next_out < AHEAD_PER_WORKER * workers:
            item = next(pending, None)
            if item is None:
                return
            i, batch = item
            future = connected.submit(on_worker, job, batch, environment, pure=False)
            index[future] = i
            running.add(future)  # type: ignore[no-untyped-call]
            sent += 1

    send_more()
    for future in running:
        try:
            result: list[R] = future.result()
        except KilledWorker as exc:
            raise StorydeskError(f"a batch of articles was lost with every worker that ran it: {exc}") from exc
        ready[index.pop(future)] = result
        future.release()
        if on_batch:
            on_batch(len(result))
        while next_out in ready:
            yield ready.pop(next_out)
            next_out += 1
        send_more()
