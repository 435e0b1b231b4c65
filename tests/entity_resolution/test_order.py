"""Resolution does not depend on the order files arrive in: ingesting a case one file at a time
in any order, resolving after each ingest as `telarana ingest` does, ends with exactly the person
clusters of ingesting everything and resolving once; on both stores."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from backend.domain.vocabulary import EntityType
from backend.graph.canonical import Clusters
from entity_resolution.graph import resolve_persons
from ingest.job import discover, ingest_paths
from ingest.sample_case_builder import CASE_NAME, FOLDER

pytestmark = pytest.mark.slow

SHARED_CASE = Path(__file__).resolve().parents[3] / "shared" / "cases" / "operacion-frontera" / "files"


def _clusters(store) -> frozenset[frozenset[str]]:
    ids = sorted(store.all_entity_ids())
    persons = [i for i, kind in store.entity_types(ids).items() if kind == EntityType.PERSON]
    clusters = Clusters(store)
    return frozenset(frozenset(clusters.members(i)) for i in persons)


def _one_file_at_a_time(store, files: list[Path], case: str) -> frozenset[frozenset[str]]:
    store.clear()
    for path in files:
        ingest_paths([path], store, case)
        resolve_persons(store, incremental=True)
    return _clusters(store)


def _all_at_once(store, files: list[Path], case: str) -> frozenset[frozenset[str]]:
    store.clear()
    ingest_paths(files, store, case)
    resolve_persons(store)
    return _clusters(store)


@pytest.mark.parametrize("folder,case", [(SHARED_CASE, "Operación Frontera"), (FOLDER, CASE_NAME)], ids=["shared-case", "sample-case"])
def test_the_clusters_are_the_same_whatever_order_the_files_arrive_in(store, folder, case):
    if not folder.is_dir():
        pytest.fail(f"{folder} is missing: the shared case sits beside the repository (../shared)")
    files = discover([folder])
    expected = _all_at_once(store, files, case)
    assert any(len(c) > 1 for c in expected)  # something was resolved
    for seed in (1, 2):
        shuffled = files[:]
        random.Random(seed).shuffle(shuffled)
        assert _one_file_at_a_time(store, shuffled, case) == expected, f"order of seed {seed}: {[p.name for p in shuffled]}"
