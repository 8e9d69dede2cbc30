"""popularity_dial_set and the one-off dial: they re-rank that person's list alone, and a
saved dial moves the list state (its cache key) as a rating does."""

import numpy as np

from catalog.models import Movie
from recommender.services.feedback import popularity_dial_set
from recommender.serving import recommendation_list, recommendation_state
from tests.people import person_create


def _ids(page) -> list[int]:
    return [item.movie.pk for item in page.items]


def _mean_count(ids: list[int]) -> float:
    counts = dict(Movie.objects.filter(pk__in=ids).values_list("pk", "rating_count"))
    return float(np.mean([counts[i] for i in ids]))


def test_the_dial_changes_only_that_persons_list(
    trained, newcomer, django_user_model, refresh_calls, django_capture_on_commit_callbacks
):
    other = person_create(django_user_model, "other", age=25)
    before = _ids(recommendation_list(user=newcomer, limit=20))
    other_before = _ids(recommendation_list(user=other, limit=20))
    state = recommendation_state(user=newcomer)

    with django_capture_on_commit_callbacks(execute=True):
        assert popularity_dial_set(user=newcomer, popularity=-2) is True

    page = recommendation_list(user=newcomer, limit=20)
    assert page.popularity == -2
    assert _ids(page) != before
    assert _mean_count(_ids(page)) < _mean_count(before)
    assert recommendation_state(user=newcomer) != state
    assert _ids(recommendation_list(user=other, limit=20)) == other_before
    refresh_calls.assert_called_once_with(newcomer.pk)


def test_a_one_off_dial_leaves_the_saved_one_alone(trained, newcomer):
    saved = _ids(recommendation_list(user=newcomer, limit=20))

    gems = recommendation_list(user=newcomer, limit=20, popularity=-2)
    known = recommendation_list(user=newcomer, limit=20, popularity=2)

    assert (gems.popularity, known.popularity) == (-2, 2)
    assert _mean_count(_ids(gems)) < _mean_count(_ids(known))
    assert _ids(recommendation_list(user=newcomer, limit=20)) == saved


def test_the_same_dial_again_sends_no_refresh(
    trained, newcomer, refresh_calls, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert popularity_dial_set(user=newcomer, popularity=0) is False

    refresh_calls.assert_not_called()


def test_the_popular_stand_in_leaves_out_the_most_rated_toward_hidden_gems(
    synthetic_catalog, newcomer
):
    known = _ids(recommendation_list(user=newcomer, limit=80, popularity=2))
    middle = _ids(recommendation_list(user=newcomer, limit=80, popularity=0))
    one_step, gems = (
        recommendation_list(user=newcomer, limit=80, popularity=step) for step in (-1, -2)
    )

    assert gems.fallback
    assert known == middle
    assert _ids(one_step) == middle[round(0.05 * len(middle)) :]
    assert _ids(gems) == middle[round(0.2 * len(middle)) :]
    assert _mean_count(_ids(gems)) < _mean_count(middle)
