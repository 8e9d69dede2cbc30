"""Loading a RatingsData (e.g. the synthetic one) into the catalog tables."""

from collections import Counter
from datetime import UTC, datetime

from django.contrib.auth import get_user_model

from catalog.models import Movie, Profile, Rating
from movielens.titles import movie_title_fields
from recommender.training.data import RatingsData


def catalog_fill(data: RatingsData) -> dict[int, int]:
    """Insert people, movies and ratings; returns data user id -> Django user pk."""
    User = get_user_model()
    users = User.objects.bulk_create(
        [User(username=f"movielens-{uid}", password="!") for uid in data.user_table_ids]
    )
    pks = {int(uid): user.pk for uid, user in zip(data.user_table_ids, users, strict=True)}
    Profile.objects.bulk_create(
        Profile(
            user=user,
            movielens_id=int(uid),
            gender="M" if gender else "F",
            age=int(age),
            occupation=int(occupation),
        )
        for user, uid, gender, age, occupation in zip(
            users, data.user_table_ids, data.gender, data.age, data.occupation, strict=True
        )
    )
    counts = Counter(int(m) for m in data.movie_ids)
    sums = Counter()
    for movie_id, stars in zip(data.movie_ids, data.stars, strict=True):
        sums[int(movie_id)] += int(stars)
    # Years and rating totals as an import leaves them (the synthetic titles carry no year).
    Movie.objects.bulk_create(
        Movie(
            id=int(movie_id),
            **movie_title_fields(title),
            genres=genres,
            year=1980 + int(movie_id) % 20,
            rating_count=counts[int(movie_id)],
            rating_sum=sums[int(movie_id)],
        )
        for movie_id, title, genres in zip(
            data.movie_table_ids, data.titles, data.genres, strict=True
        )
    )
    Rating.objects.bulk_create(
        Rating(
            user_id=pks[int(uid)],
            movie_id=int(movie_id),
            stars=int(stars),
            rated_at=datetime.fromtimestamp(int(ts), tz=UTC),
        )
        for uid, movie_id, stars, ts in zip(
            data.user_ids, data.movie_ids, data.stars, data.timestamps, strict=True
        )
    )
    return pks
