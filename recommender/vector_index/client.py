"""Milvus client factory with bounded timeouts and one "unavailable" exception.

pymilvus retries UNAVAILABLE errors up to 75 times with back-off unless every call gets a
``timeout``, and waits 10 s for a connection by default. Web requests must fail fast and
fall back, so every entry point here passes explicit timeouts and maps transport failures
to ``VectorIndexUnavailable``.
"""

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import grpc
from pymilvus import MilvusClient
from pymilvus.client.types import Status
from pymilvus.exceptions import MilvusException

from recommender.vector_index.errors import VectorIndexUnavailable

SEARCH_TIMEOUT_S = 1.5
PUBLISH_TIMEOUT_S = 120.0
# Waiting longer than this for a TCP/HTTP2 handshake never helps: the server is down.
CONNECT_TIMEOUT_S = 2.0

_UNREACHABLE_GRPC_CODES = (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED)

_clients: dict[tuple[str, float, int], MilvusClient] = {}
_clients_lock = threading.Lock()


def connect(*, uri: str, timeout: float) -> MilvusClient:
    """A client for ``uri`` whose connection attempts (first and after errors) last at most
    ``timeout`` seconds; cached per process, so calling it per request is cheap.

    Clients are "dedicated" and cached here rather than in pymilvus' shared registry:
    that registry is not keyed by process id, so a channel opened before a prefork
    (gunicorn --preload, Celery) would be reused by the children, which gRPC does not
    support; it also health-checks channels idle for 30 s with its own 5 s timeout.
    """
    key = (uri, timeout, os.getpid())
    with _clients_lock:
        if key not in _clients:
            try:
                _clients[key] = MilvusClient(uri=uri, timeout=timeout, dedicated=True)
            except (MilvusException, grpc.RpcError, grpc.FutureTimeoutError) as exc:
                raise VectorIndexUnavailable(f"Milvus at {uri} is unreachable: {exc}") from exc
        return _clients[key]


@contextmanager
def client_session(*, uri: str, timeout: float) -> Iterator[MilvusClient]:
    """Yield a connected client; transport failures inside the block become unavailable."""
    client = connect(uri=uri, timeout=min(timeout, CONNECT_TIMEOUT_S))
    try:
        yield client
    except (MilvusException, grpc.RpcError) as exc:
        if error_is_unreachable(error=exc):
            raise VectorIndexUnavailable(f"Milvus at {uri} did not answer: {exc}") from exc
        raise


def error_is_unreachable(*, error: Exception) -> bool:
    """Whether ``error`` means the server is down or too slow, as opposed to a bad request."""
    if isinstance(error, grpc.RpcError):
        return error.code() in _UNREACHABLE_GRPC_CODES
    if not isinstance(error, MilvusException):
        return False
    # The retry decorator re-raises transport errors as MilvusException carrying the gRPC
    # status code, and channel (re)connects fail with CONNECT_FAILED.
    return error.code in _UNREACHABLE_GRPC_CODES or error.code == Status.CONNECT_FAILED
