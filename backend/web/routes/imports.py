"""Routes of the spreadsheet import wizard: what a CSV / XLSX would become under a mapping, and
the mappings kept as reusable profiles. Thin wrappers over ingest.table_mapping; the import
itself is an upload (routes/uploads.py) with the profile chosen."""

from __future__ import annotations

import dataclasses
import json
from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from backend.domain.errors import UploadRefusedError
from backend.web.auth import acting_user
from backend.web.deps import settings_of
from backend.web.params import UserName

router = APIRouter(tags=["import"])


class NewProfile(BaseModel):
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,59}$")
    profile: str = Field(min_length=1, max_length=60)
    columns: dict[str, Annotated[str, Field(min_length=1, max_length=200)]] = Field(min_length=1, max_length=40)
    note: str = Field(default="", max_length=2000)
    user: UserName


class SavedProfile(BaseModel):
    name: str
    profile: str
    columns: dict[str, str]


@router.post("/api/import/preview")
async def preview(
    request: Request,
    name: Annotated[str, Query(min_length=1, max_length=400, description="The file's name (its extension says CSV, TSV or XLSX).")],
    profile: Annotated[str | None, Query(max_length=60)] = None,
    header_row: Annotated[int | None, Query(ge=1)] = None,
    columns: Annotated[str | None, Query(max_length=4000, description='JSON: {"field": column index}.')] = None,
) -> dict:
    """What the table in the body would become: its first rows, the proposed (or chosen) header
    row, profile and column of each field, and the records of its first rows."""
    from starlette.concurrency import run_in_threadpool

    from ingest.readers import UnreadableDocument
    from ingest.table_mapping import propose
    from ingest.tables import TABLE_EXTENSIONS, ProfileError

    if not any(name.lower().endswith(ext) for ext in TABLE_EXTENSIONS):
        raise UploadRefusedError(f"{name}: a CSV, TSV or XLSX is expected")
    limit = settings_of(request).max_file_bytes
    data = bytearray()
    async for chunk in request.stream():
        data += chunk
        if len(data) > limit:
            raise UploadRefusedError(f"{name}: more than the {limit:,} bytes a case file may have", too_large=True)
    try:
        chosen = {str(k): int(v) for k, v in json.loads(columns).items()} if columns else None
    except (ValueError, AttributeError, TypeError):
        raise UploadRefusedError('columns: expected JSON {"field": column index}') from None
    try:
        proposal = await run_in_threadpool(propose, bytes(data), name, profile=profile, header_row=header_row, columns=chosen)
    except (ProfileError, UnreadableDocument) as exc:
        raise UploadRefusedError(str(exc)) from None
    return dataclasses.asdict(proposal)


@router.get("/api/import/profiles")
def profiles(request: Request) -> list[SavedProfile]:
    """The import profiles kept on this server."""
    from ingest.table_mapping import saved_profiles

    return [SavedProfile(name=n, profile=p, columns=c) for n, (p, c) in saved_profiles(settings_of(request).profiles_dir).items()]


@router.post("/api/import/profiles", status_code=201)
def save(request: Request, body: NewProfile) -> SavedProfile:
    """Keep a mapping (field -> header as written in the table) as a profile ingest and uploads use."""
    from ingest.table_mapping import save_profile
    from ingest.tables import ProfileError

    note = f"Guardado por {acting_user(request, body.user)} desde el asistente de importación. {body.note}".strip()
    try:
        save_profile(settings_of(request).profiles_dir, body.name, body.profile, body.columns, note)
    except ProfileError as exc:
        raise UploadRefusedError(str(exc)) from None
    return SavedProfile(name=body.name, profile=body.profile, columns=body.columns)
