"""watchlist_entry_set: a movie on the watchlist leaves the top picks (it is already chosen),
comes back when taken off, and its predicted stars are read many at a time."""

import numpy as np
import pytest

from recommender.services.feedback import watchlist_entry_set
from recommender.serving import (
    predicted_stars_for,
    predicted_stars_get,
    recommendation_list,
    watchlist_with_stars,
)
from tests.ml.synthetic import movie_theme


def _ids(page) -> list[int]:
    return [item.movie.pk for item in page.items]


def test_a_watchlisted_movie_leaves_the_top_picks_until_taken_off(
    trained, newcomer, refresh_calls, django_capture_on_commit_callbacks
):
    first = _ids(recommendation_list(user=newcomer, limit=10))
    with django_capture_on_commit_callbacks(execute=True):
        assert watchlist_entry_set(user=newcomer, movie_id=first[2], listed=True) is True

    assert first[2] not in _ids(recommendation_list(user=newcomer, limit=100))
    refresh_calls.assert_called_once_with(newcomer.pk)
    with django_capture_on_commit_callbacks(execute=True):
        assert watchlist_entry_set(user=newcomer, movie_id=first[2], listed=False) is True

    assert _ids(recommendation_list(user=newcomer, limit=10)) == first


def test_stars_for_many_movies_match_one_at_a_time(trained, newcomer):
    movie_ids = _ids(recommendation_list(user=newcomer, limit=5))

    many = predicted_stars_for(user=newcomer, movie_ids=movie_ids)

    assert many == {m: predicted_stars_get(user=newcomer, movie_id=m) for m in movie_ids}


def test_no_model_means_no_stars(synthetic_catalog, newcomer):
    assert predicted_stars_for(user=newcomer, movie_ids=[1, 2]) == {}


def test_the_watchlist_sorts_by_predicted_stars_or_newest_first(trained, newcomer, refresh_calls):
    for movie_id in range(1, 7):
        watchlist_entry_set(user=newcomer, movie_id=movie_id, listed=True)

    by_stars = watchlist_with_stars(user=newcomer, order="predicted")
    by_date = watchlist_with_stars(user=newcomer, order="added")

    stars = [entry.predicted_stars for entry in by_stars]
    assert stars == sorted(stars, reverse=True)
    assert None not in stars
    assert [entry.movie_id for entry in by_date] == [6, 5, 4, 3, 2, 1]


def test_the_watchlist_refuses_an_unknown_order(newcomer):
    with pytest.raises(ValueError, match="order must be one of"):
        watchlist_with_stars(user=newcomer, order="title")


def test_watchlisted_movies_draw_the_list_towards_them(trained, newcomer, refresh_calls):
    top = _ids(recommendation_list(user=newcomer, limit=10))
    theme = np.bincount(movie_theme(np.array(top)), minlength=4).argmin()
    for movie_id in np.flatnonzero(movie_theme(np.arange(1, 81)) == theme)[:5] + 1:
        watchlist_entry_set(user=newcomer, movie_id=int(movie_id), listed=True)

    after = _ids(recommendation_list(user=newcomer, limit=10))

    assert _of_theme(after, theme) > _of_theme(top, theme)


def _of_theme(movie_ids: list[int], theme: int) -> int:
    return int(np.sum(movie_theme(np.array(movie_ids)) == theme))
