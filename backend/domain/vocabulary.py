"""The vocabulary, as data: every entity type and relationship type, with what each part of
the system needs to know about it. The record ids' prefixes, the CLI's choices, the pages
(through GET /api/schema) and the tests all read it from here; a type added here is a type
everywhere (docs/architecture.md walks through adding one).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum


class EntityType(StrEnum):
    PERSON = "Person"
    PHONE = "Phone"
    IDENTITY_DOCUMENT = "IdentityDocument"
    EMAIL = "Email"
    ORGANIZATION = "Organization"
    LOCATION = "Location"
    AIRPORT = "Airport"
    BUS_TERMINAL = "BusTerminal"
    FLIGHT = "Flight"
    ROUTE_LEG = "RouteLeg"


class RelType(StrEnum):
    USES_PHONE = "USES_PHONE"
    USES_EMAIL = "USES_EMAIL"
    CALLED = "CALLED"
    HOLDS_ID = "HOLDS_ID"
    PASSENGER_ON = "PASSENGER_ON"
    DEPARTS_FROM = "DEPARTS_FROM"
    ARRIVES_AT = "ARRIVES_AT"
    TRAVELLED = "TRAVELLED"
    VIA = "VIA"
    ASSOCIATED_WITH = "ASSOCIATED_WITH"
    MEMBER_OF = "MEMBER_OF"
    LOCATED_IN = "LOCATED_IN"


@dataclass(frozen=True)
class EntityKind:
    type: EntityType
    # Entity ids read "<prefix>:<key>"; a bus terminal's key is its gazetteer id, which
    # already reads "terminal:…".
    id_prefix: str
    label_es: str
    label_en: str
    colour: str
    # Whether entity resolution compares entities of this type (persons: one per document,
    # merged by judgement); the others are shared by their deterministic keys.
    resolved: bool
    # The Neo4j constraint (cypher/schema.cypher) that keeps its ids unique: every entity is
    # an :Entity node, whatever its type.
    cypher_constraint: str = "entity_id"


@dataclass(frozen=True)
class RelationshipKind:
    type: RelType
    label_es: str
    label_en: str
    # The Neo4j constraint (cypher/schema.cypher) that keeps its relationship ids unique.
    cypher_constraint: str


E, R = EntityType, RelType

ENTITY_KINDS: dict[EntityType, EntityKind] = {
    k.type: k
    for k in (
        EntityKind(E.PERSON, "person", "Persona", "Person", "#d9534f", resolved=True),
        EntityKind(E.PHONE, "phone", "Teléfono", "Phone", "#337ab7", resolved=False),
        EntityKind(E.IDENTITY_DOCUMENT, "id", "Documento de identidad", "Identity document", "#8e44ad", resolved=False),
        EntityKind(E.EMAIL, "email", "Correo", "E-mail", "#16a085", resolved=False),
        EntityKind(E.ORGANIZATION, "org", "Organización", "Organisation", "#e67e22", resolved=False),
        EntityKind(E.LOCATION, "place", "Lugar", "Place", "#7f8c8d", resolved=False),
        EntityKind(E.AIRPORT, "airport", "Aeropuerto", "Airport", "#2c3e50", resolved=False),
        EntityKind(E.BUS_TERMINAL, "terminal", "Terminal de buses", "Bus terminal", "#27ae60", resolved=False),
        EntityKind(E.FLIGHT, "flight", "Vuelo", "Flight", "#f1c40f", resolved=False),
        EntityKind(E.ROUTE_LEG, "leg", "Tramo de ruta", "Route leg", "#b39ddb", resolved=False),
    )
}

RELATIONSHIP_KINDS: dict[RelType, RelationshipKind] = {
    k.type: k
    for k in (
        RelationshipKind(R.USES_PHONE, "usa teléfono", "uses phone", "uses_phone_id"),
        RelationshipKind(R.USES_EMAIL, "usa correo", "uses e-mail", "uses_email_id"),
        RelationshipKind(R.CALLED, "llamó a", "called", "called_id"),
        RelationshipKind(R.HOLDS_ID, "porta documento", "holds ID", "holds_id_id"),
        RelationshipKind(R.PASSENGER_ON, "pasajero en", "passenger on", "passenger_on_id"),
        RelationshipKind(R.DEPARTS_FROM, "sale de", "departs from", "departs_from_id"),
        RelationshipKind(R.ARRIVES_AT, "llega a", "arrives at", "arrives_at_id"),
        RelationshipKind(R.TRAVELLED, "viajó", "travelled", "travelled_id"),
        RelationshipKind(R.VIA, "vía", "via", "via_id"),
        RelationshipKind(R.ASSOCIATED_WITH, "asociado con", "associated with", "associated_with_id"),
        RelationshipKind(R.MEMBER_OF, "miembro de", "member of", "member_of_id"),
        RelationshipKind(R.LOCATED_IN, "ubicado en", "located in", "located_in_id"),
    )
}


def id_prefix(entity_type: EntityType | str) -> str:
    return ENTITY_KINDS[EntityType(entity_type)].id_prefix


def resolved_types() -> frozenset[EntityType]:
    """The entity types entity resolution compares."""
    return frozenset(t for t, k in ENTITY_KINDS.items() if k.resolved)


def schema() -> dict:
    """The vocabulary as GET /api/schema serves it to the pages."""
    return {
        "entity_types": [{**asdict(k), "type": str(k.type)} for k in ENTITY_KINDS.values()],
        "relationship_types": [{**asdict(k), "type": str(k.type)} for k in RELATIONSHIP_KINDS.values()],
    }
