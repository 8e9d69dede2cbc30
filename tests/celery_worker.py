"""A real Celery worker process for tests, on the test database and a test Redis db.

Eager mode would hide what matters here: transaction visibility, ordering, processes.
"""

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def worker_env() -> dict[str, str]:
    db = connection.settings_dict
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "movierec_site.test_settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        "MODEL_DIR": str(settings.MODEL_DIR),
        "MILVUS_URI": settings.MILVUS_URI,
        "TRAINING_PRESET": settings.TRAINING_PRESET,
    }


@contextmanager
def celery_worker(name: str, log: Path, queues: str = "training,celery"):
    """Start `celery worker` (solo pool, as the training worker runs) and stop it after."""
    process = _start(name, log, queues)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def _start(name: str, log: Path, queues: str) -> subprocess.Popen:
    command = [
        sys.executable, "-m", "celery", "-A", "movierec_site", "worker",
        "--pool", "solo", "-Q", queues, "-n", name, "--loglevel", "INFO",
        "--without-gossip", "--without-mingle", "--without-heartbeat",
    ]  # fmt: skip
    handle = log.open("ab")
    process = subprocess.Popen(command, cwd=ROOT, env=worker_env(), stdout=handle, stderr=handle)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if "ready." in log.read_text(errors="replace"):
            return process
        if process.poll() is not None:
            raise RuntimeError(f"celery worker exited:\n{log.read_text()[-3000:]}")
        time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"celery worker did not start:\n{log.read_text()[-3000:]}")


def wait_for(predicate, timeout: float, what: str, log: Path | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    tail = log.read_text()[-3000:] if log else ""
    raise AssertionError(f"timed out after {timeout}s waiting for {what}\n{tail}")
