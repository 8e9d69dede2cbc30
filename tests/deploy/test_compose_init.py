"""compose/init's check for an active model, run as the script runs it: it decides whether
every `docker compose up` queues a training run."""

import re
import subprocess

import pytest
from django.db import connection

from tests.deploy.conftest import ROOT, run_python

pytestmark = pytest.mark.django_db(transaction=True)


def _init_says_a_model_is_active() -> subprocess.CompletedProcess:
    script = (ROOT / "compose" / "init").read_text()
    check = re.search(r'^if python manage\.py shell -c "([^"]+)"; then$', script, re.MULTILINE)
    assert check, "compose/init no longer checks for an active model this way"
    db = connection.settings_dict
    login = f"{db['USER']}:{db['PASSWORD']}" if db["PASSWORD"] else db["USER"]
    url = f"postgres://{login}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return run_python(["manage.py", "shell", "-c", check[1]], DATABASE_URL=url)


def test_init_does_not_queue_training_when_a_model_is_active(active_model):
    result = _init_says_a_model_is_active()

    assert result.returncode == 0, result.stderr


def test_init_queues_training_when_no_model_is_active():
    result = _init_says_a_model_is_active()

    assert result.returncode == 1
    assert "Error" not in result.stderr, result.stderr
