"""SECRET_KEY from the environment, never from code.

Production refuses to start without one. A development machine with nothing set gets a
random key generated once and kept under var/, so sessions survive a restart.
"""

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

MIN_LENGTH = 32


def secret_key_from_env(*, production: bool, var_dir: Path) -> str:
    key = os.environ.get("SECRET_KEY")
    if key is not None:
        if len(key) < MIN_LENGTH:
            raise ImproperlyConfigured(f"SECRET_KEY must be at least {MIN_LENGTH} characters.")
        return key
    if production:
        raise ImproperlyConfigured("Set SECRET_KEY: production refuses to run without one.")
    return _development_key(var_dir / "secret_key")


def _development_key(path: Path) -> str:
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    # O_EXCL: two processes starting together must not write different keys.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key
