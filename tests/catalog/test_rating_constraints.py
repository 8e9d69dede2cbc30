import pytest
from django.db import IntegrityError, connection
from django.utils import timezone

from catalog.models import Movie, Rating
from movielens.titles import movie_title_fields


@pytest.fixture
def movie(db):
    return Movie.objects.create(
        id=1, **movie_title_fields("Toy Story (1995)"), year=1995, genres=["Comedy"]
    )


@pytest.mark.parametrize("stars", [0, 6, -1])
def test_the_database_refuses_stars_outside_1_to_5(django_user_model, movie, stars):
    user = django_user_model.objects.create_user("ann")

    # Raw SQL, so that only the database constraint stands between the value and the table.
    with pytest.raises(IntegrityError, match="rating_stars_1_to_5"), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO catalog_rating (user_id, movie_id, stars, rated_at)"
            " VALUES (%s, %s, %s, now())",
            [user.pk, movie.pk, stars],
        )


def test_a_person_rates_a_movie_once(django_user_model, movie):
    user = django_user_model.objects.create_user("ann")
    Rating.objects.create(user=user, movie=movie, stars=4, rated_at=timezone.now())

    with pytest.raises(IntegrityError, match="rating_one_per_user_movie"):
        Rating.objects.create(user=user, movie=movie, stars=5, rated_at=timezone.now())
