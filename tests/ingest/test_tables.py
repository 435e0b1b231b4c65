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
