"""The ingest job end to end, on both stores: good files stored, bad ones reported with a
one-line reason and nothing of them stored, re-runs change nothing, a killed run resumes."""

from __future__ import annotations

import io
import os
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from email.message import EmailMessage
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from ingest.job import discover, ingest_paths
from ingest.records import case_id_for
from tests.factories import generated_corpus
from tests.ingest.test_readers import docx_bytes, pdf_bytes

REPORT = (
    "El 9 de marzo de 2018 Yuliana Andrea Ríos Castaño viajó en bus desde la Terminal de Transportes de Pereira "
    "hasta la Terminal Salitre. Su celular es 312 674 0021. La captó Jhon Fredy Cardona, alias El Paisa.\n"
)


def good_files(folder):
    folder.mkdir()
    (folder / "informe.txt").write_text(REPORT, "utf-8")
    (folder / "denuncia_cp1252.txt").write_bytes("La señora Gloria Inés Castaño denunció en Pereira.\n".encode("cp1252"))
    (folder / "informe.pdf").write_bytes(pdf_bytes(["Primera pagina: Karen Dayana Mosquera.", "Segunda: vuelo AV 204 a Ciudad de Mexico."]))
    (folder / "entrevista.docx").write_bytes(docx_bytes(["Entrevistada: Leidy Johana Marín Ospina, celular 300 418 9922."]))
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "lamadrina.empleos@gmail.com", "dani@example.org", "Trabajo en México"
    message.set_content("Hola Daniela, te llamo del 318 224 6701.")
    message.add_attachment(
        b"Itinerario: vuelo AV 204 de Bogota a Ciudad de Mexico.", maintype="text", subtype="plain", filename="itinerario.txt"
    )
    (folder / "correo.eml").write_bytes(bytes(message))
    (folder / "cdr.csv").write_text("Número origen;Número destino;Fecha y hora\n3147823390;3182246701;02/03/2018 15:11\n", "utf-8")
    (folder / ".oculto.txt").write_text("hidden files are not case files", "utf-8")


def bad_files(folder):
    folder.mkdir()
    (folder / "vacio.txt").write_bytes(b"")
    (folder / "basura.txt").write_bytes(bytes(range(256)) * 40)
    pdf = pdf_bytes(["Texto que se corta."])
    (folder / "cortado.pdf").write_bytes(pdf[: len(pdf) // 3])
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(["secreto"]))))
    writer.encrypt("clave")
    out = io.BytesIO()
    writer.write(out)
    (folder / "cifrado.pdf").write_bytes(out.getvalue())
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\x00" * 30_000_000)
    (folder / "bomba.docx").write_bytes(bomb.getvalue())
    (folder / "grande.txt").write_text("Informe " * 40_000, "utf-8")
    (folder / "foto.heic").write_bytes(b"\x00\x01 not a format we read")
    (folder / "tabla_rara.csv").write_text("color,talla\nrojo,3\n", "utf-8")


EXPECTED_REASONS = {
    "vacio.txt": "empty file",
    "basura.txt": "not text: binary data",
    "cortado.pdf": "damaged or truncated PDF",
    "cifrado.pdf": "encrypted PDF",
    "bomba.docx": "zip bomb",
    "grande.txt": "over the 100,000-byte limit",
    "foto.heic": "unknown file type .heic",
    "tabla_rara.csv": "no header row fits an import profile",
}


