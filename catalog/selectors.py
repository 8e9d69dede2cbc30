"""Reads of the catalog shared by web, API and the recommender."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.postgres.search import TrigramWordSimilarity
from django.core.cache import cache
from django.db import connection
from django.db.models import Avg, Count, F, FloatField, Q, QuerySet, Sum, Value
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Cast, Floor, NullIf

from catalog.models import GroupPick, HiddenMovie, Movie, Profile, Rating, WatchlistEntry
from movielens.titles import title_search_key

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

MOVIE_ORDERS = {
    "popular": ("-rating_count", "id"),
    # "Highest average" sorts by the damped average (movie_mean_stars_damped), not the raw one.
    "rating": (F("damped_average").desc(nulls_last=True), "-rating_count", "id"),
    "year": (F("year").desc(nulls_last=True), "title"),
    # The MovieLens title files "The Matrix" under M, as a library sorts it.
    "title": ("title", "id"),
}
# How close a typed title must come to a word sequence of a movie's title (pg_trgm's
# word_similarity, 0..1). 0.4 lets one transposed letter through ("matirx" scores 0.43
# against "the matrix"); pg_trgm's own default, 0.6, would not.
TITLE_SIMILARITY_MIN = 0.4
# Trigrams misjudge typos: "matirx" is 0.43 from "matrix" but 0.57 from "matilda". So the
# similarity only sorts titles into bands of 0.2 (1.0, the typed words exactly, is a band of
# its own), and within a band the most rated title, the likelier one meant, comes first.
TITLE_CLOSENESS_BANDS = 5


def rating_movie_ids(*, user: User) -> list[int]:
    return list(Rating.objects.filter(user=user).values_list("movie_id", flat=True))


def rating_stars_by_movie(*, user: User) -> dict[int, int]:
    return dict(Rating.objects.filter(user=user).values_list("movie_id", "stars"))


def profile_for(*, user: User) -> Profile | None:
    return Profile.objects.filter(user=user).first()


POPULAR_CACHE_SECONDS = 600
POPULAR_CACHED_LENGTH = 500


def movie_popular_ids(
    *, gender: str | None = None, age: int | None = None, genre: str | None = None, limit: int
) -> list[int]:
    """Most-rated movies (of a genre, when given), among people of a gender and age
    bracket when given; an unknown gender ("" or None) or age (None) means everyone.

    The aggregate reads every matching rating (~100 ms at ml-1m size) and popularity moves
    slowly, so the top 500 of each combination is cached for ten minutes."""
    gender = gender or None  # a profile's "" (prefer not to say) shares everyone's list
    if limit > POPULAR_CACHED_LENGTH:
        return _popular_ids(gender=gender, age=age, genre=genre, limit=limit)
    key = f"catalog:popular:{gender}:{age}:{genre}"
    ids = cache.get(key)
    if ids is None:
        ids = _popular_ids(gender=gender, age=age, genre=genre, limit=POPULAR_CACHED_LENGTH)
        cache.set(key, ids, POPULAR_CACHE_SECONDS)
    return ids[:limit]


def _popular_ids(
    *, gender: str | None, age: int | None, genre: str | None, limit: int
) -> list[int]:
    ratings = Rating.objects.all()
    if genre is not None:
        ratings = ratings.filter(movie__genres__contains=[genre])
    if gender is not None:
        ratings = ratings.filter(user__profile__gender=gender)
    if age is not None:
        ratings = ratings.filter(user__profile__age=age)
    rows = (
        ratings.values("movie_id")
        .annotate(count=Count("id"), average=Avg("stars"))
        .order_by("-count", "-average", "movie_id")[:limit]
    )
    return [row["movie_id"] for row in rows]


def movies_by_id(*, ids: list[int]) -> dict[int, Movie]:
    return Movie.objects.in_bulk(ids)


def movie_list(
    *,
    search: str = "",
    genre: str | None = None,
    year_min: int | None = None,
    year_max: int | None = None,
    order: str = "popular",
) -> QuerySet[Movie]:
    """Movies matching a title search, genre and year range, with their `average` stars,
    in one of MOVIE_ORDERS; a search puts the closest titles first, and `order` orders
    the ones that match equally well (all the exact matches, say)."""
    if order not in MOVIE_ORDERS:
        raise ValueError(f"order must be one of {sorted(MOVIE_ORDERS)}")
    movies = Movie.objects.annotate(
        average=Cast(F("rating_sum"), FloatField()) / NullIf(F("rating_count"), 0)
    )
    if order == "rating":
        movies = movies.annotate(damped_average=movie_mean_stars_damped())
    ordering = MOVIE_ORDERS[order]
    key = title_search_key(search)
    if key:
        movies = movie_title_search(key=key, movies=movies)
        ordering = (F("closeness").desc(), *ordering)
    if genre:
        movies = movies.filter(genres__contains=[genre])
    if year_min is not None:
        movies = movies.filter(year__gte=year_min)
    if year_max is not None:
        movies = movies.filter(year__lte=year_max)
    return movies.order_by(*ordering)


def movie_title_suggestions(*, search: str, limit: int) -> list[Movie]:
    """The `limit` titles closest to what someone is typing, the most rated first among
    equally close ones; none for fewer than two letters, which would match nearly all."""
    key = title_search_key(search)
    if len(key) < 2:
        return []
    movies = movie_title_search(key=key).order_by("-closeness", "-rating_count", "id")
    return list(movies[:limit])


# How many ratings' worth of the site-wide average every movie's average starts from.
AVERAGE_PRIOR_RATINGS = 25
MEAN_STARS_CACHE_SECONDS = 600


def movie_mean_stars_damped() -> CombinedExpression:
    """A movie's average pulled toward the site-wide average (a Bayesian average), as an
    expression; NULL for a movie nobody rated.

    (sum + C * site mean) / (count + C): a movie with a few 5-star ratings does not top
    "Highest average" above one rated 4.5 by thousands; with many ratings it is the plain
    average. C = AVERAGE_PRIOR_RATINGS, about the median count of an ml-100k movie."""
    prior = AVERAGE_PRIOR_RATINGS * _site_mean_stars()
    return (Cast(F("rating_sum"), FloatField()) + prior) / (
        NullIf(F("rating_count"), 0) + AVERAGE_PRIOR_RATINGS
    )


def _site_mean_stars() -> float:
    """The mean of every rating (3.0, the middle of the scale, while there are none);
    cached for ten minutes, as it moves slowly."""
    mean = cache.get("catalog:mean-stars")
    if mean is None:
        totals = Movie.objects.aggregate(stars=Sum("rating_sum"), count=Sum("rating_count"))
        mean = totals["stars"] / totals["count"] if totals["count"] else 3.0
        cache.set("catalog:mean-stars", mean, MEAN_STARS_CACHE_SECONDS)
    return mean


def movie_title_search(*, key: str, movies: QuerySet[Movie] | None = None) -> QuerySet[Movie]:
    """`movies` (all by default) whose title contains `key` (a title_search_key) or comes
    close to it, with their `closeness` to it (a band, TITLE_CLOSENESS_BANDS); unordered.

    Both conditions are answered by the trigram index on search_title. The typo-forgiving
    operator (%>) reads its threshold from a pg_trgm setting, not from the query, so it is
    set on this connection first; nothing else here uses that operator.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pg_trgm.word_similarity_threshold', %s, false)",
            [str(TITLE_SIMILARITY_MIN)],
        )
    movies = Movie.objects.all() if movies is None else movies
    return movies.filter(
        Q(search_title__contains=key) | Q(search_title__trigram_word_similar=key)
    ).annotate(closeness=Floor(TrigramWordSimilarity(key, "search_title") * TITLE_CLOSENESS_BANDS))


