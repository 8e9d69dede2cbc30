"""/api/v1/watchlist/: "Want to watch", idempotent, per person, sortable by predicted stars."""

import pytest

from catalog.models import HiddenMovie, Rating, WatchlistEntry
from recommender.services.feedback import hidden_movie_set, watchlist_entry_set
from recommender.serving import predicted_stars_for
from tests.api.helpers import client_for, error_of

WATCHLIST = "/api/v1/watchlist/"


def _listed(user) -> set[int]:
    return set(WatchlistEntry.objects.filter(user=user).values_list("movie_id", flat=True))


def test_put_adds_a_movie_idempotently(as_user, user, movies, refresh_calls):
    created = as_user.put(f"{WATCHLIST}3/")
    again = as_user.put(f"{WATCHLIST}3/")

    assert (created.status_code, again.status_code) == (201, 200)
    assert created.json()["movie"]["id"] == 3
    assert created.json()["added_at"] == again.json()["added_at"]
    assert _listed(user) == {3}


def test_delete_takes_it_off_and_is_idempotent(as_user, user, movies, refresh_calls):
    as_user.put(f"{WATCHLIST}3/")

    first, second = as_user.delete(f"{WATCHLIST}3/"), as_user.delete(f"{WATCHLIST}3/")

    assert (first.status_code, second.status_code) == (204, 204)
    assert _listed(user) == set()


@pytest.mark.parametrize("method", ["put", "delete"])
@pytest.mark.parametrize("movie_id", ["404", "0", "abc"])
def test_an_unknown_movie_is_a_clear_404(as_user, movies, method, movie_id):
    response = getattr(as_user, method)(f"{WATCHLIST}{movie_id}/")

    assert response.status_code == 404
    assert movie_id in error_of(response)["message"]


def test_adding_undoes_not_interested(as_user, user, movies, refresh_calls):
    hidden_movie_set(user=user, movie_id=2, hidden=True)

    as_user.put(f"{WATCHLIST}2/")

    assert not HiddenMovie.objects.filter(user=user).exists()


def test_the_list_shows_only_mine_newest_first(as_user, user, other_user, movies, refresh_calls):
    watchlist_entry_set(user=user, movie_id=1, listed=True)
    watchlist_entry_set(user=user, movie_id=4, listed=True)
    watchlist_entry_set(user=other_user, movie_id=2, listed=True)

    body = as_user.get(WATCHLIST).json()

    assert body["count"] == 2
    assert [entry["movie"]["id"] for entry in body["results"]] == [4, 1]
    assert [entry["predicted_stars"] for entry in body["results"]] == [None, None]  # no model


def test_one_person_cannot_change_anothers(as_other, user, movies, refresh_calls):
    watchlist_entry_set(user=user, movie_id=1, listed=True)

    assert as_other.delete(f"{WATCHLIST}1/").status_code == 204
    assert _listed(user) == {1}


def test_an_unknown_ordering_is_a_400(as_user, movies):
    response = as_user.get(WATCHLIST, {"ordering": "title"})

    assert response.status_code == 400
    assert "ordering" in error_of(response)["fields"]


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_it_needs_a_signed_in_person(anonymous, movies, method):
    path = WATCHLIST if method == "get" else f"{WATCHLIST}1/"

    response = getattr(anonymous, method)(path)

    assert response.status_code == 401
    assert not WatchlistEntry.objects.exists()


def test_ordering_predicted_puts_the_highest_predicted_stars_first(trained, refresh_calls):
    user = Rating.objects.order_by("user_id").first().user
    movie_ids = list(range(1, 9))
    for movie_id in movie_ids:
        Rating.objects.filter(user=user, movie_id=movie_id).delete()
        watchlist_entry_set(user=user, movie_id=movie_id, listed=True)
    client = client_for(user)

    by_stars = client.get(WATCHLIST, {"ordering": "predicted"}).json()["results"]
    by_date = client.get(WATCHLIST, {"ordering": "added"}).json()["results"]

    stars = [entry["predicted_stars"] for entry in by_stars]
    assert stars == sorted(stars, reverse=True)
    assert stars[0] == max(predicted_stars_for(user=user, movie_ids=movie_ids).values())
    assert [entry["movie"]["id"] for entry in by_date] == movie_ids[::-1]


def test_an_empty_ordering_is_a_400_too(as_user, movies):
    assert as_user.get(f"{WATCHLIST}?ordering=").status_code == 400
