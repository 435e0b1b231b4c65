"""What a case compartment costs per request, and that it changes nothing for a user assigned
the only case in the store.

    python -m benchmarks.compartments [--store sqlite|neo4j] [--rounds 20]

Ingests the sample case (one case) into a fresh store (for neo4j: the server the TELARANA_NEO4J_*
settings name, emptied first), then runs the load benchmark's requests (searches, 2-hop
neighbourhoods, 3 shortest paths) and the entity profiles of the same persons, each in two ways:
  - baseline: the store as an admin reads it (no compartment);
  - compartment: as an analyst assigned the case reads it, through a new ScopedStore for every
    request, as the API makes one per request (so the visible documents and entities are
    worked out each time).
The two must give the same answers, word for word: the case is the whole store. Prints p50 /
p95 in ms for each kind of request and the ratio of the medians.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

from backend.domain.model import GraphFilter
from backend.graph import traversal
from backend.reports.views import entity_profile
from backend.store.interface import GraphStore
from backend.store.scoped import Scope, ScopedStore
from benchmarks.report import percentile, print_table


def requests_of(store: GraphStore) -> list[tuple[str, Callable[[GraphStore], object]]]:
    """The load benchmark's mix, as store reads: its most connected persons' surnames searched,
    their 2-hop neighbourhoods and profiles, and paths between consecutive pairs."""
    degree: dict[str, int] = {}
    for edge in store.all_edges(GraphFilter()):
        for end in (edge.source_id, edge.target_id):
            degree[end] = degree.get(end, 0) + 1
    entities = store.entities(degree)
    persons = sorted((e for e in entities.values() if e.type == "Person"), key=lambda e: (-degree[e.id], e.id))[:12]
    made: list[tuple[str, Callable[[GraphStore], object]]] = []
    for word in sorted({p.label.split()[-1] for p in persons}):
        made.append(("search", lambda s, w=word: s.search(w)))
    for person in persons:
        made.append(("neighbourhood", lambda s, i=person.id: traversal.neighbourhood(s, i, hops=2)))
        made.append(("profile", lambda s, i=person.id: entity_profile(s, i)))
    for a, b in zip(persons, persons[1:] + persons[:1]):
        made.append(("path", lambda s, a=a.id, b=b.id: traversal.paths(s, a, b, k=3)))
    return made


def _dump(answer: object) -> str:
    if isinstance(answer, list):
        return "[" + ",".join(_dump(a) for a in answer) + "]"
    return answer.model_dump_json()


def measure(store: GraphStore, scope: Scope, rounds: int) -> tuple[list[list[str]], int]:
    """Rows of the table, and how many answers differed between baseline and compartment."""
    made = requests_of(store)
    timings: dict[tuple[str, str], list[float]] = {}
    differing = 0
    for _ in range(rounds):
        for kind, read in made:
            started = time.perf_counter()
            plain = read(store)
            middle = time.perf_counter()
            scoped = read(ScopedStore(store, scope))
            ended = time.perf_counter()
            timings.setdefault((kind, "baseline"), []).append((middle - started) * 1000)
            timings.setdefault((kind, "compartment"), []).append((ended - middle) * 1000)
            differing += _dump(plain) != _dump(scoped)
    rows = []
    for kind in ("search", "neighbourhood", "path", "profile"):
        base, inside = sorted(timings[(kind, "baseline")]), sorted(timings[(kind, "compartment")])
        rows.append([kind, f"{len(base):,}", f"{percentile(base, 50):.2f}", f"{percentile(base, 95):.2f}",
                     f"{percentile(inside, 50):.2f}", f"{percentile(inside, 95):.2f}", f"{percentile(inside, 50) / percentile(base, 50):.2f}×"])  # fmt: skip
    return rows, differing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", choices=["sqlite", "neo4j"], default="sqlite")
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()

    from backend.domain.settings import Settings
    from backend.store import open_store
    from ingest.sample_case_builder import CASE_NAME, FOLDER

    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "TELARANA_DATA_DIR": folder, "TELARANA_STORE": args.store}
        env.pop("TELARANA_SQLITE_PATH", None)
        settings = Settings(_env_file=None, data_dir=Path(folder), store=args.store)
        if args.store == "neo4j":
            with open_store(settings) as store:
                store.clear()
        command = [sys.executable, "-m", "backend.cli", "ingest", str(FOLDER), "--case", CASE_NAME, "--no-progress"]
        subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
        with open_store(settings) as store:
            cases = [c.id for c in store.cases()]
            rows, differing = measure(store, Scope(cases=frozenset(cases)), args.rounds)
    print(
        f"compartments on {args.store}: the sample case ({len(cases)} case), {args.rounds} rounds; "
        "baseline: the same reads with no compartment (an admin)"
    )
    print_table(["requests", "count", "baseline p50 ms", "p95 ms", "compartment p50 ms", "p95 ms", "p50 ratio"], rows)
    print(f"answers that differ between baseline and compartment: {differing}")


if __name__ == "__main__":
    main()
