"""Uploads from the browser, read by the same ingest job as `telarana ingest`, in the background.

An upload is a run (backend/store/runs.py) that first receives files into its own folder under
TELARANA_DATA_DIR/uploads, then is queued and read by a thread of the server process, one run at
a time per process, with the store the server holds. Each file's outcome is recorded as it is
settled, so the page shows progress and warnings as they come. A cancelled run stops after the
file in hand; what it stored stays stored.

A server that stops (restart, crash, `kill -9`) leaves its run "running" with a process that is
gone; the next server to start takes it up again and reads the folder again: files already
stored are skipped, as ingest does after `kill -9`, so the graph ends as an uninterrupted run
would leave it.
"""

from __future__ import annotations

import logging
import queue
import secrets
import shutil
import threading
import time
from pathlib import Path
from typing import Callable

from backend.domain.errors import NotFoundError, UploadRefusedError
from backend.domain.model import Case, IngestRun, RunOutcome
from backend.domain.settings import Settings
from backend.jobs.screening import known_before, screen_documents, stored_documents
from backend.store.interface import GraphStore
from backend.store.originals import Originals
from backend.store.runs import IngestRuns
from backend.store.screening import Screenings

log = logging.getLogger(__name__)


class UploadCancelled(Exception):
    """The analyst cancelled the run; raised between files."""


class UploadJobs:
    """Receives uploads and reads them in a background thread of this process."""

    def __init__(self, runs: IngestRuns, store: Callable[[], GraphStore], settings: Settings, originals: Originals | None = None,
                 nlp=None, screenings: Screenings | None = None):  # fmt: skip
        self.runs = runs
        self._screenings = screenings  # ticket lists and manifests uploaded are screened (backend.jobs.screening)
        self._store = store
        self._settings = settings
        self._originals = originals
        self._nlp = nlp  # tests pass a loaded pipeline; None: ingest loads its own
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._thread_lock = threading.Lock()
        self._idle = threading.Condition()
        self._pending = 0

    # ------------------------------------------------------------------------- receiving

    def open(self, case: Case, by: str, profile_file: Path | None = None) -> IngestRun:
        """A new upload into `case`: files may now arrive."""
        uploads = self._settings.uploads_dir
        uploads.mkdir(parents=True, exist_ok=True)
        folder = uploads / f"{time.strftime('%Y%m%dT%H%M%S')}-{secrets.token_hex(4)}"
        folder.mkdir()
        options = {"case_id": case.id, "profile_file": str(profile_file) if profile_file else None}
        return self.runs.open_upload(case.id, case.name, by, folder, options)

    def receive(self, run: IngestRun, name: str, incoming: Path) -> list[str]:
        """Place one received file (already written to `incoming`) in the run's folder; a zip
        is unpacked. Returns the names kept, relative to the upload."""
        from ingest.uploads import place_file

        folder = self._folder(run)
        if run.status != "receiving":
            raise UploadRefusedError(f"this upload is {run.status}: it takes no more files")
        settings = self._settings
        max_bytes = int(settings.upload_max_mb * 1024 * 1024)
        placed = place_file(
            folder, name, incoming, lambda size, files: self.runs.receive(run.id, size, settings.upload_max_files, max_bytes, files),
            max_file_bytes=settings.max_file_bytes,
        )  # fmt: skip
        return [p.relative_to(folder).as_posix() for p in placed]

    def start(self, run: IngestRun) -> IngestRun:
        """Every file has arrived: queue the run to be read."""
        if run.files_received == 0:
            raise UploadRefusedError("no file arrived: choose files or a folder first")
        if not self.runs.queue(run.id):
            raise UploadRefusedError(f"this upload is {run.status}: it cannot be started again")
        self._submit(run.id)
        return self._get(run.id)

    def cancel(self, run: IngestRun) -> IngestRun:
        cancelled = self.runs.request_cancel(run.id)
        assert cancelled is not None
        if cancelled.status == "cancelled":
            self._remove_folder(run.id)
        return cancelled

    # ------------------------------------------------------------------------- reading

    def resume(self) -> list[str]:
        """Take up the uploads a stopped server left queued or running. Returns their ids."""
        taken = [run.id for run in self.runs.unfinished_uploads()]
        for run_id in taken:
            self._submit(run_id)
        return taken

    def wait(self, timeout: float) -> bool:
        """Until every run submitted to this process is read (tests, shutdown); False on timeout."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout)

    def _submit(self, run_id: str) -> None:
        with self._idle:
            self._pending += 1
        self._queue.put(run_id)
        with self._thread_lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._work, name="telarana-uploads", daemon=True)
                self._thread.start()

    def _work(self) -> None:
        while (run_id := self._queue.get()) is not None:
            try:
                run = self._get(run_id)
                if self.runs.claim(run):
                    self._read(run)
            except Exception:  # one run's failure must not stop the runs queued behind it
                log.exception("upload %s failed", run_id)
            finally:
                with self._idle:
                    self._pending -= 1
                    self._idle.notify_all()

    def _read(self, run: IngestRun) -> None:
        from entity_resolution.graph import resolve_persons
        from ingest.job import ingest_paths

        folder, options = self.runs.options(run.id)
        assert folder is not None
        started = time.perf_counter()
        if self.runs.cancel_requested(run.id):  # cancelled while no server was reading it
            self.runs.finish(run.id, None, 0.0, status="cancelled")
            self._remove_folder(run.id)
            return

        def progress(done: int, total: int, _path: str) -> None:
            self.runs.progress(run.id, done, total)
            if self.runs.cancel_requested(run.id):
                raise UploadCancelled(run.id)

        def outcome(settled) -> None:
            self.runs.add_outcome(run.id, _relative(RunOutcome.model_validate(settled, from_attributes=True), folder))

        store = self._store()
        case = next((c for c in store.cases() if c.id == options["case_id"]), None)
        if case is None:
            raise NotFoundError("case", options["case_id"])
        profile = Path(options["profile_file"]) if options.get("profile_file") else None
        known = known_before(store, self._screenings, [folder]) if self._screenings is not None else None
        try:
            summary = ingest_paths(
                [folder], store, case, max_bytes=self._settings.max_file_bytes,
                workers=self._settings.ingest_workers, scheduler=self._settings.ingest_scheduler, profile_file=profile, log_dir=self._settings.data_dir / "logs",
                on_progress=progress, on_outcome=outcome, nlp=self._nlp, originals=self._originals,
            )  # fmt: skip
        except UploadCancelled:
            self.runs.finish(run.id, None, time.perf_counter() - started, status="cancelled")
            self._remove_folder(run.id)
            return
        except Exception:
            self.runs.finish(run.id, None, time.perf_counter() - started, status="failed")
            raise
        if summary.count("stored") or summary.count("reread"):
            resolve_persons(store, incremental=True)
        if self._screenings is not None:
            stored = [o.document_id for o in summary.outcomes if o.status in ("stored", "reread")]
            screen_documents(store, self._screenings, known, stored_documents(store, stored), self._originals, profile)
        outcomes = [_relative(RunOutcome.model_validate(o, from_attributes=True), folder) for o in summary.outcomes]
        self.runs.finish(run.id, outcomes, time.perf_counter() - started)
        if not summary.failed:  # a failed file stays to be looked at (the log names it)
            self._remove_folder(run.id)

    # ------------------------------------------------------------------------- helpers

    def _get(self, run_id: str) -> IngestRun:
        run = self.runs.get(run_id)
        if run is None:
            raise NotFoundError("upload", run_id)
        return run

    def _folder(self, run: IngestRun) -> Path:
        folder, _ = self.runs.options(run.id)
        if folder is None:
            raise UploadRefusedError("this run was not uploaded from the browser")
        return folder

    def _remove_folder(self, run_id: str) -> None:
        folder, _ = self.runs.options(run_id)
        if folder is not None and folder.is_relative_to(self._settings.uploads_dir):
            shutil.rmtree(folder, ignore_errors=True)

    def close(self) -> None:
        self._queue.put(None)


def _relative(outcome: RunOutcome, folder: Path) -> RunOutcome:
    """The outcome with its path as the analyst named it (inside the upload), not the server's."""
    path = Path(outcome.path.split("#", 1)[0])
    rest = outcome.path[len(str(path)) :]
    if path.is_relative_to(folder):
        return outcome.model_copy(update={"path": path.relative_to(folder).as_posix() + rest})
    return outcome
