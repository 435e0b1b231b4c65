"""One settings object for the whole application, read from TELARANA_* environment variables.

Every field here is documented in README.md (a test checks it) and, where the team
server sets it, in docker-compose.yml.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from backend.domain.errors import ConfigurationError

DEVELOPMENT_NEO4J_PASSWORD = "telarana-dev-only"
DEVELOPMENT_PSEUDONYM_KEY = "telarana-dev-pseudonyms"
DEVELOPMENT_AUDIT_KEY = "telarana-dev-audit-chain"


def _default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "telarana"


# A Dask scheduler's address (tcp://HOST:PORT, or tls:// for an encrypted cluster).
SCHEDULER_ADDRESS = r"^(tcp|tls)://[^\s/]+:\d+$"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TELARANA_", extra="ignore", frozen=True)

    env: Literal["development", "production"] = Field(
        default="development",
        description="development allows built-in default secrets; production refuses to start with them.",
    )
    store: Literal["sqlite", "neo4j"] = Field(default="sqlite", description="Which graph store to use.")
    data_dir: Path = Field(default_factory=_default_data_dir, description="Where the embedded store and files live.")
    sqlite_path: Path | None = Field(default=None, description="SQLite database file; default DATA_DIR/telarana.sqlite3.")
    neo4j_uri: str = Field(default="bolt://127.0.0.1:7687", description="Bolt URI of the Neo4j server.")
    neo4j_user: str = Field(default="neo4j", description="Neo4j user name.")
    neo4j_password: SecretStr = Field(
        default=SecretStr(DEVELOPMENT_NEO4J_PASSWORD), description="Neo4j password; must be set outside development."
    )
    neo4j_database: str = Field(default="neo4j", description="Neo4j database name.")
    neo4j_connect_timeout: float = Field(default=10.0, gt=0, description="Seconds to wait for Neo4j at start.")
    max_file_bytes: int = Field(
        default=100 * 1024 * 1024, gt=0, description="Largest case file ingest reads (bytes); bigger files are refused."
    )
    upload_max_files: int = Field(
        default=2000, ge=1, description="Most files one upload from the browser may hold (a zip counts its members)."
    )
    upload_max_mb: float = Field(default=1024.0, gt=0, description="Most megabytes one upload from the browser may hold, unpacked.")
    ingest_workers: int = Field(
        default=1, ge=1, le=64,
        description="Ingest's processes: 1 reads in the job's own process; more start a local Dask cluster of that many workers.",
    )  # fmt: skip
    ingest_scheduler: str | None = Field(
        default=None, pattern=SCHEDULER_ADDRESS,
        description="A running Dask scheduler (tcp://HOST:PORT) whose workers read and analyse the files; overrides ingest_workers.",
    )  # fmt: skip
    host: str = Field(default="127.0.0.1", description="Address the web server listens on.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port the web server listens on.")
    web_workers: int = Field(
        default_factory=lambda: min(4, os.cpu_count() or 1), ge=1, le=64,
        description="Web server processes (default: one per core, at most 4). One Python process uses one core.",
    )  # fmt: skip
    user_concurrency: int = Field(
        default=8, ge=1, le=256, description="Requests one user may have running at once per server process; more wait."
    )
    process_concurrency: int = Field(
        default=2, ge=1, le=256,
        description="Requests one server process works on at once, all users together; the rest wait their turn "
                    "(one that has worked a second lets the next begin). Python runs one thread at a time.",
    )  # fmt: skip
    user_wait_seconds: float = Field(default=10.0, gt=0, description="How long a user's request waits for a free slot before 429.")
    request_seconds: float = Field(default=30.0, gt=0, description="A request running longer is answered 503 (its work is cut short).")
    cached_case_graphs: int = Field(
        default=4, ge=0, le=64,
        description="Resolved case graphs each server process keeps for the analyses (per data version; 0: none kept).",
    )  # fmt: skip
    max_response_mb: float = Field(default=100.0, gt=0, description="Larger answers are refused with 413: narrow the request.")
    trusted_proxies: str = Field(
        default="", description="Comma-separated addresses of reverse proxies whose X-Forwarded-For is believed (default: none)."
    )
    home_country: str = Field(default="CO", pattern=r"^[A-Za-z]{2}$", description="ISO country code the cross-border view treats as home.")
    pseudonym_key: SecretStr = Field(
        default=SecretStr(DEVELOPMENT_PSEUDONYM_KEY),
        description="Key for stable victim pseudonyms in reports; must be set outside development.",
    )

    audit_key: SecretStr = Field(
        default=SecretStr(DEVELOPMENT_AUDIT_KEY),
        description="Key of the audit log's chain (HMAC) and of its anchored head; must be set outside development.",
    )

    @model_validator(mode="after")
    def _no_default_secrets_outside_development(self) -> "Settings":
        if self.env != "development" and self.store == "neo4j" and self.neo4j_password.get_secret_value() == DEVELOPMENT_NEO4J_PASSWORD:
            raise ConfigurationError(
                "TELARANA_NEO4J_PASSWORD is the built-in development password; "
                "set a real one (TELARANA_ENV=production refuses default secrets)"
            )
        if self.env != "development" and self.pseudonym_key.get_secret_value() == DEVELOPMENT_PSEUDONYM_KEY:
            raise ConfigurationError(
                "TELARANA_PSEUDONYM_KEY is the built-in development key; set a secret one "
                "(anyone with the key can check a guessed name against a pseudonym)"
            )
        if self.env != "development" and self.audit_key.get_secret_value() == DEVELOPMENT_AUDIT_KEY:
            raise ConfigurationError(
                "TELARANA_AUDIT_KEY is the built-in development key; set a secret one "
                "(anyone with the key can rewrite the audit log and its anchor without it showing)"
            )
        return self

    @property
    def originals_dir(self) -> Path:
        """The original bytes of ingested documents, for download (see ingest/originals.py)."""
        return self.data_dir / "originals"

    @property
    def accounts_path(self) -> Path:
        """Users, sessions and the audit log (see backend/accounts.py), beside the data."""
        return self.data_dir / "accounts.sqlite3"

    @property
    def runs_path(self) -> Path:
        """What each ingest run read into which case (see backend/store/runs.py), beside the data."""
        return self.data_dir / "runs.sqlite3"

    @property
    def workspace_path(self) -> Path:
        """Analysts' saved charts (see backend/store/charts.py), beside the data."""
        return self.data_dir / "workspace.sqlite3"

    @property
    def profiles_dir(self) -> Path:
        """Import profiles saved from the spreadsheet wizard (one TOML file each), beside the data."""
        return self.data_dir / "profiles"

    @property
    def uploads_dir(self) -> Path:
        """Files uploaded from the browser, one folder per run, until their run has read them."""
        return self.data_dir / "uploads"

    @property
    def resolved_sqlite_path(self) -> Path:
        return self.sqlite_path or self.data_dir / "telarana.sqlite3"


def get_settings(**overrides) -> Settings:
    return Settings(**overrides)
