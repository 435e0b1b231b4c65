"""A ticket list read as screening reads it: the fields the indicators need, from headers as
lists write them; other tables give no travel rows."""

from __future__ import annotations

from ingest.travel_rows import travel_rows

DOC = "e" * 64
TICKETS = (
    "LISTADO DE VENTAS — TERMINAL DE PEREIRA\n"
    "Nombre del pasajero;Cédula;Sexo;Fecha de nacimiento;Origen;Destino;Fecha salida;Hora salida;Comprador;Celular comprador;"
    "Fecha de compra;Tipo de tiquete;Empresa\n"
    "LUISA FERNANDA ARIAS;1.088.345.221;F;2007-12-01;Pereira;Ipiales;30/11/2026;06:30;HERNÁN MEJÍA;310 444 5566;"
    "2026-11-30 02:10;Solo ida;Expreso Bolivariano\n"
    "JORGE GÓMEZ;10.222.333;masculino;;Pereira;Cali;30/11/2026;7:15 a.m.;;;29/11/2026;Ida y regreso;Flota Occidental\n"
    ";;;;;;;;;;;;\n"
)


def test_a_ticket_list_gives_every_field_the_indicators_read():
    first, second = travel_rows(TICKETS.encode("utf-8"), "ventas.csv", DOC)
    assert (first.row, first.passenger, first.id_number, first.sex, first.age) == (3, "LUISA FERNANDA ARIAS", "1088345221", "F", 18)
    assert (first.departure, first.buyer, first.buyer_phone, first.booked_at, first.one_way) == (
        "2026-11-30T06:30:00",
        "HERNÁN MEJÍA",
        "+573104445566",
        "2026-11-30T02:10:00",
        True,
    )
    assert (second.sex, second.age, second.one_way, second.buyer, second.departure) == ("M", None, False, None, "2026-11-30T07:15:00")
    assert first.service == "Expreso Bolivariano"


def test_a_table_that_is_not_a_ticket_list_or_a_manifest_gives_no_rows():
    cdr = "Origen;Destino;Fecha;Hora;Duración\n3104445566;3001112233;2026-11-30;10:00;35\n"
    assert travel_rows(cdr.encode(), "cdr.csv", DOC) == []
    assert travel_rows(b"no es una tabla", "nota.csv", DOC) == []
