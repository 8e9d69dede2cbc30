"""Settings read the environment and refuse bad values loudly (in a fresh interpreter)."""

import os
import subprocess
import sys

import pytest


def _load_settings(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    return subprocess.run(
        [sys.executable, "-c", "import movierec_site.settings as s; print(s.DEBUG, s.DATABASES)"],
        env={**clean, "MOVIEREC_ENV": "development", **env},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "maybe"}, "DEBUG='maybe' is not a boolean"),
        ({"DATABASE_URL": "mysql://x@h/db"}, "DATABASE_URL='mysql://x@h/db' is not a valid URL"),
        ({"DATABASE_URL": "postgres://h:port/db"}, "has an invalid port"),
        ({"DATABASE_URL": "postgres://host"}, "does not name a database"),
        ({"REDIS_URL": "localhost:6379"}, "REDIS_URL='localhost:6379' is not a valid URL"),
        ({"MILVUS_URI": "milvus.db"}, "MILVUS_URI='milvus.db' is not a valid URL"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY must be at least 32 characters"),
        ({"MOVIEREC_ENV": "staging"}, "MOVIEREC_ENV='staging'"),
        ({"MOVIEREC_ENV": "production"}, "Set SECRET_KEY"),
        (
            {"MOVIEREC_ENV": "production", "SECRET_KEY": "k" * 50, "DEBUG": "1"},
            "DEBUG must be off",
        ),
    ],
)
def test_it_refuses_a_bad_value(env: dict, message: str):
    result = _load_settings(**env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_debug_is_off_unless_asked():
    result = _load_settings()

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("False")


def test_database_url_is_parsed():
    result = _load_settings(DATABASE_URL="postgres://me:s%40cret@db.example:6543/films", DEBUG="on")

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("True")
    for part in ("'NAME': 'films'", "'USER': 'me'", "'PASSWORD': 's@cret'", "'PORT': '6543'"):
        assert part in result.stdout
