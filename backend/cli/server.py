"""Commands that run things: serve the web view, the demo, a local Neo4j, reset the store."""

from __future__ import annotations

import signal
import socket
from pathlib import Path

import click

from backend.cli.common import _echo_resolution, _open, _print_counts, _print_paths, _settings, console, main
from backend.cli.documents import _run_job, _screen, _screening_snapshot
from backend.domain.settings import Settings
from backend.domain.vocabulary import EntityType
from backend.graph import traversal
from backend.graph.canonical import Clusters
from backend.store import GraphStore, open_store


@main.command()
@click.option("--yes", is_flag=True, help="Do not ask.")
def reset(yes: bool) -> None:
    """Delete everything in the configured store (the schema stays)."""
    if not yes:
        click.confirm("Delete every document, mention, entity and relationship?", abort=True)
    with _open() as store:
        store.clear()
    console.print("store emptied")


@main.command()
@click.option("--host", default=None, help="Default: TELARANA_HOST.")
@click.option("--port", default=None, type=int, help="Default: TELARANA_PORT.")
def serve(host: str | None, port: int | None) -> None:
    """Serve the web view and the API (API docs at /docs)."""
    _serve(_settings(), host, port)


def _serve(settings: Settings, host: str | None, port: int | None, workers: int | None = None) -> None:
    import uvicorn

    host = host or settings.host
    port = port or settings.port
    workers = workers or settings.web_workers
    # Several processes: each listens on a socket of its own (ListenerPerProcess); bound before
    # saying so, so that a port in use is refused first.
    listener = ListenerPerProcess.bound(host, port) if workers > 1 and hasattr(socket, "SO_REUSEPORT") else None
    console.print(
        f"serving on http://{host}:{port}  (web view; API docs at /docs; {workers} worker process{'es' if workers > 1 else ''}; Ctrl-C stops)"
    )
    # Each worker process builds its app from the same TELARANA_* settings (backend.web.app:app_from_settings).
    options = dict(factory=True, host=host, port=port, workers=workers, log_level="warning", **proxy_options(settings))
    if listener is None:
        uvicorn.run("backend.web.app:app_from_settings", **options)
        return
    from uvicorn.supervisors import Multiprocess

    try:
        Multiprocess(uvicorn.Config("backend.web.app:app_from_settings", **options), sockets=[listener]).run()
    except KeyboardInterrupt:
        pass  # as uvicorn.run: Ctrl-C stops the processes, not with a traceback


class ListenerPerProcess(socket.socket):
    """The address the server listens on, for several worker processes: the copy each process
    receives is a socket of its own bound to the same address (SO_REUSEPORT), and the kernel
    spreads new connections over them evenly. With one listening socket shared, the process that
    woke first took a burst of connections (50 clients split 33/17, 31/19, 29/21 between two), and
    since a client keeps its connection, the fuller process's clients waited twice as long as the
    others' for as long as they stayed. This socket itself is bound, never listened on: it holds
    the address (and the port chosen, for port 0) for the processes."""

    @classmethod
    def bound(cls, host: str, port: int) -> ListenerPerProcess:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        # First without SO_REUSEPORT: a server already on this port refuses it, where a socket
        # that shares ports would quietly split the connections with that server.
        with socket.socket(family) as alone:
            alone.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                alone.bind((host, port))
            except OSError as exc:
                raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
            address = alone.getsockname()
        listener = cls(family, socket.SOCK_STREAM)
        _share_the_port(listener)
        listener.bind(address)
        return listener

    def __reduce_ex__(self, protocol):  # type: ignore[override]
        return _own_listener, (self.family, self.getsockname())


def _share_the_port(sock: socket.socket) -> None:
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)


def _own_listener(family: int, address: tuple) -> socket.socket:
    """A worker process's copy of `ListenerPerProcess`: its own socket, bound to the same address."""
    sock = socket.socket(family, socket.SOCK_STREAM)
    _share_the_port(sock)
    sock.bind(address)
    return sock


