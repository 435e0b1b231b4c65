"""Screening at transit points on a generated day of departures (benchmarks/departures.py):
precision and recall per indicator, and the time per 10,000 rows, against the natural baseline:
checking each passenger's name against the names of a case's suspects, as a printed list at a
terminal does.

A flag is right when its rows overlap a planted pattern (any: an escort who also paid three
young women's tickets is a right flag of the buyer indicator too); an indicator's recall is the
share of the patterns planted for it that a flag of that indicator found.

    python -m benchmarks.screening [ROWS]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from backend.analysis.screening import known_index, name_key, screen_rows
from backend.domain.screening import Indicator
from backend.store.sqlite import SqliteStore
from benchmarks.departures import INDICATORS, generate
from ingest.job import ingest_paths
from ingest.travel_rows import travel_rows

CASE = "case:terminal-pereira"
HIGH = 0.8  # the flags a first responder reviews first (the page lists them by score)


def main(rows: int = 10_000) -> None:
    data = generate(rows=rows)
    with tempfile.TemporaryDirectory() as folder, SqliteStore(Path(folder) / "g.sqlite3") as store:
        known_file = Path(folder) / "abonados_caso_conocido.csv"
        known_file.write_text(data.known_subscribers, "utf-8")
        ingest_paths([known_file], store, "Caso conocido")
        known = known_index(store)
        history = []
        for number, text in enumerate(data.history):
            history += travel_rows(text.encode("utf-8"), f"ventas_{number}.csv", f"{number:064d}")
        started = time.perf_counter()
        today = travel_rows(data.today.encode("utf-8"), "ventas_hoy.csv", "f" * 64)
        read = time.perf_counter() - started
        started = time.perf_counter()
        flags = screen_rows(today, CASE, known, history)
        screened = time.perf_counter() - started

    planted_rows = set().union(*(rows for instances in data.planted.values() for rows in instances))
    print(f"screening: a generated day of departures, {len(today)} rows today, {len(history)} rows of the {len(data.history)} days before")
    print(f"planted patterns: {', '.join(f'{k} {len(v)}' for k, v in data.planted.items())}")
    print(f"{'indicator':24} {'flags':>6} {'right':>6} {'precision':>9} {'found':>7} {'recall':>7}   score ≥ {HIGH}: flags, precision")
    for indicator in INDICATORS:
        mine = [f for f in flags if f.indicator is Indicator(indicator)]
        right = [f for f in mine if set(f.rows) & planted_rows]
        instances = data.planted[indicator]
        found = [rows for rows in instances if any(set(f.rows) & rows for f in mine)]
        precision = len(right) / len(mine) if mine else 0.0
        recall = len(found) / len(instances) if instances else 0.0
        high = [f for f in mine if f.score >= HIGH]
        high_right = sum(1 for f in high if set(f.rows) & planted_rows)
        print(f"{indicator:24} {len(mine):>6} {len(right):>6} {precision:>9.2f} {len(found):>3}/{len(instances):<3} {recall:>7.2f}   "
              f"{len(high):>5}, {high_right / len(high) if high else 0:.2f}")  # fmt: skip
    everything = [rows for instances in data.planted.values() for rows in instances]
    found_any = [rows for rows in everything if any(set(f.rows) & rows for f in flags)]
    print(f"{'all indicators':24} {len(flags):>6} {sum(1 for f in flags if set(f.rows) & planted_rows):>6} "
          f"{sum(1 for f in flags if set(f.rows) & planted_rows) / max(1, len(flags)):>9.2f} {len(found_any):>3}/{len(everything):<3} "
          f"{len(found_any) / len(everything):>7.2f}")  # fmt: skip

    # Baseline: the suspects' names on a list, each passenger's name checked against it.
    names = set(known.names)
    hits = [r for r in today if name_key(r.passenger) in names]
    right = [r for r in hits if r.row in planted_rows]
    found_known = [rows for rows in data.planted["known"] if any(r.row in rows for r in hits)]
    found_all = [rows for rows in everything if any(r.row in rows for r in hits)]
    print(f"baseline (names on a list) flags {len(hits)}, right {len(right)}, precision {len(right) / max(1, len(hits)):.2f}; "
          f"recall of known {len(found_known)}/{len(data.planted['known'])} = {len(found_known) / len(data.planted['known']):.2f}; "
          f"recall of every pattern {len(found_all)}/{len(everything)} = {len(found_all) / len(everything):.2f}")  # fmt: skip
    per_10k = 10_000 / len(today)
    print(f"time per 10,000 rows: reading {read * per_10k:.2f} s, screening {screened * per_10k:.2f} s "
          f"(history of {len(history)} rows included)")  # fmt: skip


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
