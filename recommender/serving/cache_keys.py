"""Redis keys for per-person recommendation state.

Every key carries the model version (its id and creation time: ids restart when a database
is recreated) and the person's generation; the cache backend scopes them all to this
install's database (core.cache.install_identity). A rating bumps the
generation, a new active model changes the version: either way the old keys are simply
never read again (and expire), so invalidation cannot race with a refresh that is writing
an old list: that list lands under a key nobody asks for.

The generation is the Redis counter a rating bumps *and* the time of the person's last
rating change as PostgreSQL has it (Profile.ratings_changed_at). The counter alone is lost
when Redis is down as the rating commits (the cache degrades, core/cache.py): the
list cached before the rating would be served again once Redis is back. The timestamp is
written in the rating's own transaction, so a saved rating always moves the key. Hiding a
movie or changing the watchlist does the same with Profile.exclusions_changed_at: the list
leaves those movies out, so it must not be served from before the change; and so do the
onboarding picks with Profile.picks_changed_at, since they seed the person's vector.
"""

from datetime import datetime

from django.core.cache import cache

from catalog.models import Profile
from recommender.models import ModelVersion

TTL_SECONDS = 24 * 3600
# The shape of a cached list's entries; a new shape gets new keys, so a process never reads
# a list cached by an older release (2: each entry names what its reason rests on).
LIST_FORMAT = 2


def generation_of(*, user_id: int, profile: Profile | None = None) -> str:
    """The counter, the last rating change, and the demographics the user tower reads (a
    changed profile changes the person's vector, so it must change the keys too).
    `profile`, when the caller has it loaded, saves a query."""
    if profile is None:
        profile = Profile.objects.filter(user_id=user_id).first()
    rated = _stamp(profile.ratings_changed_at if profile else None)
    excluded = _stamp(profile.exclusions_changed_at if profile else None)
    picked = _stamp(profile.picks_changed_at if profile else None)
    who = f"{profile.gender or '-'}{profile.age}.{profile.occupation}" if profile else "none"
    return f"{cache.get(f'recs:gen:{user_id}', 0)}.{rated}.{excluded}.{picked}.{who}"


def _stamp(changed: datetime | None) -> int:
    return int(changed.timestamp() * 1_000_000) if changed else 0


def generation_bump(*, user_id: int) -> int:
    key = f"recs:gen:{user_id}"
    cache.add(key, 0, timeout=None)
    return cache.incr(key)


def list_key(
    *,
    user_id: int,
    version: ModelVersion,
    generation: str,
    genre: str | None,
    popularity: int = 0,
) -> str:
    """`popularity`: the dial the list is ranked with (the person's saved one or an API
    call's own); the person's vector does not depend on it, so the generation leaves it out."""
    tag = f"{generation}:{genre or '*'}:p{popularity}"
    return f"recs:list{LIST_FORMAT}:{_version_tag(version)}:{user_id}:{tag}"


def vector_key(*, user_id: int, version: ModelVersion, generation: str) -> str:
    return f"recs:vec:{_version_tag(version)}:{user_id}:{generation}"


def groups_key(*, version: ModelVersion) -> str:
    return f"recs:groups:{_version_tag(version)}"


def similar_key(*, version: ModelVersion, movie_id: int, limit: int) -> str:
    return f"recs:similar:{_version_tag(version)}:{movie_id}:{limit}"


def _version_tag(version: ModelVersion) -> str:
    return f"{version.pk}.{int(version.created_at.timestamp() * 1_000_000)}"