def proxy_options(settings: Settings) -> dict:
    """Whose X-Forwarded-For uvicorn believes: only the configured proxies' (uvicorn's own default
    believes 127.0.0.1, so a local caller could choose the address sign-in limits and the audit
    log see)."""
    trusted = [a.strip() for a in settings.trusted_proxies.split(",") if a.strip()]
    return {"proxy_headers": bool(trusted), "forwarded_allow_ips": ",".join(trusted) if trusted else ""}


@main.command()
@click.option("--serve/--no-serve", default=True, show_default=True, help="Serve the API afterwards.")
@click.option("--port", default=None, type=int, help="Default: TELARANA_PORT.")
def demo(serve: bool, port: int | None) -> None:
    """Ingest the bundled invented sample case 'Operación Telar', resolve its persons, show what it holds, then serve it.

    The case files (police reports, interviews, a CDR, flight manifests, a bus-ticket
    list, a PDF, a scan, a DOCX and an e-mail) are invented: no real victims or suspects.
    Running it again changes nothing. Persons are resolved across documents (judgements
    recorded, nothing merged destructively); then the web view and the API are served.
    """
    from ingest.sample_case_builder import CASE_NAME, FOLDER

    settings = _settings()
    with open_store(settings) as store:
        from ingest.job import ingest_paths

        screenings, known = _screening_snapshot(store, settings, [FOLDER])
        summary = _run_job(ingest_paths, [FOLDER], store, settings, True, case_name=CASE_NAME, workers=settings.ingest_workers,
                           scheduler=settings.ingest_scheduler)  # fmt: skip
        _screen(store, summary, screenings, known, None)
        _print_counts(store.counts())
        from entity_resolution.graph import resolve_persons

        _echo_resolution(resolve_persons(store))  # before the path below, which follows its judgements
        recruiter = _persons_named(store, "Jhon Fredy Cardona Restrepo")
        partner = _persons_named(store, "María Eugenia Salazar Ocampo")
        if recruiter and partner:
            click.echo(f"\nHow is {recruiter[0].label} (Pereira) tied to {partner[0].label} (Cali)? (persons as resolved)")
            _print_paths(traversal.paths(store, recruiter[0].id, partner[0].id, k=1, canon=Clusters(store)))
    if summary.failed:
        raise click.ClickException(f"{len(summary.failed)} sample file(s) failed (log: {summary.log_path})")
    if serve:
        _serve(settings, None, port)


def _persons_named(store: GraphStore, name: str) -> list:
    return [h for h in store.search(name, limit=50) if h.type == EntityType.PERSON and h.label == name]


@main.command("neo4j")
@click.option("--home", type=click.Path(file_okay=False, path_type=Path), help="Keep the data here (default: a temporary directory).")
@click.option("--port", default=7687, show_default=True, help="Bolt port on 127.0.0.1 (0 = any free port).")
@click.option("--uri-file", type=click.Path(dir_okay=False, path_type=Path), help="Also write the Bolt URI to this file.")
def neo4j_command(home: Path | None, port: int, uri_file: Path | None) -> None:
    """Run a local Neo4j 5.26 (no Docker needed) until Ctrl-C.

    Builds neo4j-launcher/ with Maven on first use (needs Java 17 and Maven). Uses
    TELARANA_NEO4J_PASSWORD as the password of user neo4j.
    """
    from backend.store import launcher as neo4j_launcher

    settings = _settings()
    console.print("starting Neo4j (the first run downloads Neo4j's artifacts from Maven Central)…")
    server = neo4j_launcher.start(home=home, port=port, password=settings.neo4j_password.get_secret_value())
    if uri_file:
        uri_file.write_text(server.uri + "\n")
    console.print(f"Neo4j is up: {server.uri}")
    console.print(f"use it with: TELARANA_STORE=neo4j TELARANA_NEO4J_URI={server.uri}")

    def interrupt(*_):
        # Only unwind here: stopping inside the handler would wait on the launcher process
        # while the interrupted wait below still holds its lock.
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)
    try:
        server.process.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    if server.process.returncode not in (0, None, -signal.SIGTERM, 130, 143):
        raise click.ClickException(f"Neo4j stopped with status {server.process.returncode}")
