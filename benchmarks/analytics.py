"""Wall time of the analyses on a generated case graph (SQLite store), before and after.

    python -m benchmarks.analytics [--nodes 100000] [--db PATH] [--exact]

Builds (once; reused while the file exists) a graph of about --nodes entities (persons,
phones, IDs, bus legs with departures from 50 terminals and 5 companies, flights with 6
passengers, calls inside networks) and times, each against the natural baseline on the same
data in the same run:
  - loading the resolved case graph (case_graph), cold and as the analysis routes find it kept
    for the data version, vs one bare SQL read of all relationships into networkx;
  - brokers (persons network, degree + betweenness from 200 sampled sources in igraph + Leiden),
    first request and again, vs what the analyses did before: networkx's betweenness (same
    sample) and Louvain on the same persons network; the sample's error against the exact
    betweenness (igraph, every source; with --exact worked out and kept in output/, else read
    from there when kept);
  - communities: Leiden and label propagation (igraph) on the whole graph vs networkx's Louvain;
  - co-travel (all three kinds, ±12 h) vs a bare SQL self-join that lists same-flight pairs
    (the counts of flight pairs must agree);
  - common contacts of two phones vs a bare SQL query (the contacts must agree);
  - the analysis page: the five requests it makes on opening, through the API, first and
    again, vs the same with no graph kept (each request builds its own, as before).
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import time
from pathlib import Path

import networkx as nx

from backend.analysis.calls import common_contacts
from backend.analysis.centrality import BETWEENNESS_SAMPLE, SEED, betweenness, centrality, communities, network_in_igraph, person_network
from backend.analysis.graph import CaseGraphCache, case_graph
from backend.analysis.travel import co_travel
from backend.graph import compiled
from backend.graph.compiled import IndexedGraph
from backend.store.sqlite import SqliteStore
from benchmarks.generate import analytics_graph
from benchmarks.report import peak_rss_mib, print_table

OUTPUT = Path(__file__).parent / "output"
BARE_FLIGHT_PAIRS = """
SELECT COUNT(*) FROM (
  SELECT DISTINCT a.target_id, a.source_id, b.source_id FROM relationships a JOIN relationships b
    ON a.target_id = b.target_id AND a.source_id < b.source_id
  WHERE a.type = 'PASSENGER_ON' AND b.type = 'PASSENGER_ON'
)
"""
BARE_COMMON_CONTACTS = """
WITH contacts(phone, other) AS (
    SELECT source_id, target_id FROM relationships WHERE type = 'CALLED'
    UNION SELECT target_id, source_id FROM relationships WHERE type = 'CALLED'
)
SELECT DISTINCT a.other FROM contacts a JOIN contacts b ON a.other = b.other
WHERE a.phone = :left AND b.phone = :right AND a.other NOT IN (:left, :right)
"""


def build(path: Path, nodes: int) -> None:
    marker = path.with_suffix(".complete")
    if marker.exists() and path.exists():
        print(f"reusing {path}")
        return
    for stale in (path, marker, Path(f"{path}-wal"), Path(f"{path}-shm")):
        stale.unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with SqliteStore(path) as store:
        for batch in analytics_graph(nodes):
            store.write(batch)
        counts = store.counts()
    print(f"built {sum(counts['entities'].values()):,} entities, {sum(counts['relationships'].values()):,} relationships "
          f"in {time.perf_counter() - started:.1f} s")  # fmt: skip
    marker.write_text("ok")


def timed(work):
    started = time.perf_counter()
    result = work()
    return result, time.perf_counter() - started


# The requests the analysis page makes when it opens (frontend/static/analysis.js).
PAGE_REQUESTS = (
    ("/api/analysis/centrality", {"network": "persons", "top": 25}),
    ("/api/analysis/network", {}),
    ("/api/analysis/co-travel", {"hours": 12}),
    ("/api/analysis/calls/burners", {"window_hours": 72}),
    ("/api/analysis/cross-border", {}),
)


def page_seconds(path: Path, cached_graphs: int, times: int) -> list[float]:
    """Seconds the analysis page's requests take together, opened `times` times in a row."""
    from fastapi.testclient import TestClient

    from backend.domain.settings import Settings
    from backend.web.app import create_app

    settings = Settings(pseudonym_key="benchmark-key", cached_case_graphs=cached_graphs, request_seconds=3600)
    seconds = []
    with TestClient(create_app(lambda: SqliteStore(path), settings=settings)) as client:
        for _ in range(times):
            started = time.perf_counter()
            for route, params in PAGE_REQUESTS:
                answer = client.get(route, params=params)
                assert answer.status_code == 200, (route, answer.status_code, answer.text[:300])
            seconds.append(time.perf_counter() - started)
    return seconds


