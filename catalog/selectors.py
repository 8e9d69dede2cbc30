"""Reads of the catalog shared by web, API and the recommender."""

from django.db.models import Avg, Count, F, FloatField, QuerySet
from django.db.models.functions import Cast, NullIf

from catalog.models import Movie, Profile, Rating

MOVIE_ORDERS = {
    "popular": ("-rating_count", "id"),
    "rating": (F("average").desc(nulls_last=True), "-rating_count", "id"),
    "year": (F("year").desc(nulls_last=True), "title"),
    "title": ("title", "id"),
}


def rating_movie_ids(*, user) -> list[int]:
    return list(Rating.objects.filter(user=user).values_list("movie_id", flat=True))


def rating_stars_by_movie(*, user) -> dict[int, int]:
    return dict(Rating.objects.filter(user=user).values_list("movie_id", "stars"))


def profile_for(*, user) -> Profile | None:
    return Profile.objects.filter(user=user).first()


def movie_popular_ids(
    *, gender: str | None = None, age: int | None = None, genre: str | None = None, limit: int
) -> list[int]:
    """Most-rated movies (of a genre, when given), among people of a gender and age
    bracket when given."""
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
    """Movies matching a title search, genre and year range, with their `average` stars."""
    if order not in MOVIE_ORDERS:
        raise ValueError(f"order must be one of {sorted(MOVIE_ORDERS)}")
    movies = Movie.objects.annotate(
        average=Cast(F("rating_sum"), FloatField()) / NullIf(F("rating_count"), 0)
    )
    if search.strip():
        movies = movies.filter(title__icontains=search.strip())
    if genre:
        movies = movies.filter(genres__contains=[genre])
    if year_min is not None:
        movies = movies.filter(year__gte=year_min)
    if year_max is not None:
        movies = movies.filter(year__lte=year_max)
    return movies.order_by(*MOVIE_ORDERS[order])
