"""A time limit on a block of code, so that one article's analysis cannot hold a batch.

The limit is a real-time interval timer (``SIGALRM``): when it fires, :class:`Timeout` is raised
in the code that runs, at its next Python instruction (a long call into C finishes first). Signals
reach only the main thread, so elsewhere (a web server's worker thread) and on systems without
``SIGALRM`` the block runs unlimited: the limit guards batch runs, which are main threads (the
command line and its worker processes).
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class Timeout(Exception):
    """The block ran past its limit."""


def can_limit() -> bool:
    """Whether :func:`time_limit` can stop a block here (main thread, ``SIGALRM`` present)."""
    return hasattr(signal, "SIGALRM") and threading.current_thread() is threading.main_thread()


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
