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


def _postgres() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        return cursor.fetchone()[0].split(" on ")[0]


def _redis() -> str:
    client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=TIMEOUT_SECONDS)
    try:
        return f"Redis {client.info('server')['redis_version']}"
    finally:
        client.close()


def _milvus() -> str:
    client = MilvusClient(uri=settings.MILVUS_URI, timeout=TIMEOUT_SECONDS)
    try:
        return f"Milvus, {len(client.list_collections())} collections"
    finally:
        client.close()


_CHECKS: dict[str, tuple[Callable[[], str], str]] = {
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


def services_status() -> list[ServiceStatus]:
    return [_status(name, check, hint) for name, (check, hint) in _CHECKS.items()]


def _status(name: str, check: Callable[[], str], hint: str) -> ServiceStatus:
    started = time.perf_counter()
    try:
        detail, ok = check(), True
    except Exception as error:  # any failure means "not ready"; the text says which
        detail, ok = f"{type(error).__name__}: {error}".splitlines()[0][:200], False
    latency = (time.perf_counter() - started) * 1000
    return ServiceStatus(name, ok, round(latency, 1), detail, "" if ok else hint)