def test_a_folder_of_good_and_bad_files(store, tmp_path):
    good_files(tmp_path / "caso")
    bad_files(tmp_path / "caso" / "malos")
    summary = ingest_paths([tmp_path / "caso"], store, "Operación Prueba", max_bytes=100_000, log_dir=tmp_path / "logs")

    failed = {o.path.rsplit("/", 1)[-1]: o.reason for o in summary.failed}
    assert set(failed) == set(EXPECTED_REASONS)
    for name, reason in EXPECTED_REASONS.items():
        assert reason in failed[name] and "\n" not in failed[name], (name, failed[name])
    stored = [o for o in summary.outcomes if o.status == "stored"]
    assert len(stored) == 7  # six files and the e-mail's attachment
    counts = store.counts()
    assert counts["documents"] == 7  # nothing of a bad file was stored
    assert counts["relationships"]["CALLED"] == 1 and counts["relationships"]["USES_PHONE"] >= 1

    attachment = next(o for o in stored if o.path.endswith("#itinerario.txt"))
    assert store.get_document(attachment.document_id).source_path.endswith("correo.eml#itinerario.txt")
    windows = next(o for o in stored if o.path.endswith("denuncia_cp1252.txt"))
    assert "Gloria Inés Castaño" in store.get_document(windows.document_id).text
    assert case_id_for("Operación Prueba") in store.get_document(windows.document_id).case_ids
    log = summary.log_path.read_text("utf-8")
    assert "FAILED    " in log and "cifrado.pdf" in log and "STORED    " in log


def test_ingesting_again_changes_nothing(store, tmp_path):
    good_files(tmp_path / "caso")
    first = ingest_paths([tmp_path / "caso"], store, "Caso")
    before = store.counts()
    second = ingest_paths([tmp_path / "caso"], store, "Caso")
    assert first.count("stored") == 7 and second.count("stored") == 0
    assert second.count("unchanged") == 6  # the e-mail is stored with its attachment, and skipped with it
    assert store.counts() == before


def test_the_same_file_in_a_second_case_joins_that_case(tmp_path):
    from backend.store.sqlite import SqliteStore

    good_files(tmp_path / "caso")
    with SqliteStore(tmp_path / "db.sqlite3") as store:
        ingest_paths([tmp_path / "caso" / "informe.txt"], store, "Caso A")
        summary = ingest_paths([tmp_path / "caso" / "informe.txt"], store, "Caso B")
        document = store.get_document(summary.outcomes[0].document_id)
        assert set(document.case_ids) == {case_id_for("Caso A"), case_id_for("Caso B")}
        assert store.counts()["documents"] == 1


def test_evidence_of_a_sentence_points_into_its_document(tmp_path):
    from backend.store.sqlite import SqliteStore

    good_files(tmp_path / "caso")
    with SqliteStore(tmp_path / "db.sqlite3") as store:
        ingest_paths([tmp_path / "caso" / "informe.txt"], store)
        phone = store.get_entity("phone:+573126740021")
        [uses] = [r for r in phone.relationships if r.type == "USES_PHONE"]
        [evidence] = uses.evidence
        document = store.get_document(evidence.document_id)
        assert document.text[evidence.start : evidence.end] == evidence.text == "Su celular es 312 674 0021."
        assert phone.mentions[0].sentence == evidence.text


def test_discover_walks_folders_in_order_and_skips_hidden_files(tmp_path):
    good_files(tmp_path / "caso")
    hidden = []
    names = [p.name for p in discover([tmp_path / "caso"], hidden)]
    assert names == sorted(names) and ".oculto.txt" not in names and len(names) == 6
    assert hidden == [tmp_path / "caso" / ".oculto.txt"]


def test_hidden_files_are_not_read_but_the_summary_says_so(tmp_path):
    from backend.store.sqlite import SqliteStore

    good_files(tmp_path / "caso")
    (tmp_path / "caso" / ".git").mkdir()
    (tmp_path / "caso" / ".git" / "config").write_text("[core]", "utf-8")
    with SqliteStore(tmp_path / "s.sqlite3") as store:
        summary = ingest_paths([tmp_path / "caso"], store, "Caso", log_dir=tmp_path / "logs")
        skipped = {Path(o.path).name: o.reason for o in summary.outcomes if o.status == "skipped"}
        assert set(skipped) == {".oculto.txt", ".git"} and "hidden" in skipped[".git"]
        assert summary.count("stored") == 7 and store.counts()["documents"] == 7  # six files and the e-mail's attachment
        log = summary.log_path.read_text("utf-8")
        assert f"SKIPPED   {tmp_path / 'caso' / '.oculto.txt'}\thidden" in log
        # Named explicitly, a hidden file is read.
        again = ingest_paths([tmp_path / "caso" / ".oculto.txt"], store, "Caso")
        assert again.count("stored") == 1


