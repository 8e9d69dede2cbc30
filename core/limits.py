"""Limits on log-in and sign-up attempts, per account and per client address.

One limiter for every way in: the web log-in, the admin's and the API's token route count
log-ins through `login_attempt`; the web and API sign-ups through `sign_up_attempt_take`.

The counts live in Redis, so every process shares them, but not in the cache
(core/cache.py): the cache takes an unreachable Redis for an empty one, and a limit read from
it would let a password guesser through for as long as Redis is down. Here an unreachable
Redis moves the counting into this process's memory, with a warning in the log: each process
keeps enforcing the limits on its own (a guesser whose requests spread over N processes gets
at most N times the budget), and what it counted is forgotten once Redis answers again.
Refusing every log-in instead would turn a Redis outage into a site outage.

An attempt is counted before the password is checked, so that concurrent guesses cannot all
pass a check made before any of them failed; a right password then clears the account's
count and gives the address its attempt back.
"""

import hashlib
import logging
import math
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache

import redis
from django.conf import settings
from rest_framework.throttling import BaseThrottle

from core.cache import (
    DOWN_SECONDS,
    LOG_EVERY_SECONDS,
    SOCKET_OPTIONS,
    UNREACHABLE,
    install_identity,
)
from core.exceptions import ApplicationError

logger = logging.getLogger(__name__)

# Beyond this many keys in memory (Redis down), expired ones are dropped.
LOCAL_KEYS_PRUNED_ABOVE = 10_000


class TooManyAttempts(ApplicationError):
    def __init__(self, what: str, *, retry_after: int):
        minutes = math.ceil(retry_after / 60)
        unit = "minute" if minutes == 1 else "minutes"
        super().__init__(
            f"Too many {what}: try again in {minutes} {unit}.", {"retry_after": retry_after}
        )
        self.retry_after = retry_after


def client_address(request) -> str:
    """Where a request comes from: REMOTE_ADDR, or behind NUM_PROXIES proxies the address
    the outermost one saw. This is DRF's reading of X-Forwarded-For (REST_FRAMEWORK's
    NUM_PROXIES), so its throttles and these limits always agree on who the client is."""
    return BaseThrottle().get_ident(request) or ""


@contextmanager
def login_attempt(*, username: str, address: str) -> Iterator[None]:
    """Around a password check: counts the attempt against the account and the address, or
    raises TooManyAttempts while either is locked out; if the block ends without an
    exception (the password was right), the attempt was no guess and is taken back."""
    lockout = settings.LOGIN_LOCKOUT_MINUTES * 60
    account, source = _key("login-account", username.lower()), _key("login-address", address)
    waits = (
        _take(account, most=settings.LOGIN_MAX_FAILURES, seconds=lockout),
        _take(source, most=settings.LOGIN_MAX_FAILURES_PER_ADDRESS, seconds=lockout),
    )
    if max(waits):
        raise TooManyAttempts("failed attempts", retry_after=max(waits))
    yield
    _counted(lambda counts: counts.forget(account))
    _counted(lambda counts: counts.give_back(source))


def sign_up_attempt_take(*, address: str) -> None:
    """Count a sign-up from `address`; TooManyAttempts once it has made too many."""
    wait = _take(
        _key("sign-up", address),
        most=settings.SIGN_UP_MAX_PER_ADDRESS,
        seconds=settings.SIGN_UP_WINDOW_MINUTES * 60,
    )
    if wait:
        raise TooManyAttempts("sign-ups from your address", retry_after=wait)


def _key(limit: str, value: str) -> str:
    # Hashed: a username can be any length and any text; the key stays short and plain.
    digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"movierec:limits:{install_identity()}:{limit}:{digest}"


def _take(key: str, *, most: int, seconds: int) -> int:
    """Count one attempt: 0 if it is within the limit, else the seconds to wait."""
    count, ttl = _counted(lambda counts: counts.hit(key, seconds=seconds, most=most))
    return max(ttl, 1) if count > most else 0


# Count one attempt. The window starts with the first; the last attempt allowed restarts
# it, so that what follows waits a whole window. A key somehow left without an expiry gets
# one. Answers the count and the seconds the window has left.
_HIT = """
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('TTL', KEYS[1])
if ttl < 0 or count == tonumber(ARGV[2]) then
    redis.call('EXPIRE', KEYS[1], ARGV[1])
    ttl = tonumber(ARGV[1])
end
return {count, ttl}
"""
# DECR of a missing key would make one at -1 that never expires.
_GIVE_BACK = """
if redis.call('EXISTS', KEYS[1]) == 1 then
    redis.call('DECR', KEYS[1])
end
"""


class RedisCounts:
    def __init__(self, url: str):
        self._client = redis.Redis.from_url(url, **SOCKET_OPTIONS)
        self._hit = self._client.register_script(_HIT)
        self._give_back = self._client.register_script(_GIVE_BACK)

    def hit(self, key: str, *, seconds: int, most: int) -> tuple[int, int]:
        count, ttl = self._hit(keys=[key], args=[seconds, most])
        return int(count), int(ttl)

    def give_back(self, key: str) -> None:
        self._give_back(keys=[key])

    def forget(self, key: str) -> None:
        self._client.delete(key)


class LocalCounts:
    """RedisCounts' behaviour in this process's memory, for while Redis is unreachable."""

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self._clock = clock
        self._lock = threading.Lock()
        self._counts: dict[str, tuple[int, float]] = {}  # key -> (count, expires at)

    def hit(self, key: str, *, seconds: int, most: int) -> tuple[int, int]:
        now = self._clock()
        with self._lock:
            if len(self._counts) > LOCAL_KEYS_PRUNED_ABOVE:
                self._counts = {k: v for k, v in self._counts.items() if v[1] > now}
            count, expires = self._counts.get(key, (0, now))
            if expires <= now:
                count, expires = 0, now + seconds
            count += 1
            if count == most:
                expires = now + seconds
            self._counts[key] = (count, expires)
        return count, math.ceil(expires - now)

    def give_back(self, key: str) -> None:
        with self._lock:
            count, expires = self._counts.get(key, (0, 0.0))
            if count and expires > self._clock():
                self._counts[key] = (count - 1, expires)

    def forget(self, key: str) -> None:
        with self._lock:
            self._counts.pop(key, None)


@lru_cache(maxsize=4)
def _redis_counts(url: str) -> RedisCounts:
    return RedisCounts(url)


class _Counter:
    """Redis while it answers, this process's memory while it does not (for DOWN_SECONDS
    after a failure, so a request pays for one failed connection, not one per count)."""

    def __init__(self, local: LocalCounts):
        self.local = local
        self._down_until = float("-inf")
        self._logged_at = float("-inf")

    def __call__(self, operation):
        now = time.monotonic()
        if now >= self._down_until:
            try:
                return operation(_redis_counts(settings.REDIS_URL))
            except UNREACHABLE as error:
                self._down_until = now + DOWN_SECONDS
                if now - self._logged_at >= LOG_EVERY_SECONDS:
                    self._logged_at = now
                    logger.warning(
                        "Redis unreachable for the log-in and sign-up limits (%s); counting "
                        "in this process until it answers",
                        error,
                    )
        return operation(self.local)


_counted = _Counter(LocalCounts())
