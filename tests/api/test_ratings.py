import pytest

from catalog.models import Movie, Rating
from catalog.services.movie_totals import movie_totals_fold
from recommender.services.feedback import rating_submit
from tests.api.helpers import error_of

RATINGS = "/api/v1/ratings/"


def _stars(user) -> dict[int, int]:
    return dict(Rating.objects.filter(user=user).values_list("movie_id", "stars"))


def test_put_creates_then_replaces_my_rating_idempotently(as_user, user, movies):
    created = as_user.put(f"{RATINGS}3/", {"stars": 4}, format="json")
    replaced = as_user.put(f"{RATINGS}3/", {"stars": 2}, format="json")
    again = as_user.put(f"{RATINGS}3/", {"stars": 2}, format="json")

    assert (created.status_code, replaced.status_code, again.status_code) == (201, 200, 200)
    assert replaced.json()["movie"]["id"] == 3
    assert _stars(user) == {3: 2}
    movie_totals_fold()
    heat = Movie.objects.get(pk=3)
    assert (heat.rating_count, heat.rating_sum) == (7, 29)


def test_post_rates_a_movie_named_in_the_body(as_user, user, movies):
    response = as_user.post(RATINGS, {"movie_id": 5, "stars": 5}, format="json")

    assert response.status_code == 201
    assert _stars(user) == {5: 5}


@pytest.mark.parametrize("stars", [0, 6, 3.5, "three", None, True])
def test_only_whole_stars_from_1_to_5(as_user, user, movies, stars):
    response = as_user.put(f"{RATINGS}3/", {"stars": stars}, format="json")

    assert response.status_code == 400
    assert "stars" in error_of(response)["fields"]
    assert _stars(user) == {}


@pytest.mark.parametrize("movie_id", ["404", "0", "abc"])
def test_rating_a_missing_movie_is_a_clear_404(as_user, movies, movie_id):
    response = as_user.put(f"{RATINGS}{movie_id}/", {"stars": 3}, format="json")

    assert response.status_code == 404
    assert movie_id in error_of(response)["message"]


def test_posting_a_missing_movie_is_a_clear_404(as_user, movies):
    response = as_user.post(RATINGS, {"movie_id": 404, "stars": 3}, format="json")

    assert response.status_code == 404
    assert error_of(response)["message"] == "There is no movie with id 404."


def test_list_shows_only_my_ratings_newest_first(as_user, user, other_user, movies):
    rating_submit(user=user, movie_id=1, stars=5)
    rating_submit(user=other_user, movie_id=2, stars=1)
    rating_submit(user=user, movie_id=4, stars=3)

    body = as_user.get(RATINGS).json()

    assert [(r["movie"]["id"], r["stars"]) for r in body["results"]] == [(4, 3), (1, 5)]


def test_nobody_reads_or_changes_another_persons_rating(as_other, user, movies):
    rating_submit(user=user, movie_id=1, stars=5)

    assert as_other.get(f"{RATINGS}1/").status_code == 404
    assert as_other.delete(f"{RATINGS}1/").status_code == 404
    assert as_other.put(f"{RATINGS}1/", {"stars": 1}, format="json").status_code == 201
    assert as_other.get(RATINGS, {"user": user.pk}).json()["count"] == 1  # only theirs
    assert _stars(user) == {1: 5}


def test_get_my_rating_of_a_movie(as_user, user, movies):
    rating_submit(user=user, movie_id=2, stars=4)

    body = as_user.get(f"{RATINGS}2/").json()

    assert (body["movie"]["title"], body["stars"]) == ("Jumanji", 4)


def test_delete_withdraws_my_rating_then_404s(as_user, user, movies):
    rating_submit(user=user, movie_id=2, stars=4)

    assert as_user.delete(f"{RATINGS}2/").status_code == 204
    second = as_user.delete(f"{RATINGS}2/")

    assert second.status_code == 404
    assert error_of(second)["code"] == "not_found"
    movie_totals_fold()
    assert Movie.objects.get(pk=2).rating_count == 4


def test_a_rating_refreshes_recommendations_after_commit(
    as_user, user, movies, refresh_calls, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        as_user.put(f"{RATINGS}1/", {"stars": 5}, format="json")

    refresh_calls.assert_called_once_with(user.pk)


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", RATINGS), ("post", RATINGS), ("get", f"{RATINGS}1/"), ("put", f"{RATINGS}1/"),
     ("delete", f"{RATINGS}1/")],
)  # fmt: skip
def test_ratings_need_authentication(anonymous, movies, method, path):
    response = getattr(anonymous, method)(path, {"stars": 3}, format="json")

    assert response.status_code == 401
    assert error_of(response)["code"] == "not_authenticated"
    assert not Rating.objects.exists()
