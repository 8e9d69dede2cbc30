"""Is each service movierec needs reachable? Used by `check_services` (and health checks)."""

import time
from collections.abc import Callable
from dataclasses import dataclass

import redis
from django.conf import settings
from django.db import connection
from pymilvus import MilvusClient

TIMEOUT_SECONDS = 3


@dataclass(frozen=True)
class ServiceStatus:
    name: str
    ok: bool
    latency_ms: float
    detail: str
    hint: str


def _postgres(timeout: float) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        return cursor.fetchone()[0].split(" on ")[0]


def _redis(timeout: float) -> str:
    client = redis.Redis.from_url(
        settings.REDIS_URL, socket_timeout=timeout, socket_connect_timeout=timeout
    )
    try:
        return f"Redis {client.info('server')['redis_version']}"
    finally:
        client.close()


def _milvus(timeout: float) -> str:
    client = MilvusClient(uri=settings.MILVUS_URI, timeout=timeout)
    try:
        # A timeout on the call too: without one pymilvus retries an unavailable server
        # for a long time (see recommender/vector_index/client.py).
        return f"Milvus, {len(client.list_collections(timeout=timeout))} collections"
    finally:
        client.close()


_CHECKS: dict[str, tuple[Callable[[float], str], str]] = {
    "postgresql": (
        _postgres,
        "start it: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
        " (then `make db`), or set DATABASE_URL",
    ),
    "redis": (
        _redis,
        "start it: redis-server --daemonize yes --bind 127.0.0.1 --port 6379, or set REDIS_URL",
    ),
    "milvus": (_milvus, "start the embedded server: `make milvus`, or set MILVUS_URI"),
}


def services_status(*, timeout: float = TIMEOUT_SECONDS) -> list[ServiceStatus]:
    """Each check gives up after about `timeout` seconds (PostgreSQL: its own
    connect timeout, which Django's connection settings own)."""
    return [_status(name, check, hint, timeout) for name, (check, hint) in _CHECKS.items()]


def _status(name: str, check: Callable[[float], str], hint: str, timeout: float) -> ServiceStatus:
    started = time.perf_counter()
    try:
        detail, ok = check(timeout), True
    except Exception as error:  # any failure means "not ready"; the text says which
        detail, ok = f"{type(error).__name__}: {error}".splitlines()[0][:200], False
    latency = (time.perf_counter() - started) * 1000
    return ServiceStatus(name, ok, round(latency, 1), detail, "" if ok else hint)
