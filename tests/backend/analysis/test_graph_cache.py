"""The resolved case graphs kept per data version for the analysis routes."""

from __future__ import annotations

import threading
import time

from backend.analysis.graph import CaseGraph, CaseGraphCache
from backend.graph.canonical import Clusters


def _graph(tag: str) -> CaseGraph:
    return CaseGraph(entities={}, edges=[], clusters=Clusters.__new__(Clusters), case_id=tag)


def test_a_graph_is_kept_for_its_data_version_and_the_least_used_goes_first():
    cache = CaseGraphCache(size=2)
    a = cache.get("g1", "case-a", lambda: _graph("a"))
    assert cache.get("g1", "case-a", lambda: _graph("other")) is a and cache.builds == 1
    cache.get("g1", "case-b", lambda: _graph("b"))
    cache.get("g1", "case-a", lambda: _graph("other"))  # a is now the most recently used
    cache.get("g1", "case-c", lambda: _graph("c"))  # b goes
    assert cache.get("g1", "case-a", lambda: _graph("other")) is a
    assert cache.get("g1", "case-b", lambda: _graph("b again")).case_id == "b again" and cache.builds == 4
    # A write is a new generation: nothing built from the older data is served.
    assert cache.get("g2", "case-a", lambda: _graph("a, new data")).case_id == "a, new data"


def test_requests_that_want_a_graph_being_built_wait_for_it():
    cache = CaseGraphCache()
    started = threading.Event()

    def slow_build():
        started.set()
        time.sleep(0.3)
        return _graph("built once")

    found: list[CaseGraph] = []
    first = threading.Thread(target=lambda: found.append(cache.get("g1", "k", slow_build)))
    first.start()
    started.wait(5)
    found.append(cache.get("g1", "k", lambda: _graph("built twice")))
    first.join(5)
    assert [g.case_id for g in found] == ["built once", "built once"] and cache.builds == 1


def test_a_build_that_fails_is_not_kept():
    cache = CaseGraphCache()

    def failing():
        raise TimeoutError("too slow")

    try:
        cache.get("g1", "k", failing)
    except TimeoutError:
        pass
    assert cache.get("g1", "k", lambda: _graph("second try")).case_id == "second try"


def test_size_zero_keeps_nothing():
    cache = CaseGraphCache(size=0)
    cache.get("g1", "k", lambda: _graph("a"))
    assert cache.get("g1", "k", lambda: _graph("b")).case_id == "b"


def test_a_graph_keeps_a_bounded_number_of_figures_the_least_recently_asked_for_going_first():
    from backend.analysis.graph import DERIVED_KEPT

    graph = _graph("a")
    builds: list[str] = []

    def figure(name: str) -> str:
        return graph.derived(("network view", name), lambda: builds.append(name) or f"view {name}")

    assert figure("first") == "view first"
    for period in range(DERIVED_KEPT - 1):
        figure(f"period {period}")
    assert figure("first") == "view first" and builds.count("first") == 1  # kept, and now the most recent
    figure("one more")  # over the bound: "period 0", the least recently asked for, goes
    assert len(graph._derived) == DERIVED_KEPT and not graph._building
    assert figure("first") == "view first" and builds.count("first") == 1
    figure("period 0")
    assert builds.count("period 0") == 2
