"""Exports of a graph (a case, a search result, the current view) for other tools: GraphML and
GEXF (Gephi), CSV nodes + links shaped for i2 Analyst's Notebook's importer (in one zip), and
JSON. Every format carries the same nodes and relationships.

Attributes are typed as the tools read them: each property is an attribute of its own, a whole
number an integer, a measure a double, a yes/no a boolean (lists and maps are JSON text); the
type is a category Gephi can partition and colour by (GEXF also carries the vocabulary's colour);
an edge's date is ISO 8601 text and, in GEXF, its `start`, which Gephi's timeline reads; edges
carry their evidence count, confidence and the citations behind them."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from typing import Literal

import networkx as nx

from backend.domain.model import EdgeRow, Entity
from backend.domain.vocabulary import ENTITY_KINDS
from backend.store.interface import GraphStore

ExportFormat = Literal["graphml", "gexf", "i2", "json"]
MEDIA_TYPES = {"graphml": "application/graphml+xml", "gexf": "application/gexf+xml", "i2": "application/zip", "json": "application/json"}
EXTENSIONS = {"graphml": "graphml", "gexf": "gexf", "i2": "i2.zip", "json": "json"}
I2_ENTITY_COLUMNS = ["Entity Type", "Identity", "Label", "Aliases"]  # then one column per attribute
I2_LINK_COLUMNS = ["Link Type", "Link Identity", "From Identity", "To Identity", "Date", "Time", "Label", "Confidence",
                   "Evidence Count", "Citations"]  # fmt: skip
# Names an attribute may not take, since the core fields have them.
_NODE_FIELDS = {"id", "type", "label", "aliases", "viz"}
_EDGE_FIELDS = {"id", "type", "kind", "date", "start", "end", "confidence", "evidence_count", "citations", "key", "source", "target",
                "relationship", "label", "weight"}  # fmt: skip
CITATIONS_PER_EDGE = 5
# Zip entries get a fixed time, so the same graph gives the same bytes.
_ZIP_TIME = (2000, 1, 1, 0, 0, 0)


def _attribute_types(rows: list[dict]) -> dict[str, type]:
    """One type per attribute over every row (a tool needs one): bool, int, float, else text."""
    seen: dict[str, set[type]] = {}
    for row in rows:
        for key, value in row.items():
            if value is not None:
                seen.setdefault(key, set()).add(type(value))
    chosen: dict[str, type] = {}
    for key, types in seen.items():
        if types == {bool}:
            chosen[key] = bool
        elif types <= {int}:
            chosen[key] = int
        elif types <= {int, float}:
            chosen[key] = float
        else:
            chosen[key] = str
    return chosen


def _typed(rows: list[dict], reserved: set[str]) -> list[dict]:
    """Each row's properties with one type per attribute; lists and maps as JSON text; a name
    the core fields use is prefixed `prop_`."""
    types = _attribute_types(rows)
    typed = []
    for row in rows:
        out = {}
        for key, value in sorted(row.items()):
            if value is None:
                continue
            kind = types[key]
            if kind is str and not isinstance(value, str):
                value = json.dumps(value, ensure_ascii=False, sort_keys=True)
            out[f"prop_{key}" if key in reserved else key] = kind(value)
        typed.append(out)
    return typed


def _colour(entity_type: object) -> dict[str, int]:
    kind = ENTITY_KINDS.get(entity_type)  # type: ignore[call-overload]
    code = (kind.colour if kind else "#999999").lstrip("#")
    code = "".join(c * 2 for c in code) if len(code) == 3 else code
    return {"r": int(code[0:2], 16), "g": int(code[2:4], 16), "b": int(code[4:6], 16), "a": 1.0}


def to_networkx(nodes: list[Entity], edges: list[EdgeRow], citations: dict[str, list[str]] | None = None,
                dynamic_dates: bool = False) -> nx.MultiDiGraph:  # fmt: skip
    """The graph with typed attributes. `dynamic_dates`: each dated edge also gets `start` (its
    day), which GEXF writes as a time Gephi's timeline reads."""
    graph = nx.MultiDiGraph()
    nodes = sorted(nodes, key=lambda n: n.id)
    for node, props in zip(nodes, _typed([dict(n.properties) for n in nodes], _NODE_FIELDS)):
        graph.add_node(node.id, type=str(node.type), label=node.label, aliases="; ".join(node.aliases), **props)
    edges = sorted(edges, key=lambda e: e.id)
    for edge, props in zip(edges, _typed([dict(e.properties) for e in edges], _EDGE_FIELDS)):
        extra = {"start": edge.date[:10]} if dynamic_dates and edge.date else {}
        graph.add_edge(edge.source_id, edge.target_id, key=edge.id, id=edge.id, type=str(edge.type),
                       kind=str(edge.properties.get("kind") or ""), date=edge.date or "", confidence=float(edge.confidence),
                       evidence_count=int(edge.evidence_count), citations="; ".join((citations or {}).get(edge.id, [])),
                       **props, **extra)  # fmt: skip
    return graph


