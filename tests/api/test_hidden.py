"""/api/v1/hidden/: "Not interested", idempotent, per person, 404 for unknown movies."""

import pytest

from catalog.models import HiddenMovie, WatchlistEntry
from recommender.services.feedback import hidden_movie_set, watchlist_entry_set
from tests.api.helpers import error_of

HIDDEN = "/api/v1/hidden/"


def _hidden(user) -> set[int]:
    return set(HiddenMovie.objects.filter(user=user).values_list("movie_id", flat=True))


def test_put_hides_a_movie_idempotently(as_user, user, movies, refresh_calls):
    created = as_user.put(f"{HIDDEN}3/")
    again = as_user.put(f"{HIDDEN}3/")

    assert (created.status_code, again.status_code) == (201, 200)
    assert created.json()["movie"]["id"] == 3
    assert created.json()["hidden_at"] == again.json()["hidden_at"]
    assert _hidden(user) == {3}


def test_delete_undoes_it_and_is_idempotent(as_user, user, movies, refresh_calls):
    as_user.put(f"{HIDDEN}3/")

    first, second = as_user.delete(f"{HIDDEN}3/"), as_user.delete(f"{HIDDEN}3/")

    assert (first.status_code, second.status_code) == (204, 204)
    assert _hidden(user) == set()


@pytest.mark.parametrize("method", ["put", "delete"])
@pytest.mark.parametrize("movie_id", ["404", "0", "abc"])
def test_an_unknown_movie_is_a_clear_404(as_user, movies, method, movie_id):
    response = getattr(as_user, method)(f"{HIDDEN}{movie_id}/")

    assert response.status_code == 404
    assert movie_id in error_of(response)["message"]


def test_hiding_takes_the_movie_off_my_watchlist(as_user, user, movies, refresh_calls):
    watchlist_entry_set(user=user, movie_id=2, listed=True)

    as_user.put(f"{HIDDEN}2/")

    assert not WatchlistEntry.objects.filter(user=user).exists()


def test_the_list_shows_only_mine_most_recent_first(
    as_user, user, other_user, movies, refresh_calls
):
    hidden_movie_set(user=user, movie_id=1, hidden=True)
    hidden_movie_set(user=user, movie_id=4, hidden=True)
    hidden_movie_set(user=other_user, movie_id=2, hidden=True)

    body = as_user.get(HIDDEN).json()

    assert body["count"] == 2
    assert [entry["movie"]["id"] for entry in body["results"]] == [4, 1]


def test_one_person_cannot_undo_anothers(as_other, user, movies, refresh_calls):
    hidden_movie_set(user=user, movie_id=1, hidden=True)

    assert as_other.delete(f"{HIDDEN}1/").status_code == 204
    assert _hidden(user) == {1}


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_it_needs_a_signed_in_person(anonymous, movies, method):
    path = HIDDEN if method == "get" else f"{HIDDEN}1/"

    response = getattr(anonymous, method)(path)

    assert response.status_code == 401
    assert not HiddenMovie.objects.exists()


def test_similar_movies_leave_out_what_i_hid(trained, user, as_user, anonymous, refresh_calls):
    everyone = [m["id"] for m in anonymous.get("/api/v1/movies/1/similar/").json()]
    hidden_movie_set(user=user, movie_id=everyone[0], hidden=True)

    mine = [m["id"] for m in as_user.get("/api/v1/movies/1/similar/").json()]

    assert mine == everyone[1:]