@pytest.mark.slow
def test_a_run_killed_half_way_finishes_on_the_next_run_without_duplicates(tmp_path):
    corpus = generated_corpus(tmp_path / "corpus", 120, seed=3)
    env = {**os.environ, "TELARANA_DATA_DIR": str(tmp_path / "data"), "TELARANA_STORE": "sqlite"}
    env.pop("TELARANA_SQLITE_PATH", None)
    database = tmp_path / "data" / "telarana.sqlite3"
    command = [sys.executable, "-m", "backend.cli", "ingest", str(corpus), "--case", "Caso", "--no-progress"]
    run = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    stored = 0
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and run.poll() is None:
        if database.exists():
            try:
                with sqlite3.connect(database, timeout=1) as conn:
                    stored = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
            except sqlite3.OperationalError:
                stored = 0
        if stored >= 25:
            break
        time.sleep(0.05)
    assert run.poll() is None, "the run finished before it could be killed; make the corpus bigger"
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    with sqlite3.connect(database) as conn:
        partial = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    assert 25 <= partial < 120

    finish = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert finish.returncode == 0, finish.stdout + finish.stderr
    clean_env = {**env, "TELARANA_DATA_DIR": str(tmp_path / "clean")}
    clean = subprocess.run(command, env=clean_env, capture_output=True, text=True, timeout=600)
    assert clean.returncode == 0
    tables = ("documents", "mentions", "entities", "relationships", "evidence")
    with sqlite3.connect(database) as resumed, sqlite3.connect(tmp_path / "clean" / "telarana.sqlite3") as fresh:
        for table in tables:
            count = f"SELECT count(*) FROM {table}"
            assert resumed.execute(count).fetchone() == fresh.execute(count).fetchone(), table
        assert resumed.execute("SELECT count(*) FROM documents").fetchone()[0] == 120


@pytest.mark.slow
def test_two_worker_processes_on_a_local_cluster_store_exactly_what_one_process_does(tmp_path):
    from backend.store.sqlite import SqliteStore

    good_files(tmp_path / "caso")
    counts = []
    for workers in (1, 2):
        with SqliteStore(tmp_path / f"w{workers}.sqlite3") as store:
            summary = ingest_paths([tmp_path / "caso"], store, "Caso", workers=workers)
            assert not summary.failed
            counts.append(store.counts())
    assert counts[0] == counts[1]


def test_a_bug_on_one_document_fails_that_document_only(tmp_path, monkeypatch):
    from backend.store.sqlite import SqliteStore
    from ingest import job

    real = job.extract_document

    def flaky(document_id, title, text, *args, **kwargs):
        if "Leidy" in text:
            raise KeyError("boom")
        return real(document_id, title, text, *args, **kwargs)

    monkeypatch.setattr(job, "extract_document", flaky)
    good_files(tmp_path / "caso")
    with SqliteStore(tmp_path / "db.sqlite3") as store:
        summary = ingest_paths([tmp_path / "caso"], store, "Caso")
        [failed] = summary.failed
        assert failed.path.endswith("entrevista.docx") and "internal error while extracting (KeyError" in failed.reason
        assert summary.count("stored") == 6 and store.counts()["documents"] == 6


