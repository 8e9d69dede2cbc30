"""Email settings come from the environment: the console by default, SMTP when a host is
given, and a bad value stops start-up (each case in a fresh interpreter)."""

import os
import subprocess
import sys

import pytest

SMTP = {"EMAIL_HOST": "smtp.example.com", "DEFAULT_FROM_EMAIL": "movierec <films@example.com>"}


def _email_settings(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("EMAIL_")}
    clean.pop("DEFAULT_FROM_EMAIL", None)
    code = (
        "import movierec_site.settings as s; print(s.EMAIL_BACKEND.split('.')[-2], s.EMAIL_HOST,"
        " s.EMAIL_PORT, s.EMAIL_USE_TLS, s.EMAIL_USE_SSL, s.DEFAULT_FROM_EMAIL, sep='|')"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "MOVIEREC_ENV": "development", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_without_a_host_mail_goes_to_the_console():
    result = _email_settings()

    assert result.returncode == 0, result.stderr
    assert result.stdout.split("|")[0] == "console"


@pytest.mark.parametrize(
    ("env", "port", "tls", "ssl"),
    [
        ({}, "587", "True", "False"),
        ({"EMAIL_USE_TLS": "0", "EMAIL_USE_SSL": "1", "EMAIL_PORT": "465"}, "465", "False", "True"),
    ],
)
def test_a_host_turns_on_smtp_with_tls(env, port, tls, ssl):
    result = _email_settings(**SMTP, **env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().split("|") == [
        "smtp",
        "smtp.example.com",
        port,
        tls,
        ssl,
        "movierec <films@example.com>",
    ]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"EMAIL_HOST": "smtp.example.com"}, "set DEFAULT_FROM_EMAIL to a real sender"),
        ({**SMTP, "EMAIL_HOST": "smtp://mail.example.com"}, "is not a bare host name"),
        ({**SMTP, "EMAIL_HOST": "mail.example.com:25"}, "is not a bare host name"),
        ({**SMTP, "EMAIL_PORT": "70000"}, "EMAIL_PORT=70000 is above its maximum"),
        ({**SMTP, "EMAIL_USE_SSL": "1"}, "both on; set one to 0"),
        ({"DEFAULT_FROM_EMAIL": "movierec"}, "DEFAULT_FROM_EMAIL='movierec' is not an email"),
        ({"EMAIL_TIMEOUT": "0"}, "EMAIL_TIMEOUT=0 is below its minimum"),
    ],
)
def test_it_refuses_a_bad_value(env: dict, message: str):
    result = _email_settings(**env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr
