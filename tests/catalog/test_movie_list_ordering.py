"""movie_list's "rating" order (Highest average): a few perfect ratings do not outrank a
high average from many people."""

import pytest

from catalog.models import Movie
from catalog.selectors import movie_list
from movielens.titles import movie_title_fields

pytestmark = pytest.mark.django_db


def _movie(movie_id: int, title: str, *, count: int, average: float) -> Movie:
    return Movie.objects.create(
        id=movie_id,
        **movie_title_fields(f"{title} (1995)"),
        year=1995,
        genres=["Drama"],
        rating_count=count,
        rating_sum=round(count * average),
    )


@pytest.fixture
def movies():
    return {
        "two perfect": _movie(1, "Two Perfect", count=2, average=5.0),
        "loved by thousands": _movie(2, "Loved By Thousands", count=3000, average=4.5),
        "liked by hundreds": _movie(3, "Liked By Hundreds", count=400, average=4.4),
        "panned": _movie(4, "Panned", count=500, average=2.0),
        "unrated": _movie(5, "Unrated", count=0, average=0),
    }


def test_a_high_average_from_many_outranks_a_few_perfect_ratings(movies):
    order = [movie.pk for movie in movie_list(order="rating")]

    assert order.index(2) < order.index(1)
    assert order.index(3) < order.index(1)


def test_a_few_perfect_ratings_still_beat_a_well_known_flop(movies):
    order = [movie.pk for movie in movie_list(order="rating")]

    assert order.index(1) < order.index(4)


def test_movies_nobody_rated_come_last(movies):
    assert [movie.pk for movie in movie_list(order="rating")][-1] == 5


def test_the_shown_average_stays_the_plain_average(movies):
    two_perfect = movie_list(order="rating").get(pk=1)

    assert two_perfect.average == 5.0
