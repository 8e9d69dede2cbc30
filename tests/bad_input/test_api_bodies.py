"""Malformed API bodies and parameters: a clear 4xx in the one error shape, never a 5xx,
never a partial write. (Strict typing itself is tested in tests/api/test_ratings.py and
fuzzed by tests/api/test_schemathesis.py; these are the hostile cases end to end.)"""

import pytest
from django.contrib.auth import get_user_model

from catalog.models import Rating
from tests.api.helpers import error_of

pytestmark = pytest.mark.django_db

HUGE = 10**30
RATING_BODIES = [
    {"movie_id": 1, "stars": "5"},
    {"movie_id": 1, "stars": 5.5},
    {"movie_id": 1, "stars": True},
    {"movie_id": 1, "stars": None},
    {"movie_id": 1, "stars": [5]},
    {"movie_id": 1, "stars": HUGE},
    {"movie_id": 1, "stars": -1},
    {"movie_id": "1", "stars": 5},
    {"movie_id": HUGE, "stars": 5},
    {"movie_id": -1, "stars": 5},
    {"movie_id": "🎬", "stars": 5},
    {"movie_id": 1},
    {"stars": 5},
    {},
    [{"movie_id": 1, "stars": 5}],
    "five stars",
]


@pytest.mark.parametrize("body", RATING_BODIES, ids=range(len(RATING_BODIES)))
def test_a_malformed_rating_is_a_400_and_writes_nothing(as_user, movies, body):
    response = as_user.post("/api/v1/ratings/", body, format="json")

    assert response.status_code == 400, response.content
    assert error_of(response)["code"]
    assert Rating.objects.count() == 0


@pytest.mark.parametrize(
    "raw", [b"{", b"\xff\xfe", b'{"movie_id": 1, "stars": 5', b"null", b"1e999"]
)
def test_a_body_that_is_not_json_is_a_400(as_user, movies, raw):
    response = as_user.generic("POST", "/api/v1/ratings/", raw, content_type="application/json")

    assert response.status_code == 400
    assert Rating.objects.count() == 0


def test_a_huge_body_is_refused_without_a_5xx(as_user, movies):
    body = {"movie_id": 1, "stars": 5, "padding": "x" * 3_000_000}

    response = as_user.post("/api/v1/ratings/", body, format="json")

    assert response.status_code in {400, 413}
    assert Rating.objects.count() == 0


@pytest.mark.parametrize("movie_id", [999, 2**31 - 1])
def test_rating_a_missing_movie_is_a_404(as_user, movies, movie_id):
    response = as_user.post("/api/v1/ratings/", {"movie_id": movie_id, "stars": 4}, format="json")

    assert response.status_code == 404
    assert str(movie_id) in error_of(response)["message"]
    assert Rating.objects.count() == 0


@pytest.mark.parametrize("movie_id", ["999", "abc", str(HUGE), "-1", "%F0%9F%8E%AC"])
def test_put_on_a_missing_or_malformed_movie_id_is_a_404(as_user, movies, movie_id):
    response = as_user.put(f"/api/v1/ratings/{movie_id}/", {"stars": 4}, format="json")

    assert response.status_code == 404
    assert Rating.objects.count() == 0


REGISTER = {"password": "a-long-test-password-42", "gender": "F", "age": 25, "occupation": 4}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"username": "u" * 151}, "username"),
        ({"username": "u" * 100_000}, "username"),
        ({"username": "bad\x00name"}, "username"),
        ({"username": "émile 🎬"}, "username"),
        ({"username": ""}, "username"),
        ({"username": 42}, "username"),
        ({"username": "movielens-7"}, "username"),
        ({"username": "ok-name", "age": "25"}, "age"),
        ({"username": "ok-name", "age": HUGE}, "age"),
        ({"username": "ok-name", "gender": "X"}, "gender"),
        ({"username": "ok-name", "zip_code": "1" * 11}, "zip_code"),
        ({"username": "ok-name", "password": "p" * 129}, "password"),
        ({"username": "ok-name", "password": "123"}, "password"),
    ],
)
def test_register_refuses_bad_fields_by_name(anonymous, changes, field, throttle_rates):
    throttle_rates(auth="1000/minute")
    response = anonymous.post("/api/v1/auth/register/", {**REGISTER, **changes}, format="json")

    assert response.status_code == 400, response.content
    assert field in error_of(response)["fields"]
    assert not get_user_model().objects.exists()


# The demographics and the email may be left out: the person prefers not to give them.
@pytest.mark.parametrize("missing", ["username", "password"])
def test_register_names_a_missing_field(anonymous, missing, throttle_rates):
    throttle_rates(auth="1000/minute")
    body = {**REGISTER, "username": "ok-name"}
    del body[missing]

    response = anonymous.post("/api/v1/auth/register/", body, format="json")

    assert response.status_code == 400
    assert missing in error_of(response)["fields"]


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/api/v1/movies/", {"page": 0}),
        ("/api/v1/movies/", {"page": -1}),
        ("/api/v1/movies/", {"page": HUGE}),
        ("/api/v1/movies/", {"page": "abc"}),
        ("/api/v1/movies/", {"page": 99999}),
        ("/api/v1/movies/", {"page_size": HUGE}),
        ("/api/v1/ratings/", {"page": HUGE}),
        ("/api/v1/recommendations/", {"page": HUGE}),
        ("/api/v1/recommendations/", {"limit": -5}),
        ("/api/v1/movies/1/similar/", {"limit": HUGE}),
    ],
)
def test_out_of_range_page_parameters_are_4xx(as_user, movies, path, query):
    response = as_user.get(path, query)

    assert 400 <= response.status_code < 500, (response.status_code, response.content[:300])
    error_of(response)