def edge_citations(store: GraphStore, edges: list[EdgeRow], limit: int = CITATIONS_PER_EDGE) -> dict[str, list[str]]:
    """For each edge, where its evidence is: «document», page, row — the first `limit`, and how
    many more. A resolved edge standing for several relationships cites all of theirs."""
    behind = {e.id: [e.id, *e.properties.get("relationship_ids", [])] for e in edges}
    found = store.evidence({i for ids in behind.values() for i in ids})
    cited: dict[str, list[str]] = {}
    for edge_id, ids in behind.items():
        lines = []
        for piece in (p for i in dict.fromkeys(ids) for p in found.get(i, ())):
            where = ", ".join(w for w in (f"p. {piece.page}" if piece.page else "", f"fila {piece.row}" if piece.row else "") if w)
            lines.append(f"«{piece.document_title or piece.document_id[:12]}»" + (f" {where}" if where else ""))
        unique = list(dict.fromkeys(lines))
        cited[edge_id] = unique[:limit] + ([f"y {len(unique) - limit} más"] if len(unique) > limit else [])
    return cited


# A cell a spreadsheet would run as a formula (OWASP: CSV injection): it is written with a
# leading apostrophe, which spreadsheets show as text and do not evaluate.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    return "'" + value if isinstance(value, str) and value.startswith(_FORMULA_START) else value


def _uncelled(row: dict[str, str]) -> dict[str, str]:
    """A row as it was before _cell guarded it."""
    return {k: v[1:] if v.startswith("'") and v[1:].startswith(_FORMULA_START) else v for k, v in row.items()}


def _i2(nodes: list[Entity], edges: list[EdgeRow], citations: dict[str, list[str]]) -> bytes:
    graph = to_networkx(nodes, edges, citations)
    node_columns = sorted({k for _, data in graph.nodes(data=True) for k in data} - {"type", "label", "aliases"})
    edge_columns = sorted({k for *_, data in graph.edges(data=True) for k in data} - {"id", "type", "kind", "date", "confidence",
                                                                                         "evidence_count", "citations"})  # fmt: skip
    entities, links = io.StringIO(), io.StringIO()
    writer = csv.writer(entities)
    writer.writerow(I2_ENTITY_COLUMNS + node_columns)
    for node_id, data in graph.nodes(data=True):
        writer.writerow(
            [_cell(c) for c in (data["type"], node_id, data["label"], data["aliases"], *(_text(data.get(k)) for k in node_columns))]
        )
    writer = csv.writer(links)
    writer.writerow(I2_LINK_COLUMNS + edge_columns)
    for source, target, data in graph.edges(data=True):
        day, _, time = data["date"].partition("T")
        label = data["kind"] or data["type"]
        writer.writerow([_cell(c) for c in (data["type"], data["id"], source, target, day, time, label, f"{data['confidence']:.3f}",
                                            data["evidence_count"], data["citations"], *(_text(data.get(k)) for k in edge_columns))])  # fmt: skip
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        guide = _i2_guide(node_columns, edge_columns)
        for name, text in (("entities.csv", entities.getvalue()), ("links.csv", links.getvalue()), ("LEEME-i2.txt", guide)):
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            # A byte-order mark so spreadsheet tools and the i2 importer read the accents as UTF-8.
            archive.writestr(info, "\ufeff" + text)
    return out.getvalue()


