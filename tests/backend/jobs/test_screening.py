"""Screening after a run: the graph is read for it only when the run brings a table."""

from __future__ import annotations

from backend.analysis.screening import KnownIndex
from backend.jobs.screening import known_before
from backend.store.screening import Screenings
from backend.store.sqlite import SqliteStore
from tests import factories as f


def test_what_the_cases_hold_is_read_only_for_a_run_that_brings_a_table(tmp_path):
    folder = tmp_path / "subida"
    folder.mkdir()
    (folder / "nota.txt").write_text("Nota de la terminal.", "utf-8")
    with SqliteStore(tmp_path / "g.sqlite3") as store:
        store.write(f.story().batch())
        screenings = Screenings(tmp_path / "workspace.sqlite3")
        assert known_before(store, screenings, [folder]) is None
        (folder / "listas").mkdir()
        (folder / "listas" / "VENTAS.CSV").write_text("Pasajero;Origen;Destino;Fecha salida\n", "utf-8")
        known = known_before(store, screenings, [folder])
    assert isinstance(known, KnownIndex) and "luisa fernanda rios" in " ".join(known.names)
