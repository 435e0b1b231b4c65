"""Deterministic generated case data for the store benchmarks (invented names, no real people)."""

from __future__ import annotations

import random
from typing import Iterator

from backend.domain.model import (
    Batch,
    Case,
    Document,
    Entity,
    EntityType,
    Evidence,
    Mention,
    Relationship,
    RelType,
    sha256_text,
    stable_id,
)

GIVEN = ["Juan", "Carlos", "Luisa", "Ana", "María", "José", "Andrés", "Paola", "Diana", "Jorge", "Sandra", "Camilo"]
SURNAMES = ["Pérez", "Gómez", "Ríos", "Torres", "López", "Ruiz", "Restrepo", "Castaño", "Osorio", "Quintero", "Cárdenas"]
CITIES = ["Pereira", "Cali", "Bogotá", "Medellín", "Armenia", "Manizales", "Ibagué", "Cúcuta", "Ipiales", "Pasto"]
EXTRACTOR = "bench-1"


def _name(rng: random.Random, n: int) -> str:
    return f"{rng.choice(GIVEN)} {rng.choice(GIVEN)} {rng.choice(SURNAMES)} {rng.choice(SURNAMES)} {n}"


def write_workload(total_rows: int, per_document: int = 25, batch_documents: int = 100, seed: int = 7) -> list[Batch]:
    """Batches whose rows (entities + mentions + relationships + evidence) add up to about total_rows.

    Each document names `per_document` people, each with a phone; every sentence is one
    mention of a person and one USES_PHONE relationship with its evidence.
    """
    rng = random.Random(seed)
    documents = max(1, total_rows // (4 * per_document))
    case = Case(id="bench-case", name="Benchmark case")
    batches: list[Batch] = []
    pending: dict[str, list] = {"documents": [], "entities": [], "mentions": [], "relationships": []}
    for d in range(documents):
        people = [_name(rng, d * per_document + i) for i in range(per_document)]
        phones = [f"+5731{rng.randrange(10**8):08d}" for _ in people]
        sentences = [f"{p} usa el celular {ph}." for p, ph in zip(people, phones)]
        text = " ".join(sentences)
        doc = Document(id=sha256_text(f"{d}:{text}"), title=f"Informe {d}", text=text, case_ids=(case.id,))
        pending["documents"].append(doc)
        offset = 0
        for person_name, phone, sentence in zip(people, phones, sentences):
            person = Entity(id=stable_id("p", person_name), type=EntityType.PERSON, label=person_name)
            phone_entity = Entity(id=stable_id("ph", phone, d, person_name), type=EntityType.PHONE, label=phone)
            pending["entities"] += [person, phone_entity]
            pending["mentions"].append(
                Mention(
                    id=stable_id("m", doc.id, offset),
                    document_id=doc.id,
                    entity_type=EntityType.PERSON,
                    text=person_name,
                    start=offset,
                    end=offset + len(person_name),
                    sentence=sentence,
                    method="bench",
                    confidence=0.9,
                    extractor_version=EXTRACTOR,
                    entity_id=person.id,
                )
            )
            pending["relationships"].append(
                Relationship(
                    id=stable_id("r", person.id, phone_entity.id),
                    type=RelType.USES_PHONE,
                    source_id=person.id,
                    target_id=phone_entity.id,
                    evidence=(
                        Evidence(
                            document_id=doc.id,
                            start=offset,
                            end=offset + len(sentence),
                            text=sentence,
                            method="bench",
                            confidence=0.9,
                            extractor_version=EXTRACTOR,
                        ),
                    ),
                )
            )
            offset += len(sentence) + 1
        if len(pending["documents"]) == batch_documents or d == documents - 1:
            batches.append(Batch(cases=(case,) if not batches else (), **{k: tuple(v) for k, v in pending.items()}))
            pending = {k: [] for k in pending}
    return batches


def query_graph(nodes: int = 1_000_000, seed: int = 11, batch_units: int = 2_000) -> Iterator[tuple[Batch, dict[str, list[str]]]]:
    """A case graph of about `nodes` entities and 3× as many relationships, in batches.

    Persons belong to networks of about 200; each has a phone and an ID; phones call other
    phones mostly inside the network; people travel on route legs between a few hundred
    terminals and places (the hubs real graphs have) and on flights between airports.
    Yields (batch, {"Person": [ids…]}) so callers can sample endpoints.
    """
    rng = random.Random(seed)
    unit_nodes = 10  # see the per-unit mix below
    units = max(1, nodes // unit_nodes)
    places = [f"place-{i}" for i in range(300)]
    airports = [f"airport-{i}" for i in range(30)]
    doc_text = "Registro generado para pruebas de rendimiento. " * 4
    case = Case(id="bench-query", name="Generated case")
    first = True
    deferred: list[Relationship] = []
    network_size = 20  # units per network: 40 persons

    def ev(n: int) -> tuple[Evidence, ...]:
        return (
            Evidence(
                document_id=doc_id,
                start=n % 50,
                end=n % 50 + 20,
                text="Registro generado para",
                method="bench",
                confidence=0.5 + (n % 50) / 100,
                extractor_version=EXTRACTOR,
                row=n + 1,
            ),
        )

    for start in range(0, units, batch_units):
        stop = min(units, start + batch_units)
        doc = Document(id=sha256_text(f"bench-doc-{start}"), title=f"Registro {start}", text=doc_text, case_ids=(case.id,))
        doc_id = doc.id
        entities: list[Entity] = []
        rels: list[Relationship] = []
        persons: list[str] = []
        if first:
            entities += [Entity(id=p, type=EntityType.BUS_TERMINAL, label=f"Terminal {p}") for p in places]
            entities += [Entity(id=a, type=EntityType.AIRPORT, label=f"Aeropuerto {a}") for a in airports]
        for u in range(start, stop):
            # Per unit: 2 persons, 2 phones, 2 IDs, 1 route leg, 1 flight, 1 organisation, 1 location = 10 nodes.
            p1, p2 = f"person-{u}-a", f"person-{u}-b"
            ph1, ph2 = f"phone-{u}-a", f"phone-{u}-b"
            id1, id2 = f"id-{u}-a", f"id-{u}-b"
            leg, flight, org, loc = f"leg-{u}", f"flight-{u}", f"org-{u}", f"loc-{u}"
            persons += [p1, p2]
            entities += [
                Entity(id=p1, type=EntityType.PERSON, label=f"{_name(rng, u)}"),
                Entity(id=p2, type=EntityType.PERSON, label=f"{_name(rng, u)}"),
                Entity(id=ph1, type=EntityType.PHONE, label=f"+5731{u:08d}"),
                Entity(id=ph2, type=EntityType.PHONE, label=f"+5732{u:08d}"),
                Entity(id=id1, type=EntityType.IDENTITY_DOCUMENT, label=f"CC {u}1"),
                Entity(id=id2, type=EntityType.IDENTITY_DOCUMENT, label=f"CC {u}2"),
                Entity(id=leg, type=EntityType.ROUTE_LEG, label=f"Ruta {u}"),
                Entity(id=flight, type=EntityType.FLIGHT, label=f"AV {u % 9000} 2018-04-{u % 28 + 1:02d}"),
                Entity(id=org, type=EntityType.ORGANIZATION, label=f"Empresa {u}"),
                Entity(id=loc, type=EntityType.LOCATION, label=f"{rng.choice(CITIES)} barrio {u}"),
            ]
            net = u // network_size

            def peer():
                return f"phone-{rng.randrange(net * network_size, min(units, (net + 1) * network_size))}-{rng.choice('ab')}"

            def far_peer():
                return f"phone-{rng.randrange(units)}-{rng.choice('ab')}"

            R = RelType
            edges = [
                (R.USES_PHONE, p1, ph1, None, {}),
                (R.USES_PHONE, p2, ph2, None, {}),
                (R.HOLDS_ID, p1, id1, None, {}),
                (R.HOLDS_ID, p2, id2, None, {}),
                (R.TRAVELLED, p1, leg, "2018-04-02", {}),
                (R.TRAVELLED, p2, leg, "2018-04-02", {}),
                (R.DEPARTS_FROM, leg, rng.choice(places), None, {}),
                (R.ARRIVES_AT, leg, rng.choice(places), None, {}),
                (R.PASSENGER_ON, p1, flight, "2018-04-05", {}),
                (R.DEPARTS_FROM, flight, rng.choice(airports), None, {}),
                (R.ARRIVES_AT, flight, rng.choice(airports), None, {}),
                (R.MEMBER_OF, p1, org, None, {}),
                (R.LOCATED_IN, org, loc, None, {}),
                (R.ASSOCIATED_WITH, p1, p2, None, {"kind": "travelled_with"}),
                (
                    R.ASSOCIATED_WITH,
                    p1,
                    f"person-{rng.randrange(net * network_size, min(units, (net + 1) * network_size))}-b",
                    None,
                    {"kind": "recruited"},
                ),
            ]
            edges += [(R.CALLED, ph1, peer(), f"2018-03-{rng.randrange(1, 29):02d}", {}) for _ in range(7)]
            edges += [(R.CALLED, ph2, peer(), f"2018-03-{rng.randrange(1, 29):02d}", {}) for _ in range(6)]
            edges += [(R.CALLED, ph2, far_peer(), f"2018-03-{rng.randrange(1, 29):02d}", {}) for _ in range(2)]
            for n, (rel_type, src, dst, date, props) in enumerate(edges):
                rels.append(
                    Relationship(
                        id=f"r-{u}-{n}", type=rel_type, source_id=src, target_id=dst, date=date, properties=props, evidence=ev(u * 40 + n)
                    )
                )
        # Calls may point at phones of later batches: hold them back until their target exists.
        yield Batch(cases=(case,) if first else (), documents=(doc,), entities=tuple(entities)), {"Person": persons}
        first = False
        yield Batch(relationships=tuple(r for r in rels if not _later(r.target_id, stop))), {}
        deferred += [r for r in rels if _later(r.target_id, stop)]
    yield Batch(relationships=tuple(deferred)), {}


def _later(entity_id: str, stop: int) -> bool:
    if not entity_id.startswith("phone-") and not entity_id.startswith("person-"):
        return False
    return int(entity_id.split("-")[1]) >= stop


def analytics_graph(nodes: int = 100_000, seed: int = 13, batch_units: int = 1_000) -> Iterator[Batch]:
    """A case graph of about `nodes` entities for the analytics benchmark, in batches.

    Per unit of 10 nodes: 4 persons, 3 phones, 1 ID, 1 bus route leg and 1 flight. The unit's
    persons ride its leg (departures from 50 terminals with 5 companies, times spread over
    weeks, so departures of different legs fall within hours of each other) and take its
    flight with two passengers of other units; phones call inside networks of 50 units and
    now and then beyond.
    """
    rng = random.Random(seed)
    units = max(1, nodes // 10)
    terminals = [f"terminal-{i}" for i in range(50)]
    airports = [f"airport-{i}" for i in range(20)]
    companies = [f"Expreso {c}" for c in ("Bolivariano", "Palmira", "Occidental", "Trejos", "Sideral")]
    case = Case(id="bench-analytics", name="Analytics benchmark case")
    doc_text = "Fila generada para el banco de pruebas de análisis. " * 4
    network_size = 50
    first = True
    deferred: list[Relationship] = []
    for start in range(0, units, batch_units):
        stop = min(units, start + batch_units)
        doc = Document(id=sha256_text(f"analytics-doc-{start}"), title=f"Registro {start}", text=doc_text, case_ids=(case.id,))
        entities: list[Entity] = []
        rels: list[Relationship] = []
        if first:
            entities += [Entity(id=t, type=EntityType.BUS_TERMINAL, label=f"Terminal {t}") for t in terminals]
            entities += [Entity(id=a, type=EntityType.AIRPORT, label=f"Aeropuerto {a}") for a in airports]
        for u in range(start, stop):
            persons = [f"person-{u}-{k}" for k in range(4)]
            phones = [f"phone-{u}-{k}" for k in range(3)]
            leg, flight, id_doc = f"leg-{u}", f"flight-{u}", f"id-{u}"
            origin, destination = rng.sample(terminals, 2)
            company = rng.choice(companies)
            day = 1 + u % 60
            departure = f"2018-{3 + day // 31:02d}-{day % 31 or 1:02d}T{rng.randrange(5, 23):02d}:{rng.choice(('00', '15', '30', '45'))}:00"
            entities += [Entity(id=p, type=EntityType.PERSON, label=_name(rng, u)) for p in persons]
            entities += [
                Entity(id=ph, type=EntityType.PHONE, label=f"+573{u:07d}{k}", properties={"country": "CO"}) for k, ph in enumerate(phones)
            ]
            entities += [
                Entity(id=id_doc, type=EntityType.IDENTITY_DOCUMENT, label=f"CC {u}", properties={"country": "CO", "type": "CC"}),
                Entity(id=leg, type=EntityType.ROUTE_LEG, label=f"{origin} → {destination} (bus)",
                       properties={"mode": "bus", "company": company, "origin_city": origin, "destination_city": destination}),
                Entity(id=flight, type=EntityType.FLIGHT, label=f"AV{u} 2018-04-{u % 28 + 1:02d}", properties={"date": f"2018-04-{u % 28 + 1:02d}"}),
            ]  # fmt: skip
            net = u // network_size
            others = [f"person-{rng.randrange(units)}-{rng.randrange(4)}" for _ in range(2)]
            R = RelType
            edges = [(R.USES_PHONE, persons[k], phones[k], None, {}) for k in range(3)]
            edges += [(R.HOLDS_ID, persons[0], id_doc, None, {}), (R.DEPARTS_FROM, leg, origin, None, {}), (R.ARRIVES_AT, leg, destination, None, {}),
                      (R.DEPARTS_FROM, flight, rng.choice(airports), None, {}), (R.ASSOCIATED_WITH, persons[0], persons[1], None, {"kind": "recruited"}),
                      (R.ASSOCIATED_WITH, persons[0], f"person-{rng.randrange(net * network_size, min(units, (net + 1) * network_size))}-0", None, {"kind": "co_mentioned"})]  # fmt: skip
            edges += [(R.TRAVELLED, p, leg, departure, {"mode": "bus", "company": company}) for p in persons]
            edges += [(R.PASSENGER_ON, p, flight, None, {}) for p in persons + others]

            def in_network():
                return f"phone-{rng.randrange(net * network_size, min(units, (net + 1) * network_size))}-{rng.randrange(3)}"

            edges += [(R.CALLED, rng.choice(phones), in_network(), f"2018-03-{rng.randrange(1, 29):02d}T{rng.randrange(24):02d}:00:00",
                       {"duration_s": rng.randrange(10, 900)}) for _ in range(11)]  # fmt: skip
            edges += [(R.CALLED, rng.choice(phones), f"phone-{rng.randrange(units)}-0", "2018-03-15T12:00:00", {"duration_s": 60})]
            for n, (rel_type, src, dst, date, props) in enumerate(edges):
                rels.append(Relationship(
                    id=f"a-{u}-{n}", type=rel_type, source_id=src, target_id=dst, date=date, properties=props,
                    evidence=(Evidence(document_id=doc.id, start=0, end=20, text="Fila generada para", method="bench", confidence=0.9,
                                       extractor_version=EXTRACTOR, row=u * 40 + n + 1),),
                ))  # fmt: skip
        yield Batch(cases=(case,) if first else (), documents=(doc,), entities=tuple(entities))
        first = False
        # Passengers and called phones of later batches: hold those back until both ends exist.
        later = [_later(r.source_id, stop) or _later(r.target_id, stop) for r in rels]
        yield Batch(relationships=tuple(r for r, held in zip(rels, later) if not held))
        deferred += [r for r, held in zip(rels, later) if held]
    yield Batch(relationships=tuple(deferred))
