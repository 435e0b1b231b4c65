"""Routes for the association-evidence report, exports and analysts' marks: thin wrappers over
backend.reports.report and backend.reports.export."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field

from backend.analysis.graph import case_graph
from backend.domain.errors import InvalidRecordError
from backend.domain.model import EntityMark, GraphFilter, MarkKind
from backend.graph.canonical import Clusters
from backend.graph.traversal import neighbourhood
from backend.reports.charts import chart_view
from backend.reports.export import EXTENSIONS, MEDIA_TYPES, ExportFormat, edge_citations, export_graph
from backend.reports.report import HUB_DEGREE, AssociationReport, association_report, render_html, render_pdf
from backend.web.auth import acting_user
from backend.web.deps import settings_of, user_store
from backend.web.params import USER_NAME_PATTERN, UserName, view_filters
from backend.web.routes.analysis import EntityIds


class MarkRequest(BaseModel):
    mark: MarkKind
    value: bool = True
    user: UserName
    reason: str = Field(default="", max_length=2000)
    case_id: str | None = Field(default=None, max_length=200, description="The case it acts on (id or name).")


router = APIRouter(tags=["reports"])


@router.get("/api/report", response_model=AssociationReport)
def report(
    request: Request, ids: EntityIds, user: Annotated[str, Query(min_length=1, max_length=120, pattern=USER_NAME_PATTERN)],
    filters: Annotated[GraphFilter, Depends(view_filters)],
    format: Literal["html", "pdf", "json"] = "html", k: int = Query(3, ge=1, le=10), max_hops: int = Query(6, ge=1, le=10),
    pseudonymise: bool = False, leave_out: Annotated[list[str], Query(max_length=200)] = [],  # noqa: B006 - FastAPI reads the default
    weak: bool = False, hubs: bool = False, hub_degree: int = Query(HUB_DEGREE, ge=2, le=10_000), elements: bool = False,
    annex: bool = False,
):  # fmt: skip
    """Association-evidence report for two or more entities: the paths between each pair, every
    relationship's citations and the resolution decisions relied on; stamped with the time of the
    latest record it reflects, the user and a data version. The prosecutor's options: `leave_out`
    relationships, leave out weak co-mentions (`weak`) and paths through hub places (`hubs`), add
    the legal-elements matrix of every person on the paths (`elements`), put the originals inside
    the PDF (`annex`; never with `pseudonymise`)."""
    made = association_report(user_store(request), ids, user=f"user:{acting_user(request, user)}", k=k, max_hops=max_hops, pseudonymise=pseudonymise,
                              pseudonym_key=settings_of(request).pseudonym_key.get_secret_value(), filters=filters, leave_out=leave_out,
                              weak_rule=weak, hub_rule=hubs, hub_degree=hub_degree, elements=elements, originals=request.app.state.originals,
                              annex_originals=annex)  # fmt: skip
    name = f"informe-asociacion-{made.data_version[:12]}"
    if format == "json":
        return Response(made.model_dump_json(), media_type="application/json")
    if format == "pdf":
        return Response(render_pdf(made, request.app.state.originals), media_type="application/pdf",
                        headers={"Content-Disposition": f'attachment; filename="{name}.pdf"'})  # fmt: skip
    return HTMLResponse(render_html(made))


@router.get("/api/export", response_class=Response)
def export(
    request: Request, format: ExportFormat, filters: Annotated[GraphFilter, Depends(view_filters)],
    scope: Literal["case", "search", "view", "chart"] = "case", q: str | None = Query(None, max_length=200),
    entity_id: str | None = Query(None, max_length=512), hops: int = Query(1, ge=0, le=10), limit: int = Query(500, ge=1, le=5000),
    chart_id: str | None = Query(None, max_length=64),
):  # fmt: skip
    """The graph as GraphML, GEXF, i2 Analyst's Notebook CSV (zip of entities.csv and links.csv) or JSON: of a case
    (case_id, or everything), of a search (q: the entities found and the relationships among them), of the
    current view (entity_id with hops, limit and the view filters, as the entity page draws it), or of a saved
    chart (chart_id: its nodes where the analyst placed them)."""
    s = user_store(request)
    positions = None
    if scope == "chart":
        if not chart_id:
            raise InvalidRecordError("export", None, "scope=chart needs chart_id")
        shown = chart_view(s, request.app.state.charts, chart_id).view
        nodes, edges = [n.entity for n in shown.nodes], shown.edges
        positions = {n.entity.id: (n.x, n.y) for n in shown.nodes}
    elif scope == "view":
        if not entity_id:
            raise InvalidRecordError("export", None, "scope=view needs entity_id")
        subgraph = neighbourhood(s, entity_id, hops=hops, filters=filters, limit=limit, canon=Clusters(s))
        nodes, edges = subgraph.nodes, subgraph.edges
    else:
        if scope == "search":
            if not q:
                raise InvalidRecordError("export", None, "scope=search needs q")
            found = {h.id for h in s.search(q, limit=200) if h.kind == "entity"}
            graph = case_graph(s, filters.case_id, filters, entity_ids=found)
        else:
            graph = case_graph(s, filters.case_id, filters)
        nodes, edges = list(graph.entities.values()), graph.edges
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    return Response(export_graph(nodes, edges, format, edge_citations(s, edges), positions), media_type=MEDIA_TYPES[format],
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(f'telarana-{scope}-{stamp}.{EXTENSIONS[format]}')}"})  # fmt: skip


@router.get("/api/entities/{entity_id}/marks")
def marks(request: Request, entity_id: str) -> list[EntityMark]:
    s = user_store(request)
    s.get_entity(entity_id)
    return s.marks([entity_id])


@router.post("/api/entities/{entity_id}/marks", status_code=201)
def add_mark(request: Request, entity_id: str, body: MarkRequest) -> EntityMark:
    """Mark an entity (victim: reports can pseudonymise it; shareable: cleared for cross-border work), or lift the mark (value false)."""
    store = user_store(request)
    case_id = store.record_case(body.case_id, "mark", (entity_id,))
    return store.add_mark(
        EntityMark.new(entity_id, body.mark, body.value, f"user:{acting_user(request, body.user)}", body.reason, case_id=case_id)
    )
