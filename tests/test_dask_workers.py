"""Analysis on a Dask cluster: batches come back in input order, a dead worker loses none, and
the records and stories are those of a local run."""

from __future__ import annotations

import functools
import os
import time
from pathlib import Path

import pytest

from storydesk import dask_workers, deadline
from storydesk.errors import StorydeskError


def doubled(batch: list[int], pause: float = 0.0) -> list[int]:
    """A stand-in for the analysis: the first batch is the slowest, so others finish first."""
    if batch and batch[0] == 0:
        time.sleep(pause)
    return [2 * n for n in batch]


def dies_once(batch: list[int], marker: str) -> list[int]:
    """Kills its worker process the first time it sees the batch holding 4 (a worker lost
    mid-run); run again elsewhere, it returns the batch doubled."""
    if 4 in batch and not os.path.exists(marker):
        Path(marker).write_text("died", encoding="utf-8")
        os._exit(1)
    return doubled(batch)


def limited_in_thread(batch: list[float]) -> list[str]:
    """Whether a block of each length is stopped by a 0.2 s limit in the task's thread."""
    out = []
    for seconds in batch:
        try:
            with deadline.time_limit(0.2):
                end = time.monotonic() + seconds
                while time.monotonic() < end:
                    pass
            out.append("done")
        except deadline.Timeout:
            out.append("stopped")
    return out


def profiler_enabled() -> bool:
    import dask

    return bool(dask.config.get("distributed.worker.profile.enabled"))


def malloc_trim_threshold() -> str | None:
    return os.environ.get("MALLOC_TRIM_THRESHOLD_")


def test_addresses_are_local_workers_or_a_scheduler_url() -> None:
    assert dask_workers.check_address("local:2") == "local:2"
    assert dask_workers.check_address("tcp://10.0.0.5:8786") == "tcp://10.0.0.5:8786"
    for bad in ("local:0", "local:", "local:two", "10.0.0.5:8786", ""):
        with pytest.raises(StorydeskError, match="local:N"):
            dask_workers.check_address(bad)


def test_only_the_analysis_settings_travel_to_the_workers() -> None:
    environ = {"STORYDESK_QUOTES": "rules", "STORYDESK_DB": "/tmp/x.sqlite", "STORYDESK_MAX_ANALYSIS_CHARS": "9000"}
    assert dask_workers.analysis_environment(environ) == {
        "STORYDESK_QUOTES": "rules",
        "STORYDESK_MAX_ANALYSIS_CHARS": "9000",
    }


@pytest.mark.slow
def test_batches_come_back_in_order_and_a_dead_worker_loses_none(tmp_path: Path) -> None:
    batches = [[i, i + 1] for i in range(0, 20, 2)]
    counted: list[int] = []
    with dask_workers.client("local:2") as client:
        assert set(client.run(profiler_enabled).values()) == {False}  # its sampling costs CPU
        assert set(client.run(malloc_trim_threshold).values()) == {None}  # page faults cost CPU
        slow_first = functools.partial(doubled, pause=1.0)
        assert list(dask_workers.map_batches(client, slow_first, batches, counted.append)) == [
            [2 * n for n in b] for b in batches
        ]
        assert sum(counted) == 20
        marker = tmp_path / "died"
        job = functools.partial(dies_once, marker=str(marker))
        again = list(dask_workers.map_batches(client, job, batches))
        assert marker.exists()  # a worker did die
        assert again == [[2 * n for n in b] for b in batches]
        # A task thread is not the main thread: the per-article limit holds there too.
        assert list(dask_workers.map_batches(client, limited_in_thread, [[0.01, 3.0]])) == [["done", "stopped"]]


def stored_stories(db: Path) -> list[list[tuple[str, dict[str, object]]]]:
    """Each stored story as its articles' ids and full analyses (parse and vectors too)."""
    from storydesk.store import open_store

    store = open_store(f"sqlite:///{db}")
    stories = []
    for summary in store.stories():
        items = store.story_articles(summary.id)
        stories.append(sorted((a.id, {**an.model_dump(), "id": a.id}) for a, an in items))
    return sorted(stories, key=lambda s: s[0][0])


@pytest.mark.slow
def test_ingest_on_local_workers_stores_what_a_local_run_stores(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from storydesk.cli import app
    from tests.test_cli import STORY_A, STORY_B, write_jsonl

    rows = [
        {"id": "a1", "text": STORY_A[0], "date": "2025-03-07", "source": "reuters.com"},
        {"id": "b1", "text": STORY_B, "date": "2025-03-08"},
        {"id": "a2", "text": STORY_A[1], "date": "2025-03-07", "title": "Flood relief package passes"},
    ]
    corpus = write_jsonl(tmp_path / "articles.jsonl", rows)
    runner = CliRunner(env={"COLUMNS": "200", "STORYDESK_QUOTES": "rules"})
    here, there = tmp_path / "here.sqlite", tmp_path / "there.sqlite"
    assert runner.invoke(app, ["ingest", str(corpus), "--db", str(here)]).exit_code == 0
    result = runner.invoke(app, ["-v", "ingest", str(corpus), "--db", str(there), "--dask", "local:2"])
    assert result.exit_code == 0, result.stderr
    assert "3 article(s) added to 2 story(ies)" in result.stderr
    assert "ingesting: 3/3" in result.stderr  # progress as a local run shows it
    assert stored_stories(there) == stored_stories(here)
    assert [len(s) for s in stored_stories(there)] == [2, 1]
    again = runner.invoke(app, ["ingest", str(corpus), "--db", str(there), "--dask", "local:1"])
    assert again.exit_code == 0 and "0 article(s) added" in again.stderr and "3 already stored" in again.stderr


def test_dask_address_and_processes_are_checked_before_anything_is_read(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from storydesk.cli import app

    runner = CliRunner(env={"COLUMNS": "200"})
    db = str(tmp_path / "s.sqlite")
    result = runner.invoke(app, ["ingest", "nothing.txt", "--db", db, "--dask", "local:0"])
    assert result.exit_code == 2 and "local:N" in result.stderr
    result = runner.invoke(app, ["ingest", "nothing.txt", "--db", db, "--dask", "local:2", "-j", "2"])
    assert result.exit_code == 2 and "--processes and --dask" in result.stderr
    assert not Path(db).exists()


@pytest.mark.slow
def test_a_scheduler_is_reached_at_its_address_and_a_missing_one_is_said(monkeypatch: pytest.MonkeyPatch) -> None:
    from distributed import LocalCluster

    with (
        LocalCluster(n_workers=1, threads_per_worker=1, dashboard_address="127.0.0.1:0") as cluster,
        dask_workers.client(cluster.scheduler_address) as client,
    ):
        assert list(dask_workers.map_batches(client, doubled, [[1], [2, 3]])) == [[2], [4, 6]]
    monkeypatch.setattr(dask_workers, "CONNECT_TIMEOUT", "1s")
    with pytest.raises(StorydeskError, match="cannot reach the scheduler"), dask_workers.client("tcp://127.0.0.1:1"):
        pass