def sampling_error(graph: nx.Graph, sampled: dict[str, float], exact_file: Path, work_out: bool) -> str:
    """How far the sampled betweenness is from the exact one: the largest error (in the
    normalised figure) and how many of the exact top 10 the sample ranks in its top 10."""
    if work_out and not exact_file.exists():
        n = graph.number_of_nodes()
        exact, seconds = timed(lambda: {v: 2 * b / ((n - 1) * (n - 2)) for v, b in compiled.betweenness(IndexedGraph.of(graph)).items()})
        exact_file.write_text(json.dumps({"seconds": seconds, "betweenness": exact}))
    if not exact_file.exists():
        return "exact figures not kept (run with --exact once)"
    kept = json.loads(exact_file.read_text())
    exact = kept["betweenness"]
    top = lambda figures: {n for n, _ in sorted(figures.items(), key=lambda item: (-item[1], item[0]))[:10]}  # noqa: E731
    worst = max(abs(sampled[n] - exact[n]) for n in exact)
    return (f"largest error {worst:.5f} (top figure {max(exact.values()):.5f}); exact top 10 in sampled top 10: "
            f"{len(top(exact) & top(sampled))}/10; exact took {kept['seconds']:.0f} s")  # fmt: skip


def store_rows(path: Path, exact: bool) -> tuple[list[tuple], list[str]]:
    """The analyses timed on the store, each with its baseline; and notes to print below."""
    rows: list[tuple] = []
    notes: list[str] = []
    with SqliteStore(path) as store:
        graph, load_s = timed(lambda: case_graph(store))
        cache = CaseGraphCache()
        cache.get(store.generation(), "all", lambda: graph)
        _, kept_s = timed(lambda: cache.get(store.generation(), "all", lambda: case_graph(store)))

        def bare_graph():
            bare = nx.Graph()
            with sqlite3.connect(path) as conn:
                bare.add_edges_from(conn.execute("SELECT source_id, target_id FROM relationships"))
            return bare

        bare, bare_load_s = timed(bare_graph)
        rows.append(("load the case graph", f"{graph.simple().number_of_nodes():,} nodes, {graph.simple().number_of_edges():,} ties",
                     f"{load_s:.1f}", "bare SQL read into networkx", f"{bare_load_s:.1f}"))  # fmt: skip
        rows.append(("the case graph kept for the data version", "the same graph", f"{kept_s:.3f}", "", ""))

        brokers, brokers_s = timed(lambda: centrality(graph, network="persons", types={"Person"}, top=10))
        _, again_s = timed(lambda: centrality(graph, network="persons", types={"Person"}, top=25))
        persons = person_network(graph)
        _, before_between_s = timed(lambda: nx.betweenness_centrality(persons, k=BETWEENNESS_SAMPLE, seed=SEED))
        _, before_louvain_s = timed(lambda: nx.community.louvain_communities(persons, weight="weight", seed=SEED))
        rows.append((f"brokers (persons network: degree, betweenness k={BETWEENNESS_SAMPLE} in igraph, Leiden)",
                     f"{brokers.nodes:,} persons, {brokers.edges:,} ties, {brokers.communities} communities, top {brokers.rows[0].betweenness:.4f}",
                     f"{brokers_s:.1f}", f"networkx betweenness k={BETWEENNESS_SAMPLE} + Louvain, same network",
                     f"{before_between_s + before_louvain_s:.1f}"))  # fmt: skip
        rows.append(("brokers again (the graph's figures kept)", "the same rows", f"{again_s:.3f}", "", ""))
        sampled, _ = betweenness(network_in_igraph(graph, "persons"))
        notes.append("betweenness from 200 sampled sources against the exact figures: "
                     + sampling_error(persons, sampled, path.with_suffix(".exact-betweenness.json"), exact))  # fmt: skip

        simple = graph.simple()
        leiden, leiden_s = timed(lambda: communities(simple, "leiden"))
        propagation, propagation_s = timed(lambda: communities(simple, "label_propagation"))
        bare_louvain, bare_louvain_s = timed(lambda: nx.community.louvain_communities(bare, seed=SEED))
        rows.append(("communities: Leiden (igraph), whole graph", f"{max(leiden.values()):,} communities", f"{leiden_s:.1f}",
                     "networkx Louvain, bare graph", f"{bare_louvain_s:.1f} ({len(bare_louvain):,})"))  # fmt: skip
        rows.append(
            ("communities: label propagation, whole graph", f"{max(propagation.values()):,} communities", f"{propagation_s:.1f}", "", "")
        )

        travel, travel_s = timed(lambda: co_travel(store, case_graph(store), hours=12))
        with sqlite3.connect(path) as conn:
            (bare_pairs,), bare_pairs_s = timed(lambda: conn.execute(BARE_FLIGHT_PAIRS).fetchone())
        flight_pairs = sum(1 for c in travel if c.kind == "flight")
        kinds = {k: sum(1 for c in travel if c.kind == k) for k in ("flight", "bus_departure", "route_leg")}
        rows.append(("co-travel ±12 h (flight, bus departure, route leg; with evidence)", ", ".join(f"{k} {v:,}" for k, v in kinds.items()),
                     f"{travel_s:.1f}", "bare SQL same-flight self-join", f"{bare_pairs_s:.1f} ({bare_pairs:,} pairs)"))  # fmt: skip
        assert flight_pairs == bare_pairs, f"flight pairs differ: ours {flight_pairs}, bare SQL {bare_pairs}"

        rng = random.Random(5)
        phones = sorted(i for i in graph.entities if i.startswith("phone-"))
        samples = [tuple(rng.sample(phones[:500], 2)) for _ in range(20)]
        ours_total = bare_total = 0.0
        for left, right in samples:
            found, seconds = timed(lambda: common_contacts(graph, [left, right]))
            ours_total += seconds
            with sqlite3.connect(path) as conn:
                bare_found, seconds = timed(lambda: {r[0] for r in conn.execute(BARE_COMMON_CONTACTS, {"left": left, "right": right})})
            bare_total += seconds
            assert {c.phone.id for c in found.contacts} == bare_found, (left, right)
        rows.append(("common contacts of two phones (mean of 20, graph loaded)", "same contacts as SQL", f"{ours_total / 20:.3f}",
                     "bare SQL (mean of 20)", f"{bare_total / 20:.3f}"))  # fmt: skip
    return rows, notes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--exact", action="store_true", help="work out the exact betweenness once (minutes) to state the sample's error")
    args = parser.parse_args()
    path = args.db or OUTPUT / f"analytics-{args.nodes}.sqlite3"
    build(path, args.nodes)
    rows, notes = store_rows(path, args.exact)
    first, again = page_seconds(path, cached_graphs=4, times=2)
    unkept = page_seconds(path, cached_graphs=0, times=1)[0]
    rows.append(("analysis page: its 5 requests, first opening", "graph built once, shared", f"{first:.1f}",
                 "no graph kept (each request builds its own)", f"{unkept:.1f}"))  # fmt: skip
    rows.append(("analysis page: opened again (warm)", "", f"{again:.1f}", "", ""))
    print(f"analytics: generated case graph, {args.nodes:,} nodes requested, SQLite store, wall time in seconds")
    print_table(("analysis", "result", "ours s", "baseline", "baseline s"), rows)
    for note in notes:
        print(note)
    print(f"peak RSS {peak_rss_mib():,.0f} MiB")


if __name__ == "__main__":
    main()
