"""Import profiles: CDRs, flight manifests and bus-ticket lists from CSV and XLSX."""

from __future__ import annotations

import io

import openpyxl
import pytest

from ingest.readers import UnreadableDocument
from ingest.tables import ProfileError, extract_table

DOC_ID = "b" * 64


def rels(extraction, kind):
    return [r for r in extraction.relationships if r.type == kind]


def test_a_spanish_cdr_with_a_title_row_above_its_header():
    csv_text = (
        "REPORTE DE LLAMADAS - OPERADOR\n"
        "Número origen;Número destino;Fecha y hora;Duración (s);Celda;IMEI\n"
        "573147823390;+34622418305;09/03/2018 22:15;125;732-101-4411;353256960726711\n"
        "314 782 3390;321 556 0914;10/03/2018 08:01;30;732-101-4412;\n"
    )
    result = extract_table(csv_text.encode("utf-8"), "cdr.csv", DOC_ID)
    assert result.profile == "cdr" and result.rows == 2 and not result.problems
    calls = rels(result.extraction, "CALLED")
    assert [(c.source.key, c.target.key, c.date, c.row) for c in calls] == [
        ("+573147823390", "+34622418305", "2018-03-09T22:15:00", 3),
        ("+573147823390", "+573215560914", "2018-03-10T08:01:00", 4),
    ]
    first_call = {"duration_s": 125, "cell": "732-101-4411", "imei": "353256960726711"}  # the row's own fields
    assert calls[0].properties == first_call
    x = result.extraction
    assert x.text[calls[0].start : calls[0].end].startswith("573147823390 | +34622418305")  # evidence is the row
    caller = next(m for m in x.mentions if m.row == 3)
    assert x.text[caller.start : caller.end] == "573147823390"


def test_english_headers_and_bad_rows_become_warnings_not_failures():
    csv_text = "Caller,Callee,Start time,Duration\n+57 314 782 3390,+52 55 3412 7789,2018-04-02 10:00,61\nnot a phone,+52 55 3412 7789,2018-04-02 11:00,5\n"
    result = extract_table(csv_text.encode(), "calls.csv", DOC_ID)
    assert len(rels(result.extraction, "CALLED")) == 1
    assert [(p.row, p.reason) for p in result.problems] == [(3, "caller 'not a phone' is not a valid phone number")]


def test_a_profile_file_maps_unusual_headers(tmp_path):
    profile = tmp_path / "operador_x.toml"
    profile.write_text('profile = "cdr"\n[columns]\ncaller = "Tel. A (MSISDN)"\ncallee = "Tel. B"\nstart = "Momento"\n', "utf-8")
    csv_text = "Tel. A (MSISDN),Tel. B,Momento\n3147823390,3215560914,02/03/2018 15:11\n"
    with pytest.raises(UnreadableDocument, match="no header row fits an import profile"):
        extract_table(csv_text.encode(), "x.csv", DOC_ID)
    result = extract_table(csv_text.encode(), "x.csv", DOC_ID, profile_file=profile)
    assert len(rels(result.extraction, "CALLED")) == 1


def test_a_bad_profile_file_is_a_clear_error(tmp_path):
    profile = tmp_path / "bad.toml"
    profile.write_text('profile = "sms"\n', "utf-8")
    with pytest.raises(ProfileError, match="expected one of"):
        extract_table(b"a,b\n1,2\n", "x.csv", DOC_ID, profile_file=profile)


def test_a_flight_manifest_gives_passengers_ids_flight_airports_and_legs():
    csv_text = (
        "Pasajero,Documento,Vuelo,Fecha,Origen,Destino,Reserva,Silla\n"
        "RIOS CASTAÑO YULIANA ANDREA,AT482915,AV010,2018-03-12,BOG,MAD,XK3P9Q,23A\n"
        "MARIN OSPINA LEIDY JOHANA,1004567213,AV010,2018-03-12,Bogotá,Madrid,XK3P9Q,23B\n"
    )
    x = extract_table(csv_text.encode(), "manifiesto.csv", DOC_ID).extraction
    persons = {m.normalized for m in x.mentions if m.type == "Person"}
    assert persons == {"Yuliana Andrea Rios Castaño", "Leidy Johana Marin Ospina"}
    assert {m.normalized for m in x.mentions if m.type == "IdentityDocument"} == {"PASSPORT:AT482915", "CC:1004567213"}
    [flight] = [e for e in x.entities.values() if e.type == "Flight"]
    assert flight.key == "AV10@2018-03-12"
    assert {m.normalized for m in x.mentions if m.type == "Airport"} == {"BOG", "MAD"}  # codes and city names
    on_board = rels(x, "PASSENGER_ON")
    assert {r.properties["seat"] for r in on_board} == {"23A", "23B"} and {r.row for r in on_board} == {2, 3}
    [leg] = [e for e in x.entities.values() if e.type == "RouteLeg"]  # both rode the same leg
    assert leg.properties["mode"] == "air" and len(rels(x, "TRAVELLED")) == 2


