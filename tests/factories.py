"""Small builders of test data: a document with sentences, and records that cite it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from backend.domain.model import (
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


def case(case_id: str = "caso-1", name: str = "Caso Pereira") -> Case:
    return Case(id=case_id, name=name, description="invented test case")


def document(text: str, title: str = "Informe", case_ids: tuple[str, ...] = ("caso-1",), **extra) -> Document:
    return Document(id=sha256_text(text), title=title, text=text, case_ids=case_ids, **extra)


def entity(entity_type: EntityType | str, label: str, entity_id: str | None = None, **extra) -> Entity:
    entity_type = EntityType(entity_type)
    return Entity(id=entity_id or stable_id(entity_type, label), type=entity_type, label=label, **extra)


def evidence(doc: Document, phrase: str, confidence: float = 0.9, method: str = "test", **extra) -> Evidence:
    start = doc.text.index(phrase)
    return Evidence(
        document_id=doc.id,
        start=start,
        end=start + len(phrase),
        text=phrase,
        method=method,
        confidence=confidence,
        extractor_version="test-1",
        **extra,
    )


def relationship(
    rel_type: RelType | str,
    source: Entity,
    target: Entity,
    doc: Document,
    phrase: str,
    confidence: float = 0.9,
    **extra,
) -> Relationship:
    rel_type = RelType(rel_type)
    return Relationship(
        id=stable_id(rel_type, source.id, target.id, extra.get("date"), extra.get("properties", {}).get("kind")),
        type=rel_type,
        source_id=source.id,
        target_id=target.id,
        evidence=(evidence(doc, phrase, confidence),),
        **extra,
    )


def mention(doc: Document, text: str, target: Entity, occurrence: int = 0) -> Mention:
    start = -1
    for _ in range(occurrence + 1):
        start = doc.text.index(text, start + 1)
    return Mention(
        id=stable_id("mention", doc.id, start, text),
        document_id=doc.id,
        entity_type=target.type,
        text=text,
        normalized=target.label,
        start=start,
        end=start + len(text),
        sentence=text,
        method="test",
        confidence=0.95,
        extractor_version="test-1",
        entity_id=target.id,
    )


@dataclass
class StoryGraph:
    """An invented recruitment story: a recruiter, two victims, phones, a bus leg and a flight."""

    case: Case
    report: Document
    interview: Document
    other_case: Case
    other_report: Document
    people: dict[str, Entity] = field(default_factory=dict)
    things: dict[str, Entity] = field(default_factory=dict)
    relationships: dict[str, Relationship] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)

    def batch(self):
        from backend.domain.model import Batch

        return Batch(
            cases=(self.case, self.other_case),
            documents=(self.report, self.interview, self.other_report),
            entities=tuple(self.people.values()) + tuple(self.things.values()),
            mentions=tuple(self.mentions),
            relationships=tuple(self.relationships.values()),
        )


REPORT = (
    "El 12 de marzo de 2018 PÉREZ GÓMEZ JUAN CARLOS, alias 'El Paisa', captó a Luisa Fernanda Ríos "
    "en Pereira. Su celular es 312 456 7890. La víctima se comunicaba al 312 456 7890 desde el "
    "315 222 3344. Luisa Fernanda Ríos viajó en bus de Pereira a Bogotá con Ana María Torres. "
    "Ana María Torres abordó el vuelo AV 010 con destino a Madrid. "
    "María López de Ruiz pagó los tiquetes de Ana María Torres."
)
INTERVIEW = (
    "Entrevista. La señora Ana María Torres manifiesta que Juan Carlos Pérez le ofreció trabajo "
    "como mesera en Madrid y que la llamaba al 315 222 3344."
)
OTHER_REPORT = "Informe de otro caso: Carlos Restrepo usaba el 318 000 1111."


def story() -> StoryGraph:
    c1 = case("caso-1", "Caso Pereira")
    c2 = case("caso-2", "Caso Cali")
    report = document(REPORT, title="Informe policial 001", case_ids=("caso-1",))
    interview = document(INTERVIEW, title="Entrevista víctima", case_ids=("caso-1",), page_starts=(0, 11))
    other = document(OTHER_REPORT, title="Informe caso Cali", case_ids=("caso-2",))
    g = StoryGraph(case=c1, report=report, interview=interview, other_case=c2, other_report=other)
    P = EntityType.PERSON
    g.people = {
        "recruiter": entity(P, "Juan Carlos Pérez Gómez", aliases=("El Paisa",)),
        "luisa": entity(P, "Luisa Fernanda Ríos"),
        "ana": entity(P, "Ana María Torres"),
        "payer": entity(P, "María López de Ruiz"),
        "carlos": entity(P, "Carlos Restrepo"),
    }
    g.things = {
        "phone_recruiter": entity(EntityType.PHONE, "+573124567890", properties={"country": "CO"}),
        "phone_luisa": entity(EntityType.PHONE, "+573152223344", properties={"country": "CO"}),
        "phone_carlos": entity(EntityType.PHONE, "+573180001111", properties={"country": "CO"}),
        "leg": entity(EntityType.ROUTE_LEG, "Pereira → Bogotá (bus)", properties={"mode": "bus"}),
        "pereira": entity(EntityType.LOCATION, "Pereira"),
        "bogota": entity(EntityType.LOCATION, "Bogotá"),
        "flight": entity(EntityType.FLIGHT, "AV 010", properties={"carrier": "AV", "number": "010"}),
        "mad": entity(EntityType.AIRPORT, "MAD", properties={"iata": "MAD"}),
    }
    p, t = g.people, g.things
    R = RelType
    rels = [
        (
            "recruited",
            relationship(
                R.ASSOCIATED_WITH,
                p["recruiter"],
                p["luisa"],
                report,
                "PÉREZ GÓMEZ JUAN CARLOS, alias 'El Paisa', captó a Luisa Fernanda Ríos",
                confidence=0.8,
                date="2018-03-12",
                properties={"kind": "recruited"},
            ),
        ),
        ("recruiter_phone", relationship(R.USES_PHONE, p["recruiter"], t["phone_recruiter"], report, "Su celular es 312 456 7890")),
        ("luisa_phone", relationship(R.USES_PHONE, p["luisa"], t["phone_luisa"], report, "desde el 315 222 3344", confidence=0.7)),
        (
            "call",
            relationship(
                R.CALLED,
                t["phone_luisa"],
                t["phone_recruiter"],
                report,
                "se comunicaba al 312 456 7890 desde el 315 222 3344",
                date="2018-03-20T10:15:00",
                properties={"duration_seconds": 120},
            ),
        ),
        (
            "luisa_leg",
            relationship(
                R.TRAVELLED,
                p["luisa"],
                t["leg"],
                report,
                "Luisa Fernanda Ríos viajó en bus de Pereira a Bogotá",
                date="2018-04-02",
                properties={"mode": "bus"},
            ),
        ),
        ("ana_leg", relationship(R.TRAVELLED, p["ana"], t["leg"], report, "con Ana María Torres", date="2018-04-02")),
        ("leg_from", relationship(R.DEPARTS_FROM, t["leg"], t["pereira"], report, "de Pereira a Bogotá")),
        ("leg_to", relationship(R.ARRIVES_AT, t["leg"], t["bogota"], report, "de Pereira a Bogotá")),
        ("ana_flight", relationship(R.PASSENGER_ON, p["ana"], t["flight"], report, "abordó el vuelo AV 010", date="2018-04-05")),
        ("flight_to", relationship(R.ARRIVES_AT, t["flight"], t["mad"], report, "vuelo AV 010 con destino a Madrid")),
        (
            "paid",
            relationship(
                R.ASSOCIATED_WITH,
                p["payer"],
                p["ana"],
                report,
                "María López de Ruiz pagó los tiquetes",
                confidence=0.6,
                properties={"kind": "paid_for"},
            ),
        ),
        (
            "weak",
            relationship(
                R.ASSOCIATED_WITH,
                p["luisa"],
                p["ana"],
                report,
                "viajó en bus de Pereira a Bogotá con Ana María Torres",
                confidence=0.3,
                properties={"kind": "co_mentioned"},
            ),
        ),
        ("carlos_phone", relationship(R.USES_PHONE, p["carlos"], t["phone_carlos"], other, "Carlos Restrepo usaba el 318 000 1111")),
    ]
    g.relationships = dict(rels)
    # The interview is a second source for the recruitment and for Luisa's phone being called.
    recruited = g.relationships["recruited"]
    g.relationships["recruited"] = recruited.model_copy(
        update={"evidence": recruited.evidence + (evidence(interview, "Juan Carlos Pérez le ofreció trabajo", 0.85, page=2),)}
    )
    g.mentions = [
        mention(report, "PÉREZ GÓMEZ JUAN CARLOS", p["recruiter"]),
        mention(interview, "Juan Carlos Pérez", p["recruiter"]),
        mention(report, "Luisa Fernanda Ríos", p["luisa"]),
        mention(report, "Luisa Fernanda Ríos", p["luisa"], occurrence=1),
        mention(report, "Ana María Torres", p["ana"]),
        mention(report, "312 456 7890", t["phone_recruiter"]),
        mention(other, "Carlos Restrepo", p["carlos"]),
    ]
    return g


CROSS_CASE_REPORT = "Informe Cali 002: Carlos Restrepo llamó desde el 318 000 1111 al 312 456 7890, el celular del Paisa."


def cross_case_batch(g: StoryGraph):
    """The story's Cali case meets the Pereira one: a Cali report cites the recruiter's phone,
    adds Cali evidence (stronger, 0.95) to "the recruiter uses that phone", and records a call
    from Carlos's phone to it. Write it after the story."""
    from backend.domain.model import Batch

    cali = document(CROSS_CASE_REPORT, title="Informe Cali 002", case_ids=("caso-2",))
    p, t = g.people, g.things
    uses = g.relationships["recruiter_phone"]
    uses = uses.model_copy(update={"evidence": (evidence(cali, "312 456 7890, el celular del Paisa", 0.95),)})
    call = relationship(
        RelType.CALLED,
        t["phone_carlos"],
        t["phone_recruiter"],
        cali,
        "llamó desde el 318 000 1111 al 312 456 7890",
        date="2019-01-05T09:00:00",
    )
    return Batch(
        documents=(cali,),
        relationships=(uses, call),
        mentions=(mention(cali, "Carlos Restrepo", p["carlos"]), mention(cali, "312 456 7890", t["phone_recruiter"])),
    )


