"""OCR for scans: images and PDFs without a text layer, through the Tesseract command
(Debian packages tesseract-ocr and tesseract-ocr-spa). Nothing is fetched: Tesseract's
Spanish and English data come with those packages."""

from __future__ import annotations

import shutil
import subprocess

from ingest.readers import UnreadableDocument

OCR_LANGUAGES = "spa+eng"
OCR_TIMEOUT_SECONDS = 180
IMAGE_EXTENSIONS = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".pnm", ".webp"}
# Evidence read by OCR is less sure than typed text: every confidence is scaled by this.
OCR_CONFIDENCE_FACTOR = 0.85


def tesseract_version() -> str | None:
    if shutil.which("tesseract") is None:
        return None
    result = subprocess.run(["tesseract", "--version"], capture_output=True, text=True, timeout=30)
    first = (result.stdout or result.stderr).splitlines()
    return first[0].strip() if first else "tesseract"


def ocr_image(data: bytes, name: str) -> str:
    """The text Tesseract reads in one image (PNG, JPEG, TIFF...)."""
    if shutil.which("tesseract") is None:
        raise UnreadableDocument(name, "a scan needs OCR, but Tesseract is not installed (apt install tesseract-ocr tesseract-ocr-spa)")
    try:
        result = subprocess.run(
            ["tesseract", "stdin", "stdout", "-l", OCR_LANGUAGES, "--psm", "3"],
            input=data, capture_output=True, timeout=OCR_TIMEOUT_SECONDS,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        raise UnreadableDocument(name, f"OCR took longer than {OCR_TIMEOUT_SECONDS} s") from None
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UnreadableDocument(name, f"OCR failed: {(message[-1] if message else 'tesseract error')[:160]}")
    return result.stdout.decode("utf-8", "replace").replace("\f", "").strip()


def ocr_pdf_pages(reader, name: str) -> list[str]:
    """Text of each page of a scanned PDF: every image on the page, read in order."""
    pages = []
    for page in reader.pages:
        texts = []
        try:
            images = list(page.images)
        except Exception as exc:  # pypdf raises many kinds on damaged image streams
            raise UnreadableDocument(name, f"scanned PDF with unreadable images ({type(exc).__name__})") from None
        for image in images:
            texts.append(ocr_image(image.data, f"{name} ({image.name})"))
        pages.append("\n".join(t for t in texts if t))
    return pages
