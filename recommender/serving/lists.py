"""A person's recommendations: Milvus retrieval, re-rank, stars, reasons, cache, fallback.

Used by the web pages, the API and the `recommend` command alike. The full ranked list is
cached per person, model version and genre, and pages are slices of it: paging is stable
and never repeats a movie until the list changes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache

from catalog.models import Movie, Profile
from catalog.selectors import (
    group_pick_movie_ids,
    hidden_movie_ids,
    movie_excluded_ids,
    movie_marked_ids,
    movie_popular_ids,
    rating_stars_by_movie,
)
from core.exceptions import ApplicationError
from recommender.selectors import (
    model_version_get_active,
    profile_get_with_active_version,
    scoring_model_get_active,
)
from recommender.serving import cache_keys as keys
from recommender.serving.retrieval import top_movies
from recommender.serving.user_vectors import user_encoding_cached
from recommender.vector_index import VectorIndexUnavailable, collection_name_for, index_similar

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    from recommender.models import ModelVersion
    from recommender.scoring import ScoringModel

logger = logging.getLogger(__name__)
LIST_LENGTH = 100
LIKED_STARS = 4
POPULAR_REASON = "Popular with people like you"
# With no model to re-rank, the popular stand-in follows the dial toward "Hidden gems" by
# leaving out the most-rated movies: which share of its 500 candidates at each step (25 and
# 100 at full size). "Well known" is the stand-in itself.
FALLBACK_GEMS_SKIP = {-1: 0.05, -2: 0.2}
# What a pick can be explained by, strongest first: a movie the person rated LIKED_STARS or
# more, one on their watchlist, a seed movie of a group they picked at onboarding.
BECAUSE_KINDS = ("rated", "watchlist", "picked")
_REASONS = {
    "rated": "Because you rated {}",
    "watchlist": "Because you want to watch {}",
    "picked": "Because you picked the group with {}",
}


@dataclass(frozen=True)
class Recommendation:
    movie: Movie
    predicted_stars: float | None
    reason: str
    because_movie_id: int | None
    because_kind: str | None = None  # one of BECAUSE_KINDS when because_movie_id is set


@dataclass(frozen=True)
class RecommendationPage:
    items: list[Recommendation]
    model_version_id: int | None
    fallback: bool
    total: int
    popularity: int = 0  # the popularity dial the list was ranked with


def recommendation_list(
    *,
    user: User,
    limit: int = 10,
    offset: int = 0,
    genre: str | None = None,
    popularity: int | None = None,
) -> RecommendationPage:
    """A page of `user`'s recommendations, never a movie they have rated, hidden ("Not
    interested") or put on their watchlist (already chosen). `popularity` (-2..2) ranks
    this list with that popularity dial instead of the person's saved one."""
    entries, version_id, fallback, popularity = _ranked(user, genre, popularity)
    page = entries[offset : offset + limit]
    # One query for the movies shown and the liked movies their reasons name.
    movies = Movie.objects.in_bulk({entry[0] for entry in page} | {e[2] for e in page if e[2]})
    missing = {entry[0] for entry in page} - movies.keys()
    if missing:
        # A cached list or the index can name a movie this database no longer has (deleted,
        # or an index built from another database): show the rest, never a 500.
        logger.warning("Recommendations for user %s skip unknown movies %s", user.pk, missing)
    items = [
        Recommendation(
            movies[movie_id],
            stars,
            _reason(movies.get(because), kind),
            *((because, kind) if because in movies else (None, None)),
        )
        for movie_id, stars, because, kind in page
        if movie_id in movies
    ]
    return RecommendationPage(items, version_id, fallback, len(entries), popularity)


def _similar_ids(movie_id: int, limit: int) -> list[int]:
    """From the active version's collection, kept per version: movie pages are the pages
    visitors load most, and a model's neighbours do not change until the next version."""
    version = model_version_get_active()
    if version is None:
        return []
    key = keys.similar_key(version=version, movie_id=movie_id, limit=limit)
    ids = cache.get(key)
    if ids is None:
        try:
            hits = index_similar(
                uri=settings.MILVUS_URI,
                movie_id=movie_id,
                limit=limit,
                alias=collection_name_for(version_id=version.pk),
            )
        except VectorIndexUnavailable:
            logger.warning("Similar movies for %s fall back to popular in its genre", movie_id)
            return []
        ids = [similar_id for similar_id, _ in hits]
        cache.set(key, ids, keys.TTL_SECONDS)
    return ids


def _reason(because: Movie | None, kind: str | None) -> str:
    return _REASONS[kind].format(because.display_title) if because and kind else POPULAR_REASON


def recommendation_state(*, user: User) -> str | None:
    """A token that changes whenever the person's list would (another model version, a
    rating, a hidden or watchlisted movie, new demographics, the popularity dial), for
    caches built on the list
    such as rendered pages; None when no model serves or the person has no profile. Read on
    every signed-in view: one query and one Redis read."""
    found = profile_get_with_active_version(user_id=user.pk)
    if found is None:
        # No profile or no model: the list is a popular stand-in, which nothing caches.
        return None
    profile, version = found
    generation = keys.generation_of(user_id=user.pk, profile=profile)
    return keys.list_key(
        user_id=user.pk,
        version=version,
        generation=generation,
        genre=None,
        popularity=profile.popularity_dial,
    )


def recommendation_refresh(*, user_id: int) -> None:
    """Compute and cache a person's list now (the feedback task calls this after a rating);
    nothing for a person deleted since."""
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is not None:
        _ranked(user, None, None)


