"""Build and start the local Neo4j launcher (neo4j-launcher/), for tests and for users without Docker.

The launcher is a small Java program over Neo4j's own artifacts from Maven Central
(Neo4j 5.26 Community, the version pinned in neo4j-launcher/pom.xml and docker-compose.yml).
It listens on 127.0.0.1 only and prints "BOLT_URI=..." once Bolt answers.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from backend.domain.errors import TelaranaError

LAUNCHER_DIR = Path(__file__).resolve().parents[2] / "neo4j-launcher"
MAIN_CLASS = "org.telarana.launcher.Main"
JAR_NAME = "telarana-neo4j-launcher-1.0.0.jar"


class LauncherError(TelaranaError):
    pass


def _newest_source_mtime(launcher_dir: Path) -> float:
    sources = [launcher_dir / "pom.xml", *(launcher_dir / "src").rglob("*.java")]
    return max(p.stat().st_mtime for p in sources)


def build(launcher_dir: Path = LAUNCHER_DIR, quiet: bool = True) -> Path:
    """Build the launcher with Maven unless an up-to-date build exists; return its target dir."""
    if not (launcher_dir / "pom.xml").is_file():
        raise LauncherError(f"no launcher sources at {launcher_dir}; the Neo4j launcher runs from a checkout of the repository")
    target = launcher_dir / "target"
    jar = target / JAR_NAME
    if jar.is_file() and (target / "lib").is_dir() and jar.stat().st_mtime >= _newest_source_mtime(launcher_dir):
        return target
    for tool in ("mvn", "java"):
        if shutil.which(tool) is None:
            raise LauncherError(f"'{tool}' is not installed; the Neo4j launcher needs Java 17 and Maven")
    command = ["mvn", "-B", "package", "-DskipTests"] + (["-q"] if quiet else [])
    result = subprocess.run(command, cwd=launcher_dir, capture_output=quiet, text=True)
    if result.returncode != 0:
        tail = (result.stdout or "")[-3000:] + (result.stderr or "")[-2000:]
        raise LauncherError(f"building the Neo4j launcher failed (mvn exit {result.returncode}):\n{tail}")
    return target


@dataclass
class RunningNeo4j:
    process: subprocess.Popen
    uri: str
    _stderr_tail: list[str] = field(default_factory=list)

    def stop(self, timeout: float = 60.0) -> None:
        """Closing the launcher's standard input asks it to shut Neo4j down cleanly."""
        if self.process.poll() is None:
            try:
                if self.process.stdin:
                    self.process.stdin.close()
            except OSError:
                pass
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.terminate()
                try:
                    self.process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()


def start(
    home: Path | None = None,
    port: int = 0,
    password: str | None = None,
    heap: str = "2g",
    pagecache: str = "512m",
    timeout: float = 300.0,
    launcher_dir: Path = LAUNCHER_DIR,
    echo_stderr: bool = False,
) -> RunningNeo4j:
    """Start Neo4j and return once Bolt answers. password=None starts it without authentication."""
    target = build(launcher_dir)
    classpath = os.pathsep.join([str(target / JAR_NAME), str(target / "lib" / "*")])
    command = ["java", f"-Xmx{heap}", "-XX:+UseG1GC", "-cp", classpath, MAIN_CLASS, "--port", str(port), "--pagecache", pagecache]
    if home is not None:
        Path(home).mkdir(parents=True, exist_ok=True)
        command += ["--home", str(home)]
    env = {k: v for k, v in os.environ.items() if k != "TELARANA_LAUNCHER_IGNORE_STDIN"}
    env.pop("TELARANA_NEO4J_PASSWORD", None)
    if password:
        env["TELARANA_NEO4J_PASSWORD"] = password
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    stderr_tail: list[str] = []

    def drain_stderr() -> None:
        assert process.stderr is not None  # Popen(stderr=PIPE)
        for line in process.stderr:
            stderr_tail.append(line)
            del stderr_tail[:-200]
            if echo_stderr:
                sys.stderr.write(line)

    threading.Thread(target=drain_stderr, daemon=True).start()

    found: list[str] = []

    def read_stdout() -> None:
        assert process.stdout is not None  # Popen(stdout=PIPE)
        for line in process.stdout:
            if line.startswith("BOLT_URI=") and not found:
                found.append(line.strip().split("=", 1)[1])

    threading.Thread(target=read_stdout, daemon=True).start()
    deadline = time.monotonic() + timeout
    while not found:
        if process.poll() is not None:
            raise LauncherError(
                f"Neo4j launcher exited with status {process.returncode} before Bolt answered:\n" + "".join(stderr_tail[-40:])
            )
        if time.monotonic() > deadline:
            process.kill()
            raise LauncherError(f"Neo4j did not answer within {timeout:g} s:\n" + "".join(stderr_tail[-40:]))
        time.sleep(0.1)
    return RunningNeo4j(process=process, uri=found[0], _stderr_tail=stderr_tail)


@contextmanager
def configured_or_started(password: str, **start_options) -> Iterator[tuple[str, str, str]]:
    """(uri, user, password) of the Neo4j named by TELARANA_NEO4J_URI (CI starts one), or of
    one started here for the duration of the block."""
    uri = os.environ.get("TELARANA_NEO4J_URI")
    if uri:
        yield uri, os.environ.get("TELARANA_NEO4J_USER", "neo4j"), os.environ.get("TELARANA_NEO4J_PASSWORD", "")
        return
    server = start(password=password, **start_options)
    try:
        yield server.uri, "neo4j", password
    finally:
        server.stop()
