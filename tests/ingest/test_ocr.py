"""Scans through Tesseract: an image, and a PDF whose pages are only images."""

from __future__ import annotations

import io

import pytest
from fpdf import FPDF

from ingest import ocr
from ingest.readers import UnreadableDocument, read_bytes
from ingest.sample_case_builder import FOLDER

SCAN = FOLDER / "09_acta_migracion_escaneada.png"


def test_tesseract_and_its_spanish_data_are_installed():
    assert ocr.tesseract_version(), "install tesseract-ocr and tesseract-ocr-spa (the Makefile's install-system does)"


def test_a_scanned_page_is_read_by_ocr_and_marked_so():
    read = read_bytes(SCAN.read_bytes(), SCAN.name)
    assert read.metadata["ocr"].startswith("tesseract") and read.metadata["ocr_languages"] == "spa+eng"
    assert "MIGRACIÓN COLOMBIA" in read.text  # Spanish letters come through with the spa data
    assert "AV 204" in read.text and "1.143.876.902" in read.text


def test_a_pdf_without_a_text_layer_goes_through_ocr_page_by_page():
    pdf = FPDF()
    for _ in range(2):
        pdf.add_page()
        pdf.image(io.BytesIO(SCAN.read_bytes()), x=10, y=10, w=190)
    read = read_bytes(bytes(pdf.output()), "escaneado.pdf")
    assert "ocr" in read.metadata and len(read.page_starts) == 2
    second_page = read.text[read.page_starts[1] :]
    assert "Ciudad de México" in second_page


def test_without_tesseract_a_scan_is_refused_with_what_to_install(monkeypatch):
    monkeypatch.setattr(ocr.shutil, "which", lambda name: None)
    with pytest.raises(UnreadableDocument, match="Tesseract is not installed"):
        read_bytes(SCAN.read_bytes(), SCAN.name)


def test_an_image_that_is_not_an_image_is_refused():
    with pytest.raises(UnreadableDocument, match="not a readable image"):
        read_bytes(b"\x89PNG\r\n\x1a\n this is not a picture", "roto.png")


def test_an_image_bomb_is_refused_before_tesseract_runs(monkeypatch):
    from PIL import Image

    out = io.BytesIO()
    Image.new("1", (13_000, 12_000)).save(out, format="PNG")  # 156 million pixels in a few kB
    monkeypatch.setattr(ocr.subprocess, "run", lambda *a, **k: pytest.fail("tesseract ran on an image bomb"))
    with pytest.raises(UnreadableDocument, match="refused: 13,000 × 12,000 pixels is over the 150,000,000-pixel limit"):
        read_bytes(out.getvalue(), "bomba.png")
