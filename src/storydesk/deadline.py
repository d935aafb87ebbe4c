"""A time limit on a block of code, so that one article's analysis cannot hold a batch.

The limit is a real-time interval timer (``SIGALRM``): when it fires, :class:`Timeout` is raised
in the code that runs, at its next Python instruction (a long call into C finishes first). Signals
reach only the main thread, so elsewhere (a web server's worker thread) and on systems without
``SIGALRM`` the block runs unlimited: the limit guards batch runs, which are main threads (the
command line and its worker processes).

A process whose threads run batches (a Dask worker's task threads) calls
:func:`allow_worker_threads`: from then on a limit off the main thread is kept by a timer thread
that raises :class:`Timeout` in the limited thread, at its next Python instruction too. There a
limit that expires while an inner one runs stops the inner block at once.
"""

from __future__ import annotations

import ctypes
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

_worker_threads = False  # set by allow_worker_threads: limits hold off the main thread too


class Timeout(Exception):
    """The block ran past its limit."""


def allow_worker_threads() -> None:
    """Lets :func:`time_limit` stop blocks off the main thread in this process (see the
    module's docstring): for processes whose threads run batches."""
    global _worker_threads
    _worker_threads = True


def _on_main_thread() -> bool:
    return hasattr(signal, "SIGALRM") and threading.current_thread() is threading.main_thread()


def can_limit() -> bool:
    """Whether :func:`time_limit` can stop a block here (main thread, ``SIGALRM`` present; or
    any thread once :func:`allow_worker_threads` was called)."""
    return _worker_threads or _on_main_thread()


def _expire(signum: int, frame: FrameType | None) -> None:
    raise Timeout


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raises :class:`Timeout` inside the block once ``seconds`` have passed (see the module's
    docstring for where this cannot be done). Limits do not nest: an outer one is suspended
    while an inner one runs, and restored (not extended) after it."""
    if not can_limit() or seconds <= 0:
        yield
        return
    if not _on_main_thread():
        with _thread_limit(seconds):
            yield
        return
    previous = signal.signal(signal.SIGALRM, _expire)
    started = time.monotonic()
    outer_left, _ = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_left > 0:  # an outer limit was running: it goes on with what it had left
            left = outer_left - (time.monotonic() - started)
            signal.setitimer(signal.ITIMER_REAL, max(left, 0.001))


@contextmanager
def _thread_limit(seconds: float) -> Iterator[None]:
    """:func:`time_limit` off the main thread: a timer raises :class:`Timeout` in this thread."""
    target = threading.get_ident()
    lock = threading.Lock()
    running = True

    def expire() -> None:
        with lock:
            if running:
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target), ctypes.py_object(Timeout))

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            running = False
        timer.cancel()
