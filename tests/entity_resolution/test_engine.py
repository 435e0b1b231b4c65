"""The resolver on small, readable cases, and its parts."""

from __future__ import annotations

import numpy as np

from entity_resolution.engine import LEVELS, candidate_pairs, cluster, make_record, resolve
from entity_resolution.metrics import score_clusters


def family():
    return [
        make_record("1", "PÉREZ GÓMEZ JUAN CARLOS", phones=["312 456 7890"], id_numbers=["1.088.234.567"]),
        make_record("2", "Juan Carlos Perez", phones=["3124567890"]),
        make_record("3", "Juancho Pérez Gómez", id_numbers=["1088234576"]),  # two digits transposed
        make_record("4", "María Pérez Gómez", phones=["312 456 7890"]),  # his sister, same home phone
        make_record("5", "Ana María Torres", dob="1999-02-03"),
        make_record("6", "ANA MARIA TORRES RUIZ", dob="03/02/1999"),
    ]


def test_variants_of_one_person_merge_and_a_sister_sharing_the_phone_does_not():
    records = family()
    result = resolve(records)
    assert result.clusters[0] == result.clusters[1] == result.clusters[2]
    assert result.clusters[3] != result.clusters[0]
    assert result.clusters[4] == result.clusters[5] != result.clusters[0]


def test_every_merge_can_be_explained_comparison_by_comparison():
    records = family()
    result = resolve(records)
    why = {row["comparison"]: row for row in result.explain(0, 2)}
    assert why["name"]["level"] == "a name dropped" and why["name"]["weight"] > 0  # "Juancho" is Juan; "Carlos" is missing
    assert why["id_number"]["level"] == "one edit" and why["id_number"]["weight"] > 0
    assert why["dob"] == {"comparison": "dob", "level": "no information", "weight": 0.0}
    sister = {row["comparison"]: row for row in result.explain(0, 3)}
    assert sister["name"]["level"] == "first given name differs" and sister["name"]["weight"] < 0
    assert sister["phone"]["level"] == "no information"  # a shared phone between different given names is a household


def test_a_different_judgement_keeps_records_apart_and_a_same_judgement_joins_them():
    records = family()
    apart = resolve(records, cannot_link=[(0, 1)])
    assert apart.clusters[0] != apart.clusters[1]
    assert apart.refused_by_cannot_link >= 1
    together = resolve(records, must_link=[(0, 3)])
    assert together.clusters[0] == together.clusters[3]


def test_cluster_never_joins_two_groups_a_cannot_link_separates():
    # 0-1 and 1-2 are strong, but 0 and 2 must stay apart: 2 stays out of 0's cluster.
    clusters, merged, refused = cluster(3, [(0, 1, 0.99), (1, 2, 0.98)], 0.95, [(0, 2)])
    assert clusters[0] == clusters[1] != clusters[2] and refused == 1


def test_blocking_joins_only_records_that_share_a_key():
    records = family() + [make_record("7", "Wilson Zapata Henao")]
    left, right = candidate_pairs(records)
    pairs = set(zip(left.tolist(), right.tolist()))
    assert (0, 1) in pairs and (0, 2) in pairs  # by surname + initial, and by ID digits
    assert not any(6 in pair for pair in pairs)
    assert all(a < b for a, b in pairs)


def test_name_levels_are_ordered_best_first():
    assert LEVELS["name"][0] == "exact" and LEVELS["name"][-1] == "different"


def test_cluster_scores():
    perfect = score_clusters([0, 0, 1], ["a", "a", "b"])
    assert perfect.pairwise_f1 == 1.0 and perfect.bcubed_f1 == 1.0
    lumped = score_clusters([0, 0, 0], ["a", "a", "b"])
    assert lumped.pairwise_precision == 1 / 3 and lumped.pairwise_recall == 1.0
    assert np.isclose(lumped.bcubed_precision, (2 / 3 + 2 / 3 + 1 / 3) / 3)


def test_a_large_input_trains_its_own_model():
    from benchmarks.er_data import generate_rows

    rows = generate_rows(3000, seed=4)
    records = [make_record(r.record_id, r.full_name, dob=r.dob, phones=[r.phone], id_numbers=[r.id_number]) for r in rows]
    result = resolve(records)
    assert result.model.iterations > 1 and 0.05 < result.model.prior < 0.6
    scores = score_clusters(result.clusters, [r.person_id for r in rows])
    assert scores.pairwise_precision > 0.9 and scores.pairwise_recall > 0.7  # far from merging everyone, or no one