def test_a_bus_ticket_spreadsheet():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["RELACIÓN DE TIQUETES"])
    sheet.append(["Pasajero", "Documento", "Empresa", "Terminal origen", "Destino", "Fecha salida", "Silla"])
    sheet.append(
        [
            "GÉNESIS CAROLINA URBINA PÉREZ",
            "V-24567890",
            "Expreso Bolivariano",
            "Terminal de Cúcuta",
            "Bogotá Salitre",
            "01/05/2018 06:00",
            22,
        ]
    )
    out = io.BytesIO()
    workbook.save(out)
    result = extract_table(out.getvalue(), "tiquetes.xlsx", DOC_ID)
    x = result.extraction
    assert result.profile == "bus_tickets"
    assert {m.normalized for m in x.mentions if m.type == "BusTerminal"} == {"terminal:cucuta", "terminal:bogota-salitre"}
    [leg] = [e for e in x.entities.values() if e.type == "RouteLeg"]
    assert {
        "mode": "bus",
        "date": "2018-05-01",
        "company": "Expreso Bolivariano",
        "origin_city": "Cúcuta",
    }.items() <= leg.properties.items()
    [travelled] = rels(x, "TRAVELLED")
    assert travelled.row == 3 and travelled.date == "2018-05-01T06:00:00" and travelled.properties["seat"] == "22"


def test_a_table_no_profile_fits_is_refused_with_the_reason():
    with pytest.raises(UnreadableDocument, match="no header row fits an import profile"):
        extract_table(b"color,size\nred,3\n", "inventario.csv", DOC_ID)


def test_a_damaged_spreadsheet_is_refused():
    with pytest.raises(UnreadableDocument, match="damaged XLSX"):
        extract_table(b"PK\x03\x04 not really a zip", "roto.xlsx", DOC_ID)


# ---------------------------------------------------------------- headers and cells as operators write them


def test_a_bus_list_with_the_date_and_the_time_in_two_columns_and_headers_with_underscores():
    csv_text = (
        "EMPRESA;ORIGEN;DESTINO;FECHA_VIAJE;HORA_SALIDA;No_TIQUETE;PASAJERO;DOCUMENTO;SILLA;VALOR\n"
        "EXPRESO SUR;PEREIRA;BOGOTA;13/03/2024;21:30;PE-1;ROJAS PINTO ANA MARIA;1.088.111.222;05;$95.000\n"
        "EXPRESO SUR;PEREIRA;IPIALES;02/04/2024;7:05 p.m.;PE-2;LEON DIAZ JUAN PABLO;1088333444;06;$160.000\n"
    )
    result = extract_table(csv_text.encode("cp1252"), "tiquetes.csv", DOC_ID)
    assert result.profile == "bus_tickets" and result.rows == 2 and not result.problems
    assert sorted({r.date for r in rels(result.extraction, "TRAVELLED")}) == ["2024-03-13T21:30:00", "2024-04-02T19:05:00"]


def test_a_time_column_alone_may_hold_the_whole_date():
    csv_text = "Caller;Callee;Start time;Duration\n573104567821;573152239087;2024-03-13 21:09:56;30\n"
    result = extract_table(csv_text.encode(), "cdr.csv", DOC_ID)
    assert not result.problems and [c.date for c in rels(result.extraction, "CALLED")] == ["2024-03-13T21:09:56"]


def test_call_records_read_international_numbers_written_without_plus():
    csv_text = (
        "NUMERO_ORIGEN;NUMERO_DESTINO;FECHA_HORA;DURACION_SEG\n"
        "573007654321;529982147730;14/03/2024 10:02:11;61\n"
        "529982147730;34622418305;14/03/2024 11:00:00;12\n"
        "3104567821;573152239087;14/03/2024 12:00:00;5\n"
    )
    result = extract_table(csv_text.encode(), "cdr.csv", DOC_ID)
    assert not result.problems
    assert [(c.source.key, c.target.key) for c in rels(result.extraction, "CALLED")] == [
        ("+573007654321", "+529982147730"),
        ("+529982147730", "+34622418305"),
        ("+573104567821", "+573152239087"),
    ]


