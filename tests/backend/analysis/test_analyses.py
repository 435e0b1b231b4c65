"""The analyses answer what a detective would check on the sample case, the same on both stores;
the edge cases (time windows, burners, bad input) on small factory graphs."""

from __future__ import annotations

import pytest

from backend.analysis.borders import cross_border
from backend.analysis.calls import burner_candidates, common_contacts, top_contacts
from backend.analysis.centrality import centrality, person_network
from backend.analysis.graph import case_graph
from backend.analysis.timeline import timeline
from backend.analysis.travel import co_travel
from backend.domain.errors import InvalidRecordError, NotFoundError
from backend.domain.model import Batch, EntityType, RelType
from ingest import sample_case_builder as story
from ingest.records import case_id_for
from tests import factories as f

CASE = case_id_for(story.CASE_NAME)


def _person(graph, full_name: str) -> str:
    [found] = [i for i, e in graph.entities.items() if e.type is EntityType.PERSON and e.label == full_name]
    return found


def _label_pairs(items) -> set[frozenset[str]]:
    return {frozenset(i.labels) for i in items}


@pytest.fixture(scope="module")
def graph(sample_case):
    return case_graph(sample_case, CASE)


def test_the_recruiter_the_story_is_about_is_the_top_broker(graph):
    result = centrality(graph, network="persons", types={"Person"})
    top = result.rows[0]
    assert top.label == story.PAISA, [(r.label, r.betweenness) for r in result.rows[:3]]
    assert top.betweenness > result.rows[1].betweenness > 0
    # Both recruiters lead; the persons network ties them through calls between their phones.
    assert {r.label for r in result.rows[:2]} == {story.PAISA, story.MADRINA}
    assert result.communities >= 2 and result.network == "persons"
    network = person_network(graph)
    paisa, madrina = _person(graph, story.PAISA), _person(graph, story.MADRINA)
    assert "calls" in network[paisa][madrina]["ties"]


def test_communities_are_numbered_by_size_and_the_same_on_every_run(graph):
    first = centrality(graph, network="all", top=None)
    again = centrality(graph, network="all", top=None)
    assert [(r.id, r.community) for r in first.rows] == [(r.id, r.community) for r in again.rows]
    sizes = {}
    for row in first.rows:
        sizes[row.community] = sizes.get(row.community, 0) + 1
    assert sizes[1] == max(sizes.values())
    by_label = {r.label: r.community for r in first.rows}
    # The Madrid flight and the women on its manifest end up together.
    assert by_label["AV10 12/03/2018"] == by_label[story.LEIDY]
    assert centrality(graph, network="all", method="label_propagation").community_method == "label_propagation"


def test_co_travel_finds_the_madrid_flight_and_the_pereira_bogota_bus_with_their_rows(sample_case, graph):
    found = co_travel(sample_case, graph)
    pair = frozenset({story.YULIANA, story.LEIDY})
    flight = [c for c in found if c.kind == "flight" and c.vehicle == "AV10 12/03/2018" and frozenset(c.labels) == pair]
    assert flight, _label_pairs(c for c in found if c.kind == "flight")
    rows = {ev.text for ev in flight[0].evidence if ev.row}
    assert any(row.startswith("RIOS CASTAÑO YULIANA ANDREA | AT482915 | AV010") for row in rows), rows
    assert any(row.startswith("MARIN OSPINA LEIDY JOHANA | AT517340 | AV010") for row in rows), rows
    assert all(ev.document_title for ev in flight[0].evidence)

    bus = [c for c in found if c.kind == "bus_departure" and frozenset(c.labels) == pair]
    assert [b.vehicle for b in bus] == ["Terminal de Transportes de Pereira · Expreso Bolivariano"]
    assert bus[0].when.startswith("2018-03-09")
    tickets = {ev.text for ev in bus[0].evidence if ev.row}
    assert any("YULIANA ANDREA RÍOS CASTAÑO" in t and "22:30" in t for t in tickets), tickets
    # The Cali departure of Karen and Daniela, and no Cali–Pereira mix-up.
    cali = [c for c in found if c.kind == "bus_departure" and frozenset(c.labels) == frozenset({story.KAREN, story.DANIELA})]
    assert cali and cali[0].vehicle.startswith("Terminal de Transportes de Cali")
    assert not any(c.kind == "bus_departure" and {story.YULIANA, story.KAREN} <= set(c.labels) for c in found)


