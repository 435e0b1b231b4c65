"""Files from the browser: a client's name never leaves the upload's folder, a zip is unpacked
within the upload's limits, and a refused file leaves nothing behind."""

from __future__ import annotations

import pytest

from backend.domain.errors import UploadRefusedError
from ingest.uploads import place_file, safe_relative
from tests.ingest.hostile_corpus import _zip


def _incoming(tmp_path, data: bytes, name="incoming"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


class Budget:
    def __init__(self, files: int, size: int):
        self.files, self.size = files, size

    def __call__(self, size: int, files: int) -> bool:
        if self.files < files or size > self.size:
            return False
        self.files, self.size = self.files - files, self.size - size
        return True


@pytest.mark.parametrize(
    "name", ["../fuera.txt", "/etc/passwd", "C:\\Windows\\x.txt", "a/../../b.txt", "", "nombre\x00.txt", "a\u202e.txt"]
)
def test_a_name_that_could_leave_the_upload_is_refused(name):
    with pytest.raises(UploadRefusedError):
        safe_relative(name)


def test_a_folders_files_keep_their_folders_and_backslashes_become_folders():
    assert safe_relative("caso/entrevistas/acta 1.txt").as_posix() == "caso/entrevistas/acta 1.txt"
    assert safe_relative("caso\\cdr.csv").as_posix() == "caso/cdr.csv"


def test_a_file_is_moved_into_place_and_counted(tmp_path):
    folder, budget = tmp_path / "subida", Budget(5, 1000)
    folder.mkdir()
    incoming = _incoming(tmp_path, b"Informe de policia")
    (kept,) = place_file(folder, "caso/informe.txt", incoming, budget, max_file_bytes=100)
    assert kept.read_bytes() == b"Informe de policia" and kept == folder / "caso" / "informe.txt"
    assert not incoming.exists() and budget.files == 4
    with pytest.raises(UploadRefusedError, match="already"):
        place_file(folder, "caso/informe.txt", _incoming(tmp_path, b"otro"), budget, max_file_bytes=100)


def test_a_zip_of_a_folder_is_unpacked_into_a_folder_of_its_name(tmp_path):
    folder = tmp_path / "subida"
    folder.mkdir()
    data = _zip({"informes/uno.txt": b"uno", "informes/dos.txt": b"dos", "vacia/": b""})
    kept = place_file(folder, "caso.zip", _incoming(tmp_path, data), Budget(5, 1000), max_file_bytes=100)
    assert sorted(p.relative_to(folder).as_posix() for p in kept) == ["caso/informes/dos.txt", "caso/informes/uno.txt"]
    assert not (folder / "caso.zip").exists()


def test_a_zip_member_that_climbs_out_is_refused_and_nothing_of_the_zip_stays(tmp_path):
    folder = tmp_path / "subida"
    folder.mkdir()
    data = _zip({"bien.txt": b"bien", "../../fuera.txt": b"mal"})
    with pytest.raises(UploadRefusedError, match="outside"):
        place_file(folder, "caso.zip", _incoming(tmp_path, data), Budget(5, 1000), max_file_bytes=100)
    assert not (tmp_path / "fuera.txt").exists() and not list(folder.rglob("*.txt"))


def test_a_zip_bomb_is_refused_by_the_limits_before_it_is_written(tmp_path):
    folder = tmp_path / "subida"
    folder.mkdir()
    data = _zip({"bomba.txt": b"0" * 5_000_000})
    assert len(data) < 10_000
    with pytest.raises(UploadRefusedError) as refused:
        place_file(folder, "caso.zip", _incoming(tmp_path, data), Budget(5, 1_000_000), max_file_bytes=10_000_000)
    assert refused.value.too_large and not list(folder.rglob("*.txt"))


def test_past_the_count_of_files_the_rest_is_refused(tmp_path):
    folder = tmp_path / "subida"
    folder.mkdir()
    budget = Budget(2, 1000)
    data = _zip({f"f{i}.txt": b"x" for i in range(3)})
    with pytest.raises(UploadRefusedError, match="limits") as refused:
        place_file(folder, "caso.zip", _incoming(tmp_path, data), budget, max_file_bytes=100)
    # What the refused zip had counted is given back.
    assert refused.value.too_large and (budget.files, budget.size) == (2, 1000)


def test_a_damaged_zip_is_refused_with_its_reason(tmp_path):
    folder = tmp_path / "subida"
    folder.mkdir()
    with pytest.raises(UploadRefusedError, match="not a readable zip"):
        place_file(folder, "caso.zip", _incoming(tmp_path, b"PK\x03\x04 roto"), Budget(5, 1000), max_file_bytes=100)


def test_a_file_larger_than_a_case_file_may_be_is_refused(tmp_path):
    folder = tmp_path / "subida"
    folder.mkdir()
    with pytest.raises(UploadRefusedError) as refused:
        place_file(folder, "grande.txt", _incoming(tmp_path, b"x" * 101), Budget(5, 1000), max_file_bytes=100)
    assert refused.value.too_large and not list(folder.iterdir())