def _manifest_xlsx(rows) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_a_manifest_reads_passports_by_their_type_and_nationality_and_leaves_out_a_total_line():
    from datetime import datetime

    data = _manifest_xlsx(
        [
            ["MANIFIESTO DE PASAJEROS"],
            [],
            ["No.", "APELLIDOS Y NOMBRES", "TIPO DOC", "NUMERO DOCUMENTO", "NACIONALIDAD", "VUELO", "FECHA VUELO", "ORIGEN", "DESTINO"],
            [1, "WILLIAMS JOHN PETER", "PA", "567812340", "USA", "AV254", datetime(2024, 3, 15), "BOG", "CUN"],
            [2, "GOMEZ RIVERA DANIELA", "PA", "AS551203", "COL", "AV254", datetime(2024, 3, 15), "BOG", "CUN"],
            [3, "PEREZ ANA", "CC", "1.088.345.678", "COL", "AV254", datetime(2024, 3, 15), "BOG", "CUN"],
            [],
            ["TOTAL PASAJEROS: 3"],
        ]
    )
    result = extract_table(data, "manifiesto.xlsx", DOC_ID)
    assert result.rows == 3 and not result.problems
    documents = {e.key: e.properties for e in result.extraction.entities.values() if e.type == "IdentityDocument"}
    assert documents["PASSPORT:567812340"]["country"] == "US"  # a US passport is a passport, not a cédula
    assert documents["PASSPORT:AS551203"]["country"] == "CO"
    assert "CC:1088345678" in documents
    assert "TOTAL PASAJEROS: 3" in result.extraction.text  # the note stays in the document's text


def test_headers_compare_without_separators_case_accents_or_connector_words():
    from ingest.tables import header_key

    assert header_key("FECHA_VIAJE") == header_key("Fecha de viaje") == header_key("fecha-del-viaje") == "fecha viaje"
    assert header_key("Número  de  Documento") == "numero documento"


def test_a_profile_file_applies_to_the_tables_it_fits_and_the_others_fit_a_built_in_one(tmp_path):
    profile = tmp_path / "buses.toml"
    profile.write_text('profile = "bus_tickets"\n[columns]\npassenger = "VIAJERO"\ndeparture = "DIA"\n', "utf-8")
    buses = "VIAJERO;ORIGEN;DESTINO;DIA\nROJAS PINTO ANA MARIA;PEREIRA;BOGOTA;13/03/2024\n"
    calls = "NUMERO_ORIGEN;NUMERO_DESTINO;FECHA_HORA\n573104567821;573152239087;14/03/2024 10:00:00\n"
    assert extract_table(buses.encode(), "buses.csv", DOC_ID, profile_file=profile).profile == "bus_tickets"
    cdr = extract_table(calls.encode(), "cdr.csv", DOC_ID, profile_file=profile)  # the run's profile does not fit it
    assert cdr.profile == "cdr" and len(rels(cdr.extraction, "CALLED")) == 1


def test_a_cdr_naming_each_line_s_holder_ties_the_number_to_them():
    csv_text = (
        "NUMERO_ORIGEN;TITULAR_ORIGEN;DOCUMENTO_TITULAR_ORIGEN;NUMERO_DESTINO;TITULAR_DESTINO;FECHA_HORA\n"
        "3147823390;ROJAS PINTO ANA MARIA;1.088.111.222;3215560914;;09/03/2018 22:15\n"
    )
    x = extract_table(csv_text.encode(), "cdr.csv", DOC_ID).extraction
    label = {ref: e.label for ref, e in x.entities.items()}
    uses = {(label[r.source], label[r.target]) for r in rels(x, "USES_PHONE")}
    assert uses == {("Ana Maria Rojas Pinto", "+573147823390")}  # the callee's holder is not given: no owner
    assert {(label[r.source], label[r.target]) for r in rels(x, "HOLDS_ID")} == {("Ana Maria Rojas Pinto", "CC 1088111222")}
    assert len(rels(x, "CALLED")) == 1


def test_a_subscriber_list_ties_each_line_to_its_holder():
    csv_text = (
        "Línea;Titular;Cédula;Fecha de activación\n"
        "310 456 7821;LEON DIAZ JUAN PABLO;1088333444;02/01/2024\n"
        "529982147730;Marta Lucía Ríos;;\n"
        "12;Pedro Gil;;\n"
    )
    result = extract_table(csv_text.encode(), "abonados.csv", DOC_ID)
    assert result.profile == "subscribers" and result.rows == 3
    assert [p.row for p in result.problems] == [4]  # "12" is no phone number: that row alone is refused
    x = result.extraction
    label = {ref: e.label for ref, e in x.entities.items()}
    uses = sorted((label[r.source], label[r.target], r.date) for r in rels(x, "USES_PHONE"))
    assert uses == [("Juan Pablo Leon Diaz", "+573104567821", "2024-01-02"), ("Marta Lucía Ríos", "+529982147730", None)]
