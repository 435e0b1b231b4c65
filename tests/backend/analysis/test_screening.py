"""Screening indicators on rows written for the test: each indicator flags the pattern it is for
and stays silent on the innocent travel that looks like it."""

from __future__ import annotations

import pytest

from backend.analysis.screening import KnownIndex, known_index, parties, screen_rows, surnames, watch_alerts, watch_key
from backend.domain.model import Batch, EntityType, RelType
from backend.domain.screening import Indicator, TravelRow, WatchEntry, WatchKind
from backend.store.sqlite import SqliteStore
from tests import factories as f

DOC = "d" * 64
_rows = iter(range(2, 100_000))


def row(passenger: str, **fields) -> TravelRow:
    values = dict(document_id=DOC, row=next(_rows), passenger=passenger, departure="2026-11-30T06:30:00", origin="Pereira",
                  destination="Ipiales", service="Expreso Bolivariano")  # fmt: skip
    return TravelRow(**(values | fields))


def flagged(rows, known=None, history=None, indicator=None):
    found = screen_rows(rows, "caso-1", known or KnownIndex(), history)
    return [f for f in found if indicator is None or f.indicator is indicator]


def young(name: str, age: int = 19, **fields) -> TravelRow:
    return row(name, sex="F", age=age, **fields)


def test_one_buyer_paying_one_way_tickets_for_several_young_women_is_flagged_with_its_rows():
    paid = [young(n, a, buyer="HERNÁN DARÍO MEJÍA SOTO", buyer_phone="+573104445566", one_way=True)
            for n, a in (("LUISA FERNANDA ARIAS PÉREZ", 18), ("YURANI ESTELA CANO RÍOS", 21), ("MARÍA CAMILA SUÁREZ LOPERA", 17))]  # fmt: skip
    flags = flagged(paid + [row("JORGE ELIÉCER GÓMEZ", sex="M", age=40)], indicator=Indicator.BUYER_YOUNG_WOMEN)
    assert len(flags) == 1 and flags[0].rows == sorted(r.row for r in paid) and flags[0].score >= 0.85
    assert "3 tiquetes solo de ida de 3 mujeres de 17 a 21 años" in flags[0].reasons[0]


@pytest.mark.parametrize(
    "change",
    [
        {"buyer": "GLORIA ARIAS PÉREZ"},  # a mother buying for daughters who carry her surname
        {"one_way": False},  # return tickets: a trip, not a move
        {"sex": "M"},  # young men (a crew of workers)
        {"age": 45},  # not young
    ],
)
def test_what_looks_like_a_buyer_of_young_womens_tickets_but_is_not(change):
    names = ("LUISA FERNANDA ARIAS PÉREZ", "YURANI ARIAS PÉREZ", "MARÍA CAMILA ARIAS PÉREZ")
    rows = [young(n, buyer="HERNÁN DARÍO MEJÍA SOTO", one_way=True).model_copy(update=change) for n in names]
    assert flagged(rows, indicator=Indicator.BUYER_YOUNG_WOMEN) == []


def test_a_minor_with_adults_none_of_whom_is_a_relative_is_flagged_and_a_family_is_not():
    escort = row("WILSON ANDRÉS PATIÑO LEÓN", sex="M", age=38, booking="R-77", one_way=True)
    minor = young("KAREN DAYANA MOSQUERA", 15, booking="R-77", one_way=True, buyer="WILSON ANDRÉS PATIÑO LEÓN")
    flags = flagged([escort, minor], indicator=Indicator.MINOR_UNRELATED_ADULT)
    assert len(flags) == 1 and set(flags[0].rows) == {escort.row, minor.row} and flags[0].score == pytest.approx(0.9)
    # The child carries the mother's first surname as her second one.
    mother = row("LUZ MARINA GÓMEZ RUIZ", sex="F", age=41, booking="R-78")
    child = young("SARA PÉREZ GÓMEZ", 12, booking="R-78")
    assert flagged([mother, child], indicator=Indicator.MINOR_UNRELATED_ADULT) == []


def test_a_relative_by_record_is_a_relative_even_with_another_surname(tmp_path):
    aunt, niece = row("ROSA ELENA VARGAS", sex="F", age=50, booking="R-9"), young("DANIELA OSPINA", 16, booking="R-9")
    assert len(flagged([aunt, niece], indicator=Indicator.MINOR_UNRELATED_ADULT)) == 1
    doc = f.document("La señora ROSA ELENA VARGAS es tía de DANIELA OSPINA.")
    rosa, daniela = f.entity(EntityType.PERSON, "Rosa Elena Vargas"), f.entity(EntityType.PERSON, "Daniela Ospina")
    family = f.relationship(RelType.ASSOCIATED_WITH, rosa, daniela, doc, "es tía de", properties={"kind": "family"})
    with SqliteStore(tmp_path / "g.sqlite3") as store:
        store.write(Batch(cases=(f.case(),), documents=(doc,), entities=(rosa, daniela), relationships=(family,),
                          mentions=(f.mention(doc, "ROSA ELENA VARGAS", rosa), f.mention(doc, "DANIELA OSPINA", daniela))))  # fmt: skip
        known = known_index(store)
    assert flagged([aunt, niece], known=known, indicator=Indicator.MINOR_UNRELATED_ADULT) == []


