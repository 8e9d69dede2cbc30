"""The active model version's artifact cannot be loaded (deleted, or written by an older
ModelConfig than the code now reads): pages serve the popular fallback, not 500s.

Found by the load benchmark: a version trained before ModelConfig gained a key made every
signed-in page a 500 (ValueError from the config check) until a new model was trained.
"""

import json
import logging
from pathlib import Path

import pytest
from django.test import Client

from recommender import selectors
from tests.api.helpers import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def unloadable(trained):
    selectors._load.cache_clear()
    yield trained
    selectors._load.cache_clear()


def _break_config(version) -> None:
    path = Path(version.artifact_path) / "config.json"
    config = json.loads(path.read_text())
    config.pop(next(iter(config)))
    path.write_text(json.dumps(config))


@pytest.mark.parametrize("damage", ["missing", "broken_config"])
def test_an_unloadable_active_model_gives_the_fallback(unloadable, newcomer, caplog, damage):
    if damage == "missing":
        unloadable.artifact_path = "/nonexistent/run-404"
        unloadable.save(update_fields=["artifact_path"])
    else:
        _break_config(unloadable)
    web = Client()
    web.force_login(newcomer)

    with caplog.at_level(logging.ERROR):
        api = client_for(newcomer).get("/api/v1/recommendations/", {"limit": 5})
        home = web.get("/")

    assert (api.status_code, home.status_code) == (200, 200)
    assert api.json()["fallback"]
    assert len(api.json()["items"]) == 5
    assert "cannot be loaded" in caplog.text
