"""Files arriving from the browser: where each is put, and how a zip of a folder is unpacked.

A name comes from the client, so it is never trusted as a path: it is cut into its parts, and a
part that could leave the upload's folder (an absolute path, a drive, "..", a control
character) refuses the file. A zip is unpacked member by member within the upload's limits
(its members count as files, their unpacked sizes as bytes), so a zip bomb is refused by the
limit before it is written, and nothing in it is written outside the folder.
"""

from __future__ import annotations

import shutil
import unicodedata
import zipfile
from pathlib import Path, PurePosixPath
from typing import Callable

from backend.domain.errors import UploadRefusedError

CHUNK = 1024 * 1024
# A DOCX, XLSX or ODT is a zip too: only an archive the analyst made of a folder is unpacked.
ARCHIVE_SUFFIXES = {".zip"}
# A member name longer than this is not a case file's name.
MAX_NAME_CHARS = 400

# receive(size, files) -> bool: count `files` files of `size` bytes against the upload's limits
# (negative: give back what a refused zip had counted).
Receive = Callable[[int, int], bool]


def safe_relative(name: str) -> PurePosixPath:
    """The client's name for a file as a path inside the upload's folder, or UploadRefusedError."""
    cleaned = name.replace("\\", "/").strip()
    if not cleaned or len(cleaned) > MAX_NAME_CHARS:
        raise UploadRefusedError(f"file name refused: {name[:80]!r} (empty or too long)")
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in cleaned):
        raise UploadRefusedError(f"file name refused: {name[:80]!r} (control characters)")
    parts = [p for p in cleaned.split("/") if p not in ("", ".")]
    if cleaned.startswith("/") or (parts and ":" in parts[0]) or ".." in parts or not parts:
        raise UploadRefusedError(f"file name refused: {name[:80]!r} (it points outside the upload)")
    return PurePosixPath(*parts)


def place_file(folder: Path, name: str, incoming: Path, receive: Receive, *, max_file_bytes: int) -> list[Path]:
    """Move one received file (written to `incoming`) under `folder` by its client name, or
    unpack it there if it is a zip, and return what was written. `receive(size)` counts each
    file against the upload's limits; past them, UploadRefusedError and nothing of this file is
    kept. `incoming` is gone afterwards either way."""
    try:
        relative = safe_relative(name)
        if relative.suffix.lower() in ARCHIVE_SUFFIXES:  # its members are what count against the limits
            return _unpack(incoming, relative.name, folder / relative.with_suffix(""), receive, max_file_bytes)
        size = incoming.stat().st_size
        if size > max_file_bytes:
            raise UploadRefusedError(f"{relative}: {size:,} bytes, more than the {max_file_bytes:,} a case file may have", too_large=True)
        target = folder / relative
        if target.exists():
            raise UploadRefusedError(f"{relative}: a file of that name is already in this upload")
        if not receive(size, 1):
            raise UploadRefusedError(f"{relative}: past this upload's limits on files or megabytes", too_large=True)
        target.parent.mkdir(parents=True, exist_ok=True)
        incoming.replace(target)
        return [target]
    finally:
        incoming.unlink(missing_ok=True)


def _unpack(archive_path: Path, archive_name: str, into: Path, receive: Receive, max_file_bytes: int) -> list[Path]:
    written: list[Path] = []
    counted = 0

    def undo() -> None:
        for path in written:
            path.unlink(missing_ok=True)
        if counted:
            receive(-counted, -len(written))

    try:
        with zipfile.ZipFile(archive_path) as archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
            for member in members:
                relative = safe_relative(member.filename)
                if member.file_size > max_file_bytes:
                    raise UploadRefusedError(f"{relative}: unpacks to {member.file_size:,} bytes, more than a case file may have",
                                             too_large=True)  # fmt: skip
                if not receive(member.file_size, 1):
                    raise UploadRefusedError(f"{archive_name}: its members go past this upload's limits on files or megabytes",
                                             too_large=True)  # fmt: skip
                target = into / relative
                if target.exists():
                    raise UploadRefusedError(f"{relative}: a file of that name is already in this upload")
                target.parent.mkdir(parents=True, exist_ok=True)
                # The reader stops at the member's declared size and checks its CRC: a member
                # cannot unpack to more than it declared.
                written.append(target)
                counted += member.file_size
                with archive.open(member) as source, target.open("xb") as out:
                    shutil.copyfileobj(source, out, CHUNK)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError, RuntimeError) as exc:
        undo()
        raise UploadRefusedError(f"{archive_name}: not a readable zip ({exc})") from None
    except UploadRefusedError:
        undo()
        raise
    return written
