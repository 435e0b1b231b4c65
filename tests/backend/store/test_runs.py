"""Ingest runs kept beside the graph: what each run read into which case, how far it got, and
runs whose process died before they ended read as interrupted."""

from __future__ import annotations

import subprocess
import sys

from backend.domain.model import RunOutcome
from backend.store.runs import IngestRuns


def test_a_run_is_recorded_from_start_to_finish_with_each_files_outcome(tmp_path):
    runs = IngestRuns(tmp_path / "runs.sqlite3")
    run = runs.start("case:pereira", "Pereira", "cli:ana", "/casos/pereira", files_total=None)
    assert runs.get(run.id).status == "running" and runs.get(run.id).files_total is None
    runs.progress(run.id, 1, 2)
    assert (runs.get(run.id).files_done, runs.get(run.id).files_total) == (1, 2)
    outcomes = [RunOutcome(path="a.txt", status="stored", document_id="d1", mentions=3, warnings=["fila 4 sin fecha"]),
                RunOutcome(path="b.pdf", status="failed", reason="PDF cifrado")]  # fmt: skip
    runs.finish(run.id, outcomes, 2.5)
    done = IngestRuns(tmp_path / "runs.sqlite3").get(run.id)  # read back by another handle
    assert done.status == "done" and done.finished_at and done.files_done == 2 and done.seconds == 2.5
    assert done.outcomes == outcomes and done.warnings == 1 and done.count("failed") == 1
    runs.progress(run.id, 0, 9)  # a finished run's progress no longer moves
    assert runs.get(run.id).files_done == 2


def test_the_latest_runs_of_a_case_come_newest_first_and_other_cases_are_not_listed(tmp_path):
    runs = IngestRuns(tmp_path / "runs.sqlite3")
    first = runs.start("case:a", "A", "cli:ana", "x")
    runs.start("case:b", "B", "cli:ana", "y")
    second = runs.start("case:a", "A", "cli:luis", "z")
    assert [r.id for r in runs.latest(["case:a"], limit=5)] == [second.id, first.id]
    assert [r.id for r in runs.latest(["case:a"])] == [second.id]
    assert runs.latest([]) == [] and runs.latest(["case:nada"]) == []


def test_a_run_whose_process_died_reads_as_interrupted(tmp_path):
    path = tmp_path / "runs.sqlite3"
    script = f"from backend.store.runs import IngestRuns; print(IngestRuns({str(path)!r}).start('case:a', 'A', 'cli:ana', 'x').id)"
    run_id = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True).stdout.strip()
    assert IngestRuns(path).get(run_id).status == "interrupted"