# Reads for the web pages (rating widgets, "My ratings", onboarding).

RATING_ORDERS = {
    "recent": ("-rated_at", "-id"),
    "stars_high": ("-stars", "-rated_at", "-id"),
    "stars_low": ("stars", "-rated_at", "-id"),
    "title": ("movie__title", "movie_id"),
}
ONBOARDING_CANDIDATES = 400


def rating_count_of(*, user: User) -> int:
    return Rating.objects.filter(user=user).count()


def rating_stars_for(*, user: User | AnonymousUser, movie_ids: list[int]) -> dict[int, int]:
    """`user`'s stars for just these movies (a page of a list), by movie id."""
    if not user.is_authenticated or not movie_ids:
        return {}
    rows = Rating.objects.filter(user=user, movie_id__in=movie_ids)
    return dict(rows.values_list("movie_id", "stars"))


def rating_list(*, user: User, order: str = "recent") -> QuerySet[Rating]:
    """`user`'s ratings with their movies, in one of RATING_ORDERS."""
    if order not in RATING_ORDERS:
        raise ValueError(f"order must be one of {sorted(RATING_ORDERS)}")
    return Rating.objects.filter(user=user).select_related("movie").order_by(*RATING_ORDERS[order])


def movie_onboarding_list(*, user: User, limit: int = 12) -> list[Movie]:
    """Well-known movies for a newcomer to rate quickly, varied in genre and decade.

    Among the most-rated movies `user` has not rated, hidden or watchlisted, each genre's
    movies are taken one decade at a time (its most-rated decade first), and the genres
    then take turns: the list shows every genre before any one comes back, instead of the
    top-N most popular, which in MovieLens would be nearly all 1990s action and drama.
    """
    # Subqueries, not reads: the list stays one query.
    hidden = HiddenMovie.objects.filter(user=user).values("movie_id")
    listed = WatchlistEntry.objects.filter(user=user).values("movie_id")
    candidates = list(
        Movie.objects.filter(rating_count__gt=0)
        .exclude(ratings__user=user)
        .exclude(pk__in=hidden)
        .exclude(pk__in=listed)
        .order_by("-rating_count", "id")[:ONBOARDING_CANDIDATES]
    )
    by_genre: dict[str, dict[int | None, list[Movie]]] = {}
    for movie in candidates:  # most-rated first, so every bucket is in popularity order
        decade = movie.year // 10 * 10 if movie.year else None
        for genre in movie.genres or [""]:
            by_genre.setdefault(genre, {}).setdefault(decade, []).append(movie)
    genre_queues = [_round_robin(list(decades.values())) for decades in by_genre.values()]
    picked: dict[int, Movie] = {}
    for movie in _round_robin(genre_queues):
        picked.setdefault(movie.pk, movie)
        if len(picked) == limit:
            break
    return list(picked.values())


