from __future__ import annotations

from backend.domain.normalize import AIRLINES
from ingest.generator import EVALUATED_TYPES, generate_documents


def test_the_same_seed_gives_the_same_documents_and_gold():
    first, second = generate_documents(40, seed=5), generate_documents(40, seed=5)
    assert [(d.filename, d.data, d.gold_json()) for d in first] == [(d.filename, d.data, d.gold_json()) for d in second]
    assert [d.data for d in generate_documents(40, seed=6)] != [d.data for d in first]


def test_the_corpus_mixes_every_kind_and_its_gold_is_in_the_text():
    documents = generate_documents(40, seed=5)
    assert {d.kind for d in documents} == {"police_report", "interview", "liaison_note", "cdr", "flight_manifest", "bus_tickets"}
    for document in documents:
        gold = document.gold_json()
        assert set(gold) == set(EVALUATED_TYPES)
        if document.filename.endswith(".txt"):
            text = document.data.decode("utf-8")
            for flight in gold["Flight"]:
                carrier, number = flight[:2], flight[2:]
                assert carrier in text or any(name in text for name in AIRLINES[carrier]), (document.filename, flight)
                assert number.lstrip("0") in text
            assert all(name.split()[0].upper() in text.upper() for name in gold["Person"])
