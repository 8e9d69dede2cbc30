import pytest

from catalog.models import Movie
from catalog.selectors import movie_onboarding_list
from recommender.services.feedback import rating_submit

pytestmark = pytest.mark.django_db
GENRES = ("Action", "Comedy", "Drama", "Horror", "Romance", "Documentary")


@pytest.fixture
def varied_catalog(db):
    """Action dominates the counts; other genres and decades are less rated."""
    movies = []
    for index in range(120):
        genre = GENRES[0] if index < 60 else GENRES[index % len(GENRES)]
        movies.append(
            Movie(
                id=index + 1,
                title=f"Movie {index + 1}",
                year=1950 + (index % 5) * 10,
                genres=[genre],
                rating_count=1000 - index,
                rating_sum=3 * (1000 - index),
            )
        )
    Movie.objects.bulk_create(movies)


def test_it_mixes_genres_instead_of_the_most_popular_few(varied_catalog, member):
    movies = movie_onboarding_list(user=member, limit=12)

    assert len(movies) == 12
    assert {movie.genres[0] for movie in movies} == set(GENRES)
    assert [m.pk for m in movies] != list(range(1, 13))


def test_it_spreads_over_decades(varied_catalog, member):
    movies = movie_onboarding_list(user=member, limit=12)

    assert len({movie.year // 10 for movie in movies}) >= 4


def test_it_prefers_well_known_movies_within_a_genre(varied_catalog, member):
    action = [m for m in movie_onboarding_list(user=member, limit=12) if "Action" in m.genres]

    assert action[0].pk == 1


def test_it_leaves_out_what_the_person_rated(varied_catalog, member, refresh_calls):
    first = movie_onboarding_list(user=member, limit=12)
    for movie in first[:4]:
        rating_submit(user=member, movie_id=movie.pk, stars=3)

    again = movie_onboarding_list(user=member, limit=12)

    assert not {m.pk for m in first[:4]} & {m.pk for m in again}
    assert len(again) == 12


def test_unrated_movies_are_not_offered(db, member):
    Movie.objects.create(id=1, title="Nobody saw it", genres=["Drama"])

    assert movie_onboarding_list(user=member) == []
