"""The background reading of uploads: a run cancelled while it is read stops after the file in
hand and keeps what it stored; a run a stopped server left half read is taken up by the next
server and ends as an uninterrupted run would."""

from __future__ import annotations

import os
import subprocess

import pytest

from backend.domain.settings import Settings
from backend.jobs.uploads import UploadJobs
from backend.store.runs import IngestRuns
from backend.store.sqlite import SqliteStore
from ingest.job import FileOutcome, ingest_paths
from tests import factories as f

REPORTS = {
    f"informe{i}.txt": f"INFORME {i}. En la terminal de Pereira se entrevistó a la señora MARÍA{i} ROJAS, celular 31{i} 555 12{i}{i}.\n"
    for i in range(4)
}


@pytest.fixture
def setting(tmp_path):
    store = SqliteStore(tmp_path / "graph.sqlite3")
    store.write(f.story().batch())
    settings = Settings(_env_file=None, data_dir=tmp_path)
    runs = IngestRuns(tmp_path / "runs.sqlite3")
    yield store, runs, settings
    store.close()


def _uploaded(jobs: UploadJobs, store, tmp_path):
    case = next(c for c in store.cases() if c.id == "caso-1")
    run = jobs.open(case, "web:ana")
    for name, text in REPORTS.items():
        incoming = tmp_path / f"in-{name}"
        incoming.write_text(text, "utf-8")
        jobs.receive(jobs.runs.get(run.id), name, incoming)
    return jobs.runs.get(run.id)


def _outcome(settled):
    from backend.domain.model import RunOutcome

    return RunOutcome.model_validate(settled, from_attributes=True)


def _dead_pid() -> int:
    finished = subprocess.Popen(["true"])
    finished.wait()
    return finished.pid


def test_a_run_cancelled_while_it_is_read_stops_after_the_file_in_hand(setting, tmp_path):
    store, runs, settings = setting
    jobs = UploadJobs(runs, lambda: store, settings)
    run = _uploaded(jobs, store, tmp_path)
    documents_before = store.counts()["documents"]
    original_progress = runs.progress

    def progress_then_cancel(run_id, done, total):  # the analyst presses cancel as the first file is read
        original_progress(run_id, done, total)
        runs.request_cancel(run_id)

    runs.progress = progress_then_cancel
    jobs.start(run)
    assert jobs.wait(120)
    ended = runs.get(run.id)
    assert ended.status == "cancelled" and ended.files_done == 1 and ended.files_total == 4
    # What was written before the cancel stays, and each file written has its outcome.
    stored = [o.path for o in ended.outcomes if o.status == "stored"]
    assert len(stored) <= 1 and store.counts()["documents"] == documents_before + len(stored)
    assert not any(settings.uploads_dir.rglob("informe*.txt"))


def test_a_run_left_half_read_by_a_stopped_server_is_taken_up_and_ends_as_an_uninterrupted_one(setting, tmp_path):
    store, runs, settings = setting
    crashed = UploadJobs(runs, lambda: store, settings)
    run = _uploaded(crashed, store, tmp_path)
    folder, _ = runs.options(run.id)
    runs.queue(run.id)
    assert runs.claim(runs.get(run.id))
    # The server read two files and died (kill -9): its run stays "running" under a process that is gone.
    case = next(c for c in store.cases() if c.id == "caso-1")
    ingest_paths(sorted(folder.iterdir())[:2], store, case, on_outcome=lambda o: runs.add_outcome(run.id, _outcome(o)))
    runs._execute("UPDATE runs SET pid = ? WHERE id = ?", (_dead_pid(), run.id))
    assert len(runs.get(run.id).outcomes) == 2
    assert runs.get(run.id).status == "interrupted"

    restarted = UploadJobs(runs, lambda: store, settings)
    assert restarted.resume() == [run.id]
    assert restarted.wait(120)
    ended = runs.get(run.id)
    assert ended.status == "done" and ended.files_done == ended.files_total == 4
    assert sorted((o.path, o.status) for o in ended.outcomes) == [
        ("informe0.txt", "unchanged"), ("informe1.txt", "unchanged"), ("informe2.txt", "stored"), ("informe3.txt", "stored"),
    ]  # fmt: skip
    assert restarted.resume() == []  # done: nothing left to take up

    # The graph equals one uninterrupted run of the same files.
    with SqliteStore(tmp_path / "once.sqlite3") as once:
        once.write(f.story().batch())
        ingest_paths([_copy_of(tmp_path)], once, case)
        assert once.counts() == store.counts()


def _copy_of(tmp_path):
    """The uploaded files again (the finished run removed its folder), from the texts."""
    again = tmp_path / "again"
    again.mkdir()
    for name, text in REPORTS.items():
        (again / name).write_text(text, "utf-8")
    return again


def test_of_two_servers_taking_up_the_same_run_only_one_reads_it(setting, tmp_path, monkeypatch):
    store, runs, settings = setting
    jobs = UploadJobs(runs, lambda: store, settings)
    run = _uploaded(jobs, store, tmp_path)
    runs.queue(run.id)
    runs.add_outcome(run.id, _outcome(FileOutcome("informe0.txt", "stored")))  # read by a server that then died
    runs._execute("UPDATE runs SET pid = ? WHERE id = ?", (_dead_pid(), run.id))
    assert runs.claim(runs.get(run.id))
    assert runs.get(run.id).outcomes == [], "taken up, the run is read again from the start"
    other_server = IngestRuns(tmp_path / "runs.sqlite3")
    monkeypatch.setattr(os, "getpid", lambda: 4_194_305)  # another process (above the kernel's largest pid)
    assert not other_server.claim(other_server.get(run.id)) and other_server.unfinished_uploads() == []


def test_a_run_cancelled_while_no_server_read_it_is_not_read_when_taken_up(setting, tmp_path):
    store, runs, settings = setting
    jobs = UploadJobs(runs, lambda: store, settings)
    run = _uploaded(jobs, store, tmp_path)
    runs.queue(run.id)
    assert runs.claim(runs.get(run.id))
    runs._execute("UPDATE runs SET pid = ? WHERE id = ?", (_dead_pid(), run.id))
    documents = store.counts()["documents"]
    assert runs.request_cancel(run.id).cancel_requested
    restarted = UploadJobs(runs, lambda: store, settings)
    assert restarted.resume() == [run.id] and restarted.wait(60)
    ended = runs.get(run.id)
    assert ended.status == "cancelled" and ended.files_done == 0, "no file is read once the run is cancelled"
    assert store.counts()["documents"] == documents
