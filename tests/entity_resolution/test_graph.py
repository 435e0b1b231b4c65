"""Resolving the graph's persons on both stores: the resolver's decisions become judgements,
analysts' judgements stand, and running it again records nothing new."""

from __future__ import annotations

from backend.model import Judgement
from entity_resolution.graph import RULE, resolve_persons, same_as
from ingest.job import ingest_paths

DOCUMENTS = {
    "informe.txt": "El indiciado CARDONA RESTREPO JHON FREDY, alias El Paisa, usa el celular 314 782 3390.",
    "entrevista.txt": "La víctima dijo que Jhon Fredy Cardona Restrepo la llamaba desde el 314-7823390.",
    "nota.txt": "Jhon Fredy Cardona Restrepo y su hermana Luz Dary Cardona Restrepo viven en Pereira.",
}


def ingest(store, tmp_path):
    folder = tmp_path / "caso"
    folder.mkdir()
    for name, text in DOCUMENTS.items():
        (folder / name).write_text(text, "utf-8")
    ingest_paths([folder], store, "Caso")


def persons_named(store, name):
    return sorted(h.id for h in store.search(name, limit=50) if h.type == "Person" and h.label == name)


def test_the_same_person_in_three_documents_becomes_one_cluster(store, tmp_path):
    ingest(store, tmp_path)
    result = resolve_persons(store)
    paisa = persons_named(store, "Jhon Fredy Cardona Restrepo")
    assert len(paisa) == 3 and result.same >= 2
    assert same_as(store, paisa[0]) == paisa  # his sister, in one of the documents, is not in it
    [sister] = persons_named(store, "Luz Dary Cardona Restrepo")
    assert sister not in same_as(store, paisa[0])
    rule = [j for j in store.judgements() if j.by == RULE and j.decision == "same"]
    assert rule and all(j.score >= 0.95 and j.features.get("name") for j in rule)
    again = resolve_persons(store)
    assert (again.same, again.unsure) == (0, 0)


def test_an_analysts_different_stands_and_splits(store, tmp_path):
    ingest(store, tmp_path)
    resolve_persons(store)
    paisa = persons_named(store, "Jhon Fredy Cardona Restrepo")
    for other in paisa[1:]:
        store.add_judgement(Judgement.new(paisa[0], other, "different", "user:ana", reason="otra persona, otra cédula"))
    assert same_as(store, paisa[0]) == [paisa[0]]
    after = resolve_persons(store)
    assert after.kept_analyst_decisions == 2
    assert same_as(store, paisa[0]) == [paisa[0]]  # the rule never crosses an analyst's "different"
    assert same_as(store, paisa[1]) == paisa[1:]  # the other two are still one person


def test_paths_between_resolved_persons_start_at_any_of_their_entities(store, tmp_path):
    from entity_resolution.graph import resolved_paths

    ingest(store, tmp_path)
    paisa = persons_named(store, "Jhon Fredy Cardona Restrepo")
    [sister] = persons_named(store, "Luz Dary Cardona Restrepo")
    # The sister is named only beside his node from nota.txt; the other two nodes reach her
    # only once resolution says they are the same man.
    far = next(p for p in paisa if store.paths(p, sister).paths == [] or store.paths(p, sister).paths[0].length > 1)
    assert resolved_paths(store, far, sister).paths == [] or resolved_paths(store, far, sister).paths[0].length > 1
    resolve_persons(store)
    [path] = resolved_paths(store, far, sister).paths
    assert path.length == 1 and path.steps[0].relationships[0].properties["kind"] == "co_mentioned"
