import pytest

from tests.api.helpers import error_of
from tests.people import PASSWORD

TOKEN = "/api/v1/auth/token/"


def test_token_requests_hit_the_stricter_auth_rate(anonymous, user, throttle_rates):
    throttle_rates(auth="3/minute", anon="100/minute")
    wrong = {"username": "ada", "password": "guess"}
    statuses = [anonymous.post(TOKEN, wrong, format="json").status_code for _ in range(3)]

    throttled = anonymous.post(TOKEN, {"username": "ada", "password": PASSWORD}, format="json")

    assert statuses == [401, 401, 401]
    assert throttled.status_code == 429
    error = error_of(throttled)
    assert error["code"] == "throttled"
    assert 0 < error["extra"]["retry_after"] <= 60
    assert int(throttled["Retry-After"]) > 0


@pytest.mark.django_db
def test_register_shares_the_auth_rate(anonymous, throttle_rates):
    throttle_rates(auth="1/minute", anon="100/minute")
    anonymous.post("/api/v1/auth/register/", {}, format="json")

    assert anonymous.post("/api/v1/auth/register/", {}, format="json").status_code == 429


def test_anonymous_clients_are_throttled(anonymous, movies, throttle_rates):
    throttle_rates(anon="2/minute")

    statuses = [anonymous.get("/api/v1/movies/").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


def test_each_authenticated_client_has_its_own_budget(as_user, as_other, movies, throttle_rates):
    throttle_rates(user="2/minute")

    mine = [as_user.get("/api/v1/ratings/").status_code for _ in range(3)]
    theirs = as_other.get("/api/v1/ratings/").status_code

    assert (mine, theirs) == ([200, 200, 429], 200)
