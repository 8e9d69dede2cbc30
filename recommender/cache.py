"""Redis keys for per-person recommendation state.

Every key carries the model version and the person's generation number. A rating bumps
the generation, a new active model changes the version: either way the old keys are simply
never read again (and expire), so invalidation cannot race with a refresh that is writing
an old list: that list lands under a key nobody asks for.
"""

from django.core.cache import cache

TTL_SECONDS = 24 * 3600


def generation_of(*, user_id: int) -> int:
    return cache.get(f"recs:gen:{user_id}", 0)


def generation_bump(*, user_id: int) -> int:
    key = f"recs:gen:{user_id}"
    cache.add(key, 0, timeout=None)
    return cache.incr(key)


def list_key(*, user_id: int, version_id: int, generation: int, genre: str | None) -> str:
    return f"recs:list:{version_id}:{user_id}:{generation}:{genre or '*'}"


def vector_key(*, user_id: int, version_id: int, generation: int) -> str:
    return f"recs:vec:{version_id}:{user_id}:{generation}"
