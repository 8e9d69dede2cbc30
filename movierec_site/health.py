"""Health endpoints for Docker, load balancers and orchestrators.

- ``/healthz`` (liveness): the process answers. It touches no other service, so a
  PostgreSQL outage does not get every web container restarted.
- ``/readyz`` (readiness): PostgreSQL, Redis and Milvus answer and a model version is
  active; 503 otherwise, so a load balancer stops sending people to a container that can
  only show errors. Each check says ok/down and how long it took. Error details are
  logged (with the request id), not returned: this endpoint is public, and they name
  internal hosts. The ``index`` check says whether Milvus's live alias names the version
  PostgreSQL has active ("mismatch" if not, e.g. an activation cut off half-way); it
  does not make the container unready, because readers search the active version's own
  collection, never the alias.
"""

import logging
import time

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from core.readiness import services_status
from recommender.selectors import model_version_get_active, vector_index_live_version

logger = logging.getLogger(__name__)
# A probe must answer well inside the probe's own timeout (compose: 10 s); Milvus is the
# one most likely to hang (a standalone restarting takes a minute), so it gets 2 s.
CHECK_TIMEOUT_SECONDS = 2.0


@require_safe
@never_cache
def healthz_view(request):
    return JsonResponse({"status": "ok"})


@require_safe
@never_cache
def readyz_view(request):
    checks = {
        status.name: _check_entry(status.name, status.ok, status.latency_ms, status.detail)
        for status in services_status(timeout=CHECK_TIMEOUT_SECONDS)
    }
    checks["model"] = _model_check()
    ready = all(check["status"] == "ok" for check in checks.values())
    # Milvus down: asking it again would only double the time a probe waits.
    if checks["milvus"]["status"] == "ok":
        checks["index"] = _index_check(checks["model"].get("version"))
    else:
        checks["index"] = {"status": "down", "latency_ms": 0.0}
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks},
        status=200 if ready else 503,
    )


def _model_check() -> dict:
    started = time.perf_counter()
    try:
        version = model_version_get_active()
        ok, detail = version is not None, "no active model version: run `manage.py train`"
    except Exception as error:  # the database is down: reported by its own check too
        ok, detail = False, f"{type(error).__name__}: {error}"
    latency_ms = round((time.perf_counter() - started) * 1000, 1)
    entry = _check_entry("model", ok, latency_ms, detail)
    if ok:
        entry["version"] = version.pk
    return entry


def _index_check(active_version: int | None) -> dict:
    started = time.perf_counter()
    try:
        live_version = vector_index_live_version(timeout=CHECK_TIMEOUT_SECONDS)
    except Exception as error:  # Milvus is down: reported by its own check too
        latency_ms = round((time.perf_counter() - started) * 1000, 1)
        return _check_entry("index", False, latency_ms, f"{type(error).__name__}: {error}")
    latency_ms = round((time.perf_counter() - started) * 1000, 1)
    entry = {
        "status": "ok" if live_version == active_version else "mismatch",
        "latency_ms": latency_ms,
        "active_version": active_version,
        "live_version": live_version,
    }
    if live_version != active_version:
        logger.warning(
            "readiness check index: the live alias names version %s, the active one is %s",
            live_version,
            active_version,
        )
    return entry


def _check_entry(name: str, ok: bool, latency_ms: float, detail: str) -> dict:
    if not ok:
        logger.warning("readiness check %s failed: %s", name, detail)
    return {"status": "ok" if ok else "down", "latency_ms": latency_ms}