def _round_robin(queues: list[list]) -> list:
    """One item from each queue in turn (queues led by their first item's order)."""
    merged = []
    for depth in range(max(map(len, queues), default=0)):
        merged += [queue[depth] for queue in queues if depth < len(queue)]
    return merged


def rating_get(*, user: User, movie_id: int) -> Rating | None:
    return Rating.objects.filter(user=user, movie_id=movie_id).select_related("movie").first()


# "Not interested" and "Want to watch" (catalog.services.steering).


def movie_excluded_ids(*, user: User) -> set[int]:
    """The movies `user` hid or put on their watchlist, in one query: what their
    recommendations leave out, besides what they rated."""
    hidden, listed = movie_marked_ids(user_id=user.pk)
    return hidden | listed


def movie_marked_ids(*, user_id: int) -> tuple[set[int], set[int]]:
    """(hidden, watchlisted) movie ids of a person, in one query: what their vector learns
    from besides their ratings."""
    hidden = HiddenMovie.objects.filter(user_id=user_id).values_list("movie_id", Value(True))
    listed = WatchlistEntry.objects.filter(user_id=user_id).values_list("movie_id", Value(False))
    rows = list(hidden.union(listed, all=True))
    return {m for m, is_hidden in rows if is_hidden}, {m for m, is_hidden in rows if not is_hidden}


def hidden_movie_ids(*, user: User) -> set[int]:
    return set(HiddenMovie.objects.filter(user=user).values_list("movie_id", flat=True))


def movie_marks_for(
    *, user: User | AnonymousUser, movie_ids: list[int]
) -> dict[int, tuple[bool, bool]]:
    """(hidden, watchlisted) for just these movies (a page of a list), by movie id; movies
    with neither mark are left out. One query."""
    if not user.is_authenticated or not movie_ids:
        return {}
    hidden = HiddenMovie.objects.filter(user=user, movie_id__in=movie_ids).values_list(
        "movie_id", Value(True)
    )
    listed = WatchlistEntry.objects.filter(user=user, movie_id__in=movie_ids).values_list(
        "movie_id", Value(False)
    )
    return {movie_id: (is_hidden, not is_hidden) for movie_id, is_hidden in hidden.union(listed)}


def hidden_movie_list(*, user: User) -> QuerySet[HiddenMovie]:
    """Most recently hidden first, with their movies."""
    return (
        HiddenMovie.objects.filter(user=user).select_related("movie").order_by("-created_at", "-id")
    )


def watchlist_entry_list(*, user: User) -> QuerySet[WatchlistEntry]:
    """Most recently added first, with their movies."""
    return (
        WatchlistEntry.objects.filter(user=user)
        .select_related("movie")
        .order_by("-created_at", "-id")
    )


def group_pick_movie_ids(*, user_id: int) -> set[int]:
    """The seed movies of the groups a person picked at onboarding
    (catalog.services.group_picks). By id: serving holds a profile stand-in, not the user."""
    return set(GroupPick.objects.filter(user_id=user_id).values_list("movie_id", flat=True))
