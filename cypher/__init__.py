"""Every Cypher statement the Neo4j store runs, one named file each, loaded by name.

Statements are always run with parameters; nothing here is built from user data.
"""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def load(name: str) -> str:
    """The text of cypher/NAME.cypher."""
    path = resources.files(__name__).joinpath(f"{name}.cypher")
    if not path.is_file():
        raise KeyError(f"no Cypher statement named {name!r} (cypher/{name}.cypher)")
    return path.read_text(encoding="utf-8").strip()


def statements(name: str) -> list[str]:
    """A file of several statements separated by ';' (schema files), comments dropped."""
    lines = [line for line in load(name).splitlines() if not line.lstrip().startswith("//")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
