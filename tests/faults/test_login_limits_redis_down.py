"""Redis down: the log-in and sign-up limits still hold, counted in the process's memory
(core/limits.py), and the log says so; a lockout counted there still ends."""

import logging

import pytest
from django.test import Client

from core import limits
from tests.api.helpers import client_for, error_of
from tests.faults.helpers import redis_down
from tests.people import PASSWORD, person_create

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"
TOO_MANY = "Too many failed attempts: try again in 15 minutes."


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> FakeClock:
    """A fresh limiter whose in-memory counts run on a clock the test moves (and which no
    other test shares)."""
    clock = FakeClock()
    monkeypatch.setattr(limits, "_counted", limits._Counter(limits.LocalCounts(clock)))
    return clock


@pytest.fixture
def ada(django_user_model):
    return person_create(django_user_model, "ada", age=25)


@pytest.fixture
def throttles_lifted(mocker):
    # DRF's throttles count in the cache, which lets everything through with Redis down
    # anyway; lifted so that only the limits answer.
    mocker.patch("rest_framework.throttling.SimpleRateThrottle.allow_request", return_value=True)


def _token(client, password: str):
    return client.post(TOKEN, {"username": "ada", "password": password}, format="json")


@pytest.mark.usefixtures("clock", "throttles_lifted")
def test_the_api_log_in_limit_holds_with_redis_down_and_says_so_in_the_log(ada, caplog):
    app = client_for(None)

    with redis_down(), caplog.at_level(logging.WARNING, logger="core.limits"):
        failures = [_token(app, "wrong").status_code for _ in range(5)]
        refused = _token(app, PASSWORD)

    assert failures == [401] * 5
    assert refused.status_code == 429
    assert error_of(refused)["message"] == TOO_MANY
    assert "Redis unreachable for the log-in and sign-up limits" in caplog.text


@pytest.mark.usefixtures("clock")
def test_the_web_log_in_limit_holds_with_redis_down(ada):
    browser = Client()

    with redis_down():
        for _ in range(5):
            browser.post("/accounts/login/", {"username": "ada", "password": "wrong"})
        refused = browser.post("/accounts/login/", {"username": "ada", "password": PASSWORD})

    assert refused.context["form"].non_field_errors() == [TOO_MANY]


@pytest.mark.usefixtures("throttles_lifted")
def test_a_lockout_counted_in_memory_ends_after_the_lockout_minutes(ada, clock):
    app = client_for(None)

    with redis_down():
        for _ in range(5):
            _token(app, "wrong")
        clock.now += 15 * 60 - 1
        still_locked = _token(app, PASSWORD)
        clock.now += 1
        unlocked = _token(app, PASSWORD)

    assert (still_locked.status_code, unlocked.status_code) == (429, 200)