def test_the_common_contact_of_the_two_recruiters_phones_is_the_driver(graph):
    result = common_contacts(graph, [f"phone:{story.PAISA_PHONE}", f"phone:{story.MADRINA_PHONE}"])
    assert [c.phone.label for c in result.contacts] == [story.CONDUCTOR_PHONE]
    contact = result.contacts[0]
    assert story.CONDUCTOR in contact.phone.users and contact.calls > 0
    # By person: El Paisa (all his phones) and La Madrina still share the driver's phone, and
    # El Paisa's second phone called hers directly.
    by_person = common_contacts(graph, [_person(graph, story.PAISA), _person(graph, story.MADRINA)])
    assert story.CONDUCTOR_PHONE in {c.phone.label for c in by_person.contacts}
    assert {tuple(sorted(d.phones)) for d in by_person.direct} >= {
        tuple(sorted((f"phone:{story.PAISA_PHONE_2}", f"phone:{story.MADRINA_PHONE}")))
    }


def test_top_contacts_count_calls_and_durations_from_the_cdr(graph):
    top = top_contacts(graph, f"phone:{story.MADRINA_PHONE}", limit=10)
    labels = [t.phone.label for t in top]
    assert set(labels) == {story.KAREN_PHONE, story.MEXICANO_PHONE, story.PAISA_PHONE_2, story.CONDUCTOR_PHONE}
    counts = [t.stats.calls for t in top]
    assert counts == sorted(counts, reverse=True) and sum(counts) > 0
    # Checked against the CDR file itself: every row between the two numbers, in either direction.
    import csv

    rows = list(csv.reader((story.FOLDER / "11_cdr_abonados_paisa.csv").read_text("utf-8").splitlines(), delimiter=";"))[1:]
    ends = {story.MADRINA_PHONE, story.CONDUCTOR_PHONE}
    expected = [r for r in rows if {n if n.startswith("+") else "+" + n for n in r[:2]} == ends]  # written without the +
    driver = next(t for t in top if t.phone.label == story.CONDUCTOR_PHONE)
    assert driver.stats.calls == len(expected)
    assert driver.stats.total_duration_s == sum(int(r[3]) for r in expected)


def test_the_cross_border_view_lists_the_spanish_and_mexican_numbers(graph):
    view = cross_border(graph, home_country="CO")
    phones = {i.label: i for i in view.items if i.kind == "foreign_phone"}
    assert {story.ESPAÑOLA_PHONE, story.MEXICANO_PHONE} <= set(phones)
    assert phones[story.ESPAÑOLA_PHONE].countries == ["ES"] and story.ESPAÑOLA in phones[story.ESPAÑOLA_PHONE].tied_persons
    assert phones[story.MEXICANO_PHONE].countries == ["MX"]
    assert {"ES", "MX", "VE"} <= set(view.countries)
    flights = {i.label for i in view.items if i.kind == "international_flight"}
    assert {"AV10 12/03/2018", "AV204 23/04/2018"} <= flights
    assert any(i.kind == "foreign_id" and i.countries == ["VE"] for i in view.items)  # Génesis's Venezuelan cédula
    spain = cross_border(graph, home_country="CO", country="es")
    assert spain.items and all("ES" in i.countries for i in spain.items)
    assert story.MEXICANO_PHONE not in {i.label for i in spain.items}
    # Seen from Spain, the Spanish number is home and the Colombian ones are foreign.
    assert story.ESPAÑOLA_PHONE not in {i.label for i in cross_border(graph, home_country="ES").items}


def test_timeline_of_a_person_is_in_order_with_calls_and_journeys(sample_case, graph):
    events = timeline(sample_case, graph, _person(graph, story.PAISA)).events
    assert [e.at for e in events] == sorted(e.at for e in events)
    kinds = {e.kind for e in events}
    assert {"journey", "call"} <= kinds
    assert any(e.kind == "journey" and e.at.startswith("2018-03-12") for e in events)
    assert all(e.quote and e.document_title for e in events if e.relationship_id)
    whole = timeline(sample_case, graph).events
    assert len(whole) > len(events) and whole[0].at <= events[0].at
    with pytest.raises(NotFoundError):
        timeline(sample_case, graph, "person:nobody")


# ----------------------------------------------------------------------------- small graphs


def _bus_trip(store, departures: list[tuple[str, str, str]]):
    """Persons on the Pereira→Bogotá leg: (name, departure time, company) each from its own ticket row."""
    doc = f.document("\n".join(f"{name} | {when} | {company}" for name, when, company in departures), title="Tiquetes")
    terminal = f.entity(EntityType.BUS_TERMINAL, "Terminal de Transportes de Pereira", "terminal:pereira")
    leg = f.entity(EntityType.ROUTE_LEG, "Pereira → Bogotá (bus)", "leg:pb",
                   properties={"mode": "bus", "origin_city": "Pereira", "destination_city": "Bogotá"})  # fmt: skip
    entities, relationships = [terminal, leg], [f.relationship(RelType.DEPARTS_FROM, leg, terminal, doc, departures[0][0])]
    for name, when, company in departures:
        person = f.entity(EntityType.PERSON, name)
        entities.append(person)
        relationships.append(f.relationship(RelType.TRAVELLED, person, leg, doc, f"{name} | {when} | {company}", date=when,
                                            properties={"mode": "bus", "company": company}))  # fmt: skip
    store.write(Batch(cases=(f.case(),), documents=(doc,), entities=tuple(entities), relationships=tuple(relationships)))


