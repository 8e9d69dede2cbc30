"""Django's Redis cache, made optional: with Redis down, pages and ratings carry on.

Nothing this project keeps in the cache is the only copy of anything: recommendation lists
and user vectors are recomputed from PostgreSQL and Milvus, throttle counters are a courtesy
(losing them lets a few requests through), sessions live in the database. So a cache that
cannot reach Redis answers as an empty cache would (a miss, a no-op write) and logs it,
instead of raising into every view that touches it, which would turn a Redis outage into a
site-wide 500.

Every key is scoped to the database it describes (`install_identity`): two installs that
share one Redis (a demo on ml-100k beside an ml-1m database), or a database recreated while
Redis kept its keys, would otherwise read each other's lists, with user and movie ids that
mean other people and movies.

Short socket timeouts keep a Redis that hangs (rather than refuses) from holding each
request for the OS default; after a failure the backend skips Redis for DOWN_SECONDS, so a
page that makes several cache calls pays for one failed connection, not several.
"""

import functools
import hashlib
import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.db import connection
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
SOCKET_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 1.0}
DOWN_SECONDS = 1.0
LOG_EVERY_SECONDS = 10.0


def _degrades(when_down):
    """Run the cache method; if Redis is unreachable (now, or failed within DOWN_SECONDS),
    return when_down(*args, **kwargs) instead."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            if time.monotonic() < self._down_until:
                return when_down(*args, **kwargs)
            try:
                return method(self, *args, **kwargs)
            except UNREACHABLE as error:
                self._mark_down(method.__name__, error)
                return when_down(*args, **kwargs)

        return wrapper

    return decorate


def _default(key, default=None, *args, **kwargs):
    return default


def _nothing(*args, **kwargs):
    return None


def _false(*args, **kwargs):
    return False


def _empty(*args, **kwargs):
    return {}


def _all_failed(data, *args, **kwargs):
    return list(data)


def _delta(key, delta=1, *args, **kwargs):
    # As if the counter had been absent and started at 0: callers use counters to make new
    # keys (recommender.cache), never to count something that must be exact.
    return delta


_identity: str | None = None


def install_identity() -> str:
    """A short fingerprint of this install's database: server, name and the database's oid,
    which a dropped and recreated database does not keep. Read once per process."""
    global _identity
    if _identity is None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT oid FROM pg_database WHERE datname = current_database()")
            (oid,) = cursor.fetchone()
        database = connection.settings_dict
        where = f"{database['HOST']}:{database['PORT']}/{database['NAME']}#{oid}"
        _identity = hashlib.sha256(where.encode()).hexdigest()[:12]
    return _identity


class _SharedClients(RedisCacheClient):
    """Django builds a new redis.Redis for every cache call, and building one fills its
    table of ~170 response callbacks: about 0.2 ms, several times per request. A client
    is thread-safe over its connection pool, so one per pool serves every call."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients.setdefault(id(pool), self._client(connection_pool=pool))
        return client


class DegradingRedisCache(RedisCache):
    def __init__(self, server, params):
        params = {**params, "OPTIONS": {**SOCKET_OPTIONS, **params.get("OPTIONS", {})}}
        super().__init__(server, params)
        self._class = _SharedClients
        self._down_until = 0.0
        self._logged_at = float("-inf")

    def _mark_down(self, operation: str, error: Exception) -> None:
        now = time.monotonic()
        self._down_until = now + DOWN_SECONDS
        if now - self._logged_at >= LOG_EVERY_SECONDS:
            self._logged_at = now
            logger.warning("Redis cache unreachable (%s: %s); serving without it", operation, error)

    def make_key(self, key, version=None):
        return super().make_key(f"{install_identity()}:{key}", version)

    get = _degrades(_default)(RedisCache.get)
    get_many = _degrades(_empty)(RedisCache.get_many)
    has_key = _degrades(_false)(RedisCache.has_key)
    add = _degrades(_false)(RedisCache.add)
    set = _degrades(_nothing)(RedisCache.set)
    set_many = _degrades(_all_failed)(RedisCache.set_many)
    touch = _degrades(_false)(RedisCache.touch)
    delete = _degrades(_false)(RedisCache.delete)
    delete_many = _degrades(_nothing)(RedisCache.delete_many)
    incr = _degrades(_delta)(RedisCache.incr)
    clear = _degrades(_false)(RedisCache.clear)
