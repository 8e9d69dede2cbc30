"""Shared pieces of the fault tests: timed requests, dead endpoints, rating counts."""

import copy
import time
from contextlib import contextmanager

from django.conf import settings
from django.test import override_settings

from catalog.models import Rating

# Nothing listens on the discard port on this machine's loopback: connections are refused.
DEAD_REDIS = "redis://127.0.0.1:9/0"
# However a part fails, a request must answer rather than hang: the time is the behaviour.
# Generous next to the 1.5 s a request gives a dead Milvus (recommender/vector_index/
# client.py) and the 1 s a dead Redis gets (core/cache.py), so a busy machine passes; still
# under the 10 s pymilvus waits when a call forgets its timeout, which must fail here.
ANSWER_WITHIN_SECONDS = 8.0


def timed(call, *args, **kwargs):
    """(response, seconds)."""
    started = time.monotonic()
    response = call(*args, **kwargs)
    return response, time.monotonic() - started


@contextmanager
def broker_at(url: str):
    """Point this process's Celery producer at `url`. The app reads its broker once and
    pools connections, so the settings alone would not reach it."""
    from movierec_site.celery import app

    saved = app.conf.broker_url, app._pool, app.amqp._producer_pool
    app.conf.broker_url, app._pool, app.amqp._producer_pool = url, None, None
    try:
        yield
    finally:
        app.conf.broker_url, app._pool, app.amqp._producer_pool = saved


@contextmanager
def redis_down():
    """The cache and the Celery broker both at a port where nothing listens."""
    caches = copy.deepcopy(settings.CACHES)
    caches["default"]["LOCATION"] = DEAD_REDIS
    with override_settings(CACHES=caches, REDIS_URL=DEAD_REDIS), broker_at(DEAD_REDIS):
        yield


def ratings_of(user) -> dict[int, int]:
    return dict(Rating.objects.filter(user=user).values_list("movie_id", "stars"))