def ingest_sample_case(store) -> None:
    """The bundled sample case, ingested as one case and resolved."""
    from entity_resolution.graph import resolve_persons
    from ingest.job import ingest_paths
    from ingest.sample_case_builder import CASE_NAME, FOLDER

    summary = ingest_paths([FOLDER], store, CASE_NAME)
    assert not summary.failed, summary.failed
    resolve_persons(store)


def ids_of(items) -> set[str]:
    """The ids of records (entities, edges, hits), to compare as a set."""
    return {i.id for i in items}


SIGN_IN_PASSWORD = "correcto-caballo-bateria"


def two_case_database(path):
    """A SQLite store at `path` holding the story and its Cali case (cross_case_batch)."""
    from backend.store.sqlite import SqliteStore

    g = story()
    with SqliteStore(path) as store:
        store.write(g.batch())
        store.write(cross_case_batch(g))
    return g


def signed_in_app(database, tmp_path, users: dict[str, tuple[str, tuple[str, ...]]], settings: dict | None = None, **parts):
    """The application over `database` with these users ({name: (role, cases)}, password
    SIGN_IN_PASSWORD); `settings` override the test settings; `parts` are create_app's others
    (runs, charts, originals)."""
    from backend.domain.settings import Settings
    from backend.store.accounts import Accounts
    from backend.store.sqlite import SqliteStore
    from backend.web.app import create_app

    accounts = Accounts(tmp_path / "accounts.sqlite3")
    for name, (role, cases) in users.items():
        accounts.add_user(name, role, SIGN_IN_PASSWORD, cases=list(cases))
    chosen = Settings(_env_file=None, env="development", data_dir=tmp_path, pseudonym_key="k" * 40, audit_key="a" * 40, **(settings or {}))
    return create_app(lambda: SqliteStore(database), settings=chosen, accounts=accounts, **parts)


def generated_corpus(folder: Path, count: int, seed: int) -> Path:
    """A folder of `count` generated case documents, without the generator's gold file (it is
    not a case document, and ingest would read it)."""
    from ingest.generator import generate_documents, write_corpus

    write_corpus(folder, generate_documents(count, seed=seed))
    (folder / "gold.json").unlink()
    return folder
