"""Redis down: ratings are still saved, pages still render, and no list computed before a
rating is served after Redis comes back.

Redis is the cache (recommendation lists, user vectors, throttle counters) and the Celery
broker (the refresh a rating sends). Both point at a dead port here, in-process; the
rating's on_commit refresh really runs (transactional test), and really fails to send.
"""

import logging

import pytest
from django.test import Client

from tests.api.helpers import client_for
from tests.faults.helpers import ANSWER_WITHIN_SECONDS, ratings_of, redis_down, timed

pytestmark = pytest.mark.django_db(transaction=True)

RECOMMENDATIONS = "/api/v1/recommendations/"


def _movie_ids(response) -> list[int]:
    assert response.status_code == 200, response.content[:500]
    return [item["movie"]["id"] for item in response.json()["items"]]


@pytest.fixture
def api(newcomer):
    return client_for(newcomer)


@pytest.fixture
def web(newcomer):
    client = Client()
    client.force_login(newcomer)
    return client


def test_ratings_are_saved_and_pages_render_with_redis_down(trained, newcomer, api, web, caplog):
    first, second = _movie_ids(api.get(RECOMMENDATIONS, {"limit": 10}))[:2]

    with redis_down(), caplog.at_level(logging.WARNING):
        answers = [
            timed(api.post, "/api/v1/ratings/", {"movie_id": first, "stars": 5}, format="json"),
            timed(web.post, f"/movies/{second}/rating/", {"stars": "4"}),
            timed(api.get, RECOMMENDATIONS, {"limit": 10}),
            timed(api.get, "/api/v1/movies/", {"page": 2}),
            timed(client_for(None).get, "/api/v1/movies/"),  # anonymous: throttled by cache
            timed(web.get, "/"),
            timed(web.get, "/home/picks/"),
            timed(web.get, "/movies/"),
            timed(web.get, f"/movies/{first}/"),
        ]

    assert [response.status_code for response, _ in answers] == [201, 302] + [200] * 7
    assert max(seconds for _, seconds in answers) < ANSWER_WITHIN_SECONDS
    assert ratings_of(newcomer) == {first: 5, second: 4}
    assert first not in _movie_ids(answers[2][0])
    assert "Redis cache unreachable" in caplog.text


def test_a_list_cached_before_a_rating_is_not_served_after_redis_returns(trained, newcomer, api):
    # The rating's generation bump cannot reach Redis; the list cached before it is still
    # there when Redis is back, under the key the old generation number gives.
    before = _movie_ids(api.get(RECOMMENDATIONS, {"limit": 10}))
    assert _movie_ids(api.get(RECOMMENDATIONS, {"limit": 10})) == before  # cached

    with redis_down():
        response = api.post("/api/v1/ratings/", {"movie_id": before[0], "stars": 1}, format="json")
    assert response.status_code == 201

    after = _movie_ids(api.get(RECOMMENDATIONS, {"limit": 10}))
    assert before[0] not in after


def test_the_lost_refresh_is_logged_not_raised(trained, newcomer, api, caplog):
    with redis_down(), caplog.at_level(logging.ERROR):
        response = api.put("/api/v1/ratings/1/", {"stars": 3}, format="json")

    assert response.status_code == 201
    assert ratings_of(newcomer) == {1: 3}
    assert "on_commit" in caplog.text  # Django's robust on_commit logged the failed send