def test_the_same_escort_with_different_young_women_on_several_days_is_flagged_but_one_trip_is_not():
    def trip(day: str, women: tuple[str, ...], booking: str) -> list[TravelRow]:
        escort = row("FREDY ALONSO CARDONA", sex="M", age=35, id_number="71234567", booking=booking, departure=f"{day}T07:00:00")
        return [escort, *(young(w, booking=booking, departure=f"{day}T07:00:00") for w in women)]

    earlier = trip("2026-11-10", ("ANA LUCÍA TORO", "DIANA MARCELA RUIZ"), "A1") + trip("2026-11-20", ("PAOLA ANDREA SOTO",), "A2")
    today = trip("2026-11-30", ("LINA MARÍA CASTAÑO", "ERIKA JOHANA VELEZ"), "A3")
    flags = flagged(today, history=earlier, indicator=Indicator.REPEATED_ESCORT)
    assert len(flags) == 1 and flags[0].rows == sorted(r.row for r in today) and "3.ª vez" in flags[0].reasons[0]
    assert flagged(today, indicator=Indicator.REPEATED_ESCORT) == []  # one trip alone says nothing


def test_a_known_id_or_phone_is_flagged_and_a_homonym_with_another_id_is_not(tmp_path):
    doc = f.document("JHON FREDY CARDONA RESTREPO, C.C. 10.123.456, usa el 3124567890.")
    person, cc = f.entity(EntityType.PERSON, "Jhon Fredy Cardona Restrepo"), f.entity(EntityType.IDENTITY_DOCUMENT, "CC 10123456",
                                                                                      properties={"number": "10123456", "type": "CC"})  # fmt: skip
    holds = f.relationship(RelType.HOLDS_ID, person, cc, doc, "C.C. 10.123.456")
    with SqliteStore(tmp_path / "g.sqlite3") as store:
        store.write(Batch(cases=(f.case(),), documents=(doc,), entities=(person, cc), relationships=(holds,),
                          mentions=(f.mention(doc, "JHON FREDY CARDONA RESTREPO", person),)))  # fmt: skip
        known = known_index(store)
    same_id = row("J. F. CARDONA", id_number="10123456")
    homonym = row("JHON FREDY CARDONA RESTREPO", id_number="98765432")
    namesake_without_id = row("Jhon Fredy Cardona Restrepo")
    flags = {f.rows[0]: f for f in flagged([same_id, homonym, namesake_without_id], known=known, indicator=Indicator.KNOWN)}
    assert set(flags) == {same_id.row, namesake_without_id.row}
    assert flags[same_id.row].score == 0.95 and flags[same_id.row].entity_ids and flags[namesake_without_id.row].score == 0.6


def test_a_late_one_way_booking_to_a_border_city_by_a_young_woman_is_flagged_and_a_commuters_is_not():
    late = young("YESENIA LÓPEZ GARCÍA", 20, one_way=True, booked_at="2026-11-30T02:10:00")
    early = young("ANDREA MILENA ROJAS", 20, one_way=True, booked_at="2026-11-20T10:00:00")
    commuter = row("CARLOS ARTURO PINEDA", sex="M", age=44, one_way=True, booked_at="2026-11-30T05:00:00")
    inland = young("NATALIA GIRALDO", 20, one_way=True, booked_at="2026-11-30T02:10:00", destination="Manizales")
    flags = flagged([late, early, commuter, inland], indicator=Indicator.LATE_BOOKING)
    assert [f.rows for f in flags] == [[late.row]] and "ciudad de frontera" in flags[0].reasons[0]


def test_parties_join_rows_by_booking_buyer_or_phone_on_one_departure_only():
    a = row("A UNO", booking="X")
    b = row("B DOS", booking="X", buyer_phone="+573001112233")
    c = row("C TRES", buyer_phone="+573001112233")
    other_departure = row("D CUATRO", booking="X", departure="2026-12-01T06:30:00")
    assert [sorted(r.passenger for r in p) for p in parties([a, b, c, other_departure])] == [["A UNO", "B DOS", "C TRES"]]


def test_surnames_are_the_words_that_are_not_given_names():
    assert surnames("LUISA FERNANDA ARIAS PÉREZ") == {"arias", "perez"}
    assert surnames("ARIAS PÉREZ, LUISA FERNANDA") == {"arias", "perez"}


def test_a_watched_phone_in_a_newly_read_document_raises_an_alert(tmp_path):
    doc = f.document("El celular 3124567890 aparece en la nota de la terminal.")
    phone = f.entity(EntityType.PHONE, "+573124567890", properties={"e164": "+573124567890"})
    entry = WatchEntry(id="watch:1", case_id="caso-1", kind=WatchKind.PHONE, value="312 456 7890",
                       key=watch_key(WatchKind.PHONE, "312 456 7890"), by="user:ana", at="2026-11-30T00:00:00")  # fmt: skip
    with SqliteStore(tmp_path / "g.sqlite3") as store:
        store.write(Batch(cases=(f.case(),), documents=(doc,), entities=(phone,), mentions=(f.mention(doc, "3124567890", phone),)))
        alerts = watch_alerts(store, [entry], [doc])
        other_case = watch_alerts(store, [entry.model_copy(update={"case_id": "caso-2"})], [doc])
    assert [(a.entry_id, a.document_id, a.entity_label) for a in alerts] == [("watch:1", doc.id, "+573124567890")]
    assert other_case == []
