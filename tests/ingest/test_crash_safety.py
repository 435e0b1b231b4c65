"""kill -9 the ingest job (`telarana ingest`: read, extract, store, resolve) at random points, ten
times and more, then let it finish: the store holds exactly what one uninterrupted run stores —
the same counts and the same content digest — in SQLite and in Neo4j."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path
from typing import Callable

import pytest

from backend.store.sqlite import SqliteStore
from tests.factories import generated_corpus

pytestmark = pytest.mark.slow

KILLS = 10
# Kills while the job starts (before it stores anything); the others land after its first write.
KILLS_WHILE_STARTING = 2


def _command(corpus):
    return [sys.executable, "-m", "backend.cli", "ingest", str(corpus), "--case", "Caso", "--no-progress"]


def _run_to_the_end(corpus, env):
    done = subprocess.run(_command(corpus), env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]


def _run_timing_the_first_write(corpus, env, stored_documents: Callable[[], int], log: Path) -> float:
    """Run the job to the end; return how many seconds after its start it had stored a document
    (polled). Loading the language model takes from 1.5 s to 7 s on machines of this kind, so
    kills timed from the start alone can all land before the job has written anything."""
    started = time.monotonic()
    first_write = None
    with log.open("w") as output:
        run = subprocess.Popen(_command(corpus), env=env, stdout=output, stderr=subprocess.STDOUT)
        try:
            while run.poll() is None:
                if first_write is None and stored_documents() > 0:
                    first_write = time.monotonic() - started
                time.sleep(0.2)
        finally:
            if run.poll() is None:
                run.kill()
            run.wait()
    assert run.returncode == 0, log.read_text()[-4000:]
    return first_write if first_write is not None else time.monotonic() - started


def _kill_at_random_points(corpus, env, stored_documents, seed: int, first_write: float) -> list[tuple[float, int]]:
    """Start the job and kill -9 it, KILLS times: the first ones at a random point while it starts
    (before `first_write`, when the uninterrupted run first wrote), the others at a random point
    up to 6 s after the run has written something (polled: a run that resumes starts writing
    sooner than a first run). Returns (seconds after start, documents stored when killed) per
    kill. A run that finishes before its kill fails the test: the corpus is too small."""
    rng = random.Random(seed)
    kills: list[tuple[float, int]] = []
    while len(kills) < KILLS:
        stored_before = stored_documents()
        started = time.monotonic()
        run = subprocess.Popen(_command(corpus), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if len(kills) < KILLS_WHILE_STARTING:
            delay = rng.uniform(0.3, max(0.4, first_write))
        else:
            while run.poll() is None and stored_documents() <= stored_before:
                time.sleep(0.2)
            delay = time.monotonic() - started + rng.uniform(0.2, 6.0)
        try:
            run.wait(timeout=max(0.0, delay - (time.monotonic() - started)))
        except subprocess.TimeoutExpired:
            os.kill(run.pid, signal.SIGKILL)
            run.wait()
            kills.append((delay, stored_documents()))
            continue
        assert run.returncode == 0
        # Finished before the kill: nothing left to interrupt, so the test would only kill
        # no-op runs from here on.
        pytest.fail(f"the job finished after {len(kills)} kills; make the corpus bigger")
    return kills


def _sqlite_documents(database: Path) -> Callable[[], int]:
    """Documents stored in a SQLite file, read-only, so it can be asked while the job writes."""

    def stored() -> int:
        if not database.exists():
            return 0
        try:
            with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5)) as conn:
                return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        except sqlite3.OperationalError:  # the schema is not there yet
            return 0

    return stored


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return generated_corpus(tmp_path_factory.mktemp("crash") / "corpus", 1500, seed=11)


def _env(**settings):
    env = {**os.environ, **{f"TELARANA_{k.upper()}": str(v) for k, v in settings.items()}}
    env.pop("TELARANA_SQLITE_PATH", None)
    return env


def test_sqlite_killed_ten_times_ends_as_one_uninterrupted_run(corpus, tmp_path):
    clean_env = _env(store="sqlite", data_dir=tmp_path / "clean")
    first_write = _run_timing_the_first_write(
        corpus, clean_env, _sqlite_documents(tmp_path / "clean" / "telarana.sqlite3"), tmp_path / "clean.log"
    )
    with SqliteStore(tmp_path / "clean" / "telarana.sqlite3") as store:
        expected = (store.counts(), store.content_digest(stamps=False))

    env = _env(store="sqlite", data_dir=tmp_path / "killed")
    database = tmp_path / "killed" / "telarana.sqlite3"
    kills = _kill_at_random_points(corpus, env, _sqlite_documents(database), seed=7, first_write=first_write)
    stored = [n for _, n in kills]
    print(f"first write after {first_write:.1f} s; kills (seconds after start, documents stored):", kills)
    assert len(kills) >= 10
    # Most kills must land part-way through the documents, not all before or after them.
    assert sum(0 < n < expected[0]["documents"] for n in stored) >= 5, kills
    _run_to_the_end(corpus, env)
    with SqliteStore(database) as store:
        assert (store.counts(), store.content_digest(stamps=False)) == expected


@pytest.mark.neo4j
def test_neo4j_killed_ten_times_ends_as_one_uninterrupted_run(corpus, tmp_path, neo4j_server, neo4j_store_session):
    uri, user, password = neo4j_server
    env = _env(store="neo4j", data_dir=tmp_path / "data", neo4j_uri=uri, neo4j_user=user, neo4j_password=password)
    store = neo4j_store_session
    store.clear()
    first_write = _run_timing_the_first_write(corpus, env, lambda: store.counts()["documents"], tmp_path / "clean.log")
    expected = (store.counts(), store.content_digest(stamps=False))

    store.clear()
    kills = _kill_at_random_points(corpus, env, lambda: store.counts()["documents"], seed=8, first_write=first_write)
    print(f"first write after {first_write:.1f} s; kills (seconds after start, documents stored):", kills)
    assert sum(0 < n < expected[0]["documents"] for _, n in kills) >= 5, kills
    _run_to_the_end(corpus, env)
    assert (store.counts(), store.content_digest(stamps=False)) == expected
