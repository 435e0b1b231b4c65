"""The address several web worker processes listen on (`ListenerPerProcess`)."""

from __future__ import annotations

import io
import socket
import time
from collections import Counter
from multiprocessing.reduction import ForkingPickler

import click
import pytest
from click.testing import CliRunner

from backend.cli import main
from backend.cli.server import ListenerPerProcess

pytestmark = pytest.mark.skipif(not hasattr(socket, "SO_REUSEPORT"), reason="SO_REUSEPORT is Linux's and the BSDs'")


def _copy_for_a_process(listener: socket.socket) -> socket.socket:
    """What a worker process receives: the socket pickled as multiprocessing's spawn does."""
    buffer = io.BytesIO()
    ForkingPickler(buffer).dump(listener)
    return ForkingPickler.loads(buffer.getvalue())


def test_each_process_listens_on_a_socket_of_its_own_and_the_kernel_spreads_connections_over_them():
    listener = ListenerPerProcess.bound("127.0.0.1", 0)
    copies = [_copy_for_a_process(listener) for _ in range(2)]
    try:
        assert len({c.fileno() for c in copies} | {listener.fileno()}) == 3
        assert {c.getsockname() for c in copies} == {listener.getsockname()}
        for copy in copies:
            copy.listen(128)
            copy.setblocking(False)
        clients = [socket.create_connection(listener.getsockname()) for _ in range(100)]
        accepted: Counter[int] = Counter()
        deadline = time.monotonic() + 10
        while sum(accepted.values()) < 100 and time.monotonic() < deadline:
            # Each copy takes all it can before the next asks, as a process woken first does: a
            # shared socket would give the first every connection.
            for n, copy in enumerate(copies):
                while True:
                    try:
                        copy.accept()[0].close()
                    except BlockingIOError:
                        break
                    accepted[n] += 1
            time.sleep(0.01)
        for client in clients:
            client.close()
        # One shared socket gave one process bursts of connections; here each new connection is
        # the kernel's draw between the two (a 1 in 10^6 chance of fewer than 25 of 100).
        assert sum(accepted.values()) == 100 and min(accepted[0], accepted[1]) >= 25, accepted
    finally:
        for s in (listener, *copies):
            s.close()


def test_a_port_another_server_listens_on_is_refused_not_shared():
    listener = ListenerPerProcess.bound("127.0.0.1", 0)
    copy = _copy_for_a_process(listener)
    copy.listen(8)
    try:
        with pytest.raises(click.ClickException, match="cannot listen on 127.0.0.1"):
            ListenerPerProcess.bound("127.0.0.1", listener.getsockname()[1])
    finally:
        copy.close()
        listener.close()


def test_serve_on_a_port_in_use_says_so_before_serving(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        env = {"TELARANA_WEB_WORKERS": "2", "TELARANA_DATA_DIR": str(tmp_path)}
        result = CliRunner().invoke(main, ["serve", "--port", str(port)], env=env)
    assert result.exit_code == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.output and "serving on" not in result.output