def test_the_original_bytes_of_every_stored_document_are_kept(tmp_path):
    from backend.store.originals import Originals
    from backend.store.sqlite import SqliteStore

    good_files(tmp_path / "caso")
    originals = Originals(tmp_path / "originals")
    with SqliteStore(tmp_path / "db.sqlite3") as store:
        summary = ingest_paths([tmp_path / "caso"], store, "Caso", originals=originals)
        stored = [o for o in summary.outcomes if o.status == "stored"]
        assert len(stored) == 7  # the e-mail's attachment is a document with a file of its own
        for outcome in stored:
            data = originals.read(outcome.document_id)
            assert data is not None, outcome.path
            if "#" not in outcome.path:
                assert data == open(outcome.path, "rb").read()
        attachment = next(o for o in stored if o.path.endswith("#itinerario.txt"))
        assert originals.read(attachment.document_id).startswith(b"Itinerario: vuelo AV 204")

        # a file changed on disk is not served as the original; ingesting again restores it
        report = next(o for o in stored if o.path.endswith("informe.txt"))
        kept = originals.folder / report.document_id[:2] / report.document_id
        kept.write_bytes(b"tampered")
        assert originals.read(report.document_id) is None
        ingest_paths([tmp_path / "caso"], store, "Caso", originals=originals)
        assert originals.read(report.document_id) == (tmp_path / "caso" / "informe.txt").read_bytes()
    assert originals.read("../../etc/passwd") is None


def test_a_table_with_no_row_read_fails_and_one_read_in_part_says_how_much(store, tmp_path):
    folder = tmp_path / "tablas"
    folder.mkdir()
    # Every date is unreadable: stored, it would count as read while holding nothing.
    (folder / "cdr_malo.csv").write_text("Número origen;Número destino;Fecha\n3104567821;3152239087;ayer\n3104567821;3152239087;hoy\n")
    (folder / "cdr_parcial.csv").write_text(
        "Número origen;Número destino;Fecha\n3104567821;3152239087;13/03/2024 10:00\n3104567821;12;14/03/2024 10:00\n"
    )
    summary = ingest_paths([folder], store, "Caso", log_dir=tmp_path / "logs")
    outcome = {Path(o.path).name: o for o in summary.outcomes}
    assert outcome["cdr_malo.csv"].status == "failed" and "no row of 2 could be read" in outcome["cdr_malo.csv"].reason
    partial = outcome["cdr_parcial.csv"]
    assert partial.status == "stored" and (partial.rows_read, partial.table_rows) == (1, 2)
    assert "rows read 1 of 2" in summary.log_path.read_text("utf-8")
    assert store.counts()["documents"] == 1


CDR_WITH_A_FORWARDED_NUMBER = (
    "Número origen;Número destino;Número desviado;Fecha\n"
    "3104567821;3152239087;3216540987;13/03/2024 22:15\n"
    "3104567821;3007654321;3007654321;14/03/2024 08:01\n"
)
# The analyst's corrected map: the call went to the forwarded number.
FORWARDED_PROFILE = 'profile = "cdr"\n[columns]\ncaller = "Número origen"\ncallee = "Número desviado"\nstart = "Fecha"\n'


def _called(store) -> set[tuple[str, str]]:
    from backend.domain.model import GraphFilter, RelType

    edges = store.all_edges(GraphFilter(relationship_types=frozenset({RelType.CALLED})))
    labels = {e.id: e.label for e in store.entities({x for e in edges for x in (e.source_id, e.target_id)}).values()}
    return {(labels[e.source_id], labels[e.target_id]) for e in edges}


def test_a_stored_table_is_read_again_with_a_corrected_profile(store, tmp_path):
    folder = tmp_path / "caso"
    folder.mkdir()
    (folder / "cdr.csv").write_text(CDR_WITH_A_FORWARDED_NUMBER, "utf-8")
    (tmp_path / "desvio.toml").write_text(FORWARDED_PROFILE, "utf-8")
    ingest_paths([folder], store, "Caso")
    assert ("+573104567821", "+573152239087") in _called(store)
    # without --reread a stored file is left as it is, whatever the profile says
    summary = ingest_paths([folder], store, "Caso", profile_file=tmp_path / "desvio.toml")
    assert [o.status for o in summary.outcomes] == ["unchanged"]

    summary = ingest_paths([folder], store, "Caso", profile_file=tmp_path / "desvio.toml", reread=True, log_dir=tmp_path / "logs")
    [outcome] = summary.outcomes
    assert (outcome.status, outcome.rows_read, outcome.retired_mentions, outcome.retired_evidence) == ("reread", 2, 2, 1)
    assert _called(store) == {("+573104567821", "+573216540987"), ("+573104567821", "+573007654321")}
    assert "retired 2 mentions and 1 pieces of evidence" in summary.log_path.read_text("utf-8")
    # the old reading is kept apart, not deleted: the number it read and the row it read it from
    retired = store.retired(outcome.document_id)
    assert {r.record.get("text") for r in retired if r.kind == "mention"} == {"3152239087", "3007654321"}
    assert [r.record["rel_type"] for r in retired if r.kind == "evidence"] == ["CALLED"]
    assert store.counts()["entities"] == {"Phone": 3}  # +573152239087 now has nothing referring to it

    # reading again the same way changes nothing
    before = (store.counts(), store.content_digest(stamps=False))
    summary = ingest_paths([folder], store, "Caso", profile_file=tmp_path / "desvio.toml", reread=True)
    assert [(o.status, o.retired_mentions, o.retired_evidence) for o in summary.outcomes] == [("reread", 0, 0)]
    assert (store.counts(), store.content_digest(stamps=False)) == before


