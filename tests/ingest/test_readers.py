"""Readers on real files of each format, and the bad input every real case file pile has."""

from __future__ import annotations

import io
import zipfile
from email.message import EmailMessage

import docx
import pytest
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

from ingest.readers import UnreadableDocument, read_bytes, read_path

REPORT = "El señor PÉREZ GÓMEZ JUAN CARLOS, alias 'El Paisa', captó a la víctima en Pereira."


def pdf_bytes(pages: list[str], title: str = "Informe") -> bytes:
    pdf = FPDF()
    pdf.set_title(title)
    pdf.set_font("helvetica", size=11)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())


def docx_bytes(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    if table:
        t = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                t.cell(r, c).text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- text


def test_utf8_text_with_bom_and_windows_newlines(tmp_path):
    path = tmp_path / "informe.txt"
    path.write_bytes("\ufeff".encode() + REPORT.replace(".", ".\r\n").encode("utf-8"))
    doc = read_path(path)
    assert doc.text.startswith("El señor PÉREZ GÓMEZ")
    assert "\r" not in doc.text
    assert doc.title == "informe"
    assert doc.media_type == "text/plain"
    assert len(doc.id) == 64


def test_windows_1252_text_is_decoded(tmp_path):
    path = tmp_path / "oficio.txt"
    text = "Oficio No. 123. La señora María López de Ruíz declaró que el niño viajó a Bogotá — “sin permiso”."
    path.write_bytes(text.encode("cp1252"))
    assert read_path(path).text == text


def test_same_bytes_same_id_whatever_the_name():
    assert read_bytes(REPORT.encode(), "a.txt").id == read_bytes(REPORT.encode(), "b.txt").id


@pytest.mark.parametrize(
    "data, name, reason",
    [
        (b"", "vacio.txt", "empty file"),
        (b"   \n\t ", "blancos.txt", "empty file"),
        (bytes(range(256)) * 40, "basura.txt", "not text: binary data"),
        (b"\x89PNG\r\n\x1a\n" + bytes(500), "foto.txt", "not text: binary data"),
        (b"MZ\x90\x00\x03", "programa.exe", "unknown file type .exe"),
        (b"hola", "sin_extension", "unknown file type (no extension)"),
    ],
)
def test_bad_text_input_gets_one_clear_reason(data, name, reason):
    with pytest.raises(UnreadableDocument) as caught:
        read_bytes(data, name)
    assert reason in caught.value.reason
    assert "\n" not in caught.value.reason


def test_file_over_the_size_limit_is_refused_before_reading(tmp_path):
    path = tmp_path / "grande.txt"
    with path.open("wb") as f:
        f.truncate(2_000_000)  # sparse: nothing is written or read
    with pytest.raises(UnreadableDocument, match="over the 1,000,000-byte limit"):
        read_path(path, max_bytes=1_000_000)


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(UnreadableDocument, match="cannot open"):
        read_path(tmp_path / "no-existe.txt")


# ---------------------------------------------------------------- PDF


def test_pdf_text_layer_keeps_page_numbers():
    data = pdf_bytes(["Primera pagina: Juan Carlos Perez.", "Segunda pagina: vuelo AV 010 a Madrid."], title="Informe 7")
    doc = read_bytes(data, "informe7.pdf")
    assert doc.media_type == "application/pdf"
    assert doc.title == "Informe 7"
    assert len(doc.page_starts) == 2
    second = doc.text.index("Segunda")
    assert doc.page_starts[0] == 0 and doc.page_starts[1] <= second
    assert "Primera" in doc.text[: doc.page_starts[1]]


def test_encrypted_pdf_is_refused():
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(["secreto"]))))
    writer.encrypt("clave-usuario")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(UnreadableDocument, match="encrypted PDF"):
        read_bytes(out.getvalue(), "cifrado.pdf")


def test_truncated_pdf_is_refused():
    data = pdf_bytes(["Texto que se corta."])
    with pytest.raises(UnreadableDocument, match="damaged or truncated PDF"):
        read_bytes(data[: len(data) // 3], "cortado.pdf")


def test_pdf_without_text_layer_says_it_needs_ocr():
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(10, 10, 50, 50)
    with pytest.raises(UnreadableDocument, match="no text layer"):
        read_bytes(bytes(pdf.output()), "escaneado.pdf")


# ---------------------------------------------------------------- DOCX


def test_docx_paragraphs_and_tables():
    data = docx_bytes(["ENTREVISTA A VÍCTIMA", REPORT], table=[["Nombre", "Teléfono"], ["Ana María Torres", "315 222 3344"]])
    doc = read_bytes(data, "entrevista.docx")
    assert REPORT in doc.text
    assert "Ana María Torres | 315 222 3344" in doc.text


def test_docx_zip_bomb_is_refused_without_unpacking():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\x00" * 30_000_000)
    with pytest.raises(UnreadableDocument, match="zip bomb"):
        read_bytes(out.getvalue(), "bomba.docx")


def test_damaged_docx_is_refused():
    data = docx_bytes([REPORT])
    with pytest.raises(UnreadableDocument, match="damaged DOCX"):
        read_bytes(data[:200], "roto.docx")


# ---------------------------------------------------------------- e-mail


def test_email_headers_body_and_attachments():
    message = EmailMessage()
    message["From"] = "Enlace INTERPOL <enlace@example.org>"
    message["To"] = "fiscalia@example.org"
    message["Subject"] = "Número español vinculado al caso"
    message["Date"] = "Mon, 12 Mar 2018 10:00:00 -0500"
    message.set_content("El número +34 612 345 678 aparece en las llamadas de PÉREZ GÓMEZ.")
    message.add_attachment(REPORT.encode("utf-8"), maintype="text", subtype="plain", filename="anexo.txt")
    doc = read_bytes(message.as_bytes(), "correo.eml")
    assert doc.title == "Número español vinculado al caso"
    assert "From: Enlace INTERPOL <enlace@example.org>" in doc.text
    assert "+34 612 345 678" in doc.text
    assert doc.metadata["from"] == "Enlace INTERPOL <enlace@example.org>"
    assert [(a.filename, a.data.decode()) for a in doc.attachments] == [("anexo.txt", REPORT)]


def test_html_only_email_is_read_as_text_without_scripts():
    message = EmailMessage()
    message["From"] = "a@example.org"
    message["Subject"] = "html"
    message.set_content("<p>Hola <b>Luisa</b></p><script>alert(1)</script>", subtype="html")
    doc = read_bytes(message.as_bytes(), "html.eml")
    assert "Hola Luisa" in doc.text
    assert "alert" not in doc.text


def test_not_an_email_is_refused():
    with pytest.raises(UnreadableDocument, match="not an e-mail"):
        read_bytes(b"solo texto sin cabeceras\n", "falso.eml")


def test_utf16_text_with_byte_order_mark_is_decoded():
    doc = read_bytes("Entrevista a Génesis Urbina en Cúcuta.\r\n".encode("utf-16"), "export.txt")
    assert doc.text == "Entrevista a Génesis Urbina en Cúcuta.\n"
