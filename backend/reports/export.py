"""Exports of a graph (a case, a search result, the current view) for other tools: GraphML and
GEXF (Gephi), CSV nodes + links shaped for i2 Analyst's Notebook's importer (in one zip), and
JSON. Every format carries the same nodes and relationships; properties that are not scalars
are written as JSON text, since GraphML and GEXF attributes must be scalars."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from typing import Literal

import networkx as nx

from backend.domain.model import EdgeRow, Entity

ExportFormat = Literal["graphml", "gexf", "i2", "json"]
MEDIA_TYPES = {"graphml": "application/graphml+xml", "gexf": "application/gexf+xml", "i2": "application/zip", "json": "application/json"}
EXTENSIONS = {"graphml": "graphml", "gexf": "gexf", "i2": "i2.zip", "json": "json"}
I2_ENTITY_COLUMNS = ["Entity Type", "Identity", "Label", "Aliases", "Attributes"]
I2_LINK_COLUMNS = [
    "Link Type",
    "Link Identity",
    "From Identity",
    "To Identity",
    "Date",
    "Time",
    "Label",
    "Confidence",
    "Evidence Count",
    "Attributes",
]
# Zip entries get a fixed time, so the same graph gives the same bytes.
_ZIP_TIME = (2000, 1, 1, 0, 0, 0)


def to_networkx(nodes: list[Entity], edges: list[EdgeRow]) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    for node in sorted(nodes, key=lambda n: n.id):
        graph.add_node(node.id, type=str(node.type), label=node.label, aliases=json.dumps(list(node.aliases), ensure_ascii=False),
                       properties=json.dumps(node.properties, ensure_ascii=False, sort_keys=True))  # fmt: skip
    for edge in sorted(edges, key=lambda e: e.id):
        graph.add_edge(edge.source_id, edge.target_id, key=edge.id, id=edge.id, type=str(edge.type), date=edge.date or "",
                       confidence=float(edge.confidence), evidence_count=int(edge.evidence_count),
                       properties=json.dumps(edge.properties, ensure_ascii=False, sort_keys=True))  # fmt: skip
    return graph


# A cell a spreadsheet would run as a formula (OWASP: CSV injection): it is written with a
# leading apostrophe, which spreadsheets show as text and do not evaluate.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    return "'" + value if isinstance(value, str) and value.startswith(_FORMULA_START) else value


def _uncelled(row: dict[str, str]) -> dict[str, str]:
    """A row as it was before _cell guarded it."""
    return {k: v[1:] if v.startswith("'") and v[1:].startswith(_FORMULA_START) else v for k, v in row.items()}


def _i2(nodes: list[Entity], edges: list[EdgeRow]) -> bytes:
    entities, links = io.StringIO(), io.StringIO()
    writer = csv.writer(entities)
    writer.writerow(I2_ENTITY_COLUMNS)
    for node in sorted(nodes, key=lambda n: n.id):
        writer.writerow([_cell(c) for c in (str(node.type), node.id, node.label, "; ".join(node.aliases),
                                            json.dumps(node.properties, ensure_ascii=False, sort_keys=True))])  # fmt: skip
    writer = csv.writer(links)
    writer.writerow(I2_LINK_COLUMNS)
    for edge in sorted(edges, key=lambda e: e.id):
        day, _, time = (edge.date or "").partition("T")
        label = str(edge.properties.get("kind") or edge.type)
        writer.writerow([_cell(c) for c in (str(edge.type), edge.id, edge.source_id, edge.target_id, day, time, label, f"{edge.confidence:.3f}",
                                            edge.evidence_count, json.dumps(edge.properties, ensure_ascii=False, sort_keys=True))])  # fmt: skip
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in (("entities.csv", entities.getvalue()), ("links.csv", links.getvalue())):
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            # A byte-order mark so spreadsheet tools and the i2 importer read the accents as UTF-8.
            archive.writestr(info, "\ufeff" + text)
    return out.getvalue()


def export_graph(nodes: list[Entity], edges: list[EdgeRow], fmt: ExportFormat) -> bytes:
    """The graph in one format, as bytes ready to download. Relationships whose ends are not
    both among the nodes are left out (every format needs both ends)."""
    ids = {n.id for n in nodes}
    edges = [e for e in edges if e.source_id in ids and e.target_id in ids]
    if fmt == "i2":
        return _i2(nodes, edges)
    if fmt == "json":
        document = {
            "nodes": [n.model_dump(mode="json") for n in sorted(nodes, key=lambda n: n.id)],
            "edges": [e.model_dump(mode="json") for e in sorted(edges, key=lambda e: e.id)],
        }
        return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
    graph = to_networkx(nodes, edges)
    out = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(graph, out, encoding="utf-8")
    elif fmt == "gexf":
        nx.write_gexf(graph, out, encoding="utf-8")
    else:
        raise ValueError(f"unknown export format {fmt!r}")
    return out.getvalue()


def read_back(data: bytes, fmt: ExportFormat) -> nx.MultiDiGraph:
    """An export parsed back into networkx: what the round-trip test and a user's script use."""
    if fmt == "graphml":
        return nx.MultiDiGraph(nx.read_graphml(io.BytesIO(data)))
    if fmt == "gexf":
        return nx.MultiDiGraph(nx.read_gexf(io.BytesIO(data)))
    graph = nx.MultiDiGraph()
    if fmt == "json":
        document = json.loads(data)
        graph.add_nodes_from((n["id"], n) for n in document["nodes"])
        graph.add_edges_from((e["source_id"], e["target_id"], e["id"], e) for e in document["edges"])
        return graph
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entities = list(csv.DictReader(io.StringIO(archive.read("entities.csv").decode("utf-8-sig"))))
        links = list(csv.DictReader(io.StringIO(archive.read("links.csv").decode("utf-8-sig"))))
    entities, links = [_uncelled(r) for r in entities], [_uncelled(r) for r in links]
    graph.add_nodes_from((row["Identity"], row) for row in entities)
    graph.add_edges_from((row["From Identity"], row["To Identity"], row["Link Identity"], row) for row in links)
    return graph
