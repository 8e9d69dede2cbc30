import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import Movie
from catalog.selectors import movie_title_suggestions
from movielens.titles import movie_title_fields
from tests.titled_movies import titled_movies_create

pytestmark = pytest.mark.django_db


def test_the_closest_title_comes_first(db):
    titled_movies_create()

    suggested = movie_title_suggestions(search="matrix", limit=8)

    assert suggested[0].display_title == "The Matrix (1999)"


def test_equally_close_titles_come_most_rated_first_up_to_the_limit(db):
    Movie.objects.bulk_create(
        Movie(id=i, **movie_title_fields(f"Star Trek {i} (1990)"), rating_count=i)
        for i in range(1, 13)
    )

    suggested = movie_title_suggestions(search="star trek", limit=8)

    assert [movie.pk for movie in suggested] == list(range(12, 4, -1))


@pytest.mark.parametrize("search", ["", " ", "m", "é"])
def test_it_suggests_nothing_before_two_letters_without_asking_the_database(db, search):
    titled_movies_create()

    with CaptureQueriesContext(connection) as queries:
        assert movie_title_suggestions(search=search, limit=8) == []
    assert len(queries) == 0
