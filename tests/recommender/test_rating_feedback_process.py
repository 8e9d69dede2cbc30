"""rating_feedback_process: the refresh a rating sends also brings movie totals up to date,
so they follow a rating without waiting for beat's fold."""

import pytest

from catalog.models import Movie
from movielens.titles import movie_title_fields
from recommender.services.feedback import rating_feedback_process, rating_submit

pytestmark = pytest.mark.django_db


def test_the_refresh_folds_the_movie_totals(newcomer, refresh_calls):
    Movie.objects.create(id=7, **movie_title_fields("Sabrina (1995)"), genres=["Comedy"])
    rating_submit(user=newcomer, movie_id=7, stars=4)

    rating_feedback_process(user_id=newcomer.pk)

    movie = Movie.objects.get(pk=7)
    assert (movie.rating_count, movie.rating_sum) == (1, 4)
