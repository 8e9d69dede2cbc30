"""Production settings refuse bad configuration and pass Django's deployment checks
(each in a fresh interpreter, with the environment a deployment would give it)."""

import pytest

from tests.deploy.conftest import PRODUCTION_ENV, run_python

PRINT_SECURITY = (
    "import movierec_site.settings as s; print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE,"
    " s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, getattr(s, 'SECURE_PROXY_SSL_HEADER', None))"
)


def _settings(**env: str):
    return run_python(["-c", PRINT_SECURITY], **env)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY must be at least 32 characters"),
        ({"DEBUG": "1"}, "DEBUG must be off"),
        ({"LOG_FORMAT": "xml"}, "LOG_FORMAT='xml'; use plain or json"),
        ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL='LOUD' is not a logging level"),
        ({"SECURE_HSTS_SECONDS": "-1"}, "SECURE_HSTS_SECONDS=-1 is below its minimum"),
        ({"SESSION_COOKIE_SECURE": "sometimes"}, "SESSION_COOKIE_SECURE='sometimes'"),
    ],
)
def test_it_refuses_bad_production_config(env, message):
    result = _settings(**{**PRODUCTION_ENV, **env})

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_it_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}

    result = _settings(**env)

    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_production_defaults_to_https_only():
    result = _settings(**PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "True", "True", "True", "31536000", "('HTTP_X_FORWARDED_PROTO',", "'https')"
    ]  # fmt: skip


def test_each_https_setting_can_be_turned_off_for_plain_http():
    off = {"SECURE_SSL_REDIRECT": "0", "SESSION_COOKIE_SECURE": "0", "CSRF_COOKIE_SECURE": "0"}

    result = _settings(**{**PRODUCTION_ENV, **off, "TRUST_X_FORWARDED_PROTO": "0"})

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False", "False", "31536000", "None"]


def test_development_stays_on_plain_http():
    result = _settings(MOVIEREC_ENV="development")

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False", "False", "0", "None"]


def test_check_deploy_passes_with_a_deployments_environment():
    result = run_python(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION_ENV
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_when_https_is_turned_off():
    result = run_python(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        **{**PRODUCTION_ENV, "SECURE_SSL_REDIRECT": "0"},
    )

    assert result.returncode != 0
    assert "security.W008" in result.stderr
