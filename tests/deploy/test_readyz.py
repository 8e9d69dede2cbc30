"""/readyz (readiness): which dependency is down, said without hanging or leaking hosts."""

import socket
import time

from movierec_site.health import CHECK_TIMEOUT_SECONDS
from recommender.vector_index.server import port_find_free


def test_readyz_is_ok_when_everything_answers(client, milvus_uri, active_model):
    response = client.get("/readyz")

    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"postgresql", "redis", "milvus", "model"}
    assert body["checks"]["model"]["version"] == active_model.pk
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
