"""The time limit that keeps one article's analysis from holding a batch."""

from __future__ import annotations

import threading
import time

import pytest

from storydesk.deadline import Timeout, can_limit, time_limit


def spin(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def test_a_block_past_its_limit_is_stopped() -> None:
    started = time.monotonic()
    with pytest.raises(Timeout), time_limit(0.05):
        spin(5)
    assert time.monotonic() - started < 2


def test_a_block_within_its_limit_runs_to_the_end_and_leaves_no_timer() -> None:
    with time_limit(5):
        spin(0.01)
    spin(0.1)  # a timer left running would raise here


def test_an_inner_limit_gives_the_outer_one_back_what_it_had_left() -> None:
    with pytest.raises(Timeout), time_limit(0.3):
        with time_limit(5):
            spin(0.05)
        spin(5)  # the outer limit still stops this, well before 5 s


def test_off_the_main_thread_a_block_runs_unlimited() -> None:
    seen: list[object] = []

    def work() -> None:
        seen.append(can_limit())
        with time_limit(0.01):
            spin(0.05)
        seen.append("done")

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert seen == [False, "done"]


def test_in_a_process_that_allows_worker_threads_a_thread_is_stopped_too(monkeypatch: pytest.MonkeyPatch) -> None:
    import storydesk.deadline as deadline

    monkeypatch.setattr(deadline, "_worker_threads", True)
    seen: list[object] = []

    def work() -> None:
        seen.append(can_limit())
        started = time.monotonic()
        try:
            with time_limit(0.05):
                spin(5)
        except Timeout:
            seen.append(time.monotonic() - started < 2)
        with time_limit(0.05):  # a block within its limit leaves no timer behind
            spin(0.01)
        spin(0.1)
        seen.append("done")

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert seen == [True, True, "done"]
