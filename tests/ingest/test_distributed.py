"""Ingest on a Dask cluster: reading and analysis run as tasks on workers, writes stay in the
job's process, and the graph is the one a run in one process stores — also when a worker is
killed in the middle of the run, and when the cluster is a running one named by its scheduler."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from backend.store.originals import Originals
from backend.store.sqlite import SqliteStore
from ingest.job import ingest_paths
from ingest.sample_case_builder import CASE_NAME, FOLDER
from tests.factories import generated_corpus

pytestmark = [pytest.mark.slow, pytest.mark.cluster]


def _alone(paths, tmp_path: Path, name: str) -> tuple[str, set[str], int]:
    """The content digest, kept originals and documents stored of a run in one process."""
    with SqliteStore(tmp_path / f"{name}.sqlite3") as store:
        summary = ingest_paths(paths, store, CASE_NAME, originals=Originals(tmp_path / f"{name}-originals"))
        assert not summary.failed
        return store.content_digest(stamps=False), _kept(tmp_path / f"{name}-originals"), summary.count("stored")


def _kept(folder: Path) -> set[str]:
    return {p.name for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return generated_corpus(tmp_path_factory.mktemp("cluster") / "corpus", 30, seed=23)


@pytest.fixture(scope="module")
def sample_alone(tmp_path_factory):
    """The sample case ingested in one process: what every cluster run must store."""
    return _alone([FOLDER], tmp_path_factory.mktemp("alone"), "alone")


def test_a_local_cluster_of_two_workers_stores_what_one_process_stores(sample_alone, tmp_path):
    expected = sample_alone
    with SqliteStore(tmp_path / "cluster.sqlite3") as store:
        summary = ingest_paths([FOLDER], store, CASE_NAME, workers=2, originals=Originals(tmp_path / "cluster-originals"))
        assert not summary.failed
        assert (store.content_digest(stamps=False), _kept(tmp_path / "cluster-originals"), summary.count("stored")) == expected
        again = ingest_paths([FOLDER], store, CASE_NAME, workers=2)  # idempotent: stored files are not sent to the cluster
        files = [p for p in FOLDER.iterdir() if not p.name.startswith(".")]
        assert again.count("stored") == 0 and again.count("unchanged") == len(files)  # an e-mail's attachments come with it
        assert store.content_digest(stamps=False) == expected[0]


def test_a_killed_workers_files_are_read_again_and_the_graph_equals_an_uninterrupted_run(corpus, tmp_path):
    from distributed import Client, LocalCluster

    expected, _, stored = _alone([corpus], tmp_path, "alone")
    killed: list[tuple[str, int]] = []
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address="127.0.0.1:0") as cluster, \
            Client(cluster, set_as_default=False) as watcher:  # fmt: skip

        def kill_a_busy_worker(done: int, total: int, path: str) -> None:
            if done != 6 or killed:
                return
            pids = watcher.run(os.getpid)
            busy = sorted((len(tasks), worker) for worker, tasks in watcher.processing().items() if tasks)
            assert busy, "no worker had a file in hand when the test meant to kill one"
            tasks, worker = busy[-1]
            os.kill(pids[worker], signal.SIGKILL)
            killed.append((worker, tasks))

        with SqliteStore(tmp_path / "killed.sqlite3") as store:
            summary = ingest_paths([corpus], store, CASE_NAME, scheduler=cluster.scheduler_address, on_progress=kill_a_busy_worker)
            assert killed and killed[0][1] >= 1
            assert not summary.failed, [(o.path, o.reason) for o in summary.failed]
            assert summary.count("stored") == stored
            assert store.content_digest(stamps=False) == expected


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory):
    """The running cluster CI starts (TELARANA_TEST_DASK_SCHEDULER), or one started here the same
    way: `dask scheduler` and two `dask worker` processes."""
    named = os.environ.get("TELARANA_TEST_DASK_SCHEDULER")
    if named:
        yield named
        return
    folder = tmp_path_factory.mktemp("dask")
    dask = Path(sys.executable).parent / "dask"
    started = [subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                 "--dashboard-address", "127.0.0.1:0", "--scheduler-file", folder / "scheduler.json"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]  # fmt: skip
    try:
        for _ in range(300):
            if (folder / "scheduler.json").exists():
                break
            time.sleep(0.1)
        for _ in range(2):
            started.append(subprocess.Popen([dask, "worker", "--scheduler-file", folder / "scheduler.json", "--nthreads", "1",
                                             "--no-dashboard"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))  # fmt: skip
        import json

        yield json.loads((folder / "scheduler.json").read_text())["address"]
    finally:
        for process in reversed(started):
            process.terminate()
        for process in started:
            process.wait(timeout=30)


def test_the_ingest_command_uses_the_running_cluster_its_scheduler_names(scheduler, sample_alone, tmp_path):
    from distributed import Client

    with Client(scheduler, set_as_default=False) as client:
        client.wait_for_workers(2, timeout=120)
    expected = sample_alone[0]
    env = {**os.environ, "TELARANA_DATA_DIR": str(tmp_path / "data"), "TELARANA_STORE": "sqlite"}
    env.pop("TELARANA_SQLITE_PATH", None)
    command = [sys.executable, "-m", "backend.cli", "ingest", str(FOLDER), "--case", CASE_NAME, "--no-progress", "--no-resolve",
               "--scheduler", scheduler]  # fmt: skip
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    with SqliteStore(tmp_path / "data" / "telarana.sqlite3") as store:
        assert store.content_digest(stamps=False) == expected
    with Client(scheduler, set_as_default=False) as client:
        worked = client.run(lambda: __import__("sys").modules.get("ingest.pipeline") is not None)
    assert sum(worked.values()) >= 1  # the language model ran on the cluster's workers


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path):
    env = {**os.environ, "TELARANA_DATA_DIR": str(tmp_path / "data"), "TELARANA_STORE": "sqlite"}
    env.pop("TELARANA_SQLITE_PATH", None)
    command = [sys.executable, "-m", "backend.cli", "ingest", str(FOLDER), "--no-progress", "--scheduler", "tcp://127.0.0.1:9"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode != 0 and "no Dask scheduler answered at tcp://127.0.0.1:9" in done.stderr and "Traceback" not in done.stderr
    bad = subprocess.run([*command[:-1], "10.0.0.5"], env=env, capture_output=True, text=True, timeout=300)
    assert bad.returncode == 2 and "is not a scheduler address" in bad.stderr
