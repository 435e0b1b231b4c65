"""Canonicalisers: how a traversal names the nodes it draws.

The raw graph draws every entity as itself (`IDENTITY`). The resolved graph draws each
cluster of entities joined by standing "same" judgements as one node (`Clusters`), named by
its smallest member id: the same members give the same id on every run and in both stores,
and every member id still leads to its cluster (nothing is renamed or deleted).
"""

from __future__ import annotations

from collections import Counter, deque
from typing import Iterable, Protocol

from backend.domain.model import EdgeRow, Entity, Judgement, RelType
from backend.store.interface import GraphStore


class Canonicaliser(Protocol):
    def canonical(self, entity_id: str) -> str: ...

    def members(self, entity_id: str) -> tuple[str, ...]: ...


class Identity:
    """Every entity is its own node: the raw graph."""

    def canonical(self, entity_id: str) -> str:
        return entity_id

    def members(self, entity_id: str) -> tuple[str, ...]:
        return (entity_id,)


IDENTITY = Identity()


def same_neighbours(store: GraphStore, standing: dict[frozenset[str], Judgement] | None = None) -> dict[str, set[str]]:
    neighbours: dict[str, set[str]] = {}
    for judgement in (store.standing_judgements() if standing is None else standing).values():
        if judgement.decision == "same":
            neighbours.setdefault(judgement.left_id, set()).add(judgement.right_id)
            neighbours.setdefault(judgement.right_id, set()).add(judgement.left_id)
    return neighbours


def same_as(store: GraphStore | None, entity_id: str, neighbours: dict[str, set[str]] | None = None) -> list[str]:
    """The entity and every entity joined to it by standing "same" judgements, sorted."""
    if neighbours is None:
        if store is None:
            raise ValueError("same_as needs a store or the neighbours")
        neighbours = same_neighbours(store)
    seen, queue = {entity_id}, deque([entity_id])
    while queue:
        for other in neighbours.get(queue.popleft(), ()):
            if other not in seen:
                seen.add(other)
                queue.append(other)
    return sorted(seen)


class Clusters:
    """Entities joined by standing "same" judgements: the resolved graph."""

    def __init__(self, store: GraphStore):
        self._neighbours = same_neighbours(store)
        self._members: dict[str, tuple[str, ...]] = {}

    def members(self, entity_id: str) -> tuple[str, ...]:
        found = self._members.get(entity_id)
        if found is None:
            found = tuple(same_as(None, entity_id, self._neighbours))
            for member in found:
                self._members[member] = found
        return found

    def canonical(self, entity_id: str) -> str:
        return self.members(entity_id)[0]


def merged_entity(members: list[Entity]) -> Entity:
    """One entity standing for a cluster: the canonical (smallest) id, the most frequent label
    (the longest among equals), every alias and label of its members, their ids."""
    members = sorted(members, key=lambda e: e.id)
    if len(members) == 1:
        return members[0]
    labels = Counter(m.label for m in members)
    label = max(labels, key=lambda text: (labels[text], len(text), text))
    aliases = sorted({a for m in members for a in m.aliases} | {m.label for m in members if m.label != label})
    properties = {k: v for m in reversed(members) for k, v in m.properties.items()}
    properties["member_ids"] = [m.id for m in members]
    return Entity(id=members[0].id, type=members[0].type, label=label, aliases=tuple(aliases), properties=properties)


def merged_nodes(entities: dict[str, Entity], canon: Canonicaliser) -> dict[str, Entity]:
    """The nodes these entities make: one per canonical id, merged from its members here."""
    groups: dict[str, list[Entity]] = {}
    for member_id, entity in entities.items():
        groups.setdefault(canon.canonical(member_id), []).append(entity)
    return {c: merged_entity(g) for c, g in groups.items()}


def collapse_edges(edges: Iterable[EdgeRow], canon: Canonicaliser) -> list[EdgeRow]:
    """Each relationship drawn between the nodes its ends belong to (its own id and evidence
    kept). One whose two ends fall into the same node (a person's phone seen in two of his
    documents) is left out: it would draw a loop the documents never stated."""
    out = []
    for edge in edges:
        source, target = canon.canonical(edge.source_id), canon.canonical(edge.target_id)
        if source == target and edge.source_id != edge.target_id:
            continue
        out.append(
            edge
            if (source, target) == (edge.source_id, edge.target_id)
            else edge.model_copy(update={"source_id": source, "target_id": target})
        )
    return out


def aggregate_calls(edges: Iterable[EdgeRow]) -> list[EdgeRow]:
    """Calls between the same two phones (either way) drawn as one edge: the earliest call's row
    with the number of calls, the first and last date, the total duration and the ids of every
    call behind it (`relationship_ids`, whose evidence is each row). Other edges pass as they are."""
    out: list[EdgeRow] = []
    calls: dict[frozenset[str], list[EdgeRow]] = {}
    for edge in edges:
        if edge.type == RelType.CALLED:
            pair = frozenset((edge.source_id, edge.target_id))
            if pair not in calls:
                calls[pair] = []
                out.append(edge)  # its place, filled below
            calls[pair].append(edge)
        else:
            out.append(edge)
    merged: dict[str, EdgeRow] = {}
    for group in calls.values():
        if len(group) == 1:
            continue
        ordered = sorted(group, key=lambda e: (e.date or "", e.id))
        dates = [e.date for e in ordered if e.date]
        durations = [e.properties.get("duration_s") for e in ordered]
        total = sum(int(d) for d in durations if isinstance(d, (int, float)) or (isinstance(d, str) and d.isdigit()))
        first = ordered[0]
        merged[group[0].id] = first.model_copy(update={
            "date": dates[0] if dates else None, "confidence": max(e.confidence for e in group),
            "evidence_count": sum(e.evidence_count for e in group),
            "properties": {"calls": len(group), "first_date": dates[0] if dates else None, "last_date": dates[-1] if dates else None,
                           "total_duration_s": total, "relationship_ids": [e.id for e in ordered]},
        })  # fmt: skip
    return [merged.get(e.id, e) if e.type == RelType.CALLED else e for e in out]


def canonicaliser(store: GraphStore, resolved: bool) -> Canonicaliser:
    """The resolved graph's clusters when asked for, else every entity as itself."""
    return Clusters(store) if resolved else IDENTITY
