"""Entity resolution at scale: 100,000 generated person records end to end (records built
from raw values, blocking, comparisons, training, clustering), wall time and peak RSS, side
by side with Splink (DuckDB) on the same records. Each run in its own process.

    python -m benchmarks.er_scale [--records 100000]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time

from benchmarks.report import peak_rss_mib, print_table

TARGET_SECONDS = 60
TARGET_RSS_MIB = 4096
TARGET_F1 = 0.95


def _run(method: str, records: int) -> dict:
    from benchmarks.er_data import generate_rows
    from benchmarks.er_quality import splink_clusters, telarana_clusters
    from entity_resolution.metrics import score_clusters

    rows = generate_rows(records, seed=3)
    before = peak_rss_mib()
    started = time.perf_counter()
    clusters = telarana_clusters(rows) if method == "telarana" else splink_clusters(rows)
    seconds = time.perf_counter() - started
    if clusters is None:
        return {"missing": True}
    scores = score_clusters(clusters, [r.person_id for r in rows])
    return {
        "seconds": seconds,
        "rss_mib": peak_rss_mib(),
        "rss_before_mib": before,
        "pair_f1": scores.pairwise_f1,
        "clusters": len(set(clusters)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--method", choices=["telarana", "splink"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.method:
        print(json.dumps(_run(args.method, args.records)))
        return
    results = []
    for method, label in (("telarana", "telaraña resolver"), ("splink", "Splink 5 (DuckDB)")):
        done = subprocess.run([sys.executable, "-m", "benchmarks.er_scale", "--method", method, "--records", str(args.records)],
                              capture_output=True, text=True, check=False)  # fmt: skip
        if done.returncode != 0:
            results.append((label, "failed", "", "", done.stderr.strip().splitlines()[-1][:80] if done.stderr.strip() else ""))
            continue
        r = json.loads(done.stdout.strip().splitlines()[-1])
        if r.get("missing"):
            results.append((label, "not installed", "", "", ""))
            continue
        results.append((label, f"{r['seconds']:.1f}", f"{r['rss_mib']:,.0f}", f"{r['pair_f1']:.3f}", f"{r['clusters']:,}"))
    print(f"er_scale: {args.records:,} generated person records (seed 3), end to end")
    print_table(("method", "seconds", "peak RSS MiB", "pair F1", "clusters"), results)
    ours = results[0]
    if ours[1] not in ("failed", "not installed"):
        ok = float(ours[1]) <= TARGET_SECONDS and float(ours[2].replace(",", "")) <= TARGET_RSS_MIB and float(ours[3]) >= TARGET_F1
        print(f"target: ≤ {TARGET_SECONDS} s, ≤ {TARGET_RSS_MIB} MiB and pairwise F1 ≥ {TARGET_F1} — {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
