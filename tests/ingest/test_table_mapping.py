"""The import wizard's proposals and previews: header row, profile and columns proposed for
tables it has not seen, the analyst's mapping read as ingest reads it, and mappings kept as
profile files ingest uses."""

from __future__ import annotations

import pytest

from ingest.job import extract_path
from ingest.table_mapping import propose, save_profile, saved_profiles
from ingest.tables import ProfileError

ODD_BUS_LIST = (
    "Listado de viajeros - Terminal de Pereira\n"
    "Viajera;Doc. ident.;Sale de;Llega a;Día;Hora\n"
    "Yésica Andrea Montoya Gil;1088234567;Pereira;Ipiales;14/03/2024;21:30\n"
    "Leidy Johana Cardona Ruiz;1088765432;Pereira;Ipiales;sin fecha;21:30\n"
).encode()
CDR = (
    "Numero A,Numero B,Fecha,Hora,Duracion (s)\n3152223344,3124567890,2024-03-01,10:15:00,65\n3124567890,3152223344,2024-03-02,11:00:00,30\n"
).encode()
ODD_MAPPING = {"passenger": 0, "id_number": 1, "origin": 2, "destination": 3, "departure": 4, "departure_time": 5}


def test_a_known_table_is_proposed_whole_with_its_records():
    proposal = propose(CDR, "llamadas.csv")
    assert proposal.header_row == 1 and proposal.profile == "cdr" and proposal.missing == []
    mapped = {f.name: f.column for f in proposal.fields if f.column is not None}
    assert mapped == {"caller": 0, "callee": 1, "start": 2, "start_time": 3, "duration": 4}
    assert proposal.records_total == 2 and len(proposal.records) == 2
    first = proposal.records[0]
    assert {m["normalized"] for m in first.mentions} == {"+573152223344", "+573124567890"}
    assert [(r["type"], r["date"]) for r in first.relationships] == [("CALLED", "2024-03-01T10:15:00")]


def test_odd_headers_get_a_partial_proposal_naming_what_is_missing():
    proposal = propose(ODD_BUS_LIST, "viajeros.csv")
    assert proposal.header_row == 2, "the title line above the header is passed over"
    assert proposal.profile == "bus_tickets"
    assert {f.name: f.column for f in proposal.fields}["departure_time"] == 5
    assert {"passenger", "origin", "destination"} <= set(proposal.missing) and proposal.records == []


def test_the_analysts_mapping_is_read_as_ingest_reads_it_row_problems_included():
    proposal = propose(ODD_BUS_LIST, "viajeros.csv", profile="bus_tickets", header_row=2, columns=ODD_MAPPING)
    assert proposal.missing == [] and proposal.records_total == 2 and proposal.problems_total == 1
    good, bad = proposal.records
    assert good.row == 3 and "Yésica Andrea Montoya Gil" in [m["text"] for m in good.mentions]
    travelled = next(r for r in good.relationships if r["type"] == "TRAVELLED")
    assert travelled["date"] == "2024-03-14T21:30:00" and "Ipiales" in travelled["target"]
    assert bad.row == 4 and bad.problem, "a row whose date cannot be read is shown refused, with its reason"


def test_a_header_row_outside_the_table_or_an_unknown_profile_is_refused_with_the_reason():
    with pytest.raises(ProfileError, match="row 99"):
        propose(ODD_BUS_LIST, "viajeros.csv", header_row=99)
    with pytest.raises(ProfileError, match="unknown profile"):
        propose(ODD_BUS_LIST, "viajeros.csv", profile="pasaportes")


def test_a_kept_mapping_is_a_profile_file_ingest_reads_the_same_table_with(tmp_path):
    headers = ["Viajera", "Doc. ident.", "Sale de", "Llega a", "Día", "Hora"]
    columns = {field: headers[index] for field, index in ODD_MAPPING.items()}
    path = save_profile(tmp_path / "perfiles", "viajeros-pereira", "bus_tickets", columns, "hecho con el asistente")
    assert saved_profiles(tmp_path / "perfiles") == {"viajeros-pereira": ("bus_tickets", columns)}
    table = tmp_path / "viajeros.csv"
    table.write_bytes(ODD_BUS_LIST)
    ((_, read),) = extract_path(table, profile_file=path)
    assert not isinstance(read, str), read
    wizard = propose(ODD_BUS_LIST, "viajeros.csv", profile="bus_tickets", header_row=2, columns=ODD_MAPPING)
    assert sorted(m.text for m in read.mentions) == sorted(m["text"] for r in wizard.records for m in r.mentions)


@pytest.mark.parametrize("name", ["../fuera", "Con Mayúsculas", "", "x" * 61, "a/b"])
def test_a_profile_name_that_is_not_a_plain_file_name_is_refused(tmp_path, name):
    with pytest.raises(ProfileError, match="profile name"):
        save_profile(tmp_path, name, "cdr", {"caller": "A"})


def test_a_header_text_with_quotes_and_newlines_survives_the_profile_file(tmp_path):
    columns = {"caller": 'Tel. "A"\n(MSISDN)', "callee": "Tel. B \\ destino"}
    save_profile(tmp_path, "raro", "cdr", columns)
    assert saved_profiles(tmp_path)["raro"] == ("cdr", columns)
