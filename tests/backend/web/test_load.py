"""The bounded load test of issue 7, on the sample case served as users run it (`telarana serve`):
50 concurrent clients for 60 s on search, neighbourhood and path requests, every answer checked.
Zero errors is asserted; throughput and latency are printed (the target p99 <= 500 ms is a
benchmark figure, see benchmarks/load.py, not a timed assertion)."""

from __future__ import annotations

import os

import pytest

from backend.domain.settings import Settings
from backend.store.sqlite import SqliteStore
from benchmarks.load import WARM_UP_SECONDS, Probe, analyst_token, print_result, run_load, sample_case_probes, served

pytestmark = pytest.mark.slow


def test_fifty_clients_for_sixty_seconds_get_only_right_answers(sample_case_db, tmp_path):
    with SqliteStore(sample_case_db) as store:
        probes = sample_case_probes(store)
        cases = [c.id for c in store.cases()]
    assert {p.kind for p in probes} == {"search", "neighbourhood", "path"} and len(probes) >= 20
    env = {**os.environ, "TELARANA_STORE": "sqlite", "TELARANA_SQLITE_PATH": str(sample_case_db), "TELARANA_DATA_DIR": str(tmp_path)}
    # Signed in as an analyst assigned the case, as in production: every read goes through her compartment.
    headers = analyst_token(Settings(_env_file=None, data_dir=tmp_path), cases)
    with served(env) as base:
        run_load(base, probes, clients=50, seconds=WARM_UP_SECONDS, headers=headers)
        result = run_load(base, probes, clients=50, seconds=60, headers=headers)
        baseline = run_load(base, [Probe("health", "/api/health", "status")], clients=50, seconds=10, headers=headers)
    print_result(result, baseline, clients=50, workers=Settings().web_workers)
    assert result.error_count() == 0, dict(result.errors)
    for kind in ("search", "neighbourhood", "path"):
        assert result.requests(kind) > 100, kind  # every kind was exercised, not just the cheapest


def test_a_wrong_answer_counts_as_an_error(sample_case_db, tmp_path):
    env = {**os.environ, "TELARANA_STORE": "sqlite", "TELARANA_SQLITE_PATH": str(sample_case_db), "TELARANA_DATA_DIR": str(tmp_path)}
    with served(env) as base:
        result = run_load(base, [Probe("missing", "/api/entities/person:no-such-id/neighbourhood", "nodes")], clients=2, seconds=1)
    assert result.requests() > 0 and result.error_count() == result.requests()
    assert "404" in result.errors["missing"][0]
