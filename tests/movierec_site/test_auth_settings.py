"""Token lifetimes, the signing key, trusted proxies and the log-in limits come from the
environment, and a bad value stops start-up (each case in a fresh interpreter)."""

import json
import os
import subprocess
import sys

import pytest

NAMES = (
    "JWT_ACCESS_MINUTES",
    "JWT_REFRESH_DAYS",
    "JWT_SIGNING_KEY",
    "NUM_PROXIES",
    "LOGIN_MAX_FAILURES",
    "LOGIN_MAX_FAILURES_PER_ADDRESS",
    "LOGIN_LOCKOUT_MINUTES",
    "SIGN_UP_MAX_PER_ADDRESS",
    "SIGN_UP_WINDOW_MINUTES",
)
SECRET = "s" * 50


def _auth_settings(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {*NAMES, "DEBUG", "SECRET_KEY"}}
    code = (
        "import json, movierec_site.settings as s; j = s.SIMPLE_JWT; print(json.dumps({"
        "'access': j['ACCESS_TOKEN_LIFETIME'].total_seconds(),"
        "'refresh': j['REFRESH_TOKEN_LIFETIME'].total_seconds(),"
        "'key_is_secret': j['SIGNING_KEY'] == s.SECRET_KEY,"
        "'rotate': j['ROTATE_REFRESH_TOKENS'], 'blacklist': j['BLACKLIST_AFTER_ROTATION'],"
        "'proxies': s.REST_FRAMEWORK['NUM_PROXIES'],"
        "'limits': [s.LOGIN_MAX_FAILURES, s.LOGIN_MAX_FAILURES_PER_ADDRESS,"
        " s.LOGIN_LOCKOUT_MINUTES, s.SIGN_UP_MAX_PER_ADDRESS, s.SIGN_UP_WINDOW_MINUTES]}))"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "MOVIEREC_ENV": "development", "SECRET_KEY": SECRET, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def _loaded(**env: str) -> dict:
    result = _auth_settings(**env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_defaults_rotate_and_blacklist_and_trust_no_proxy():
    loaded = _loaded()

    assert (loaded["access"], loaded["refresh"]) == (5 * 60, 14 * 24 * 3600)
    assert loaded["key_is_secret"]
    assert (loaded["rotate"], loaded["blacklist"]) == (True, True)
    assert loaded["proxies"] == 0
    assert loaded["limits"] == [5, 20, 15, 10, 60]


def test_each_one_is_read_from_the_environment():
    loaded = _loaded(
        JWT_ACCESS_MINUTES="10",
        JWT_REFRESH_DAYS="2",
        JWT_SIGNING_KEY="k" * 40,
        NUM_PROXIES="1",
        LOGIN_MAX_FAILURES="3",
        LOGIN_MAX_FAILURES_PER_ADDRESS="30",
        LOGIN_LOCKOUT_MINUTES="5",
        SIGN_UP_MAX_PER_ADDRESS="4",
        SIGN_UP_WINDOW_MINUTES="120",
    )

    assert (loaded["access"], loaded["refresh"]) == (600, 2 * 24 * 3600)
    assert not loaded["key_is_secret"]
    assert loaded["proxies"] == 1
    assert loaded["limits"] == [3, 30, 5, 4, 120]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"JWT_SIGNING_KEY": "short"}, "JWT_SIGNING_KEY must be at least 32 characters"),
        ({"JWT_ACCESS_MINUTES": "0"}, "JWT_ACCESS_MINUTES=0 is below its minimum of 1"),
        ({"NUM_PROXIES": "-1"}, "NUM_PROXIES=-1 is below its minimum of 0"),
        ({"LOGIN_MAX_FAILURES": "0"}, "LOGIN_MAX_FAILURES=0 is below its minimum of 1"),
        ({"LOGIN_LOCKOUT_MINUTES": "x"}, "LOGIN_LOCKOUT_MINUTES='x' is not a whole number"),
    ],
)
def test_a_bad_value_stops_start_up(env: dict, message: str):
    result = _auth_settings(**env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr
