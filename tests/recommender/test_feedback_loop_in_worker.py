"""A rating, committed by the web side, refreshes the list in a real worker process.

How fast is measured by bench/feedback (rating -> refreshed list, p50/p95), not here.
"""

import uuid

import pytest
from django.core.cache import cache

from recommender.services.feedback import rating_submit
from recommender.serving import cache_keys as keys
from recommender.serving import recommendation_list
from tests.celery_worker import celery_worker, wait_for
from tests.ml.synthetic import movie_theme
from tests.training import train_now

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_a_rating_refreshes_the_list_in_the_worker(synthetic_catalog, newcomer, tmp_path):
    version = train_now()
    before = [item.movie.pk for item in recommendation_list(user=newcomer).items]
    log = tmp_path / "worker.log"
    with celery_worker(f"feedback-{uuid.uuid4().hex[:8]}@%h", log, queues="celery"):
        for movie_id in [m for m in range(1, 81) if movie_theme([m])[0] == 0][:5]:
            rating_submit(user=newcomer, movie_id=movie_id, stars=5)
        generation = keys.generation_of(user_id=newcomer.pk)
        key = keys.list_key(user_id=newcomer.pk, version=version, generation=generation, genre=None)
        refreshed = wait_for(lambda: cache.get(key), 30, "the refreshed list", log)

    assert generation.split(".")[0] == "5"  # one bump per committed rating (then its stamp)
    after = [item.movie.pk for item in recommendation_list(user=newcomer).items]
    assert after == [entry[0] for entry in refreshed[:10]]
    assert after != before