def name_level(a: str, b: str) -> str:
    result = resolve([make_record("a", a), make_record("b", b)])
    rows = {row["comparison"]: row["level"] for row in result.explain(0, 1)}
    return rows.get("name", "not compared")


def test_names_compare_as_words_whichever_word_was_taken_for_the_surname():
    # "Yurany" is in no list of given names: read alone, "CARDENAS YURANY" cannot be split right.
    assert name_level("CARDENAS YURANY", "Yurany Cárdenas Londoño") in ("a name dropped", "same words, given names in another order")
    assert name_level("Pérez Gómez Juan", "Juan Gómez Pérez") == "exact"
    assert name_level("Yurany Cárdeans Londoño", "YURANY CARDENAS LONDONO") == "close"  # one transposition
    assert name_level("Ana Torres", "Ada Torres") == "first given name differs"  # short words must match exactly
    assert name_level("J. Pérez Gómez", "Juan Pérez Gómez") == "initial"
    assert name_level("Juan Pérez Gómez", "Juan Pérez Ruiz") == "different"


def test_a_typo_in_one_word_still_meets_in_a_block():
    left, right = candidate_pairs([make_record("a", "Yurany Cárdeans Londoño"), make_record("b", "CARDENAS YURANY")])
    assert list(zip(left.tolist(), right.tolist())) == [(0, 1)]


def test_two_people_with_different_birth_dates_are_not_chained_through_a_third_record():
    records = [
        make_record("a", "Luis Fernando Ríos Mesa", dob="1980-01-01"),
        make_record("b", "Luis Fernando Ríos Mesa"),  # could be either
        make_record("c", "Luis Fernando Ríos Mesa", dob="1995-07-20"),
    ]
    result = resolve(records)
    assert result.clusters[0] != result.clusters[2]
    assert result.refused_by_cannot_link >= 1


def test_a_shortened_name_joins_its_only_candidate_and_stays_in_review_when_there_are_two():
    only = [make_record("a", "Jorge Restrepo Ramírez", dob="1970-05-05", phones=["3001234567"]),
            make_record("b", "JORGE RESTREPO RAMIREZ", dob="05/05/1970"),
            make_record("c", "Jorge Restrepo")]  # fmt: skip
    joined = resolve(only)
    assert joined.clusters[2] == joined.clusters[0] and joined.sole_candidates
    assert not joined.review_pairs
    two = only + [make_record("d", "Jorge Restrepo Gómez", dob="1988-11-30")]
    ambiguous = resolve(two)
    assert ambiguous.clusters[2] not in (ambiguous.clusters[0], ambiguous.clusters[3])
    assert {frozenset((a, b)) for a, b, _ in ambiguous.review_pairs} >= {frozenset((0, 2)), frozenset((2, 3))} - {frozenset((1, 2))}
    assert not ambiguous.sole_candidates


def test_a_typo_or_reordering_in_a_birth_date_or_an_id_is_graded_evidence_not_a_veto():
    records = [
        make_record("a", "Luis Fernando Ríos Mesa", dob="1980-01-21", id_numbers=["1088234567"], phones=["3001112233"]),
        make_record(
            "b", "LUIS FERNANDO RIOS MESA", dob="1980-02-11", id_numbers=["1088234576"], phones=["300 111 2233"]
        ),  # transcribed with two digits swapped
        make_record("c", "Luis F. Ríos Mesa", dob="1980-10-21", id_numbers=["1088243567"], phones=["3001112233"]),
    ]
    result = resolve(records)
    assert result.clusters[0] == result.clusters[1] == result.clusters[2]
    levels = {e["comparison"]: e["level"] for e in result.explain(0, 1)}
    assert (levels["dob"], levels["id_number"]) == ("same digits reordered", "one edit")


def test_two_cedulas_that_clearly_differ_keep_their_holders_apart():
    records = [
        make_record("a", "Luis Fernando Ríos Mesa", id_numbers=["CC:1088234567"]),
        make_record("b", "Luis Fernando Ríos Mesa"),
        make_record("c", "Luis Fernando Ríos Mesa", id_numbers=["CC:9912345670"]),
    ]
    result = resolve(records)
    assert result.clusters[0] != result.clusters[2]