def _text(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "sí" if value else "no"
    return value


def _i2_guide(node_columns: list[str], edge_columns: list[str]) -> str:
    """How to import the two files in Analyst's Notebook (Import from File, one specification for
    entities.csv and one for links.csv): which column goes to which property."""
    return "\n".join([
        "Importar en i2 Analyst's Notebook (Inicio › Importar › Importar desde archivo), codificación UTF-8, separador coma,",
        "primera fila = encabezados. Dos especificaciones de importación:",
        "",
        "1. entities.csv — diseño «Entidad»:",
        "   Tipo de entidad  ← [Entity Type]   (Person, Phone, IdentityDocument, Flight, BusTerminal, Location…)",
        "   Identidad        ← [Identity]      (clave única: une las filas de links.csv)",
        "   Etiqueta         ← [Label]",
        "   Atributos        ← [Aliases]" + "".join(f", [{c}]" for c in node_columns),
        "",
        "2. links.csv — diseño «Entidad – Vínculo – Entidad», ambos extremos identificados por identidad:",
        "   Identidad del extremo 1 ← [From Identity]; extremo 2 ← [To Identity]",
        "   Tipo de vínculo  ← [Link Type];  Etiqueta ← [Label];  Identidad del vínculo ← [Link Identity]",
        "   Fecha ← [Date] (aaaa-mm-dd);  Hora ← [Time] (hh:mm:ss)",
        "   Atributos        ← [Confidence] (número), [Evidence Count] (número), [Citations]" + "".join(f", [{c}]" for c in edge_columns),
        "",
        "Las celdas que empiezan por = + - @ llevan un apóstrofo delante para que ninguna hoja de cálculo las ejecute.",
        "",
    ])  # fmt: skip


def export_graph(nodes: list[Entity], edges: list[EdgeRow], fmt: ExportFormat, citations: dict[str, list[str]] | None = None,
                 positions: dict[str, tuple[float, float]] | None = None) -> bytes:  # fmt: skip
    """The graph in one format, as bytes ready to download; `citations` (edge_citations) are
    written on each edge; `positions` (a saved chart's layout) on each node: `x` and `y` in
    GraphML, i2 and JSON, the node's position in GEXF. Relationships whose ends are not both
    among the nodes are left out (every format needs both ends)."""
    if positions:
        nodes = [n.model_copy(update={"properties": {**n.properties, "x": positions[n.id][0], "y": positions[n.id][1]}})
                 if n.id in positions else n for n in nodes]  # fmt: skip
    ids = {n.id for n in nodes}
    edges = [e for e in edges if e.source_id in ids and e.target_id in ids]
    citations = citations or {}
    if fmt == "i2":
        return _i2(nodes, edges, citations)
    if fmt == "json":
        document = {
            "nodes": [n.model_dump(mode="json") for n in sorted(nodes, key=lambda n: n.id)],
            "edges": [e.model_dump(mode="json") | {"citations": citations.get(e.id, [])} for e in sorted(edges, key=lambda e: e.id)],
        }
        return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
    graph = to_networkx(nodes, edges, citations, dynamic_dates=fmt == "gexf")
    out = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(graph, out, encoding="utf-8")
    elif fmt == "gexf":
        for _, data in graph.nodes(data=True):
            data["viz"] = {"color": _colour(data["type"])}
            if "x" in data and "y" in data:
                data["viz"]["position"] = {"x": float(data.pop("x")), "y": -float(data.pop("y")), "z": 0.0}  # GEXF's y points up
        for *_, data in graph.edges(data=True):
            # GEXF's own edge `type` is directed or undirected, and its `label` is what Gephi shows.
            data["relationship"] = data.pop("type")
            data["label"] = data["kind"] or data["relationship"]
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
