"""/readyz (readiness): which dependency is down, said without hanging or leaking hosts."""

import socket
import time

from movierec_site.health import CHECK_TIMEOUT_SECONDS
from recommender.vector_index import index_publish
from recommender.vector_index.server import port_find_free
from tests.vector_index.helpers import catalog_make


def _publish(uri: str, version_id: int) -> None:
    index_publish(uri=uri, version_id=version_id, **catalog_make(n=20))


def test_readyz_is_ok_when_everything_answers(client, milvus_uri, active_model):
    _publish(milvus_uri, active_model.pk)

    response = client.get("/readyz")

    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"postgresql", "redis", "milvus", "model", "index"}
    assert body["checks"]["model"]["version"] == active_model.pk
    assert body["checks"]["index"]["live_version"] == active_model.pk
    for check in body["checks"].values():
        assert check["status"] == "ok"
        assert check["latency_ms"] >= 0


def test_readyz_reports_a_stopped_milvus(client, settings, active_model):
    settings.MILVUS_URI = f"http://127.0.0.1:{port_find_free()}"

    response = client.get("/readyz")

    checks = response.json()["checks"]
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert checks["milvus"]["status"] == "down"
    assert checks["postgresql"]["status"] == "ok"
    assert checks["redis"]["status"] == "ok"


def test_readyz_reports_an_alias_that_points_at_another_version(client, milvus_uri, active_model):
    _publish(milvus_uri, active_model.pk + 1)

    response = client.get("/readyz")

    index = response.json()["checks"]["index"]
    # Still ready: readers search the active version's own collection, never the alias.
    assert response.status_code == 200
    assert (index["status"], index["active_version"], index["live_version"]) == (
        "mismatch",
        active_model.pk,
        active_model.pk + 1,
    )


def test_readyz_reports_a_stopped_redis(client, settings, milvus_uri, active_model):
    dead = f"redis://127.0.0.1:{port_find_free()}/0"
    settings.REDIS_URL = dead
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": dead}
    }

    response = client.get("/readyz")

    checks = response.json()["checks"]
    assert response.status_code == 503
    assert checks["redis"]["status"] == "down"
    assert checks["milvus"]["status"] == "ok"


def test_readyz_reports_a_missing_model(client, milvus_uri, db):
    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["model"]["status"] == "down"


def test_readyz_does_not_reveal_error_details(client, settings, active_model):
    settings.MILVUS_URI = f"http://127.0.0.1:{port_find_free()}"

    response = client.get("/readyz")

    assert "127.0.0.1" not in response.content.decode()


def test_readyz_gives_up_on_a_hung_milvus_instead_of_hanging(client, settings, active_model):
    # Here the time is the behaviour: a probe that hangs with Milvus is as bad as no probe.
    # The bound is a few times the check's own timeout: loose for a busy machine, yet under
    # the 10 s pymilvus spends on a server that never answers when no timeout is given.
    # A socket that accepts connections and never answers: a Milvus that hangs.
    with socket.create_server(("127.0.0.1", 0)) as silent:
        settings.MILVUS_URI = f"http://127.0.0.1:{silent.getsockname()[1]}"
        started = time.monotonic()
        response = client.get("/readyz")
        elapsed = time.monotonic() - started

    assert response.status_code == 503
    assert response.json()["checks"]["milvus"]["status"] == "down"
    assert elapsed < 3 * CHECK_TIMEOUT_SECONDS
