"""Routes that read the graph: health, the vocabulary, counts, search, entities, their
neighbourhoods and networks, paths, statistics and relationships' evidence."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from backend import __version__
from backend.domain.model import EntityDetail, GraphFilter, PathResult, SearchHit, StoredEvidence, Subgraph
from backend.domain.vocabulary import schema
from backend.graph import traversal
from backend.graph.canonical import canonicaliser
from backend.reports.dashboard import CaseSummary, case_summary
from backend.reports.layout import NetworkView, PathsView, network_view, paths_subgraph
from backend.reports.views import EntityProfile, Statistics, entity_profile, resolved_search, statistics
from backend.web.deps import answered_in_one_trip, case_views, runs_of, user_store
from backend.web.params import view_filters

router = APIRouter()
Filters = Annotated[GraphFilter, Depends(view_filters)]
Hops = Annotated[int, Query(ge=0, le=10)]
Limit = Annotated[int, Query(ge=1, le=5000)]
MaxHops = Annotated[int, Query(ge=1, le=10)]


@router.get("/api/schema")
def vocabulary_schema() -> dict:
    """The vocabulary: every entity and relationship type with its id prefix, Spanish and
    English labels, colour, whether resolution compares it, and its Neo4j constraint."""
    return schema()


@router.get("/api/health")
def health(request: Request) -> dict:
    answering = user_store(request)
    answering.ping()  # 503 (StoreUnavailableError) while the store is down
    return {"status": "ok", "store": answering.kind, "version": __version__}


@router.get("/api/dashboard")
@answered_in_one_trip
def dashboard(request: Request) -> list[CaseSummary]:
    """The home page: each of the user's cases with its counts, latest documents, open review
    pairs, latest corrections and last ingest run (with its warnings)."""
    runs = runs_of(request)
    return [case_summary(view, case, runs) for case, view in case_views(request)]


@router.get("/api/counts")
def counts(request: Request) -> dict:
    return user_store(request).counts()


@router.get("/api/search")
@answered_in_one_trip
def search(request: Request, q: Annotated[str, Query(max_length=200)], limit: int = Query(20, ge=1, le=200)) -> list[SearchHit]:
    """Entities (each resolved person once, with how many records it joins) and documents
    matching every word; phones and ID numbers in any written form, or 7 digits of them."""
    return resolved_search(user_store(request), q, limit=limit)


@router.get("/api/entities/{entity_id}")
@answered_in_one_trip
def entity(request: Request, entity_id: str) -> EntityDetail:
    return user_store(request).get_entity(entity_id)


def _neighbourhood(request: Request, filters: GraphFilter, entity_id: str, hops: int, limit: int, resolved: bool) -> Subgraph:
    store = user_store(request)
    return traversal.neighbourhood(store, entity_id, hops=hops, filters=filters, limit=limit, canon=canonicaliser(store, resolved))


def _paths(request: Request, filters: GraphFilter, source: str, target: str, k: int, max_hops: int, resolved: bool) -> PathResult:
    store = user_store(request)
    return traversal.paths(store, source, target, k=k, max_hops=max_hops, filters=filters, canon=canonicaliser(store, resolved))


@router.get("/api/entities/{entity_id}/neighbourhood")
@answered_in_one_trip
def neighbourhood(
    request: Request, filters: Filters, entity_id: str, hops: Hops = 1, limit: Limit = 500,
    resolved: bool = Query(False, description="Each resolved person once: entities judged the same are one node."),
) -> Subgraph:  # fmt: skip
    return _neighbourhood(request, filters, entity_id, hops, limit, resolved)


@router.get("/api/paths")
@answered_in_one_trip
def paths(
    request: Request, filters: Filters, source: str, target: str, k: int = Query(1, ge=1, le=20), max_hops: MaxHops = 6,
    resolved: bool = Query(False, description="Persons as resolved: entities judged the same are one node."),
) -> PathResult:  # fmt: skip
    return _paths(request, filters, source, target, k, max_hops, resolved)


@router.get("/api/paths/network")
@answered_in_one_trip
def paths_network(
    request: Request, filters: Filters, source: str, target: str, k: int = Query(3, ge=1, le=20), max_hops: MaxHops = 6,
    resolved: bool = Query(True, description="Persons as resolved."),
) -> PathsView:  # fmt: skip
    """The k shortest paths, and all their nodes and edges laid out to draw as one network."""
    found = _paths(request, filters, source, target, k, max_hops, resolved)
    centre = [found.paths[0].node_ids[0]] if found.paths else []
    return PathsView(paths=found, view=network_view(paths_subgraph(found), centre))


@router.get("/api/entities/{entity_id}/profile")
@answered_in_one_trip
def profile(request: Request, entity_id: str) -> EntityProfile:
    """Attributes, every mention with its sentence (and where the mention sits in it), the
    relationships with their evidence, the entities judged the same, and the judgements."""
    return entity_profile(user_store(request), entity_id)


@router.get("/api/entities/{entity_id}/network")
@answered_in_one_trip
def network(
    request: Request, filters: Filters, entity_id: str, hops: Hops = 1, limit: Limit = 500,
    resolved: bool = Query(True, description="Each resolved person once."),
) -> NetworkView:  # fmt: skip
    """The neighbourhood with a position, degree and betweenness for every node, ready to draw."""
    subgraph = _neighbourhood(request, filters, entity_id, hops, limit, resolved)
    centre = [n.id for n in subgraph.nodes if n.id == entity_id or entity_id in n.properties.get("member_ids", ())]
    return network_view(subgraph, centre)


@router.get("/api/relationships/evidence")
@answered_in_one_trip
def relationship_evidence(request: Request, ids: Annotated[list[str], Query(max_length=200)]) -> dict[str, list[StoredEvidence]]:
    """The evidence of each relationship: the sentence or table row, the document, page and offsets."""
    return user_store(request).evidence(ids)


@router.get("/api/stats")
@answered_in_one_trip
def stats(request: Request) -> Statistics:
    return statistics(user_store(request))
