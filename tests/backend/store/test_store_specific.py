"""What only one of the stores can get wrong: opening, reaching, schema."""

from __future__ import annotations

import pytest

import cypher
from backend.domain.errors import StoreUnavailableError
from backend.store import launcher as neo4j_launcher
from backend.store.neo4j import Neo4jStore
from backend.store.sqlite import SqliteStore


def test_neo4j_unreachable_names_the_uri():
    with pytest.raises(StoreUnavailableError) as caught:
        Neo4jStore("bolt://127.0.0.1:9", "neo4j", "whatever", connect_timeout=1)
    assert "bolt://127.0.0.1:9" in str(caught.value)
    assert "no Neo4j answered" in str(caught.value)


def test_neo4j_bad_uri_is_a_clear_error():
    with pytest.raises(StoreUnavailableError, match="not a usable Neo4j URI"):
        Neo4jStore("http//nowhere", "neo4j", "x", connect_timeout=1)


@pytest.mark.neo4j
def test_neo4j_wrong_password_is_a_clear_error(neo4j_server):
    uri, user, password = neo4j_server
    if not password:
        pytest.fail("the test Neo4j must run with authentication")
    with pytest.raises(StoreUnavailableError, match="authentication failed"):
        Neo4jStore(uri, user, password + "-wrong", connect_timeout=5)


@pytest.mark.neo4j
def test_neo4j_schema_constraints_and_indexes_exist(neo4j_store_session):
    driver = neo4j_store_session._driver
    names = {r["name"] for r in driver.execute_query("SHOW CONSTRAINTS YIELD name").records}
    assert {"entity_id", "document_id", "mention_id", "case_id", "evidence_id", "called_id"} <= names
    indexes = {r["name"]: r["state"] for r in driver.execute_query("SHOW INDEXES YIELD name, state").records}
    assert indexes["entity_names"] == "ONLINE"
    assert indexes["document_text"] == "ONLINE"


def test_sqlite_path_that_cannot_be_a_database_is_a_clear_error(tmp_path):
    (tmp_path / "a-directory").mkdir()
    with pytest.raises(StoreUnavailableError) as caught:
        SqliteStore(tmp_path / "a-directory")
    assert "a-directory" in str(caught.value)


def test_sqlite_file_that_is_not_a_database_is_a_clear_error(tmp_path):
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"\x00\xff" * 4096)
    with pytest.raises(StoreUnavailableError):
        SqliteStore(garbage)


def test_every_cypher_file_is_used_and_every_used_name_exists():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    files = {p.stem for p in (root / "cypher").glob("*.cypher")}
    code = (root / "backend" / "store" / "neo4j.py").read_text(encoding="utf-8")
    called = set(re.findall(r'(?:load|_read|_run|statements)\("([a-z_]+)"', code))
    assert called - files == set(), "code names Cypher files that do not exist"
    named = set(re.findall(r'"([a-z_]+)"', code))
    assert files - named == set(), "Cypher files nothing runs"
    for name in files:
        assert cypher.load(name)
    with pytest.raises(KeyError):
        cypher.load("no_such_statement")


def test_launcher_without_sources_says_where_it_looked(tmp_path):
    with pytest.raises(neo4j_launcher.LauncherError, match="no launcher sources"):
        neo4j_launcher.build(tmp_path)
