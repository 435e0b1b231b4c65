"""OCR for scans: images and PDFs without a text layer, through the Tesseract command
(Debian packages tesseract-ocr and tesseract-ocr-spa). Nothing is fetched: Tesseract's
Spanish and English data come with those packages."""

from __future__ import annotations

import io
import shutil
import subprocess
import warnings

from ingest.readers import UnreadableDocument

OCR_LANGUAGES = "spa+eng"
OCR_TIMEOUT_SECONDS = 180
IMAGE_EXTENSIONS = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".pnm", ".webp"}
# Evidence read by OCR is less sure than typed text: every confidence is scaled by this.
OCR_CONFIDENCE_FACTOR = 0.85
# A page scanned at 600 dpi is about 35 million pixels; far beyond that is a decompression bomb.
MAX_IMAGE_PIXELS = 150_000_000


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
    _check_image(data, name)
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


def _check_image(data: bytes, name: str) -> None:
    """Refuse what Tesseract would choke on, before it runs: a damaged image, or one so large in
    pixels (a decompression bomb) that reading it would take minutes and gigabytes."""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # judged below, by our own limit
            image = Image.open(io.BytesIO(data))
        with image:
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise UnreadableDocument(
                    name, f"refused: {width:,} × {height:,} pixels is over the {MAX_IMAGE_PIXELS:,}-pixel limit (an image bomb, not a scan)"
                )
            image.verify()
    except Image.DecompressionBombError:
        raise UnreadableDocument(name, f"refused: over the {MAX_IMAGE_PIXELS:,}-pixel limit (an image bomb, not a scan)") from None
    except UnidentifiedImageError:
        raise UnreadableDocument(name, "not a readable image (unknown or damaged format)") from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise UnreadableDocument(name, f"damaged image ({str(exc)[:120] or type(exc).__name__})") from None


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