def test_stored_documents_are_read_again_from_the_kept_files(tmp_path):
    from backend.store.originals import Originals
    from backend.store.sqlite import SqliteStore
    from ingest.job import reread_stored

    good_files(tmp_path / "caso")
    originals = Originals(tmp_path / "originals")
    with SqliteStore(tmp_path / "db.sqlite3") as store:
        ingest_paths([tmp_path / "caso"], store, "Caso", originals=originals)
        before = (store.counts(), store.content_digest(stamps=False))
        summary = reread_stored(originals, store, "Caso")
        # the e-mail's attachment is read again with the e-mail, not on its own
        assert sorted(o.status for o in summary.outcomes) == ["reread"] * 7
        assert (store.counts(), store.content_digest(stamps=False)) == before
        lost = next(o for o in summary.outcomes if o.path.endswith("informe.txt"))
        (originals.folder / lost.document_id[:2] / lost.document_id).unlink()
        summary = reread_stored(originals, store)
        failed = [o for o in summary.outcomes if o.status == "failed"]
        assert [Path(o.path).name for o in failed] == ["informe.txt"] and "ingest --reread PATH" in failed[0].reason
        with pytest.raises(Exception, match="no case named"):
            reread_stored(originals, store, "Caso que no existe")


def test_a_reread_stopped_half_way_finishes_on_the_next_run_as_one_uninterrupted_reread(store, tmp_path):
    from backend.store.sqlite import SqliteStore

    folder = tmp_path / "caso"
    folder.mkdir()
    for number in range(6):
        rows = "".join(f"31045678{number}{i};3152239087;32165409{number}{i};1{i}/03/2024 22:15\n" for i in range(3))
        (folder / f"cdr_{number}.csv").write_text("Número origen;Número destino;Número desviado;Fecha\n" + rows, "utf-8")
    profile = tmp_path / "desvio.toml"
    profile.write_text(FORWARDED_PROFILE, "utf-8")

    with SqliteStore(tmp_path / "clean.sqlite3") as clean:
        ingest_paths([folder], clean, "Caso")
        ingest_paths([folder], clean, "Caso", profile_file=profile, reread=True)
        expected = (clean.counts(), clean.content_digest(stamps=False))

    ingest_paths([folder], store, "Caso")
    replace_reading, calls = store.replace_reading, []

    def stopped_at_the_fourth(batch, at, reason):
        calls.append(batch.documents[0].id)
        if len(calls) == 4:
            raise KeyboardInterrupt  # the analyst stops the run (or the machine goes down) between two documents
        return replace_reading(batch, at, reason)

    store.replace_reading = stopped_at_the_fourth
    with pytest.raises(KeyboardInterrupt):
        ingest_paths([folder], store, "Caso", profile_file=profile, reread=True)
    del store.replace_reading
    assert store.counts() != expected[0] or store.content_digest(stamps=False) != expected[1]  # really half done
    ingest_paths([folder], store, "Caso", profile_file=profile, reread=True)
    assert (store.counts(), store.content_digest(stamps=False)) == expected
