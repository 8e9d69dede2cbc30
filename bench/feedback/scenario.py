"""The measured steps of the feedback benchmark (run.py drives them)."""

import time

import numpy as np
from django.conf import settings
from django.core.cache import cache

from bench.common import percentiles, timed_ms
from catalog.models import Movie
from catalog.services.accounts import user_sign_up
from recommender.selectors import scoring_model_get_active
from recommender.services.feedback import rating_submit
from recommender.serving import cache_keys as keys
from recommender.serving import recommendation_list
from recommender.vector_index import index_search

PASSWORD = "bench-only-Pa55word!"  # throwaway accounts, deleted after the run
POLL_SECONDS = 0.005
TIMEOUT_SECONDS = 30


def bench_people_create(*, count: int) -> list:
    tag = int(time.time())
    return [
        user_sign_up(
            username=f"bench-{tag}-{i}", password=PASSWORD, gender="FM"[i % 2],
            age=(18, 25, 35, 45)[i % 4], occupation=i % 21,
        )
        for i in range(count)
    ]  # fmt: skip


def bench_people_delete(*, people: list) -> None:
    for person in people:
        # Undo the movie totals the ratings added, then the person (and ratings) go.
        from catalog.services.ratings import rating_delete

        for movie_id in person.ratings.values_list("movie_id", flat=True):
            rating_delete(user=person, movie_id=movie_id)
        person.delete()


def rating_to_refreshed(*, people: list, ratings_each: int) -> dict:
    """Per rating: commit -> worker caches the new list -> a page is served from it."""
    version, _ = scoring_model_get_active()
    popular = list(Movie.objects.order_by("-rating_count").values_list("id", flat=True)[:200])
    samples = []
    rng = np.random.default_rng(0)
    for person in people:
        recommendation_list(user=person)  # a warm start, as a person who opened the page
        for movie_id in rng.choice(popular, ratings_each, replace=False):
            started = time.perf_counter()
            rating_submit(user=person, movie_id=int(movie_id), stars=int(rng.integers(1, 6)))
            generation = keys.generation_of(user_id=person.pk)
            key = keys.list_key(
                user_id=person.pk, version=version, generation=generation, genre=None
            )
            _wait_for(lambda key=key: cache.get(key) is not None)
            recommendation_list(user=person)
            samples.append((time.perf_counter() - started) * 1000)
    return percentiles(samples)


def cold_and_cached(*, people: list) -> dict:
    cold, cached = [], []
    for person in people:
        keys.generation_bump(user_id=person.pk)  # forget everything cached for them
        cold.append(timed_ms(recommendation_list, user=person)[0])
        cached.append(timed_ms(recommendation_list, user=person)[0])
    return {"serve_cold_list": percentiles(cold), "serve_cached_list": percentiles(cached)}


def search_vs_brute_force(*, queries: int) -> dict:
    _, model = scoring_model_get_active()
    movie_ids, vectors = model.movie_vectors()
    rng = np.random.default_rng(1)
    users = vectors[rng.choice(len(vectors), queries)] + rng.normal(
        0, 0.1, (queries, vectors.shape[1])
    )
    users = (users / np.linalg.norm(users, axis=1, keepdims=True)).astype(np.float32)
    milvus, brute, agree = [], [], 0
    for query in users:
        elapsed, hits = timed_ms(
            index_search, uri=settings.MILVUS_URI, vectors=query[None, :], limit=10
        )
        milvus.append(elapsed)
        elapsed, top = timed_ms(_brute_top10, vectors, query)
        brute.append(elapsed)
        agree += len({m for m, _ in hits[0]} & set(movie_ids[top].tolist()))
    return {
        "milvus_top10_search": percentiles(milvus),
        "numpy_brute_force_top10": percentiles(brute),
        "milvus_recall_vs_exact": round(agree / (10 * queries), 4),
    }


def _brute_top10(vectors: np.ndarray, query: np.ndarray) -> np.ndarray:
    scores = vectors @ query
    top = np.argpartition(-scores, 10)[:10]
    return top[np.argsort(-scores[top])]


def _wait_for(predicate) -> None:
    deadline = time.monotonic() + TIMEOUT_SECONDS
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("the worker did not refresh the list in time")
        time.sleep(POLL_SECONDS)
