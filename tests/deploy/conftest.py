import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
# What a real deployment sets, besides its database, Redis and Milvus URLs.
PRODUCTION_ENV = {
    "MOVIEREC_ENV": "production",
    "SECRET_KEY": "k3Vq-production-test-key-that-is-long-and-varied-0123456789",
    "ALLOWED_HOSTS": "movies.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://movies.example.com",
    "TRUST_X_FORWARDED_PROTO": "1",
    "SECURE_HSTS_PRELOAD": "1",
}
# Settings from this suite's own environment that would change what is under test.
_SCRUBBED = {
    "DEBUG",
    "SECRET_KEY",
    "MOVIEREC_ENV",
    "DJANGO_SETTINGS_MODULE",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "LOG_FORMAT",
}


def run_python(args: list[str], **env: str) -> subprocess.CompletedProcess:
    """`python <args>` in a fresh interpreter at the repository root with `env` added."""
    clean = {k: v for k, v in os.environ.items() if k not in _SCRUBBED}
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "movierec_site.settings", **env},
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


@pytest.fixture(scope="session")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture
def active_model(db):
    """An active model version row: what /readyz looks for (not a trained model)."""
    from tests.training import model_version_row

    return model_version_row(is_active=True)
