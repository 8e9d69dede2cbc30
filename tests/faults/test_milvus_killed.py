"""The Milvus server killed while people use the site, then restarted on the same data.

Its own milvus-lite server (not the session one), trained into and then SIGKILLed: no
graceful shutdown, as when the OOM killer or a crash takes it. While it is
down: cached lists keep serving, uncached ones are the popular fallback, similar movies fall
back to the genre's most popular, ratings are saved; never a 5xx. After the restart on the
same data dir and port the model's lists come back without restarting Django.
"""

import os
import signal
from pathlib import Path

import pytest
from django.test import Client

from recommender.vector_index import milvus_lite_server
from recommender.vector_index.server import port_find_free
from tests.api.helpers import client_for
from tests.faults.helpers import ANSWER_WITHIN_SECONDS, ratings_of, timed
from tests.training import train_now

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

RECOMMENDATIONS = "/api/v1/recommendations/"


def _page(response) -> dict:
    assert response.status_code == 200, response.content[:500]
    return response.json()


def _server_kill(port: int) -> None:
    """SIGKILL the milvus-lite server process serving `port` (a child of this one)."""
    for proc in Path("/proc").iterdir():
        try:
            argv = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"milvus_lite.cmdline" in b" ".join(argv) and str(port).encode() in argv:
            os.kill(int(proc.name), signal.SIGKILL)
            return
    raise AssertionError(f"no milvus-lite server process on port {port}")


@pytest.fixture
def people(django_user_model, newcomer):
    from catalog.models import Profile

    other = django_user_model.objects.create_user("cold", password="pw-for-tests-only")
    Profile.objects.create(user=other, gender="M", age=35, occupation=7)
    return newcomer, other


def test_killed_milvus_gives_fallbacks_then_recovers(synthetic_catalog, settings, tmp_path, people):
    warm, cold = people
    data_dir, port = tmp_path / "milvus-data", port_find_free()
    with milvus_lite_server(data_dir=data_dir, port=port) as uri:
        settings.MILVUS_URI = uri
        train_now()
        warmed = _page(client_for(warm).get(RECOMMENDATIONS, {"limit": 10}))
        assert not warmed["fallback"]
        _server_kill(port)

        web = Client()
        web.force_login(cold)
        rate = client_for(cold).post
        answers = [
            timed(client_for(warm).get, RECOMMENDATIONS, {"limit": 10}),
            timed(client_for(cold).get, RECOMMENDATIONS, {"limit": 10}),
            timed(client_for(cold).get, "/api/v1/movies/1/similar/"),
            timed(rate, "/api/v1/ratings/", {"movie_id": 2, "stars": 4}, format="json"),
            timed(web.get, "/"),
            timed(web.get, "/movies/1/"),
            timed(web.post, "/movies/3/rating/", {"stars": "5"}),
        ]

    assert [r.status_code for r, _ in answers] == [200, 200, 200, 201, 200, 200, 302]
    assert max(seconds for _, seconds in answers) < ANSWER_WITHIN_SECONDS
    assert answers[0][0].json() == warmed  # a cached list does not need Milvus
    down = answers[1][0].json()
    assert down["fallback"]
    assert len(down["items"]) == 10
    assert answers[2][0].json()  # similar movies: the genre's popular ones instead
    assert ratings_of(cold) == {2: 4, 3: 5}

    with milvus_lite_server(data_dir=data_dir, port=port):
        back = _page(client_for(cold).get(RECOMMENDATIONS, {"limit": 10}))

    assert not back["fallback"]
    assert {2, 3}.isdisjoint(item["movie"]["id"] for item in back["items"])
