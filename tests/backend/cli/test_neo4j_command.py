"""`telarana neo4j`, as users and CI run it: up, URI written, stopped cleanly by SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest


@pytest.mark.neo4j
@pytest.mark.slow
def test_neo4j_command_writes_the_uri_and_stops_on_sigterm(tmp_path):
    uri_file = tmp_path / "bolt-uri"
    env = {**os.environ, "TELARANA_NEO4J_PASSWORD": "command-test-password"}
    process = subprocess.Popen(
        [sys.executable, "-m", "backend.cli", "neo4j", "--port", "0", "--uri-file", str(uri_file)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        deadline = time.monotonic() + 300
        while not (uri_file.exists() and uri_file.read_text().strip()):
            assert process.poll() is None, process.stdout.read()
            assert time.monotonic() < deadline, "Neo4j did not start"
            time.sleep(0.5)
        assert uri_file.read_text().startswith("bolt://127.0.0.1:")
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
