"""A generated corpus of hostile files (at least 100): what a seized disk, a careless export or
an attacker can put in front of ingest. Deterministic (seeded); written into a folder."""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

from ingest.sample_case_builder import FOLDER as SAMPLE

GIB = 1 << 30


def _noise(rng: random.Random, size: int) -> bytes:
    return rng.randbytes(size)


def _bomb(member: str, uncompressed: int, wrapper_files: dict[str, bytes]) -> bytes:
    """A zip (a DOCX or XLSX by its parts) with one member of `uncompressed` zero bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in wrapper_files.items():
            archive.writestr(name, data)
        info = zipfile.ZipInfo(member)
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w", force_zip64=True) as stream:
            chunk = b"\0" * (1 << 20)
            for _ in range(uncompressed >> 20):
                stream.write(chunk)
    return out.getvalue()


def _encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(SAMPLE / "05_informe_sijin_cali.pdf").pages:
        writer.add_page(page)
    writer.encrypt("clave-secreta")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def build(folder: Path, seed: int = 66) -> dict[str, str]:
    """Write the hostile files into `folder`; returns {file name: what it is}."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    made: dict[str, str] = {}

    def put(name: str, data: bytes, what: str) -> None:
        (folder / name).write_bytes(data)
        made[name] = what

    for n, suffix in enumerate([".txt", ".pdf", ".docx", ".xlsx", ".csv", ".eml", ".png", ".jpg", ".tsv", ".tif"] * 3):
        put(f"ruido_{n:02d}{suffix}", _noise(rng, rng.choice([1, 17, 4096, 200_000])), "binary noise")
    pdf = (SAMPLE / "05_informe_sijin_cali.pdf").read_bytes()
    for n, fraction in enumerate([0.02, 0.1, 0.25, 0.4, 0.5, 0.6, 0.75, 0.9, 0.97, 0.99]):
        put(f"truncado_{n:02d}.pdf", pdf[: max(8, int(len(pdf) * fraction))], "truncated PDF")
    encrypted = _encrypted_pdf()
    for n in range(3):
        put(f"cifrado_{n}.pdf", encrypted, "encrypted PDF")
    put("pdf_cabecera_falsa.pdf", b"%PDF-1.7\n" + _noise(rng, 50_000), "PDF header over noise")
    docx_parts = {
        "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
    }
    put("bomba_1.docx", _bomb("word/document.xml", 600 << 20, docx_parts), "zip bomb (DOCX, 600 MiB inside)")
    put("bomba_2.xlsx", _bomb("xl/worksheets/sheet1.xml", 600 << 20, docx_parts), "zip bomb (XLSX, 600 MiB inside)")
    put("bomba_3.docx", _bomb("word/media/image1.png", 300 << 20, docx_parts), "zip bomb (DOCX media, 300 MiB inside)")
    for n, suffix in enumerate([".txt", ".pdf", ".csv"]):
        path = folder / f"disperso_1gb_{n}{suffix}"
        with path.open("wb") as handle:
            handle.truncate(GIB)  # sparse: takes no disk
        made[path.name] = "1 GiB sparse file"
    for n in range(22):
        valid = "Informe: el señor Pérez llamó al 3124567890. ".encode("utf-8")
        broken = bytes(rng.choice([0xC3, 0xE2, 0xF0, 0xFF, 0xFE, 0x80, 0xBF]) for _ in range(rng.randint(1, 400)))
        put(f"utf8_invalido_{n:02d}.txt", valid * rng.randint(0, 3) + broken + valid * rng.randint(0, 2), "invalid UTF-8")
    hostile_names = ["<script>alert(1)</script>", "'; MATCH (n) DETACH DELETE n; //", '") RETURN 1 //', "${jndi:ldap:x}",
                     "../../etc/passwd", "CALL db.clearQueryCaches()", "<img src=x onerror=alert(1)>", "%00nul", "名前 ñandú", "a" * 180]  # fmt: skip
    for n, hostile in enumerate(hostile_names):
        safe = hostile.replace("/", "∕")  # a file name cannot hold a slash; the rest stays
        text = (f"Informe {n}. El señor {hostile} Restrepo, identificado con cédula 71.234.{n:03d}, "
                f"usa el celular 315 {n:03d} 4567 y viajó de Cali a Bogotá el 3 de marzo de 2018.\n")  # fmt: skip
        put(f"{safe}.txt", text.encode("utf-8"), "GOOD: hostile name and text, must be stored")
    header = "Número origen;Número destino;Fecha y hora;Duración (s)\n"
    rows = "".join(f"3{n % 900000000 + 100000000};3159990000;01/03/2018 10:00;60\n" for n in range(1_000_001))
    put("cdr_un_millon_de_filas.csv", (header + rows).encode("utf-8"), "CSV with 1,000,001 rows")
    broken_csvs = [
        'a,b,c\n"sin cerrar,1,2\n3,4,5\n', 'x;y\n"";"\n";;;;;\n', '"' * 5000, "a,b\n1,2\n" + "\0" * 100,
        "col\n" + '"' + "x" * 300_000 + '"\n', ",,,,\n,,,,\n,,,,\n", "\ufeff\ufeff\ufeffa;b\n1;2\n", 'a,"b\n' * 2000,
        "Pasajero,Documento\n" + "=cmd|'/C calc'!A0,123\n" * 3, "\t\t\t\n" * 50,
    ]  # fmt: skip
    for n, text in enumerate(broken_csvs):
        put(f"csv_roto_{n:02d}.csv", text.encode("utf-8"), "CSV with broken quoting or no content")
    for n, data in enumerate([b"", b" ", b"\n\n\n", b"\xef\xbb\xbf", b"\0"]):
        put(f"vacio_{n}.txt", data, "empty or blank")
    emails = [
        b'From: x\nContent-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain\n\n',
        b"Subject: =?utf-8?b?!!!?=\nContent-Transfer-Encoding: base64\n\n@@@@not base64@@@@",
        b'Content-Type: multipart/mixed; boundary="' + b"b" * 5000 + b'"\n\n' + b"--" + b"b" * 5000,
        b"\xff\xfe\x00\x00garbage headers\n\n\x00\x01",
        b"From: a@b\nContent-Type: message/rfc822\n\n" * 500,
    ]
    for n, data in enumerate(emails):
        put(f"correo_roto_{n}.eml", data, "malformed e-mail")
    from PIL import Image

    for n, size in enumerate([(30_000, 30_000), (1, 1)]):
        out = io.BytesIO()
        Image.new("1", size).save(out, format="PNG")
        put(f"imagen_{n}.png", out.getvalue(), "image bomb" if n == 0 else "1-pixel image")
    put("imagen_truncada.png", b"\x89PNG\r\n\x1a\n" + _noise(rng, 300), "truncated PNG")
    put("xlsx_xml_roto.xlsx", _zip({"[Content_Types].xml": b"<Types", "xl/workbook.xml": b"<<<>>>"}), "XLSX with broken XML")
    put(
        "docx_xml_roto.docx",
        _zip({"[Content_Types].xml": b"<Types", "word/document.xml": b"<w:document><w:body><w:p>"}),
        "DOCX with broken XML",
    )
    put("zip_dentro.docx", _zip({"word/document.xml": _zip({"a": b"b"})}), "DOCX whose document is a zip")
    put(
        "una_linea_enorme.txt",
        ("Juan Pérez llamó a Ana Gómez " * 42_000).encode("utf-8"),
        "GOOD: 1.2 MB single line (over spaCy's 1,000,000-character limit), must be stored",
    )
    put("sin_extension", _noise(rng, 1000), "no extension")
    put("extension_desconocida.xyz", b"texto plano con extension rara", "unknown extension")
    return made


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()
