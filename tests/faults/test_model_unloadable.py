"""The active model version's artifact cannot be loaded, whatever the reason (deleted,
truncated, arrays that do not fit together, pickled data, a format or config this code does
not read, garbage): pages serve the popular fallback, never a 500; the failure is logged
once and remembered for a while, so requests neither reload the artifact nor log again.

Found by the load benchmark: a version trained before ModelConfig gained a key made every
signed-in page a 500 (ValueError from the config check) until a new model was trained.
"""

import json
import logging
from pathlib import Path

import numpy as np
import pytest
from django.test import Client

from recommender import selectors
from recommender.scoring import SERVING_FILE
from tests.api.helpers import client_for

pytestmark = pytest.mark.django_db

RECOMMENDATIONS = "/api/v1/recommendations/"
GARBAGE = bytes(range(256)) * 8  # not JSON, not UTF-8, not a zip, not an .npy


@pytest.fixture
def unloadable(trained):
    selectors._load.cache_clear()
    selectors._load_failures.clear()
    yield trained
    selectors._load.cache_clear()
    selectors._load_failures.clear()


def _file(version, name: str) -> Path:
    return Path(version.artifact_path) / name


def _rewrite_json(version, name: str, change) -> None:
    path = _file(version, name)
    path.write_text(json.dumps(change(json.loads(path.read_text()))))


def _rewrite_weights(version, change) -> None:
    path = _file(version, SERVING_FILE)
    with np.load(path) as stored:
        arrays = {name: stored[name] for name in stored.files}
    change(arrays)
    np.savez(path, **arrays)


def _missing(version) -> None:
    version.artifact_path = "/nonexistent/run-404"
    version.save(update_fields=["artifact_path"])


def _config_missing_a_key(version) -> None:
    _rewrite_json(version, "config.json", lambda config: dict(list(config.items())[1:]))


def _config_of_an_unknown_format(version) -> None:
    _rewrite_json(version, "config.json", lambda config: [config])


def _newer_format_version(version) -> None:
    _rewrite_json(version, "model.json", lambda model: {**model, "format_version": 99})


def _truncated_weights(version) -> None:
    path = _file(version, SERVING_FILE)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _weights_with_a_wrong_array(version) -> None:
    # Still a well-formed file with every name: only using the model can find it out.
    _rewrite_weights(version, lambda arrays: arrays.update(user_fc_w=arrays["user_fc_w"][:-1]))


def _pickled_weights(version) -> None:
    def pickled(arrays):
        arrays["movie_ids"] = np.array(list(arrays["movie_ids"]), dtype=object)

    _rewrite_weights(version, pickled)


def _garbage(name: str):
    return lambda version: _file(version, name).write_bytes(GARBAGE)


DAMAGES = {
    "missing": _missing,
    "config_missing_a_key": _config_missing_a_key,
    "config_of_an_unknown_format": _config_of_an_unknown_format,
    "newer_format_version": _newer_format_version,
    "truncated_weights": _truncated_weights,
    "weights_with_a_wrong_array": _weights_with_a_wrong_array,
    "pickled_weights": _pickled_weights,
    **{
        f"garbage_{name}": _garbage(name)
        for name in (SERVING_FILE, "config.json", "model.json", "vocabularies.json", "users.json")
    },
}


def _api_page(user) -> dict:
    response = client_for(user).get(RECOMMENDATIONS, {"limit": 5})
    assert response.status_code == 200, response.content[:500]
    return response.json()


@pytest.mark.parametrize("damage", sorted(DAMAGES))
def test_an_unloadable_model_gives_the_fallback_and_one_log_record(
    unloadable, newcomer, caplog, mocker, damage
):
    DAMAGES[damage](unloadable)
    loads = mocker.spy(selectors, "load_scoring_model")
    web = Client()
    web.force_login(newcomer)

    with caplog.at_level(logging.ERROR):
        pages = [_api_page(newcomer) for _ in range(3)]
        html = [web.get(path) for path in ("/", "/", "/movies/1/", "/movies/2/")]

    assert all(page["fallback"] and len(page["items"]) == 5 for page in pages)
    assert [response.status_code for response in html] == [200] * 4
    assert "popular picks" in html[0].content.decode()
    errors = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert f"Model version {unloadable.pk} cannot be loaded" in errors[0].getMessage()
    assert loads.call_count <= 1


def test_a_repaired_artifact_serves_once_the_failure_is_forgotten(unloadable, newcomer, mocker):
    path = _file(unloadable, SERVING_FILE)
    intact = path.read_bytes()
    _truncated_weights(unloadable)
    clock = mocker.patch("recommender.selectors.monotonic", return_value=1000.0)
    assert _api_page(newcomer)["fallback"]

    path.write_bytes(intact)
    clock.return_value += selectors.LOAD_FAILURE_MEMO_SECONDS - 1
    still_remembered = _api_page(newcomer)
    clock.return_value += 2
    forgotten = _api_page(newcomer)

    assert still_remembered["fallback"]
    assert not forgotten["fallback"]
    assert forgotten["model_version_id"] == unloadable.pk


def test_a_still_broken_artifact_is_logged_again_after_the_memo(
    unloadable, newcomer, caplog, mocker
):
    _truncated_weights(unloadable)
    clock = mocker.patch("recommender.selectors.monotonic", return_value=1000.0)

    with caplog.at_level(logging.ERROR):
        for _ in range(2):
            _api_page(newcomer)
            clock.return_value += selectors.LOAD_FAILURE_MEMO_SECONDS + 1

    assert len([r for r in caplog.records if "cannot be loaded" in r.getMessage()]) == 2
