"""Settings for the test suite: the real services, with test-only speed-ups."""

import os

os.environ.setdefault("MOVIEREC_ENV", "test")
# A Redis database of its own: a demo worker on db 0 must never take the tests' tasks.
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")

from movierec_site.settings import *  # noqa: F403
from movierec_site.settings import CACHES

# Hashing is not under test; the real hasher would make every login cost ~100 ms.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES["default"]["KEY_PREFIX"] = "movierec-test"
