"""Exports: every format parses back with networkx (or csv) to the same nodes and relationships."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest

from backend.analysis.graph import case_graph
from backend.reports.export import I2_ENTITY_COLUMNS, I2_LINK_COLUMNS, edge_citations, export_graph, read_back
from ingest import sample_case_builder as story


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "i2", "json"])
def test_round_trip_keeps_every_node_and_relationship(sample_case_db, fmt):
    from backend.store.sqlite import SqliteStore

    with SqliteStore(sample_case_db) as store:
        graph = case_graph(store)
    nodes, edges = list(graph.entities.values()), graph.edges
    data = export_graph(nodes, edges, fmt)
    back = read_back(data, fmt)
    assert back.number_of_nodes() == len(nodes) and back.number_of_edges() == len(edges)
    assert set(back.nodes) == {n.id for n in nodes}
    assert {k for _, _, k in back.edges(keys=True)} == {e.id for e in edges}
    paisa = next(n for n in nodes if n.label == story.PAISA)
    attributes = back.nodes[paisa.id]
    label = attributes.get("label") or attributes.get("Label")
    assert label == story.PAISA  # accents survive every format
    assert export_graph(nodes, edges, fmt) == data or fmt == "gexf"  # GEXF stamps the day it was written


def test_i2_csv_has_one_column_per_attribute_and_the_guide_to_import_it(sample_case_db):
    from backend.store.sqlite import SqliteStore

    with SqliteStore(sample_case_db) as store:
        graph = case_graph(store)
        citations = edge_citations(store, graph.edges)
    archive = zipfile.ZipFile(io.BytesIO(export_graph(list(graph.entities.values()), graph.edges, "i2", citations)))
    assert sorted(archive.namelist()) == ["LEEME-i2.txt", "entities.csv", "links.csv"]
    entities = list(csv.DictReader(io.StringIO(archive.read("entities.csv").decode("utf-8-sig"))))
    links = list(csv.DictReader(io.StringIO(archive.read("links.csv").decode("utf-8-sig"))))
    assert list(entities[0])[:4] == I2_ENTITY_COLUMNS and list(links[0])[:10] == I2_LINK_COLUMNS
    assert "Attributes" not in entities[0] and {"e164", "country"} <= set(entities[0])  # one column each, no JSON blob
    call = next(row for row in links if row["Link Type"] == "CALLED")
    assert call["Date"].startswith("2018-03-") and len(call["Time"]) == 8 and int(call["duration_s"]) > 0
    assert call["Citations"].startswith("«11_cdr_abonados_paisa» fila ")
    assert {row["Entity Type"] for row in entities} >= {"Person", "Phone", "Flight", "BusTerminal"}
    guide = archive.read("LEEME-i2.txt").decode("utf-8-sig")
    assert "[From Identity]" in guide and "[duration_s]" in guide and "[e164]" in guide


def test_graphml_and_gexf_attributes_are_typed_with_evidence_on_every_edge(sample_case_db):
    """As Gephi and networkx read them: numbers as numbers, the type a category (with its colour
    in GEXF), a date Gephi's timeline reads, and the citations behind each edge."""
    from backend.store.sqlite import SqliteStore

    with SqliteStore(sample_case_db) as store:
        graph = case_graph(store)
        citations = edge_citations(store, graph.edges)
    nodes, edges = list(graph.entities.values()), graph.edges
    for fmt in ("graphml", "gexf"):
        back = read_back(export_graph(nodes, edges, fmt, citations), fmt)
        rows = [data for *_, data in back.edges(data=True)]
        assert all(isinstance(d["evidence_count"], int) and isinstance(d["confidence"], float) for d in rows), fmt
        calls = [d for d in rows if d.get("relationship", d.get("type")) == "CALLED"]
        assert calls and all(isinstance(d["duration_s"], int) for d in calls), fmt
        assert all(d["citations"] for d in rows if d["evidence_count"]), fmt
        persons = [data for _, data in back.nodes(data=True) if data.get("type") == "Person"]
        assert persons and all(isinstance(p["label"], str) for p in persons)
    gexf = export_graph(nodes, edges, "gexf", citations).decode("utf-8")
    assert 'mode="dynamic"' in gexf and 'timeformat="date"' in gexf and "<viz:color" in gexf
    dated = [d for *_, d in read_back(export_graph(nodes, edges, "gexf"), "gexf").edges(data=True) if d.get("date")]
    assert dated and all(d["start"] == d["date"][:10] for d in dated)
    assert all(d["label"] for *_, d in read_back(export_graph(nodes, edges, "gexf"), "gexf").edges(data=True))


def test_one_type_per_attribute_whatever_each_record_holds():
    from backend.domain.model import EntityType
    from tests import factories as f

    nodes = [f.entity(EntityType.PERSON, "Ana Ríos", properties={"age": 31, "score": 1, "notes": ["a"]}),
             f.entity(EntityType.PERSON, "Luz Mora", properties={"age": "treinta", "score": 0.5, "notes": "b"})]  # fmt: skip
    back = read_back(export_graph(nodes, [], "graphml"), "graphml")
    values = {data["label"]: data for _, data in back.nodes(data=True)}
    assert values["Ana Ríos"]["age"] == "31" and values["Luz Mora"]["age"] == "treinta"
    assert values["Ana Ríos"]["score"] == 1.0 and values["Luz Mora"]["score"] == 0.5
    assert values["Ana Ríos"]["notes"] == '["a"]' and values["Luz Mora"]["notes"] == "b"


def test_relationships_to_entities_outside_the_export_are_left_out(sample_case_db):
    from backend.store.sqlite import SqliteStore

    with SqliteStore(sample_case_db) as store:
        graph = case_graph(store)
    phones = [n for n in graph.entities.values() if str(n.type) == "Phone"]
    back = read_back(export_graph(phones, graph.edges, "graphml"), "graphml")
    assert back.number_of_nodes() == len(phones)
    assert all(back.nodes[a]["type"] == "Phone" and back.nodes[b]["type"] == "Phone" for a, b in back.edges())
    assert back.number_of_edges() == sum(1 for e in graph.edges if str(e.type) == "CALLED")


def test_no_exported_cell_starts_a_spreadsheet_formula():
    """Names such as =1+1 or @SUM(…)|cmd are written so a spreadsheet shows them as text."""
    from backend.domain.model import EntityType
    from tests import factories as f

    hostile = ["=1+1", "+1+1", "-2+3", "@SUM(1+1)*cmd|' /c calc'!A0", "\t=1"]
    nodes = [f.entity(EntityType.PERSON, name) for name in hostile] + [f.entity(EntityType.PHONE, "+573104567821")]
    data = export_graph(nodes, [], "i2")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        rows = list(csv.reader(io.StringIO(archive.read("entities.csv").decode("utf-8-sig"))))[1:]
    assert rows and all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row)
    assert {n["Label"] for _, n in read_back(data, "i2").nodes(data=True)} == {n.label for n in nodes}  # read back as they were
