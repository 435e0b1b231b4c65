"""Charts that are kept: save the view an analyst arranged (nodes, positions, filters, title,
note) in a case, list a case's charts, and reopen one — drawn from the graph as it stands now,
each node where it was placed; nodes the reader may not see, or no longer in the graph, are left
out and counted."""

from __future__ import annotations

import secrets
from typing import Any

from pydantic import BaseModel

from backend.domain.errors import InvalidRecordError, NotFoundError
from backend.domain.model import Chart, ChartNode, GraphFilter, utc_stamp
from backend.graph import traversal
from backend.graph.canonical import canonicaliser
from backend.reports.layout import NetworkView, network_view
from backend.store.charts import Charts
from backend.store.interface import GraphStore


class ChartView(BaseModel):
    chart: Chart
    view: NetworkView
    left_out: int  # saved nodes not drawn: outside what the reader may see, or gone from the graph


class ChartSummary(BaseModel):
    id: str
    case_id: str
    title: str
    note: str
    by: str
    at: str
    nodes: int
    replaces: str | None = None


def save_chart(store: GraphStore, charts: Charts, *, case: str | None, by: str, title: str, note: str, focus: str | None,
               nodes: list[ChartNode], filters: dict[str, Any], replaces: str | None = None) -> Chart:  # fmt: skip
    """Keep a chart in its case (named, or the only case where its nodes are seen). Every node
    must be one the user sees; a chart it replaces must be of the same case."""
    if not nodes:
        raise InvalidRecordError("chart", None, "a chart needs at least one node")
    ids = [n.id for n in nodes]
    seen = set(store.entities(ids))
    missing = [i for i in ids if i not in seen]
    if missing:
        raise NotFoundError("entity", missing[0])
    case_id = store.record_case(case, "chart", ids)
    if case_id is None:
        raise InvalidRecordError("chart", None, "there is no case to keep it in")
    if replaces is not None:
        earlier = charts.get(replaces)
        if earlier is None or earlier.case_id != case_id:
            raise NotFoundError("chart", replaces)
    chart = Chart(id="chart:" + secrets.token_hex(8), case_id=case_id, title=title, note=note, by=by, at=utc_stamp(), focus=focus,
                  nodes=nodes, filters={k: v for k, v in filters.items() if v not in (None, "", [])}, replaces=replaces)  # fmt: skip
    return charts.save(chart)


def case_charts(store: GraphStore, charts: Charts) -> list[ChartSummary]:
    """The charts of the cases the store shows, newest first."""
    return [
        ChartSummary(id=c.id, case_id=c.case_id, title=c.title, note=c.note, by=c.by, at=c.at, nodes=len(c.nodes), replaces=c.replaces)
        for c in charts.of_cases(case.id for case in store.cases())
    ]


def _filters(chart: Chart) -> GraphFilter:
    given = chart.filters

    def text(key: str) -> str | None:
        value = given.get(key)
        return value if isinstance(value, str) and value else None

    types = given.get("types")
    return GraphFilter.from_options(types if isinstance(types, list) else None, None, text("date_from"), text("date_to"),
                                    None, float(text("min_confidence") or 0.0))  # fmt: skip


def chart_view(store: GraphStore, charts: Charts, chart_id: str) -> ChartView:
    """The chart drawn from the graph as the reader sees it now, each node where it was saved."""
    chart = charts.get(chart_id)
    if chart is None or chart.case_id not in {c.id for c in store.cases()}:
        raise NotFoundError("chart", chart_id)
    canon = canonicaliser(store, True)
    placed = {canon.canonical(n.id): (n.x, n.y) for n in chart.nodes}
    subgraph = traversal.among(store, placed, _filters(chart), canon)
    view = network_view(subgraph, [canon.canonical(chart.focus)] if chart.focus else [])
    for node in view.nodes:
        if node.entity.id in placed:
            node.x, node.y = placed[node.entity.id]
    return ChartView(chart=chart, view=view, left_out=len(placed.keys() - {n.entity.id for n in view.nodes}))
