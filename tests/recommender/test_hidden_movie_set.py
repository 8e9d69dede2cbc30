"""hidden_movie_set: "Not interested" takes a movie out of the person's lists at once (the
Milvus search itself leaves it out), and undoing it brings it back."""

import numpy as np

from catalog.models import Movie
from recommender.services.feedback import hidden_movie_set
from recommender.serving import (
    movie_similar_list,
    predicted_stars_for,
    recommendation_list,
    retrieval,
)
from tests.ml.synthetic import movie_theme


def _ids(page) -> list[int]:
    return [item.movie.pk for item in page.items]


def test_a_hidden_movie_leaves_the_list_at_once_and_returns_after_undo(
    trained, newcomer, mocker, refresh_calls, django_capture_on_commit_callbacks
):
    search = mocker.spy(retrieval, "index_search")
    whole = _ids(recommendation_list(user=newcomer, limit=100))
    first, hidden = whole[:10], whole[0]
    with django_capture_on_commit_callbacks(execute=True):
        assert hidden_movie_set(user=newcomer, movie_id=hidden, hidden=True) is True

    after = _ids(recommendation_list(user=newcomer, limit=100))

    assert hidden not in after
    assert hidden in search.call_args.kwargs["exclude_movie_ids"]
    # Excluded in the search, not filtered afterwards: the list keeps all the rest.
    assert sorted(after) == sorted(whole[1:])
    refresh_calls.assert_called_once_with(newcomer.pk)
    with django_capture_on_commit_callbacks(execute=True):
        assert hidden_movie_set(user=newcomer, movie_id=hidden, hidden=False) is True

    assert _ids(recommendation_list(user=newcomer, limit=10)) == first


def test_the_list_leaves_it_out_even_when_the_cache_bump_is_lost(trained, newcomer):
    # No on-commit callback runs: the Redis generation stays where it was, and the stamp in
    # PostgreSQL alone retires the cached list.
    first = _ids(recommendation_list(user=newcomer, limit=10))

    hidden_movie_set(user=newcomer, movie_id=first[0], hidden=True)

    assert first[0] not in _ids(recommendation_list(user=newcomer, limit=100))


def test_hiding_again_changes_nothing_and_sends_no_refresh(
    trained, newcomer, refresh_calls, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        hidden_movie_set(user=newcomer, movie_id=1, hidden=True)
        assert hidden_movie_set(user=newcomer, movie_id=1, hidden=True) is False
        assert hidden_movie_set(user=newcomer, movie_id=2, hidden=False) is False

    refresh_calls.assert_called_once_with(newcomer.pk)


def test_the_popular_fallback_leaves_it_out_too(trained, newcomer, settings):
    settings.MILVUS_URI = "http://127.0.0.1:9"
    first = recommendation_list(user=newcomer, limit=10)
    assert first.fallback

    hidden_movie_set(user=newcomer, movie_id=first.items[0].movie.pk, hidden=True)

    assert first.items[0].movie.pk not in _ids(recommendation_list(user=newcomer, limit=100))


def test_similar_movies_leave_out_what_this_person_hid(trained, newcomer, django_user_model):
    movie = Movie.objects.order_by("id").first()
    similar = [m.pk for m in movie_similar_list(movie_id=movie.pk, limit=8, user=newcomer)]

    hidden_movie_set(user=newcomer, movie_id=similar[0], hidden=True)

    mine = [m.pk for m in movie_similar_list(movie_id=movie.pk, limit=8, user=newcomer)]
    other = django_user_model.objects.create_user("other")
    theirs = [m.pk for m in movie_similar_list(movie_id=movie.pk, limit=8, user=other)]
    assert mine == similar[1:]
    assert theirs == similar


def test_hidden_movies_lower_the_stars_of_their_kind(trained, newcomer, refresh_calls):
    """The default model takes a hidden movie as a 1-star rating in the person's fold-in."""
    top = _ids(recommendation_list(user=newcomer, limit=10))
    theme = int(np.bincount(movie_theme(np.array(top)), minlength=4).argmax())
    same_kind = [m for m in range(1, 81) if _of_theme([m], theme)]
    hidden, kept = same_kind[:5], same_kind[5:]
    before = predicted_stars_for(user=newcomer, movie_ids=kept)
    for movie_id in hidden:
        hidden_movie_set(user=newcomer, movie_id=movie_id, hidden=True)

    after = predicted_stars_for(user=newcomer, movie_ids=kept)

    assert np.mean(list(after.values())) < np.mean(list(before.values())) - 0.5


def _of_theme(movie_ids: list[int], theme: int) -> int:
    return int(np.sum(movie_theme(np.array(movie_ids)) == theme))
