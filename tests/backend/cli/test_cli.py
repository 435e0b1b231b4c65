from __future__ import annotations

import json
import re
from importlib import resources

import pytest
from click.testing import CliRunner

from backend.cli import main

SAMPLE = str(resources.files("backend").joinpath("sample", "sample_case.jsonl"))


@pytest.fixture
def run(tmp_path, monkeypatch):
    for name in ("TELARANA_STORE", "TELARANA_SQLITE_PATH", "TELARANA_NEO4J_URI", "TELARANA_NEO4J_PASSWORD", "TELARANA_ENV"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TELARANA_DATA_DIR", str(tmp_path / "data"))
    runner = CliRunner()

    def invoke(*args, **env):
        return runner.invoke(main, list(args), env={k: str(v) for k, v in env.items()}, catch_exceptions=False)

    return invoke


def test_every_command_has_help(run):
    result = run("--help")
    assert result.exit_code == 0
    for name in main.commands:
        sub = run(name, "--help")
        assert sub.exit_code == 0, name
        assert "Usage:" in sub.output


def test_load_counts_search_and_path(run):
    loaded = run("load", SAMPLE)
    assert loaded.exit_code == 0, loaded.output
    counts = json.loads(run("counts", "--json").output)
    assert counts["documents"] == 3 and counts["entities"]["Person"] == 5

    found = run("search", "PEREZ")
    assert "Juan Carlos Pérez Gómez" in found.output

    ids = {line.split()[2]: line for line in found.output.splitlines() if line.startswith("entity")}
    recruiter = next(i for i, line in ids.items() if "Juan Carlos" in line)
    ana_line = run("search", "ana maria torres").output.splitlines()[0]
    ana = ana_line.split()[2]
    path = run("path", recruiter, ana, "--min-confidence", "0.5")
    assert path.exit_code == 0, path.output
    assert "captó a Luisa Fernanda Ríos" in path.output
    assert "Informe policial 001" in path.output

    neighbours = json.loads(run("neighbours", recruiter, "--hops", "1").output)
    assert {n["label"] for n in neighbours["nodes"]} >= {"Luisa Fernanda Ríos", "+573124567890"}


def test_a_bad_records_file_is_refused_and_the_good_one_is_stored(run, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"kind": "case", "id": "c9", "name": "ok"}\n{not json\n', encoding="utf-8")
    result = run("load", str(bad), SAMPLE)
    assert result.exit_code == 1
    assert "bad.jsonl:2" in result.output and "not JSON" in result.output
    assert "1 of 2 files refused" in result.output
    counts = json.loads(run("counts", "--json").output)
    assert counts["cases"] == 2  # the sample's two cases; nothing of bad.jsonl


def test_bad_filter_value_is_a_usage_error(run):
    run("load", SAMPLE)
    result = run("neighbours", "x", "--type", "Alien")
    assert result.exit_code == 2
    assert "Traceback" not in result.output


@pytest.mark.slow
def test_demo_without_serving_ingests_the_sample_case_and_explains_a_path(run):
    result = run("demo", "--no-serve")
    assert result.exit_code == 0, result.output
    assert "How is Jhon Fredy Cardona Restrepo (Pereira) tied to María Eugenia Salazar Ocampo (Cali)?" in result.output
    assert "-[CALLED]->" in result.output and "11_cdr_abonados_paisa" in result.output  # evidence: the CDR row
    counts = json.loads(run("counts", "--json").output)
    assert counts["documents"] == 31
    again = run("demo", "--no-serve")  # ingesting the sample twice changes nothing
    assert again.exit_code == 0
    assert json.loads(run("counts", "--json").output) == counts


def test_extract_prints_one_files_mentions_as_json_and_stores_nothing(run, tmp_path):
    report = tmp_path / "informe.txt"
    report.write_text("Yuliana Ríos viajó en bus de Pereira a Bogotá el 9 de marzo de 2018; su celular es 312 674 0021.", "utf-8")
    result = run("extract", str(report), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["path"] == str(report) and data["schema"] == "telarana.extraction/1"
    assert {"+573126740021", "Pereira", "Bogotá"} <= {m["normalized"] for m in data["mentions"]}
    assert any(r["type"] == "TRAVELLED" for r in data["relationships"])
    assert json.loads(run("counts", "--json").output)["documents"] == 0
    table = run("extract", str(report))
    assert "mentions" in table.output and "USES_PHONE" in table.output


def test_extract_of_an_unreadable_file_is_one_clear_line(run, tmp_path):
    bad = tmp_path / "vacio.txt"
    bad.write_bytes(b"")
    result = run("extract", str(bad), "--json")
    assert result.exit_code == 1 and "empty file" in result.output and "Traceback" not in result.output


def test_ingest_stores_the_good_files_and_exits_non_zero_for_the_bad(run, tmp_path):
    folder = tmp_path / "caso"
    folder.mkdir()
    (folder / "informe.txt").write_text("Jhon Fredy Cardona, alias El Paisa, usa el celular 314 782 3390.", "utf-8")
    (folder / "roto.pdf").write_bytes(b"%PDF-1.4 cut short")
    result = run("ingest", str(folder), "--case", "Operación Telar", "--no-progress")
    assert result.exit_code == 1
    assert "files stored" in result.output and "roto.pdf: damaged or truncated PDF" in result.output
    assert "1 file(s) failed; the others are stored" in result.output
    assert json.loads(run("counts", "--json").output)["documents"] == 1
    again = run("ingest", str(folder / "informe.txt"), "--case", "Operación Telar", "--no-progress")
    assert again.exit_code == 0 and "files unchanged (already stored) │ 1" in re.sub(r" +", " ", again.output)
    # Each run is recorded for the dashboard, newest first, with every file's outcome.
    from backend.store.runs import IngestRuns

    latest, first = IngestRuns(tmp_path / "data" / "runs.sqlite3").latest(["case:operacion-telar"], limit=5)
    assert (first.status, first.case_name, first.files_done) == ("done", "Operación Telar", 2)
    assert {o.path.rsplit("/", 1)[-1]: o.status for o in first.outcomes} == {"informe.txt": "stored", "roto.pdf": "failed"}
    assert [o.status for o in latest.outcomes] == ["unchanged"] and latest.by.startswith("cli:")


def test_ingest_reread_and_reread_read_stored_files_again(run, tmp_path):
    from tests.ingest.test_job import CDR_WITH_A_FORWARDED_NUMBER, FORWARDED_PROFILE

    folder = tmp_path / "caso"
    folder.mkdir()
    (folder / "cdr.csv").write_text(CDR_WITH_A_FORWARDED_NUMBER, "utf-8")
    (tmp_path / "desvio.toml").write_text(FORWARDED_PROFILE, "utf-8")
    assert run("ingest", str(folder), "--case", "Caso", "--no-progress").exit_code == 0
    profile = ("--profile", str(tmp_path / "desvio.toml"))
    again = re.sub(r" +", " ", run("ingest", str(folder), *profile, "--reread", "--no-progress").output)
    assert "files read again │ 1" in again and "mentions retired (kept apart) │ 2" in again
    kept = re.sub(r" +", " ", run("reread", "--case", "Caso", *profile, "--no-progress").output)
    assert "files read again │ 1" in kept and "mentions retired (kept apart) │ 0" in kept
    missing = run("reread", "--case", "Caso que no existe", "--no-progress")
    assert missing.exit_code == 1 and "no case named" in missing.output and "Traceback" not in missing.output


def test_unreachable_neo4j_is_one_clear_line(run):
    result = run(
        "counts",
        TELARANA_STORE="neo4j",
        TELARANA_NEO4J_URI="bolt://127.0.0.1:9",
        TELARANA_NEO4J_CONNECT_TIMEOUT="1",
    )
    assert result.exit_code == 1
    assert "bolt://127.0.0.1:9" in result.output
    assert "Traceback" not in result.output


def test_production_with_default_password_refuses_to_start(run):
    result = run("counts", TELARANA_ENV="production", TELARANA_STORE="neo4j")
    assert result.exit_code == 1
    assert "TELARANA_NEO4J_PASSWORD" in result.output


def test_report_and_export_commands_write_their_files(run, tmp_path):
    from pypdf import PdfReader

    from backend.reports.export import read_back

    assert run("load", SAMPLE).exit_code == 0
    lines = run("search", "PEREZ").output.splitlines() + run("search", "ana maria torres").output.splitlines()
    recruiter = next(line.split()[2] for line in lines if "Juan Carlos" in line)
    ana = next(line.split()[2] for line in lines if "Ana María Torres" in line or "Ana Maria Torres" in line)
    pdf = tmp_path / "informe.pdf"
    made = run("report", recruiter, ana, "--by", "fiscal.rojas", "--out", str(pdf))
    assert made.exit_code == 0, made.output
    assert "data version" in made.output
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages).replace("\n", " ")
    assert "por fiscal.rojas" in text and "captó a Luisa Fernanda Ríos" in text
    bad = run("report", recruiter, ana, "--by", "x", "--out", str(tmp_path / "informe.docx"))
    assert bad.exit_code == 2 and ".html, .pdf or .json" in bad.output
    graphml = tmp_path / "caso.graphml"
    exported = run("export", "--format", "graphml", "--out", str(graphml))
    assert exported.exit_code == 0, exported.output
    counts = json.loads(run("counts", "--json").output)
    assert read_back(graphml.read_bytes(), "graphml").number_of_nodes() == sum(counts["entities"].values())


def test_users_tokens_and_the_audit_chain_from_the_command_line(run, tmp_path):
    import sqlite3

    from backend.store.accounts import Accounts

    runner = CliRunner()
    typo = runner.invoke(main, ["user", "add", "ana.r", "--role", "analyst", "--case", "Caso Pereyra", "--password-stdin"],
                         input="correcto-caballo-bateria\n")  # fmt: skip
    assert typo.exit_code == 1 and "no case 'Caso Pereyra' in the store; its cases: none yet" in typo.output
    assert run("load", SAMPLE).exit_code == 0
    assert "caso-2" in run("cases").output and "Caso Cali" in run("cases").output
    added = runner.invoke(main, ["user", "add", "ana.r", "--role", "analyst", "--case", "caso pereira", "--password-stdin"],
                          input="correcto-caballo-bateria\n", catch_exceptions=False)  # fmt: skip
    assert added.exit_code == 0 and "user ana.r added: analyst, cases caso-1" in added.output  # named, stored by id
    assert "user ana.r: cases caso-1, caso-2" in run("user", "cases", "ana.r", "caso-2", "Caso Pereira").output
    unknown = runner.invoke(main, ["user", "cases", "ana.r", "caso-9"])
    assert unknown.exit_code == 1 and "its cases: caso-2 (Caso Cali); caso-1 (Caso Pereira)" in unknown.output
    weak = runner.invoke(main, ["user", "add", "eva", "--role", "analyst", "--password-stdin"], input="corta\n")
    assert weak.exit_code == 1 and "at least 12 characters" in weak.output and "Traceback" not in weak.output
    listed = run("user", "list")
    assert "ana.r" in listed.output and "caso-1" in listed.output and "active" in listed.output
    token = run("user", "token", "ana.r").output.strip()
    path = tmp_path / "data" / "accounts.sqlite3"
    with Accounts(path) as accounts:
        assert accounts.session(token).user.name == "ana.r"
    assert "disabled" in run("user", "disable", "ana.r").output
    with Accounts(path) as accounts:
        assert accounts.session(token) is None
    verified = run("audit", "verify")
    assert verified.exit_code == 0 and "audit log intact: 4 entries" in verified.output  # add, cases, token, disable
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TRIGGER audit_no_update")
        conn.execute("UPDATE audit SET target = 'otro' WHERE seq = 1")
    tampered = CliRunner().invoke(main, ["audit", "verify"])
    assert tampered.exit_code == 1 and "entry 1 was changed after it was written" in tampered.output


def test_corrections_from_the_command_line_reach_the_export_and_can_be_undone(run, tmp_path):
    from backend.reports.export import read_back

    assert run("load", SAMPLE).exit_code == 0
    lines = run("search", "PEREZ").output.splitlines()
    recruiter = next(line.split()[2] for line in lines if "Juan Carlos" in line)
    phone = next(line.split()[2] for line in run("search", "312 456 7890").output.splitlines() if "+573124567890" in line)
    from backend.domain.model import GraphFilter
    from backend.domain.settings import Settings
    from backend.store import open_store

    with open_store(Settings()) as store:
        uses = next(e.id for e in store.incident_edges([recruiter], GraphFilter()) if e.target_id == phone)
    graphml = tmp_path / "antes.graphml"
    run("export", "--format", "graphml", "--out", str(graphml), "--case", "Caso Pereira")
    before = read_back(graphml.read_bytes(), "graphml").number_of_edges()

    rejected = run("correct", "reject-link", uses, "--by", "ana", "--reason", "el número es de otra persona", "--case", "Caso Pereira")
    assert rejected.exit_code == 0 and "reject_link" in rejected.output, rejected.output
    correction_id = rejected.output.split(":")[0] + ":" + rejected.output.split(":")[1]
    run("export", "--format", "graphml", "--out", str(graphml), "--case", "Caso Pereira")
    assert read_back(graphml.read_bytes(), "graphml").number_of_edges() == before - 1
    listed = json.loads(run("correct", "list", "--json").output)
    assert [(c["kind"], c["subject_id"], c["case_id"]) for c in listed] == [("reject_link", uses, "caso-1")]

    note = run("correct", "annotate", recruiter, "verificar alias con Migración", "--by", "ana", "--case", "caso-1")
    added = run("correct", "add-entity", "Person", "Alias Tuerto", "--by", "ana", "--reason", "informante", "--case", "caso-1")
    assert note.exit_code == 0 and added.exit_code == 0, (note.output, added.output)
    new_person = json.loads(run("correct", "list", "--json").output)[-1]["subject_id"]
    link = run("correct", "add-link", "ASSOCIATED_WITH", recruiter, new_person, "--association", "employed", "--by", "ana",
               "--reason", "vigilancia", "--case", "caso-1")  # fmt: skip
    assert link.exit_code == 0, link.output
    several = run("correct", "add-entity", "Person", "X", "--by", "ana")
    assert several.exit_code == 1 and "name the case" in several.output and "Traceback" not in several.output
    undone = run("correct", "undo", correction_id, "--by", "ana", "--reason", "sí era suyo")
    assert undone.exit_code == 0 and "undo" in undone.output
    run("export", "--format", "graphml", "--out", str(graphml), "--case", "Caso Pereira")
    assert read_back(graphml.read_bytes(), "graphml").number_of_edges() == before + 1  # the link is back, and the asserted one


KNOWN_REPORT = (
    "INFORME DE POLICÍA JUDICIAL. El señor HERNÁN DARÍO MEJÍA SOTO, identificado con C.C. 71.654.320, usa el celular "
    "310 444 5566 para ofrecer trabajo a jóvenes en Pereira.\n"
)
TICKETS = (
    "Nombre del pasajero;Cédula;Sexo;Edad;Origen;Destino;Fecha salida;Hora salida;Comprador;Celular comprador;Fecha de compra;"
    "Tipo de tiquete;Empresa\n"
    "LUISA FERNANDA ARIAS PÉREZ;1088345221;F;18;Pereira;Ipiales;30/11/2026;06:30;H. MEJÍA;310 444 5566;2026-11-25 10:00;Solo ida;Expreso Bolivariano\n"
    "YURANI ESTELA CANO RÍOS;1088345222;F;21;Pereira;Ipiales;30/11/2026;06:30;H. MEJÍA;310 444 5566;2026-11-25 10:00;Solo ida;Expreso Bolivariano\n"
    "MARÍA CAMILA SUÁREZ LOPERA;1088345223;F;19;Pereira;Ipiales;30/11/2026;06:30;H. MEJÍA;310 444 5566;2026-11-25 10:01;Solo ida;Expreso Bolivariano\n"
    "JORGE ELIÉCER GÓMEZ;10222333;M;40;Pereira;Cali;30/11/2026;07:00;JORGE ELIÉCER GÓMEZ;311 555 6677;2026-11-20 09:00;Ida y regreso;Flota Occidental\n"
)


def test_a_ticket_list_ingested_into_a_case_is_screened_against_what_the_cases_held_before(run, tmp_path):
    from backend.domain.screening import Indicator
    from backend.store.screening import Screenings

    folder = tmp_path / "caso"
    folder.mkdir()
    (folder / "informe.txt").write_text(KNOWN_REPORT, "utf-8")
    assert run("ingest", str(folder / "informe.txt"), "--case", "Caso Pereira", "--no-progress").exit_code == 0
    (folder / "ventas_terminal.csv").write_text(TICKETS, "utf-8")
    result = run("ingest", str(folder / "ventas_terminal.csv"), "--case", "Caso Pereira", "--no-progress")
    assert result.exit_code == 0, result.output
    assert "screening: 1 ticket list(s) or manifest(s), 4 rows, 4 new flag(s)" in " ".join(result.output.split())
    flags = Screenings(tmp_path / "data" / "workspace.sqlite3").flags(["case:caso-pereira"])
    by_indicator = {}
    for flag in flags:
        by_indicator.setdefault(flag.indicator, []).append(flag)
    # The buyer's phone is the suspect's (already in the case): each of the three rows is known...
    assert sorted(f.rows[0] for f in by_indicator[Indicator.KNOWN]) == [2, 3, 4]
    assert "310" in by_indicator[Indicator.KNOWN][0].reasons[0] or "+57310" in by_indicator[Indicator.KNOWN][0].reasons[0]
    # ...and one buyer paid three young women's one-way tickets; the man with a return ticket is not flagged.
    assert [f.rows for f in by_indicator[Indicator.BUYER_YOUNG_WOMEN]] == [[2, 3, 4]]
    again = run("ingest", str(folder / "ventas_terminal.csv"), "--case", "Caso Pereira", "--no-progress")
    assert again.exit_code == 0 and "screening:" not in again.output  # unchanged: not screened twice