def _ranked(
    user: User, genre: str | None, popularity: int | None
) -> tuple[list[tuple], int | None, bool, int]:
    """([(movie id, stars, because movie id, because kind)], version id, fallback?,
    popularity dial):
    ranked with `popularity`, or the person's saved dial when None."""
    profile = Profile.objects.filter(user=user).first()
    if popularity is None:
        popularity = profile.popularity_dial if profile else 0
    try:
        version, model = scoring_model_get_active()
    except ApplicationError:
        return (
            _fallback(user, profile, genre, popularity, "no trained model"),
            None,
            True,
            popularity,
        )
    generation = keys.generation_of(user_id=user.pk, profile=profile)
    key = keys.list_key(
        user_id=user.pk,
        version=version,
        generation=generation,
        genre=genre,
        popularity=popularity,
    )
    cached = cache.get(key)
    if cached is not None:
        return cached, version.pk, False, popularity
    if profile is None:
        return (
            _fallback(user, profile, genre, popularity, "no demographics"),
            version.pk,
            True,
            popularity,
        )
    try:
        entries = _retrieve(user, profile, version, model, genre, generation, popularity)
    except VectorIndexUnavailable as error:
        why = f"vector index unavailable: {error}"
        return _fallback(user, profile, genre, popularity, why), version.pk, True, popularity
    cache.set(key, entries, keys.TTL_SECONDS)
    return entries, version.pk, False, popularity


def _retrieve(
    user: User,
    profile: Profile,
    version: ModelVersion,
    model: ScoringModel,
    genre: str | None,
    generation: str,
    popularity: int,
) -> list[tuple]:
    encoded = user_encoding_cached(
        user=user, profile=profile, version=version, model=model, generation=generation
    )
    rated = rating_stars_by_movie(user=user)
    hidden, watchlist = movie_marked_ids(user_id=user.pk)
    top, stars = top_movies(
        version_id=version.pk,
        model=model,
        user=encoded,
        k=LIST_LENGTH,
        # Pushed into the Milvus search itself, so the list stays full.
        exclude_movie_ids=[*rated, *hidden, *watchlist],
        genre=genre,
        popularity=popularity,
    )
    picks = group_pick_movie_ids(user_id=user.pk) if profile.picks_changed_at else set()
    sources = {
        "rated": [m for m, s in rated.items() if s >= LIKED_STARS],
        "watchlist": sorted(watchlist),
        "picked": sorted(picks - set(rated)),
    }
    because = _because(model, top, sources)
    return [
        (int(movie_id), round(float(value), 2), *reason)
        for movie_id, value, reason in zip(top, stars, because, strict=True)
    ]


def _because(
    model: ScoringModel, movie_ids: np.ndarray, sources: dict[str, list[int]]
) -> list[tuple[int | None, str | None]]:
    """For each recommended movie, the (movie, kind) among the person's `sources` most
    similar to it; (None, None) when they have none."""
    kinds = [kind for kind in BECAUSE_KINDS for _ in sources[kind]]
    if not kinds:
        return [(None, None)] * len(movie_ids)
    source_ids = np.array([m for kind in BECAUSE_KINDS for m in sources[kind]], dtype=np.int64)
    similarity = (
        model.movie_encodings(movie_ids).vectors @ model.movie_encodings(source_ids).vectors.T
    )
    # argmax takes the first of equals: a movie both rated and picked is explained as rated.
    best = similarity.argmax(axis=1)
    return [(int(source_ids[i]), kinds[i]) for i in best]


def _fallback(
    user: User, profile: Profile | None, genre: str | None, popularity: int, why: str
) -> list[tuple]:
    """Most-rated among people of the same gender and age bracket, unrated by `user` and
    neither hidden nor on their watchlist; toward "Hidden gems" the most-rated few are
    skipped (FALLBACK_GEMS_SKIP), the stand-in's coarse reading of the dial."""
    logger.warning("Recommendations for user %s fall back to popular: %s", user.pk, why)
    gender, age = (profile.gender, profile.age) if profile else (None, None)
    popular = movie_popular_ids(gender=gender, age=age, genre=genre, limit=500)
    popular = popular[round(FALLBACK_GEMS_SKIP.get(popularity, 0) * len(popular)) :]
    left_out = set(rating_stars_by_movie(user=user)) | movie_excluded_ids(user=user)
    return [(m, None, None, None) for m in popular if m not in left_out][:LIST_LENGTH]


def movie_similar_list(
    *, movie_id: int, limit: int = 10, user: User | AnonymousUser | None = None
) -> list[Movie]:
    """Movies whose vectors are closest to this one's; the most popular movies sharing its
    first genre when the index cannot answer. Never one `user` hid, when given: the
    neighbours are cached for everyone, so they are filtered afterwards (a row may come
    out a few short)."""
    ids = _similar_ids(movie_id, limit)
    if not ids:
        movie = Movie.objects.filter(pk=movie_id).first()
        genre = movie.genres[0] if movie and movie.genres else None
        ids = [m for m in movie_popular_ids(genre=genre, limit=limit + 1) if m != movie_id][:limit]
    if user is not None and user.is_authenticated:
        hidden = hidden_movie_ids(user=user)
        ids = [similar_id for similar_id in ids if similar_id not in hidden]
    movies = Movie.objects.in_bulk(ids)
    return [movies[i] for i in ids if i in movies]
