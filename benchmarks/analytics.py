"""Wall time of the analyses on a generated case graph (SQLite store).

    python -m benchmarks.analytics [--nodes 100000] [--db PATH]

Builds (once; reused while the file exists) a graph of about --nodes entities (persons,
phones, IDs, bus legs with departures from 50 terminals and 5 companies, flights with 6
passengers, calls inside networks) and times, each against the natural baseline on the same
data in the same run:
  - loading the resolved case graph (case_graph) vs one bare SQL read of all relationships
    into networkx;
  - brokers: our centrality (persons network, degree + betweenness sampled from 200 sources,
    + Louvain) vs networkx's betweenness (same sampling) on the bare graph;
  - communities: Louvain and label propagation on the whole graph vs networkx's Louvain on the
    bare graph;
  - co-travel (all three kinds, ±12 h) vs a bare SQL self-join that lists same-flight pairs
    (the counts of flight pairs must agree);
  - common contacts of two phones vs a bare SQL query (the contacts must agree).
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import time
from pathlib import Path

import networkx as nx

from backend.analysis.calls import common_contacts
from backend.analysis.centrality import centrality, communities
from backend.analysis.graph import case_graph
from backend.analysis.travel import co_travel
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args()
    path = args.db or OUTPUT / f"analytics-{args.nodes}.sqlite3"
    build(path, args.nodes)
    rows = []
    with SqliteStore(path) as store:
        graph, load_s = timed(lambda: case_graph(store))

        def bare_graph():
            bare = nx.Graph()
            with sqlite3.connect(path) as conn:
                bare.add_edges_from(conn.execute("SELECT source_id, target_id FROM relationships"))
            return bare

        bare, bare_load_s = timed(bare_graph)
        rows.append(("load the case graph", f"{graph.simple().number_of_nodes():,} nodes, {graph.simple().number_of_edges():,} ties",
                     f"{load_s:.1f}", "bare SQL read into networkx", f"{bare_load_s:.1f}"))  # fmt: skip

        brokers, brokers_s = timed(lambda: centrality(graph, network="persons", types={"Person"}, top=10))
        _, bare_between_s = timed(lambda: nx.betweenness_centrality(bare, k=200, seed=7))
        rows.append(("brokers (persons network: degree, betweenness k=200, Louvain)",
                     f"{brokers.nodes:,} persons, top {brokers.rows[0].betweenness:.4f}", f"{brokers_s:.1f}",
                     "networkx betweenness k=200, bare graph", f"{bare_between_s:.1f}"))  # fmt: skip

        louvain, louvain_s = timed(lambda: communities(graph.simple(), "louvain"))
        propagation, propagation_s = timed(lambda: communities(graph.simple(), "label_propagation"))
        bare_louvain, bare_louvain_s = timed(lambda: nx.community.louvain_communities(bare, seed=7))
        rows.append(("communities: Louvain, whole graph", f"{max(louvain.values()):,} communities", f"{louvain_s:.1f}",
                     "networkx Louvain, bare graph", f"{bare_louvain_s:.1f} ({len(bare_louvain):,})"))  # fmt: skip
        rows.append(
            ("communities: label propagation, whole graph", f"{max(propagation.values()):,} communities", f"{propagation_s:.1f}", "", "")
        )

        travel, travel_s = timed(lambda: co_travel(store, graph, hours=12))
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
    print(f"analytics: generated case graph, {args.nodes:,} nodes requested, SQLite store, wall time in seconds")
    print_table(("analysis", "result", "ours s", "baseline", "baseline s"), rows)
    print(f"peak RSS {peak_rss_mib():,.0f} MiB")


if __name__ == "__main__":
    main()
