"""The vocabulary, as data: every entity type and relationship type, with what each part of
the system needs to know about it. The record ids' prefixes, the CLI's choices, the pages
(through GET /api/schema) and the tests all read it from here; a type added here is a type
everywhere (docs/architecture.md walks through adding one).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum

from backend.domain.legal_elements import LEGAL_ELEMENTS


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


# The other words of the vocabulary that reach a page or a report, in both languages: an
# association's kind, the attributes of entities and relationships, travel modes and phone
# kinds, resolution's comparisons and levels, analysts' corrections. Keyed "group:key"; pages
# read them from GET /api/schema, reports from term().
TERMS: dict[str, tuple[str, str]] = {
    # ASSOCIATED_WITH's kinds (backend.domain.model.ASSOCIATION_KINDS)
    "association:recruited": ("captación", "recruited"),
    "association:travelled_with": ("viajó con", "travelled with"),
    "association:paid_for": ("pagó por", "paid for"),
    "association:co_mentioned": ("mencionados juntos", "mentioned together"),
    "association:family": ("familia", "family"),
    "association:partner": ("pareja", "partner"),
    "association:employed": ("empleo", "employed"),
    "association:exploited": ("explotación", "exploited"),
    "association:hosted": ("alojamiento", "hosted"),
    "association:transported": ("transporte", "transported"),
    "association:threatened": ("amenaza", "threatened"),
    "association:other": ("otra", "other"),
    # Attributes of entities and relationships (Entity.properties, Relationship.properties)
    "attribute:kind": ("clase", "kind"),
    "attribute:type": ("tipo", "type"),
    "attribute:country": ("país", "country"),
    "attribute:city": ("ciudad", "city"),
    "attribute:iata": ("código IATA", "IATA code"),
    "attribute:carrier": ("aerolínea (código)", "carrier code"),
    "attribute:airline": ("aerolínea", "airline"),
    "attribute:flight": ("vuelo", "flight"),
    "attribute:date": ("fecha", "date"),
    "attribute:number": ("número", "number"),
    "attribute:e164": ("número internacional", "international number"),
    "attribute:mode": ("medio", "mode"),
    "attribute:origin": ("origen", "origin"),
    "attribute:origin_city": ("ciudad de origen", "origin city"),
    "attribute:destination": ("destino", "destination"),
    "attribute:destination_city": ("ciudad de destino", "destination city"),
    "attribute:company": ("empresa", "company"),
    "attribute:cell": ("celda", "cell"),
    "attribute:imei": ("IMEI", "IMEI"),
    "attribute:duration_s": ("duración (s)", "duration (s)"),
    "attribute:duration_seconds": ("duración (s)", "duration (s)"),
    "attribute:seat": ("asiento", "seat"),
    "attribute:booking_reference": ("reserva", "booking reference"),
    "attribute:offer": ("oferta", "offer"),
    "attribute:member_ids": ("registros unidos", "joined records"),
    "attribute:member_count": ("registros", "records"),
    "attribute:asserted_by": ("afirmado por", "asserted by"),
    "attribute:asserted_at": ("afirmado el", "asserted on"),
    "attribute:calls": ("llamadas", "calls"),
    "attribute:first_date": ("primera", "first"),
    "attribute:last_date": ("última", "last"),
    "attribute:total_duration_s": ("duración total (s)", "total duration (s)"),
    "attribute:relationship_ids": ("registros", "records"),
    "attribute:nationality": ("nacionalidad", "nationality"),
    "attribute:dob": ("fecha de nacimiento", "date of birth"),
    "attribute:issuer": ("emisor", "issuer"),
    "attribute:address": ("dirección", "address"),
    "attribute:listed": ("en el nomenclátor", "in the gazetteer"),
    # Values of attributes
    "mode:air": ("avión", "air"),
    "mode:bus": ("bus", "bus"),
    "mode:border_crossing": ("paso de frontera", "border crossing"),
    "phone_kind:mobile": ("móvil", "mobile"),
    "phone_kind:landline": ("fijo", "landline"),
    "phone_kind:landline_or_mobile": ("fijo o móvil", "landline or mobile"),
    "phone_kind:voip": ("VoIP", "VoIP"),
    "phone_kind:service": ("servicio", "service"),
    "id_type:CC": ("cédula de ciudadanía", "citizenship card"),
    "id_type:CE": ("cédula de extranjería", "foreigner ID card"),
    "id_type:PASSPORT": ("pasaporte", "passport"),
    "id_type:PEP": ("permiso especial de permanencia", "special stay permit"),
    "id_type:VE_CI": ("cédula venezolana", "Venezuelan ID card"),
    "id_type:DNI": ("DNI", "national ID"),
    # Entity resolution: what was compared, and how each comparison came out
    "comparison:name": ("nombre", "name"),
    "comparison:dob": ("fecha de nacimiento", "date of birth"),
    "comparison:phone": ("teléfono", "phone"),
    "comparison:id_number": ("número de documento", "ID number"),
    "comparison:alias": ("alias", "alias"),
    "comparison:context": ("documento compartido", "shared document"),
    "comparison:address": ("dirección", "address"),
    "comparison:name frequency": ("frecuencia del nombre", "name frequency"),
    "comparison:rule": ("regla", "rule"),
    "level:exact": ("igual", "exact"),
    "level:a name dropped": ("falta uno de los nombres", "a name dropped"),
    "level:close": ("parecido", "close"),
    "level:same words, given names in another order": (
        "mismas palabras, nombres en otro orden",
        "same words, given names in another order",
    ),
    "level:initial": ("inicial", "initial"),
    "level:other given name differs": ("otro nombre de pila distinto", "other given name differs"),
    "level:first given name differs": ("primer nombre distinto", "first given name differs"),
    "level:different": ("distinto", "different"),
    "level:one typo": ("un dígito errado", "one typo"),
    "level:one edit": ("un carácter distinto", "one edit"),
    "level:same digits reordered": ("mismos dígitos en otro orden", "same digits reordered"),
    "level:shared": ("compartido", "shared"),
    "level:not shared": ("no compartido", "not shared"),
    "level:same address": ("misma dirección", "same address"),
    "level:same city": ("misma ciudad", "same city"),
    "level:different city": ("otra ciudad", "different city"),
    "level:no information": ("sin información", "no information"),
    # Analysts' corrections (backend.domain.model.CorrectionKind) and judgements
    "correction:reject_link": ("vínculo rechazado", "link rejected"),
    "correction:reject_evidence": ("evidencia rechazada", "evidence rejected"),
    "correction:add_entity": ("entidad añadida por el analista", "entity added by the analyst"),
    "correction:add_link": ("vínculo añadido por el analista", "link added by the analyst"),
    "correction:annotate": ("nota", "note"),
    "correction:undo": ("deshecho", "undone"),
    "correction:reject_element": ("elemento del delito rechazado", "legal element rejected"),
    "correction:add_element": ("elemento del delito añadido por el analista", "legal element added by the analyst"),
    "correction:judgement": ("decisión de identidad", "identity decision"),
    "decision:same": ("la misma", "the same"),
    "decision:different": ("distintas", "different"),
    "decision:unsure": ("sin decidir", "unsure"),
}


# The legal elements of trafficking and their groups, from their one place (legal_elements.py).
TERMS.update({f"element:{e.key}": (e.label_es, e.label_en) for e in LEGAL_ELEMENTS.values()})
TERMS.update({
    "element_group:action": ("acción (conducta)", "action"), "element_group:means": ("medio", "means"),
    "element_group:purpose": ("finalidad de explotación", "purpose of exploitation"),
})  # fmt: skip


# Screening at transit points (backend.domain.screening): indicators, reviews, watchlist kinds.
TERMS.update({
    "indicator:known": ("persona, teléfono o documento ya en un caso", "person, phone or ID already in a case"),
    "indicator:buyer_young_women": ("un comprador paga tiquetes de varias mujeres jóvenes", "one buyer pays several young women's tickets"),
    "indicator:minor_unrelated_adult": ("menor con adultos que no son familiares", "minor with adults who are not relatives"),
    "indicator:repeated_escort": ("el mismo acompañante en viajes repetidos", "the same escort on repeated trips"),
    "indicator:late_booking": ("compra de último momento a frontera o destino de un caso", "last-minute booking to a border or a case's destination"),
    "review:open": ("por revisar", "to review"), "review:confirmed": ("confirmada", "confirmed"),
    "review:dismissed": ("descartada", "dismissed"), "review:reopened": ("reabierta", "reopened"),
    "watch_kind:person": ("persona", "person"), "watch_kind:phone": ("teléfono", "phone"), "watch_kind:id": ("documento de identidad", "ID"),
})  # fmt: skip


def term(group: str, key: object, lang: str = "es") -> str:
    """A word of the vocabulary in one language; an unknown key as it is (a country code, a name)."""
    found = TERMS.get(f"{group}:{key}")
    return str(key) if found is None else found[0 if lang == "es" else 1]


def written_date(date: str | None) -> str | None:
    """An ISO date as the case files write it (dd/mm/aaaa), for names made of it; else as it is."""
    return f"{date[8:10]}/{date[5:7]}/{date[:4]}" if date and len(date) >= 10 and date[4] == "-" and date[7] == "-" else date


def route_leg_label(origin: str, destination: str, mode: str, date: str | None = None) -> str:
    """A route leg's name as stored: in the case files' language (Spanish), its date as they write it."""
    when = written_date(date)
    return f"{origin} → {destination} ({term('mode', mode)}{', ' + when if when else ''})"


def flight_label(code: str, date: str | None = None) -> str:
    """A flight's name as stored: its code and its day as the case files write it."""
    return f"{code} {written_date(date)}" if date else code


def relationship_label(rel_type: RelType | str, lang: str = "es") -> str:
    kind = RELATIONSHIP_KINDS.get(RelType(rel_type)) if rel_type in RelType.__members__.values() else None
    return str(rel_type) if kind is None else (kind.label_es if lang == "es" else kind.label_en)


def entity_label(entity_type: EntityType | str, lang: str = "es") -> str:
    kind = ENTITY_KINDS.get(EntityType(entity_type)) if entity_type in EntityType.__members__.values() else None
    return str(entity_type) if kind is None else (kind.label_es if lang == "es" else kind.label_en)


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
        "terms": {key: {"es": es, "en": en} for key, (es, en) in TERMS.items()},
    }