def test_a_bus_departure_is_the_same_terminal_and_company_within_the_window(store):
    _bus_trip(store, [("Ana Uno", "2018-03-09T22:30:00", "Expreso Bolivariano"), ("Bea Dos", "2018-03-09T23:45:00", "Expreso Bolivariano"),
                      ("Cira Tres", "2018-03-09T22:30:00", "Flota Occidental")])  # fmt: skip
    graph = case_graph(store)
    narrow = co_travel(store, graph, hours=1, kinds={"bus_departure"})
    assert narrow == []  # 75 minutes apart; the other company is another bus
    wide = co_travel(store, graph, hours=2, kinds={"bus_departure"})
    assert _label_pairs(wide) == {frozenset({"Ana Uno", "Bea Dos"})}
    assert wide[0].gap_hours == 1.25 and {ev.text for ev in wide[0].evidence} == {
        "Ana Uno | 2018-03-09T22:30:00 | Expreso Bolivariano",
        "Bea Dos | 2018-03-09T23:45:00 | Expreso Bolivariano",
    }
    # The same route leg, whatever the company.
    route = co_travel(store, graph, hours=2, kinds={"route_leg"})
    assert _label_pairs(route) == {
        frozenset({"Ana Uno", "Bea Dos"}),
        frozenset({"Ana Uno", "Cira Tres"}),
        frozenset({"Bea Dos", "Cira Tres"}),
    }


def _calls(store, calls: list[tuple[str, str, str]]):
    lines = [f"{a};{b};{when};60" for a, b, when in calls]
    doc = f.document("\n".join(lines), title="CDR")
    phones = {n: f.entity(EntityType.PHONE, n, f"phone:{n}", properties={"country": "CO"}) for a, b, _ in calls for n in (a, b)}
    rels = [f.relationship(RelType.CALLED, phones[a], phones[b], doc, line, date=when, properties={"duration_s": 60})
            for (a, b, when), line in zip(calls, lines)]  # fmt: skip
    store.write(Batch(cases=(f.case(),), documents=(doc,), entities=tuple(phones.values()), relationships=tuple(rels)))


def test_a_phone_seen_only_in_a_short_window_is_a_possible_burner(store):
    steady = [("+573000000001", "+573000000002", f"2018-03-{day:02d}T10:00:00") for day in range(1, 29, 3)]
    burner = [("+573000000003", "+573000000001", "2018-03-10T09:00:00"), ("+573000000001", "+573000000003", "2018-03-11T20:00:00"),
              ("+573000000003", "+573000000002", "2018-03-11T21:00:00")]  # fmt: skip
    _calls(store, steady + burner + [("+573000000004", "+573000000002", "2018-03-15T08:00:00")])
    report = burner_candidates(case_graph(store), window_hours=48, min_calls=2)
    assert [c.phone.label for c in report.candidates] == ["+573000000003"]  # the one-call phone says too little
    assert report.candidates[0].calls == 3 and report.candidates[0].active_hours == 36.0 and report.candidates[0].contacts == 2
    assert report.records_from == "2018-03-01T10:00:00"
    # When the records themselves cover no more than the window, nothing stands out.
    assert burner_candidates(case_graph(store), window_hours=24 * 30).candidates == []


def test_call_analysis_takes_phones_or_persons_and_says_what_is_wrong(store):
    _calls(store, [("+573000000001", "+573000000002", "2018-03-01T10:00:00")])
    graph = case_graph(store)
    with pytest.raises(InvalidRecordError, match="at least two"):
        common_contacts(graph, ["phone:+573000000001"])
    with pytest.raises(NotFoundError):
        common_contacts(graph, ["phone:+573000000001", "phone:+579999999999"])


