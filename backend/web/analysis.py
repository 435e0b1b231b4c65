"""Routes for the analyses, the association-evidence report, exports and analysts' marks: thin
wrappers over backend.analysis, backend.reports.report and backend.reports.export."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Annotated, Callable, Literal
from urllib.parse import quote

from fastapi import Depends, FastAPI, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field

from backend.analysis.borders import CrossBorderView, cross_border
from backend.analysis.calls import BurnerReport, CallStats, CommonContacts, TopContact, burner_candidates, common_contacts, pair_stats, phones_of, top_contacts
from backend.analysis.centrality import CentralityResult, CommunityMethod, Network, centrality, communities
from backend.analysis.graph import CaseGraph, case_graph
from backend.analysis.timeline import Timeline, timeline
from backend.analysis.travel import DEFAULT_HOURS, CoTravel, co_travel
from backend.web.auth import acting_user
from backend.web.params import USER_NAME_PATTERN, UserName, view_filters
from backend.domain.errors import InvalidRecordError
from backend.reports.export import EXTENSIONS, MEDIA_TYPES, ExportFormat, export_graph
from backend.reports.layout import NetworkView, network_view
from backend.domain.model import EntityMark, EntityType, GraphFilter, MarkKind, RelType, Subgraph
from backend.reports.report import AssociationReport, association_report, render_html, render_pdf
from backend.domain.settings import Settings
from backend.store.interface import GraphStore
from backend.graph.canonical import Clusters
from backend.graph.traversal import neighbourhood

CaseId = Annotated[str | None, Query(max_length=200, description="Only what this case's documents support (default: everything).")]
EntityIds = Annotated[list[str], Query(min_length=1, max_length=20)]


class MarkRequest(BaseModel):
    mark: MarkKind
    value: bool = True
    user: UserName
    reason: str = Field(default="", max_length=2000)


class CallPairs(BaseModel):
    pairs: list[CallStats]


def add_analysis_routes(app: FastAPI, store: Callable[[Request], GraphStore], settings: Settings) -> None:
    def graph_of(request: Request, case_id: str | None, filters: GraphFilter | None = None) -> CaseGraph:
        return case_graph(store(request), case_id, filters)

    @app.get("/api/analysis/centrality")
    def brokers(
        request: Request, case_id: CaseId = None, network: Network = "persons", types: Annotated[list[EntityType] | None, Query()] = None,
        top: int = Query(50, ge=1, le=5000), method: CommunityMethod = "louvain",
    ) -> CentralityResult:  # fmt: skip
        """Degree, betweenness and community of each person (network=persons: persons tied by
        associations, calls, shared phones/IDs, co-travel) or of every entity (network=all)."""
        return centrality(graph_of(request, case_id), network=network, types={str(t) for t in types} if types else None, top=top, method=method)

    @app.get("/api/analysis/network", response_model=NetworkView)
    def case_network(request: Request, case_id: CaseId = None, method: CommunityMethod = "louvain",
                     limit: int = Query(2000, ge=1, le=5000)) -> Response:  # fmt: skip
        """The whole case graph (resolved) laid out to draw, each node with its community."""
        graph = graph_of(request, case_id)
        simple = graph.simple()
        keep = sorted(simple, key=lambda n: (-simple.degree(n), n))[:limit]
        kept = set(keep)
        view = network_view(Subgraph(nodes=[graph.entities[n] for n in keep], edges=[e for e in graph.edges if e.source_id in kept and e.target_id in kept],
                                     truncated=len(keep) < len(simple)), keep[:1])  # fmt: skip
        community = communities(simple.subgraph(keep).copy(), method)
        for node in view.nodes:
            node.community = community.get(node.entity.id)
        return Response(view.model_dump_json(), media_type="application/json")

    @app.get("/api/analysis/co-travel")
    def travel(request: Request, case_id: CaseId = None, hours: float = Query(DEFAULT_HOURS, ge=0, le=24 * 30),
               kinds: Annotated[list[Literal["flight", "bus_departure", "route_leg"]] | None, Query()] = None,
               limit: int = Query(1000, ge=1, le=100_000)) -> list[CoTravel]:  # fmt: skip
        """Pairs of persons on the same flight, bus departure (same terminal and company, ±hours) or route leg (±hours),
        with the rows behind it; earliest first, at most `limit`."""
        return co_travel(store(request), graph_of(request, case_id), hours=hours, kinds=set(kinds) if kinds else None, limit=limit)

    @app.get("/api/analysis/calls/common")
    def common(request: Request, ids: EntityIds, case_id: CaseId = None, min_sides: int = Query(2, ge=2, le=20)) -> CommonContacts:
        """Phones in contact with at least `min_sides` of the given phones or persons."""
        return common_contacts(graph_of(request, case_id), ids, min_sides=min_sides)

    @app.get("/api/analysis/calls/top")
    def top(request: Request, id: Annotated[str, Query(max_length=512)], case_id: CaseId = None, limit: int = Query(10, ge=1, le=500)) -> list[TopContact]:
        """The phones a phone (or a person's phones) talked to most, with counts, first/last contact and total duration."""
        return top_contacts(graph_of(request, case_id), id, limit=limit)

    @app.get("/api/analysis/calls/pairs")
    def pairs(request: Request, case_id: CaseId = None, ids: Annotated[list[str] | None, Query(max_length=20)] = None,
              limit: int = Query(50, ge=1, le=5000)) -> CallPairs:  # fmt: skip
        """Call counts, first and last contact and total duration for each pair of phones (of these phones or persons, if given), most calls first."""
        graph = graph_of(request, case_id)
        rows = pair_stats(graph.edges_of_type(RelType.CALLED))
        if ids:
            wanted = {p for i in ids for p in phones_of(graph, i)}
            rows = {k: v for k, v in rows.items() if set(k) & wanted}
        return CallPairs(pairs=sorted(rows.values(), key=lambda r: (-r.calls, r.phones))[:limit])

    @app.get("/api/analysis/calls/burners")
    def burners(request: Request, case_id: CaseId = None, window_hours: float = Query(72, gt=0, le=24 * 365),
                min_calls: int = Query(2, ge=1, le=1000)) -> BurnerReport:  # fmt: skip
        """Phones whose every call falls within a short window while the records cover much longer."""
        return burner_candidates(graph_of(request, case_id), window_hours=window_hours, min_calls=min_calls)

    @app.get("/api/analysis/cross-border")
    def borders(request: Request, case_id: CaseId = None, country: str | None = Query(None, pattern=r"^[A-Za-z]{2}$")) -> CrossBorderView:
        """Entities tied to foreign phones, foreign IDs, international flights and border crossings."""
        return cross_border(graph_of(request, case_id), home_country=settings.home_country, country=country)

    @app.get("/api/analysis/timeline")
    def events(request: Request, entity_id: str | None = Query(None, max_length=512), case_id: CaseId = None,
               limit: int = Query(1000, ge=1, le=20000)) -> Timeline:  # fmt: skip
        """Calls, journeys, dated relationships and document dates, in order: of one entity (as resolved) or of a case."""
        return timeline(store(request), graph_of(request, case_id), entity_id=entity_id, limit=limit)

    @app.get("/api/report", response_model=AssociationReport)
    def report(
        request: Request, ids: EntityIds, user: Annotated[str, Query(min_length=1, max_length=120, pattern=USER_NAME_PATTERN)],
        filters: Annotated[GraphFilter, Depends(view_filters)],
        format: Literal["html", "pdf", "json"] = "html", k: int = Query(3, ge=1, le=10), max_hops: int = Query(6, ge=1, le=10),
        pseudonymise: bool = False,
    ):  # fmt: skip
        """Association-evidence report for two or more entities: the paths between each pair, every
        relationship's citations and the resolution decisions relied on; stamped with time, user and data version."""
        made = association_report(store(request), ids, user=f"user:{acting_user(request, user)}", k=k, max_hops=max_hops, pseudonymise=pseudonymise,
                                  pseudonym_key=settings.pseudonym_key.get_secret_value(), filters=filters)  # fmt: skip
        name = f"informe-asociacion-{made.data_version[:12]}"
        if format == "json":
            return Response(made.model_dump_json(), media_type="application/json")
        if format == "pdf":
            return Response(render_pdf(made), media_type="application/pdf", headers={"Content-Disposition": f'attachment; filename="{name}.pdf"'})
        return HTMLResponse(render_html(made))

    @app.get("/api/export", response_class=Response)
    def export(
        request: Request, format: ExportFormat, filters: Annotated[GraphFilter, Depends(view_filters)],
        scope: Literal["case", "search", "view"] = "case", q: str | None = Query(None, max_length=200),
        entity_id: str | None = Query(None, max_length=512), hops: int = Query(1, ge=0, le=10), limit: int = Query(500, ge=1, le=5000),
    ):  # fmt: skip
        """The graph as GraphML, GEXF, i2 Analyst's Notebook CSV (zip of entities.csv and links.csv) or JSON: of a case
        (case_id, or everything), of a search (q: the entities found and the relationships among them), or of the
        current view (entity_id with hops, limit and the view filters, as the entity page draws it)."""
        s = store(request)
        if scope == "view":
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
        return Response(export_graph(nodes, edges, format), media_type=MEDIA_TYPES[format],
                        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(f'telarana-{scope}-{stamp}.{EXTENSIONS[format]}')}"})  # fmt: skip

    @app.get("/api/entities/{entity_id}/marks")
    def marks(request: Request, entity_id: str) -> list[EntityMark]:
        s = store(request)
        s.get_entity(entity_id)
        return s.marks([entity_id])

    @app.post("/api/entities/{entity_id}/marks", status_code=201)
    def add_mark(request: Request, entity_id: str, body: MarkRequest) -> EntityMark:
        """Mark an entity (victim: reports can pseudonymise it; shareable: cleared for cross-border work), or lift the mark (value false)."""
        return store(request).add_mark(EntityMark.new(entity_id, body.mark, body.value, f"user:{acting_user(request, body.user)}", body.reason))
