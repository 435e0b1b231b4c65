"""Routes for the analyses (brokers, communities, co-travel, calls, cross-border, timeline):
thin wrappers over backend.analysis."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel

from backend.analysis.borders import CrossBorderView, cross_border
from backend.analysis.calls import (
    BurnerReport,
    CallStats,
    CommonContacts,
    TopContact,
    burner_candidates,
    common_contacts,
    pair_stats,
    phones_of,
    top_contacts,
)
from backend.analysis.centrality import CentralityResult, CommunityMethod, Network, centrality, communities
from backend.analysis.geography import CaseMap, case_map
from backend.analysis.graph import CaseGraph, case_graph
from backend.analysis.legal_matrix import ElementMatrix, element_matrix
from backend.analysis.timeline import Timeline, timeline
from backend.analysis.travel import DEFAULT_HOURS, CoTravel, co_travel
from backend.domain.model import EntityType, GraphFilter, RelType, Subgraph
from backend.reports.layout import NetworkView, network_view
from backend.web.deps import case_param, settings_of, user_scope, user_store

CaseId = Annotated[str | None, Query(max_length=200, description="Only what this case's documents support (default: everything).")]
EntityIds = Annotated[list[str], Query(min_length=1, max_length=20)]
IsoDate = Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}", max_length=32, description="ISO date (a period's end, inclusive).")]


class CallPairs(BaseModel):
    pairs: list[CallStats]


router = APIRouter(tags=["analysis"])


def graph_of(request: Request, case_id: str | None, filters: GraphFilter | None = None) -> CaseGraph:
    """The case graph of the case the request names (by its id or its name; unknown: 404), as the
    user may see it: built once per data version for the requests that see the same."""
    store = user_store(request)
    case = case_param(request) if case_id else None
    seen_as = (user_scope(request), case, (filters or GraphFilter()).model_dump_json())
    return request.app.state.case_graphs.get(store.generation(), seen_as, lambda: case_graph(store, case, filters))


@router.get("/api/analysis/centrality")
def brokers(
    request: Request, case_id: CaseId = None, network: Network = "persons", types: Annotated[list[EntityType] | None, Query()] = None,
    top: int = Query(50, ge=1, le=5000), method: CommunityMethod = "leiden",
) -> CentralityResult:  # fmt: skip
    """Degree, betweenness and community of each person (network=persons: persons tied by
    associations, calls, shared phones/IDs, co-travel) or of every entity (network=all)."""
    return centrality(graph_of(request, case_id), network=network, types={str(t) for t in types} if types else None, top=top, method=method)


@router.get("/api/analysis/network", response_model=NetworkView)
def case_network(request: Request, case_id: CaseId = None, method: CommunityMethod = "leiden",
                 limit: int = Query(2000, ge=1, le=5000), date_from: IsoDate = None, date_to: IsoDate = None) -> Response:  # fmt: skip
    """The whole case graph (resolved) laid out to draw, each node with its community. With a
    period, relationships dated outside it are left out, and so are the entities only they tied in."""
    case = graph_of(request, case_id)
    return Response(case.derived(("network view", method, limit, date_from, date_to), lambda: _network_view(case, method, limit, date_from, date_to)),
                    media_type="application/json")  # fmt: skip


def _network_view(case: CaseGraph, method: CommunityMethod, limit: int, date_from: str | None, date_to: str | None) -> str:
    graph = case.within(date_from, date_to) if date_from or date_to else case
    simple = graph.simple()
    keep = sorted(simple, key=lambda n: (-simple.degree(n), n))[:limit]
    kept = set(keep)
    view = network_view(Subgraph(nodes=[graph.entities[n] for n in keep], edges=[e for e in graph.edges if e.source_id in kept and e.target_id in kept],
                                 truncated=len(keep) < len(simple)), keep[:1])  # fmt: skip
    community = communities(simple.subgraph(keep).copy(), method)
    for node in view.nodes:
        node.community = community.get(node.entity.id)
    return view.model_dump_json()


@router.get("/api/analysis/co-travel")
def travel(request: Request, case_id: CaseId = None, hours: float = Query(DEFAULT_HOURS, ge=0, le=24 * 30),
           kinds: Annotated[list[Literal["flight", "bus_departure", "route_leg"]] | None, Query()] = None,
           limit: int = Query(1000, ge=1, le=100_000)) -> list[CoTravel]:  # fmt: skip
    """Pairs of persons on the same flight, bus departure (same terminal and company, ±hours) or route leg (±hours),
    with the rows behind it; earliest first, at most `limit`."""
    return co_travel(user_store(request), graph_of(request, case_id), hours=hours, kinds=set(kinds) if kinds else None, limit=limit)


@router.get("/api/analysis/calls/common")
def common(request: Request, ids: EntityIds, case_id: CaseId = None, min_sides: int = Query(2, ge=2, le=20)) -> CommonContacts:
    """Phones in contact with at least `min_sides` of the given phones or persons."""
    return common_contacts(graph_of(request, case_id), ids, min_sides=min_sides)


@router.get("/api/analysis/calls/top")
def top(
    request: Request, id: Annotated[str, Query(max_length=512)], case_id: CaseId = None, limit: int = Query(10, ge=1, le=500)
) -> list[TopContact]:
    """The phones a phone (or a person's phones) talked to most, with counts, first/last contact and total duration."""
    return top_contacts(graph_of(request, case_id), id, limit=limit)


@router.get("/api/analysis/calls/pairs")
def pairs(request: Request, case_id: CaseId = None, ids: Annotated[list[str] | None, Query(max_length=20)] = None,
          limit: int = Query(50, ge=1, le=5000)) -> CallPairs:  # fmt: skip
    """Call counts, first and last contact and total duration for each pair of phones (of these phones or persons, if given), most calls first."""
    graph = graph_of(request, case_id)
    rows = pair_stats(graph.edges_of_type(RelType.CALLED))
    if ids:
        wanted = {p for i in ids for p in phones_of(graph, i)}
        rows = {k: v for k, v in rows.items() if set(k) & wanted}
    return CallPairs(pairs=sorted(rows.values(), key=lambda r: (-r.calls, r.phones))[:limit])


@router.get("/api/analysis/calls/burners")
def burners(request: Request, case_id: CaseId = None, window_hours: float = Query(72, gt=0, le=24 * 365),
            min_calls: int = Query(2, ge=1, le=1000)) -> BurnerReport:  # fmt: skip
    """Phones whose every call falls within a short window while the records cover much longer."""
    graph = graph_of(request, case_id)
    return graph.derived(
        ("burners", window_hours, min_calls), lambda: burner_candidates(graph, window_hours=window_hours, min_calls=min_calls)
    )


@router.get("/api/analysis/cross-border")
def borders(request: Request, case_id: CaseId = None, country: str | None = Query(None, pattern=r"^[A-Za-z]{2}$")) -> CrossBorderView:
    """Entities tied to foreign phones, foreign IDs, international flights and border crossings."""
    graph, home = graph_of(request, case_id), settings_of(request).home_country
    return graph.derived(("cross-border", home, country), lambda: cross_border(graph, home_country=home, country=country))


@router.get("/api/analysis/map")
def places_map(request: Request, case_id: CaseId = None, date_from: IsoDate = None, date_to: IsoDate = None) -> CaseMap:
    """Places, terminals, airports and route legs with coordinates and counts; border crossings
    and foreign destinations marked; what cannot be placed listed."""
    return case_map(graph_of(request, case_id), home_country=settings_of(request).home_country, date_from=date_from, date_to=date_to)


@router.get("/api/analysis/elements")
def legal_elements(
    request: Request, entity_id: Annotated[str, Query(min_length=1, max_length=512)], case_id: CaseId = None
) -> ElementMatrix:
    """The legal elements of trafficking (action, means, purpose) the sentences about a person evidence,
    each with its sentences, and the gaps; a minor needs no means."""
    return element_matrix(user_store(request), graph_of(request, case_id), entity_id)


@router.get("/api/analysis/timeline")
def events(request: Request, entity_id: str | None = Query(None, max_length=512), case_id: CaseId = None,
           limit: int = Query(1000, ge=1, le=20000)) -> Timeline:  # fmt: skip
    """Calls, journeys, dated relationships and document dates, in order: of one entity (as resolved) or of a case."""
    return timeline(user_store(request), graph_of(request, case_id), entity_id=entity_id, limit=limit)
