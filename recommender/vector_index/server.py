"""Run a milvus-lite server as a child process, for tests, benchmarks and local dev.

milvus-lite holds an exclusive lock on its data dir, so web and worker processes must all
talk to one server process over gRPC instead of opening the data dir themselves.
"""

import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from recommender.vector_index.client import client_session
from recommender.vector_index.errors import VectorIndexUnavailable

STARTUP_TIMEOUT_S = 30.0
SHUTDOWN_TIMEOUT_S = 10.0
# `milvus-lite server` with SIGINT re-armed: a parent started in the background (CI,
# `cmd &`) ignores SIGINT and children inherit that, which would disable the server's
# graceful KeyboardInterrupt shutdown. (A preexec_fn would do the same, but forking a
# process that runs gRPC threads makes the child fail intermittently.)
_SERVER_MAIN = (
    "import signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
    "from milvus_lite.cmdline import main; sys.exit(main(sys.argv[1:]))"
)


@contextmanager
def milvus_lite_server(
    *, data_dir: str | Path, port: int | None = None, host: str = "127.0.0.1"
) -> Iterator[str]:
    """Start ``milvus-lite server`` on ``port`` (a free one if None) and yield its URI."""
    port = port or port_find_free(host=host)
    log_path = Path(data_dir).with_name(f"{Path(data_dir).name}.log")
    command = [sys.executable, "-c", _SERVER_MAIN, "server", "--data-dir", str(data_dir)]
    command += ["--host", host, "--port", str(port)]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    uri = f"http://{host}:{port}"
    try:
        _server_wait(process=process, uri=uri, log_path=log_path)
        yield uri
    finally:
        _server_stop(process=process)


def port_find_free(*, host: str = "127.0.0.1") -> int:
    # The OS picks an unused port; the tiny race until the server binds it is acceptable
    # for tests and dev, and a lost race surfaces as a startup error with the log tail.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def _server_wait(*, process: subprocess.Popen, uri: str, log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            _server_ping(uri=uri)
            return
        except VectorIndexUnavailable:
            time.sleep(0.1)
    _server_stop(process=process)
    tail = log_path.read_text(errors="replace")[-2000:]
    raise RuntimeError(f"milvus-lite server at {uri} did not start:\n{tail}")


def _server_ping(*, uri: str) -> None:
    # A real RPC, because connect() may hand back a channel cached by this process from an
    # earlier server on the same port without talking to the new one.
    with client_session(uri=uri, timeout=0.5) as client:
        client.get_server_version(timeout=0.5)


def _server_stop(*, process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    # SIGINT is the server's graceful path: it drains requests and closes the data dir,
    # so the next server on the same dir starts from a clean state.
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=SHUTDOWN_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
