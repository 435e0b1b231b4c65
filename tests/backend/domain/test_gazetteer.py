from __future__ import annotations

from backend.domain.gazetteer import load_gazetteer


def test_terminal_aliases_and_misspellings_match_by_fuzzy_score():
    g = load_gazetteer()
    assert g.match_terminal("terminal del Salitre").terminal.id == "terminal:bogota-salitre"
    misspelt = g.match_terminal("Terminal de Transportes de Pereria")
    assert misspelt.terminal.id == "terminal:pereira" and misspelt.score < 100
    assert g.match_terminal("terminal de buses de Ibagué").terminal.id == "terminal:ibague"  # by its city
    assert g.match_terminal("terminal de carga del puerto") is None


def test_a_name_two_cities_share_is_settled_by_the_city_in_context():
    g = load_gazetteer()
    assert g.match_terminal("Terminal del Sur", context="llegaron a Bogotá por la Terminal del Sur").terminal.id == "terminal:bogota-sur"
    assert g.match_terminal("Terminal del Sur", context="salieron de la Terminal del Sur").terminal.id == "terminal:medellin-sur"


def test_airports_by_code_and_by_city():
    g = load_gazetteer()
    assert g.airport_by_code("bog").name.endswith("El Dorado")
    assert g.airport_for_city("Medellín").iata == "MDE"  # served from Rionegro
    assert g.airport_for_city("Ciudad de Mexico").iata == "MEX"
    assert g.city("bogota d.c.").name == "Bogotá"


def test_capitals_named_by_their_department():
    from backend.domain.gazetteer import load_gazetteer

    gazetteer = load_gazetteer()
    assert gazetteer.city("capital vallecaucana").name == "Cali"
    assert gazetteer.city("capital antioqueña").name == "Medellín"
