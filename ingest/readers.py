"""Readers: the bytes of one case file -> its text (with page offsets where it has pages).

Each reader refuses what it cannot read with UnreadableDocument and a one-line reason an
analyst can act on ("encrypted PDF", "not text: binary data"); it never returns half a
document. Tables (CDR, manifests, ticket lists) are read by import profiles, not here.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from backend.domain.errors import TelaranaError

DEFAULT_MAX_BYTES = 100 * 1024 * 1024
# A DOCX is a zip; past these it is a zip bomb, not a police report.
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
PAGE_SEPARATOR = "\n\n"

TEXT_EXTENSIONS = {".txt", ".text", ".md"}


class UnreadableDocument(TelaranaError):
    """One file could not be read; the reason is one line, fit for an ingest summary."""

    def __init__(self, path: str, reason: str):
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


@dataclass
class Attachment:
    filename: str
    data: bytes


@dataclass
class ReadDocument:
    """What a reader found in one file. `id` is the SHA-256 of the file's bytes."""

    id: str
    title: str
    text: str
    media_type: str
    page_starts: tuple[int, ...] = ()
    metadata: dict[str, str] = field(default_factory=dict)
    attachments: list[Attachment] = field(default_factory=list)


def read_path(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> ReadDocument:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise UnreadableDocument(str(path), f"cannot open ({exc.strerror})") from None
    if size > max_bytes:
        raise UnreadableDocument(str(path), f"{size:,} bytes is over the {max_bytes:,}-byte limit")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableDocument(str(path), f"cannot read ({exc.strerror})") from None
    return read_bytes(data, path.name, max_bytes=max_bytes)


def read_bytes(data: bytes, name: str, max_bytes: int = DEFAULT_MAX_BYTES) -> ReadDocument:
    """Read one file's bytes; `name` gives its extension and title."""
    if len(data) > max_bytes:
        raise UnreadableDocument(name, f"{len(data):,} bytes is over the {max_bytes:,}-byte limit")
    if not data.strip():
        raise UnreadableDocument(name, "empty file")
    suffix = Path(name).suffix.lower()
    reader = _choose_reader(data, suffix)
    if reader is None:
        raise UnreadableDocument(name, f"unknown file type {suffix or '(no extension)'}")
    text, page_starts, media_type, metadata, attachments = reader(data, name)
    if not text.strip():
        raise UnreadableDocument(name, "no text found")
    return ReadDocument(
        id=hashlib.sha256(data).hexdigest(),
        title=metadata.pop("title", "") or Path(name).stem,
        text=text,
        media_type=media_type,
        page_starts=page_starts,
        metadata=metadata,
        attachments=attachments,
    )


def _choose_reader(data: bytes, suffix: str):
    if data.startswith(b"%PDF-") or suffix == ".pdf":
        return _read_pdf
    if suffix == ".docx" or (data.startswith(b"PK\x03\x04") and not suffix):
        return _read_docx
    if suffix == ".eml":
        return _read_email
    if suffix in TEXT_EXTENSIONS:
        return _read_text
    from ingest.ocr import IMAGE_EXTENSIONS

    if suffix in IMAGE_EXTENSIONS:
        return _read_image
    return None


# ----------------------------------------------------------------------------- text


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with BOM when it is; otherwise the best guess among the encodings
    Colombian government files come in (Windows-1252, Latin-1). Binary data is refused."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16 with its byte-order mark: Windows "Unicode" exports
        try:
            return data.decode("utf-16").replace("\r\n", "\n").replace("\r", "\n")
        except UnicodeDecodeError:
            raise UnreadableDocument(name, "broken UTF-16 text") from None
    if b"\x00" in data[:65536]:
        raise UnreadableDocument(name, "not text: binary data (NUL bytes)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        guess = from_bytes(data, cp_isolation=["cp1252", "latin_1", "utf_8"]).best()
        if guess is None:
            raise UnreadableDocument(name, "not text: no encoding fits (tried UTF-8, Windows-1252, Latin-1)") from None
        text = str(guess)
    controls = len(_CONTROL.findall(text[:65536]))
    if controls > max(8, len(text[:65536]) // 100):
        raise UnreadableDocument(name, "not text: binary data (control characters)")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _read_text(data: bytes, name: str):
    return decode_text(data, name), (), "text/plain", {}, []


# ----------------------------------------------------------------------------- PDF


def _read_pdf(data: bytes, name: str):
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise UnreadableDocument(name, "encrypted PDF (remove the password and ingest it again)")
        pages = [page.extract_text() or "" for page in reader.pages]
        info = reader.metadata or {}
    except UnreadableDocument:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError) as exc:
        raise UnreadableDocument(name, f"damaged or truncated PDF ({type(exc).__name__}: {str(exc)[:120]})") from None
    metadata = {"pages": str(len(pages))}
    if not any(p.strip() for p in pages):
        from ingest.ocr import OCR_LANGUAGES, ocr_pdf_pages, tesseract_version

        pages = ocr_pdf_pages(reader, name)
        if not any(p.strip() for p in pages):
            raise UnreadableDocument(name, "PDF has no text layer and OCR found no text in its images")
        metadata.update(ocr=tesseract_version() or "tesseract", ocr_languages=OCR_LANGUAGES)
    text, starts = _join_pages(pages)
    title = str(info.get("/Title") or "").strip()
    if title:
        metadata["title"] = title
    try:
        created = getattr(info, "creation_date", None)
    except (ValueError, TypeError):  # a malformed /CreationDate is not a reason to refuse the file
        created = None
    if created is not None:
        metadata["created"] = created.isoformat()
    return text, starts, "application/pdf", metadata, []


def _join_pages(pages: list[str]) -> tuple[str, tuple[int, ...]]:
    parts: list[str] = []
    starts: list[int] = []
    offset = 0
    for page in pages:
        starts.append(offset)
        page = page.replace("\r\n", "\n")
        parts.append(page)
        offset += len(page) + len(PAGE_SEPARATOR)
    return PAGE_SEPARATOR.join(parts), tuple(starts)


# ----------------------------------------------------------------------------- images (OCR)


def _read_image(data: bytes, name: str):
    from ingest.ocr import OCR_LANGUAGES, ocr_image, tesseract_version

    text = ocr_image(data, name)
    metadata = {"ocr": tesseract_version() or "tesseract", "ocr_languages": OCR_LANGUAGES}
    return text, (), "image/" + (Path(name).suffix.lower().lstrip(".") or "png"), metadata, []


# ----------------------------------------------------------------------------- DOCX


def _check_zip(data: bytes, name: str) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as exc:
        raise UnreadableDocument(name, f"damaged DOCX (not a readable zip: {exc})") from None
    unzipped = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    if unzipped > MAX_UNZIPPED_BYTES or unzipped / packed > MAX_COMPRESSION_RATIO:
        raise UnreadableDocument(name, f"refused: unpacks to {unzipped:,} bytes from {packed:,} (a zip bomb, not a document)")
    if "word/document.xml" not in {i.filename for i in infos}:
        raise UnreadableDocument(name, "not a Word document (no word/document.xml inside)")
    return archive


def _read_docx(data: bytes, name: str):
    _check_zip(data, name)
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds on damaged parts
        raise UnreadableDocument(name, f"damaged DOCX ({type(exc).__name__}: {str(exc)[:120]})") from None
    blocks = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            blocks.append(" | ".join(cell.text.strip() for cell in row.cells))
    metadata = {}
    title = (document.core_properties.title or "").strip()
    if title:
        metadata["title"] = title
    if document.core_properties.created is not None:
        metadata["created"] = document.core_properties.created.isoformat()
    return "\n".join(blocks), (), "application/vnd.openxmlformats-officedocument.wordprocessingml.document", metadata, []


# ----------------------------------------------------------------------------- e-mail


class _HtmlText(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in ("br", "p", "div", "tr", "li"):
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def _html_to_text(html: str) -> str:
    parser = _HtmlText()
    parser.feed(html)
    return re.sub(r"\n{3,}", "\n\n", "".join(parser.parts)).strip()


def _read_email(data: bytes, name: str):
    try:
        message = email.message_from_bytes(data, policy=email.policy.default)
    except Exception as exc:
        raise UnreadableDocument(name, f"damaged e-mail ({type(exc).__name__})") from None
    headers = {key: str(message.get(key, "")).strip() for key in ("From", "To", "Cc", "Date", "Subject")}
    if not any(headers.values()):
        raise UnreadableDocument(name, "not an e-mail (no From, To, Date or Subject header)")
    body_part = message.get_body(preferencelist=("plain", "html"))
    body = ""
    if body_part is not None:
        try:
            body = body_part.get_content()
        except (LookupError, UnicodeError, AssertionError):
            body = decode_text(body_part.get_payload(decode=True) or b"", name)
        if body_part.get_content_type() == "text/html":
            body = _html_to_text(body)
    attachments = []
    for part in message.iter_attachments():
        payload = part.get_payload(decode=True)
        if payload:
            attachments.append(Attachment(filename=part.get_filename() or "attachment", data=payload))
    header_text = "\n".join(f"{key}: {value}" for key, value in headers.items() if value)
    metadata = {key.lower(): value for key, value in headers.items() if value}
    if headers["Subject"]:
        metadata["title"] = headers["Subject"]
    return f"{header_text}\n\n{body.strip()}\n", (), "message/rfc822", metadata, attachments