def test_a_space_typed_inside_a_name_is_a_typo():
    records = [make_record("a", "Joel Mcgilc Hrist", dob="1914-12-14"), make_record("b", "Joel Mcgilchrist", dob="1914-12-14")]
    result = resolve(records)
    assert result.clusters[0] == result.clusters[1]
    assert {e["comparison"]: e["level"] for e in result.explain(0, 1)}["name"] == "close"


def test_an_alias_with_a_shared_phone_in_one_case_is_the_person_and_an_alias_alone_goes_to_review():
    case = ["case:uno"]
    records = [
        make_record("a", "Rubén Darío Mora Leal", aliases=["El Zarco"], phones=["3105550101"], cases=case),
        make_record("b", "", aliases=["EL ZARCO"], phones=["310 555 0101"], cases=case),  # known only by the alias
        make_record("c", "", aliases=["el zarco"], cases=["case:dos"]),  # same alias, another case, nothing else
    ]
    result = resolve(records)
    assert result.clusters[0] == result.clusters[1]
    assert result.clusters[2] != result.clusters[0]
    assert {(a, b) for a, b, _ in result.review_pairs} >= {(0, 2)} or {(a, b) for a, b, _ in result.review_pairs} >= {(1, 2)}


def test_the_fragments_of_one_name_in_one_case_join_and_a_name_two_persons_could_bear_does_not():
    case = ["case:uno"]
    records = [
        make_record("full", "Erika Johana Valencia Ruiz", id_numbers=["CC:1088123456"], cases=case),
        make_record("short", "Erika Valencia", cases=case),
        make_record("given", "Erika Johana", cases=case),
        make_record("lone", "Erika", cases=case),
        make_record("jc", "Juan Carlos Ospina Mejía", cases=case),
        make_record("jd", "Juan David Ospina Mejía", cases=case),
        make_record("j", "Juan Ospina", cases=case),  # either of the two
    ]
    result = resolve(records)
    assert len({result.clusters[i] for i in range(4)}) == 1
    assert len({result.clusters[i] for i in (4, 5, 6)}) == 3
    # outside a case nothing says the fragments are of one person: they stay apart or in review
    alone = resolve(
        [make_record("full", "Erika Johana Valencia Ruiz"), make_record("short", "Erika Valencia"), make_record("x", "Erika Valencia Ríos")]
    )
    assert alone.clusters[1] != alone.clusters[0]


def test_a_shared_e_mail_is_a_shared_contact_and_an_e_mail_against_a_phone_says_nothing():
    records = [
        make_record("a", "Óscar Mejía Torres", phones=["3001234567"], emails=["ofertas.talentos@gmail.com"]),
        make_record("b", "Oscar Mejia Torres", emails=["OFERTAS.TALENTOS@gmail.com"]),
        make_record("c", "Oscar Mejia Torres", phones=["3007654321"]),
    ]
    result = resolve(records)
    levels = {e["comparison"]: e["level"] for e in result.explain(0, 1)}
    assert levels["phone"] == "shared"
    assert {e["comparison"]: e["level"] for e in result.explain(1, 2)}["phone"] == "no information"


def test_on_a_large_list_a_rare_name_shared_weighs_more_than_a_common_one():
    from entity_resolution.engine import MIN_RECORDS_FOR_FREQUENCIES

    common = [make_record(f"c{i}", "Juan Carlos Pérez Gómez", dob=f"19{50 + i % 40}-01-{1 + i % 28:02d}") for i in range(60)]
    rare = [make_record("r1", "Eulogio Tiberio Quijano Arce"), make_record("r2", "EULOGIO TIBERIO QUIJANO ARCE")]
    filler = [make_record(f"f{i}", f"Persona{i} Apellido{i} Otro{i}") for i in range(MIN_RECORDS_FOR_FREQUENCIES)]
    records = common + rare + filler
    result = resolve(records)
    rare_weight = {e["comparison"]: e["weight"] for e in result.explain(60, 61)}["name frequency"]
    common_weight = {e["comparison"]: e["weight"] for e in result.explain(0, 1)}.get("name frequency", 0.0)
    assert rare_weight > common_weight and rare_weight > 0
