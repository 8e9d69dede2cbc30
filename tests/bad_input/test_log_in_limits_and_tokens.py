"""The log-in limits and the token routes given odd input: usernames of any length or
script, made-up X-Forwarded-For headers, tokens expired, forged or of the wrong kind. Never
a 5xx, and no odd input escapes the limits."""

from datetime import timedelta

import jwt
import pytest
from django.test import Client
from rest_framework_simplejwt.tokens import RefreshToken

from tests.api.helpers import client_for, error_of
from tests.people import PASSWORD

pytestmark = [
    pytest.mark.django_db,
    # DRF's throttles put the address in their cache keys as it is; Redis takes any key, so
    # Django's warning that memcached would not is beside the point here.
    pytest.mark.filterwarnings("ignore::django.core.cache.CacheKeyWarning"),
]

ODD_USERNAMES = ["u" * 100_000, "ünïcødé-名前", "  ada  ", "ADA", "ada\t", "'; DROP TABLE x; --"]
ODD_FORWARDED_FOR = ["", ",,,", "x" * 10_000, "1.2.3.4, , ", "::1", "not an address"]


@pytest.fixture(autouse=True)
def _behind_one_proxy(settings, throttle_rates):
    # One trusted proxy, so that the header is read; DRF's per-minute throttles lifted.
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    throttle_rates(auth="10000/minute", anon="10000/minute")


@pytest.mark.parametrize("forwarded_for", ODD_FORWARDED_FOR)
@pytest.mark.parametrize("username", ODD_USERNAMES)
def test_odd_log_ins_never_5xx_anywhere(user, staff, username, forwarded_for):
    wrong = {"username": username, "password": "not-it"}
    headers = {"HTTP_X_FORWARDED_FOR": forwarded_for}

    answers = [
        Client().post("/accounts/login/", wrong, **headers),
        Client().post("/admin/login/", wrong, **headers),
        client_for(None).post("/api/v1/auth/token/", wrong, format="json", **headers),
    ]

    assert [response.status_code for response in answers] == [200, 200, 401]


def test_a_username_of_any_length_is_limited_like_any_other(user):
    app, long_name = client_for(None), "u" * 100_000
    wrong = {"username": long_name, "password": "not-it"}

    statuses = [app.post("/api/v1/auth/token/", wrong, format="json").status_code for _ in range(6)]

    assert statuses == [401] * 5 + [429]


def test_a_username_in_another_case_counts_against_the_same_account(user):
    app = client_for(None)
    for username in ("ADA", "Ada", "aDa", "adA", "ADa"):
        body = {"username": username, "password": "not-it"}
        assert app.post("/api/v1/auth/token/", body, format="json").status_code == 401

    right = {"username": "ada", "password": PASSWORD}
    assert app.post("/api/v1/auth/token/", right, format="json").status_code == 429


def _expired(user) -> str:
    token = RefreshToken.for_user(user)
    token.set_exp(lifetime=-timedelta(seconds=1))
    return str(token)


def _signed_elsewhere(user) -> str:
    claims = dict(RefreshToken.for_user(user).payload)
    return jwt.encode(claims, "another-key-that-is-long-enough-000", algorithm="HS256")


@pytest.mark.parametrize("path", ["/api/v1/auth/token/refresh/", "/api/v1/auth/logout/"])
@pytest.mark.parametrize(
    "make_token",
    [
        _expired,
        _signed_elsewhere,
        lambda user: str(RefreshToken.for_user(user).access_token),
        lambda user: str(RefreshToken.for_user(user)) + "x",
        lambda user: "a.b.c",
    ],
    ids=["expired", "signed-elsewhere", "access-token", "tampered", "not-a-jwt"],
)
def test_a_bad_refresh_token_is_a_401(user, path, make_token):
    response = client_for(None).post(path, {"refresh": make_token(user)}, format="json")

    assert response.status_code == 401
    assert error_of(response)["code"] == "token_not_valid"
