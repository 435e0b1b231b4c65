"""kill -9 the ingest job (`telarana ingest`: read, extract, store, resolve) at random points, ten
times and more, then let it finish: the store holds exactly what one uninterrupted run stores —
the same counts and the same content digest — in SQLite and in Neo4j."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys

import pytest

from backend.store.sqlite import SqliteStore
from tests.factories import generated_corpus

pytestmark = pytest.mark.slow

KILLS = 10


def _command(corpus):
    return [sys.executable, "-m", "backend.cli", "ingest", str(corpus), "--case", "Caso", "--no-progress"]


def _run_to_the_end(corpus, env):
    done = subprocess.run(_command(corpus), env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]


def _kill_at_random_points(corpus, env, stored_documents, seed: int) -> list[tuple[float, int]]:
    """Start the job and kill -9 it after a random delay, KILLS times; returns (delay, documents
    stored when killed) per kill. A run that finishes before its delay is not counted."""
    rng = random.Random(seed)
    kills: list[tuple[float, int]] = []
    while len(kills) < KILLS:
        delay = rng.uniform(0.5, 7.0)
        run = subprocess.Popen(_command(corpus), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            run.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            os.kill(run.pid, signal.SIGKILL)
            run.wait()
            kills.append((delay, stored_documents()))
            continue
        assert run.returncode == 0
        if len(kills) < KILLS:
            # Finished before the kill: nothing left to interrupt, so the test would only kill
            # no-op runs from here on. The corpus must be large enough that this never happens.
            pytest.fail(f"the job finished after {len(kills)} kills; make the corpus bigger")
    return kills


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return generated_corpus(tmp_path_factory.mktemp("crash") / "corpus", 1500, seed=11)


def _env(**settings):
    env = {**os.environ, **{f"TELARANA_{k.upper()}": str(v) for k, v in settings.items()}}
    env.pop("TELARANA_SQLITE_PATH", None)
    return env


def test_sqlite_killed_ten_times_ends_as_one_uninterrupted_run(corpus, tmp_path):
    clean_env = _env(store="sqlite", data_dir=tmp_path / "clean")
    _run_to_the_end(corpus, clean_env)
    with SqliteStore(tmp_path / "clean" / "telarana.sqlite3") as store:
        expected = (store.counts(), store.content_digest(stamps=False))

    env = _env(store="sqlite", data_dir=tmp_path / "killed")
    database = tmp_path / "killed" / "telarana.sqlite3"

    def stored_documents() -> int:
        if not database.exists():
            return 0
        with SqliteStore(database) as store:
            return store.counts()["documents"]

    kills = _kill_at_random_points(corpus, env, stored_documents, seed=7)
    stored = [n for _, n in kills]
    print("kills (seconds after start, documents stored):", kills)
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
    _run_to_the_end(corpus, env)
    expected = (store.counts(), store.content_digest(stamps=False))

    store.clear()
    kills = _kill_at_random_points(corpus, env, lambda: store.counts()["documents"], seed=8)
    print("kills (seconds after start, documents stored):", kills)
    assert sum(0 < n < expected[0]["documents"] for _, n in kills) >= 5, kills
    _run_to_the_end(corpus, env)
    assert (store.counts(), store.content_digest(stamps=False)) == expected
