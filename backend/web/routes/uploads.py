"""Routes of uploads from the browser: open an upload into a case, send its files one by one (a
zip of a folder is unpacked), start it, follow it, cancel it. Thin wrappers over
backend.jobs.uploads; every request is audited by the gate (the file names included)."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from backend.domain.errors import NotFoundError, UploadRefusedError
from backend.domain.model import IngestRun
from backend.jobs.uploads import UploadJobs
from backend.web.auth import acting_user
from backend.web.deps import settings_of, user_store
from backend.web.params import UserName

router = APIRouter(tags=["uploads"])


class NewUpload(BaseModel):
    case_id: str = Field(min_length=1, max_length=200)
    user: UserName
    profile: str | None = Field(default=None, max_length=60, description="A saved import profile to read the tables with.")


class UploadView(IngestRun):
    """A run with what the progress bar shows."""

    percent: float | None = None
    eta_seconds: float | None = None
    limits: dict[str, float] = Field(default_factory=dict)


class Received(BaseModel):
    kept: list[str]
    files_received: int
    bytes_received: int


def _jobs(request: Request) -> UploadJobs:
    jobs = getattr(request.app.state, "uploads", None)
    if jobs is None:
        raise UploadRefusedError("this server keeps no ingest runs (no runs file): uploads are off")
    return jobs


def _run(request: Request, run_id: str) -> IngestRun:
    """The run, if it belongs to a case the user can see (404 otherwise, as for any record)."""
    run = _jobs(request).runs.get(run_id)
    if run is None or not _sees_case(request, run.case_id):
        # The same answer whether the upload exists in a case the user cannot see or not at all.
        raise NotFoundError("upload", run_id)
    return run


def _sees_case(request: Request, case_id: str) -> bool:
    try:
        user_store(request).record_case(case_id)
    except NotFoundError:
        return False
    return True


def _view(request: Request, run: IngestRun) -> UploadView:
    settings = settings_of(request)
    percent = eta = None
    if run.files_total:
        percent = round(100.0 * run.files_done / run.files_total, 1)
        if run.running_seconds is not None and run.files_done:
            eta = round(run.running_seconds / run.files_done * (run.files_total - run.files_done), 1)
    limits = {"files": settings.upload_max_files, "megabytes": settings.upload_max_mb, "file_megabytes": settings.max_file_bytes / 2**20}
    return UploadView(**run.model_dump(), percent=percent, eta_seconds=eta, limits=limits)


@router.post("/api/uploads", status_code=201)
def open_upload(request: Request, body: NewUpload) -> UploadView:
    """Open an upload into a case the user works on; its files are sent next, one request each."""
    store = user_store(request)
    case_id = store.record_case(body.case_id)
    case = next(c for c in store.cases() if c.id == case_id)
    profile_file = None
    if body.profile:
        profile_file = settings_of(request).profiles_dir / f"{body.profile}.toml"
        if not body.profile.replace("-", "").replace("_", "").isalnum() or not profile_file.is_file():
            raise NotFoundError("profile", body.profile)
    return _view(request, _jobs(request).open(case, f"web:{acting_user(request, body.user)}", profile_file))


@router.put("/api/uploads/{run_id}/files")
async def send_file(
    request: Request,
    run_id: str,
    name: Annotated[str, Query(min_length=1, max_length=400, description="The file's name, with its folder inside the upload.")],
) -> Received:
    """One file of the upload, as the request body. A zip is unpacked into a folder of its name."""
    from starlette.concurrency import run_in_threadpool

    run = await run_in_threadpool(_run, request, run_id)
    jobs = _jobs(request)
    # A zip of a folder may be as large as the whole upload; each of its members is then held to
    # the size of a case file.
    limit = max(settings_of(request).max_file_bytes, int(settings_of(request).upload_max_mb * 2**20))
    incoming_folder = settings_of(request).uploads_dir / ".incoming"
    incoming_folder.mkdir(parents=True, exist_ok=True)
    incoming = incoming_folder / secrets.token_hex(8)
    written = 0
    try:
        with incoming.open("xb") as out:
            async for chunk in request.stream():
                written += len(chunk)
                if written > limit:
                    raise UploadRefusedError(f"{name}: more than the {limit:,} bytes an upload may hold", too_large=True)
                out.write(chunk)
        kept = await run_in_threadpool(jobs.receive, run, name, incoming)
    finally:
        incoming.unlink(missing_ok=True)
    now = jobs.runs.get(run_id)
    assert now is not None
    return Received(kept=kept, files_received=now.files_received, bytes_received=now.bytes_received)


@router.post("/api/uploads/{run_id}/start", status_code=202)
def start(request: Request, run_id: str) -> UploadView:
    """Every file has been sent: read them (in the background)."""
    return _view(request, _jobs(request).start(_run(request, run_id)))


@router.post("/api/uploads/{run_id}/cancel")
def cancel(request: Request, run_id: str) -> UploadView:
    """Stop the upload: at once if it is not being read yet, otherwise after the file in hand.
    What it stored stays stored (the outcomes say which)."""
    return _view(request, _jobs(request).cancel(_run(request, run_id)))


@router.get("/api/uploads/{run_id}")
def follow(request: Request, run_id: str) -> UploadView:
    """How far the upload got: files done of total, ETA, each file's outcome so far."""
    return _view(request, _run(request, run_id))


@router.get("/api/uploads")
def listed(request: Request, limit: Annotated[int, Query(ge=1, le=200)] = 20) -> list[UploadView]:
    """The latest ingest runs (uploads and command-line runs) into the user's cases (the case
    named by case_id), newest first."""
    store = user_store(request)
    return [_view(request, run) for run in _jobs(request).runs.of_cases([c.id for c in store.cases()], limit=limit)]
