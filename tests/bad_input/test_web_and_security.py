"""Web forms and pages given bad input, and the security checks: CSRF, other people's data,
staff-only routes, passwords in logs, throttles."""

import logging

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from catalog.models import Rating
from tests.api.helpers import client_for
from tests.people import PASSWORD

pytestmark = pytest.mark.django_db

SIGN_UP = {"password": "a-long-test-password-42", "gender": "F", "age": "25", "occupation": "4"}


def _web(user=None, **kwargs) -> Client:
    client = Client(**kwargs)
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("username", ["u" * 151, "u" * 100_000, "bad name!", "bad\x00name", ""])
def test_web_sign_up_refuses_a_bad_username_with_a_form_error(username):
    response = _web().post("/accounts/signup/", {**SIGN_UP, "username": username})

    assert response.status_code == 400
    assert response.context["form"].errors
    assert not get_user_model().objects.exists()


@pytest.mark.parametrize("page", ["0", "-1", "abc", "99999", str(10**30)])
@pytest.mark.parametrize("path", ["/movies/", "/ratings/"])
def test_web_page_numbers_out_of_range_never_5xx(user, movies, path, page):
    response = _web(user).get(path, {"page": page})

    assert response.status_code < 500
    assert response.status_code in {200, 400, 404}


@pytest.mark.parametrize("stars", ["", "6", "0", "abc", "4.5", "9" * 40])
def test_web_rating_with_bad_stars_is_a_400(user, movies, stars):
    response = _web(user).post("/movies/1/rating/", {"stars": stars})

    assert response.status_code == 400
    assert Rating.objects.count() == 0


@pytest.mark.parametrize("movie_id", [999, 2**31 - 1, 2**31, 10**20])
def test_web_rating_a_missing_movie_is_a_4xx(user, movies, movie_id):
    response = _web(user).post(f"/movies/{movie_id}/rating/", {"stars": "4"})

    assert 400 <= response.status_code < 500
    assert Rating.objects.count() == 0


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/accounts/signup/", {**SIGN_UP, "username": "csrf-less"}),
        ("/accounts/login/", {"username": "ada", "password": PASSWORD}),
        ("/movies/1/rating/", {"stars": "4"}),
        ("/movies/1/rating/remove/", {}),
        ("/accounts/logout/", {}),
    ],
)
def test_web_forms_refuse_a_post_without_the_csrf_token(user, movies, path, data):
    signed_in = path.startswith("/movies/") or path == "/accounts/logout/"
    client = _web(user if signed_in else None, enforce_csrf_checks=True)

    assert client.post(path, data).status_code == 403
    assert Rating.objects.count() == 0
    assert not get_user_model().objects.filter(username="csrf-less").exists()


def test_the_api_with_a_session_refuses_a_post_without_the_csrf_token(user, movies):
    client = _web(user, enforce_csrf_checks=True)

    response = client.post(
        "/api/v1/ratings/", {"movie_id": 1, "stars": 4}, content_type="application/json"
    )

    assert response.status_code == 403
    assert Rating.objects.count() == 0


def test_guessing_ids_never_reaches_another_persons_ratings(user, other_user, movies, as_user):
    Rating.objects.create(user=other_user, movie_id=2, stars=1, rated_at=timezone.now())

    assert as_user.get("/api/v1/ratings/2/").status_code == 404
    assert as_user.delete("/api/v1/ratings/2/").status_code == 404
    assert as_user.get("/api/v1/ratings/").json()["count"] == 0
    assert as_user.get(f"/api/v1/ratings/?user={other_user.pk}").json()["count"] == 0
    assert b"Jumanji" not in _web(user).get("/ratings/").content
    assert Rating.objects.get(user=other_user).stars == 1


@pytest.mark.parametrize(
    "path",
    ["/staff/training/", "/staff/training/runs/1/", "/admin/", "/admin/catalog/rating/"],
)
def test_staff_pages_are_closed_to_people(user, path):
    response = _web(user).get(path)

    assert response.status_code in {302, 403, 404}
    if response.status_code == 302:
        assert "login" in response["Location"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/training/runs/"),
        ("post", "/api/v1/training/runs/"),
        ("get", "/api/v1/model-versions/"),
        ("post", "/api/v1/model-versions/1/activate/"),
    ],
)
def test_staff_api_routes_are_closed_to_people(as_user, method, path):
    response = getattr(as_user, method)(path, {}, format="json")

    assert response.status_code == 403


SECRET = "Sekr1t-Pa55word-never-logged"


def test_passwords_never_reach_the_logs(caplog, movies, throttle_rates):
    throttle_rates(auth="1000/minute")
    caplog.set_level(logging.DEBUG)
    web = Client()
    web.post("/accounts/signup/", {**SIGN_UP, "username": "web-person", "password": SECRET})
    web.post("/accounts/logout/")
    web.post("/accounts/login/", {"username": "web-person", "password": SECRET})
    Client().post("/accounts/login/", {"username": "web-person", "password": SECRET + "x"})
    api = client_for(None)
    body = {"username": "app-person", "password": SECRET, "gender": "M", "age": 35, "occupation": 1}
    api.post("/api/v1/auth/register/", body, format="json")
    api.post("/api/v1/auth/token/", {"username": "app-person", "password": SECRET}, format="json")
    api.post(
        "/api/v1/auth/token/", {"username": "app-person", "password": "x" + SECRET}, format="json"
    )
    api.post("/api/v1/auth/register/", {**body, "age": "bad"}, format="json")  # a 400 logged

    assert get_user_model().objects.count() == 2  # the flows really ran
    assert caplog.records
    assert SECRET not in caplog.text
    assert all(SECRET not in str(record.args) for record in caplog.records)


def test_failed_logins_are_throttled(user, anonymous, throttle_rates):
    throttle_rates(auth="3/minute")
    wrong = {"username": "ada", "password": "not-it"}

    codes = [
        anonymous.post("/api/v1/auth/token/", wrong, format="json").status_code for _ in range(5)
    ]

    assert codes[:3] == [401, 401, 401]
    assert codes[3:] == [429, 429]
