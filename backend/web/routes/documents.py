"""Routes for documents: the record, the text with its mentions, and the original file."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import Response

from backend.domain.errors import NotFoundError
from backend.domain.model import Document
from backend.reports.views import DocumentView, document_view
from backend.web.deps import answered_in_one_trip, originals_of, user_store

router = APIRouter()


@router.get("/api/documents/{document_id}")
@answered_in_one_trip
def document(request: Request, document_id: str) -> Document:
    return user_store(request).get_document(document_id)


@router.get("/api/documents/{document_id}/view")
@answered_in_one_trip
def document_page(request: Request, document_id: str) -> DocumentView:
    """The text with its mentions (offsets into the text), pages, and whether the original file is kept."""
    return document_view(user_store(request), document_id, originals_of(request))


@router.get("/api/documents/{document_id}/original", response_class=Response)
def original(request: Request, document_id: str):
    """The file the document was read from, byte for byte (its SHA-256 is the document id)."""
    document = user_store(request).get_document(document_id)
    originals = originals_of(request)
    data = originals.read(document_id) if originals is not None else None
    if data is None:
        raise NotFoundError("original file of document", document_id)
    name = Path(document.source_path.rsplit("#", 1)[-1]).name or f"{document_id}.bin"
    return Response(data, media_type=document.media_type or "application/octet-stream",
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})  # fmt: skip
