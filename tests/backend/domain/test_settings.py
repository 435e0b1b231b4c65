from __future__ import annotations

import re
from pathlib import Path

import pytest

from backend.domain.errors import ConfigurationError
from backend.domain.settings import DEVELOPMENT_NEO4J_PASSWORD, Settings

ROOT = Path(__file__).resolve().parents[3]


def test_every_setting_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`(TELARANA_[A-Z0-9_]+)`", readme))
    fields = {f"TELARANA_{name.upper()}" for name in Settings.model_fields}
    assert fields - documented == set(), "settings missing from the README's configuration table"
    assert documented - fields == set(), "the README documents settings that do not exist"


def test_settings_read_telarana_environment_variables(monkeypatch, tmp_path):
    monkeypatch.setenv("TELARANA_STORE", "neo4j")
    monkeypatch.setenv("TELARANA_NEO4J_URI", "bolt://db.example:7687")
    monkeypatch.setenv("TELARANA_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("TELARANA_PORT", "9001")
    s = Settings()
    assert (s.store, s.neo4j_uri, s.port) == ("neo4j", "bolt://db.example:7687", 9001)
    assert s.resolved_sqlite_path == tmp_path / "telarana.sqlite3"


def test_defaults_are_safe(monkeypatch):
    for name in Settings.model_fields:
        monkeypatch.delenv(f"TELARANA_{name.upper()}", raising=False)
    s = Settings()
    assert s.store == "sqlite"
    assert s.host == "127.0.0.1"
    assert s.env == "development"


def test_production_refuses_the_default_neo4j_password(monkeypatch):
    monkeypatch.delenv("TELARANA_NEO4J_PASSWORD", raising=False)
    with pytest.raises(ConfigurationError, match="TELARANA_NEO4J_PASSWORD"):
        Settings(env="production", store="neo4j")
    ok = Settings(env="production", store="neo4j", neo4j_password="a-real-secret-1234", pseudonym_key="another-real-secret",
                  audit_key="a-third-real-secret")  # fmt: skip
    assert ok.neo4j_password.get_secret_value() == "a-real-secret-1234"
    assert DEVELOPMENT_NEO4J_PASSWORD not in repr(ok)


def test_production_refuses_the_default_pseudonym_key(monkeypatch):
    monkeypatch.delenv("TELARANA_PSEUDONYM_KEY", raising=False)
    with pytest.raises(ConfigurationError, match="TELARANA_PSEUDONYM_KEY"):
        Settings(env="production")
    assert Settings(env="production", pseudonym_key="k" * 24, audit_key="a" * 24).pseudonym_key.get_secret_value() == "k" * 24


def test_production_refuses_the_default_audit_key(monkeypatch):
    monkeypatch.delenv("TELARANA_AUDIT_KEY", raising=False)
    with pytest.raises(ConfigurationError, match="TELARANA_AUDIT_KEY"):
        Settings(env="production", pseudonym_key="k" * 24)
    assert Settings(env="production", pseudonym_key="k" * 24, audit_key="a" * 24).audit_key.get_secret_value() == "a" * 24


def test_bad_values_are_refused(monkeypatch):
    monkeypatch.setenv("TELARANA_STORE", "mongodb")
    with pytest.raises(ValueError, match="store"):
        Settings()