@pytest.mark.parametrize("sample", [None, 40])
def test_betweenness_a_few_sources_at_a_time_is_networkxs(monkeypatch, sample):
    """Worked out in chunks (so a request can stop between them), the figures are networkx's own,
    exact or from the same sample of sources."""
    import networkx as nx

    from backend.analysis import centrality as module

    graph = nx.relabel_nodes(nx.gnm_random_graph(300, 700, seed=3), lambda v: f"n{v}")
    graph.add_edges_from([("x1", "x2"), ("x2", "x3")])  # a second component
    if sample:
        monkeypatch.setattr(module, "EXACT_BETWEENNESS_MAX_NODES", 50)
        monkeypatch.setattr(module, "BETWEENNESS_SAMPLE", sample)
    from backend.graph.compiled import IndexedGraph

    mine, sampled = module.betweenness(IndexedGraph.of(graph))
    expected = nx.betweenness_centrality(graph, k=sample, normalized=True, seed=module.SEED)
    assert sampled == sample and mine.keys() == expected.keys()
    assert max(abs(mine[v] - expected[v]) for v in graph) < 1e-12


def test_the_analyses_stop_when_the_requests_allowance_runs_out(sample_case, graph):
    import time

    from backend.domain.deadline import allowance
    from backend.domain.errors import TooSlowError
    from backend.graph.traversal import paths

    one, other = _person(graph, story.PAISA), _person(graph, story.YULIANA)
    # A fresh graph each time: what a graph has worked out once is not worked out again.
    for work in (lambda: centrality(case_graph(sample_case, CASE), network="all"),
                 lambda: co_travel(sample_case, case_graph(sample_case, CASE), hours=720),
                 lambda: paths(sample_case, one, other, k=3)):  # fmt: skip
        with allowance(0.001):
            time.sleep(0.002)
            with pytest.raises(TooSlowError, match="longer than 0.001 s"):
                work()
        assert work() is not None  # outside an allowance nothing stops it


def test_a_graph_works_out_its_brokers_and_co_travel_once_for_every_request(sample_case, monkeypatch):
    from backend.analysis import centrality as module
    from backend.analysis import travel

    fresh = case_graph(sample_case, CASE)
    scored, paired = [], []
    real_betweenness, real_pairs = module.betweenness, travel._shared_journeys
    monkeypatch.setattr(module, "betweenness", lambda *a: scored.append(1) or real_betweenness(*a))
    monkeypatch.setattr(travel, "_shared_journeys", lambda *a: paired.append(1) or real_pairs(*a))
    first = centrality(fresh, network="persons", top=3)
    everyone = centrality(fresh, network="persons", top=None)
    persons = centrality(fresh, network="persons", types={"Person"}, top=None)
    assert len(scored) == 1 and first.rows == everyone.rows[:3] and persons.rows == [r for r in everyone.rows if r.type == "Person"]
    assert co_travel(sample_case, fresh) == co_travel(sample_case, fresh) and len(paired) == 2  # the persons network's kinds, then all
    centrality(fresh, network="persons", method="louvain")
    assert len(scored) == 2  # another method is another answer


def test_analysts_judgements_are_timeline_events_and_the_resolvers_rules_are_not(tmp_path):
    from backend.domain.model import Judgement
    from backend.store.sqlite import SqliteStore

    g = f.story()
    with SqliteStore(tmp_path / "g.sqlite3") as store:
        store.write(g.batch())
        luisa, recruiter = g.people["luisa"], g.people["recruiter"]
        store.add_judgement(Judgement.new(luisa.id, recruiter.id, "unsure", "rule:fs", "parecidos", score=0.6))
        store.add_judgement(Judgement.new(luisa.id, recruiter.id, "different", "user:ana", "otra cédula", case_id="caso-1"))
        graph = case_graph(store, "caso-1")
        judged = [e for e in timeline(store, graph).events if e.kind == "judgement"]
        assert [(e.decision, e.by, e.quote) for e in judged] == [("different", "ana", "otra cédula")]
        assert set(judged[0].entity_ids) == {luisa.id, recruiter.id}
        # An entity's timeline holds the judgements about it; an unrelated entity's does not.
        assert any(e.kind == "judgement" for e in timeline(store, graph, luisa.id).events)
        assert not any(e.kind == "judgement" for e in timeline(store, graph, g.things["phone_luisa"].id).events)


def test_a_case_graph_within_a_period_keeps_what_is_dated_in_it_or_undated(graph):
    dated = [e for e in graph.edges if e.date]
    first, last = min(e.date for e in dated)[:10], max(e.date for e in dated)[:10]
    middle = sorted(e.date for e in dated)[len(dated) // 2][:10]
    early = graph.within(first, middle)
    assert all(not e.date or first <= e.date[:10] <= middle for e in early.edges)
    assert len([e for e in early.edges if e.date]) < len(dated)
    assert len([e for e in early.edges if not e.date]) == len([e for e in graph.edges if not e.date])
    assert set(early.entities) == {end for e in early.edges for end in (e.source_id, e.target_id)}
    assert len(graph.within(first, last).edges) == len(graph.edges)
