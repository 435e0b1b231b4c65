from __future__ import annotations

import csv

import pytest
from click.testing import CliRunner

from backend.cli import main
from entity_resolution.csv_resolve import ResolveCsvError, parse_field_options, resolve_csv

LIST = (
    "ID;Nombre;Celular;Cédula\n"
    "d1;PÉREZ GÓMEZ JUAN CARLOS;312 456 7890;1.088.234.567\n"
    "d2;Juan Carlos Pérez;3124567890;\n"
    "d3;María Pérez Gómez;312 456 7890;\n"
    "d4;Ana María Torres Ruiz;;52.123.456\n"
)
FIELDS = {"id": "ID", "full_name": "Nombre", "phone": "Celular", "id_number": "Cédula"}


def test_a_list_is_deduplicated_into_stable_cluster_ids(tmp_path):
    source, out = tmp_path / "detenidos.csv", tmp_path / "clusters.csv"
    source.write_bytes(LIST.encode("cp1252"))  # lists come from Windows machines
    result = resolve_csv(source, FIELDS, out)
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [(r["record_id"], r["cluster_id"]) for r in rows] == [("d1", "d1"), ("d2", "d1"), ("d3", "d3"), ("d4", "d4")]
    assert result.records == 4 and result.clusters == 3


@pytest.mark.parametrize(
    "options, message",
    [
        (["full_name=Nombre"], "map the record id column"),
        (["id=ID"], "map a name"),
        (["id=ID", "nombre=Nombre"], "unknown field 'nombre'"),
        (["id", "full_name=Nombre"], "must be FIELD=COLUMN"),
    ],
)
def test_bad_field_options_are_clear(options, message):
    with pytest.raises(ResolveCsvError, match=message):
        parse_field_options(options)


def test_bad_inputs_are_clear(tmp_path):
    out = tmp_path / "out.csv"
    empty = tmp_path / "vacio.csv"
    empty.write_text("", "utf-8")
    with pytest.raises(ResolveCsvError, match="empty file"):
        resolve_csv(empty, FIELDS, out)
    source = tmp_path / "lista.csv"
    source.write_text(LIST, "utf-8")
    with pytest.raises(ResolveCsvError, match="no column 'Apellidos'"):
        resolve_csv(source, {**FIELDS, "surname": "Apellidos"}, out)
    duplicated = tmp_path / "doble.csv"
    duplicated.write_text(LIST + "d1;Otra Persona;;\n", "utf-8")
    with pytest.raises(ResolveCsvError, match="record id 'd1' appears twice"):
        resolve_csv(duplicated, FIELDS, out)
    binary = tmp_path / "basura.csv"
    binary.write_bytes(bytes(range(256)) * 20)
    with pytest.raises(ResolveCsvError, match="not text"):
        resolve_csv(binary, FIELDS, out)


def test_the_command_prints_a_summary_and_errors_in_one_line(tmp_path):
    source, out = tmp_path / "lista.csv", tmp_path / "clusters.csv"
    source.write_text(LIST, "utf-8")
    runner = CliRunner()
    args = ["resolve-csv", str(source), "--field", "id=ID", "--field", "full_name=Nombre", "--field", "phone=Celular", "--out", str(out)]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "4 records -> 3 people" in result.output and out.exists()
    bad = runner.invoke(main, ["resolve-csv", str(source), "--field", "id=Numero", "--field", "full_name=Nombre", "--out", str(out)])
    assert bad.exit_code == 1 and "no column 'Numero'" in bad.output and "Traceback" not in bad.output


def test_a_shared_address_corroborates_a_name_and_a_different_city_weighs_against(tmp_path):
    from entity_resolution.engine import normalize_address

    assert normalize_address("Cra. 7 # 45-10") == normalize_address("CARRERA 7 NO 45 10") == "carrera 7 45 10"
    listed = (
        "ID,Nombre,Direccion,Ciudad\n"
        "a1,Wilson Zapata Henao,Cra. 7 # 45-10,Pereira\n"
        "a2,Wilson Zapata,CARRERA 7 NO 45 10,PEREIRA\n"
        "b1,Wilson Zapata,Calle 5 # 2-30,Cali\n"
    )
    source, out = tmp_path / "lista.csv", tmp_path / "clusters.csv"
    source.write_text(listed, "utf-8")
    fields = {"id": "ID", "full_name": "Nombre", "address": "Direccion", "city": "Ciudad"}
    resolve_csv(source, fields, out)
    rows = {r["record_id"]: r["cluster_id"] for r in csv.DictReader(out.open(encoding="utf-8"))}
    assert rows["a2"] == rows["a1"] != rows["b1"]  # the Wilson Zapata in another city stays apart
    without = tmp_path / "sin.csv"
    resolve_csv(source, {"id": "ID", "full_name": "Nombre"}, without)
    plain = {r["record_id"]: r["cluster_id"] for r in csv.DictReader(without.open(encoding="utf-8"))}
    assert set(plain.values()) == {"a1"}  # by name alone all three are one: the addresses are what tell them apart
