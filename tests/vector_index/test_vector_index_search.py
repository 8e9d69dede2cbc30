"""Search correctness against numpy brute force, filters, and failing fast when Milvus is down."""

import time

import numpy as np
import pytest

from recommender.vector_index import (
    VectorIndexUnavailable,
    index_publish,
    index_search,
    index_similar,
    milvus_lite_server,
)
from tests.vector_index.helpers import catalog_make, server_wipe, topk_exact


def ids_of(hits):
    return [[movie_id for movie_id, _ in row] for row in hits]


@pytest.fixture(scope="module")
def published(milvus_server_uri):
    """One read-only published catalog shared by the search tests of this module."""
    server_wipe(uri=milvus_server_uri)
    catalog = catalog_make(n=2500)
    index_publish(uri=milvus_server_uri, version_id=1, **catalog)
    return milvus_server_uri, catalog


def test_search_returns_exact_cosine_top_k(published):
    uri, catalog = published
    queries = np.random.default_rng(1).standard_normal((5, 16)).astype(np.float32) * 3

    hits = index_search(uri=uri, vectors=queries, limit=10)

    expected = topk_exact(catalog=catalog, queries=queries, limit=10)
    assert ids_of(hits) == ids_of(expected)
    np.testing.assert_allclose(
        [s for row in hits for _, s in row], [s for row in expected for _, s in row], atol=1e-5
    )


def test_search_excludes_about_2000_rated_movies(published):
    uri, catalog = published
    query = catalog["vectors"][:1]
    excluded = set(catalog["movie_ids"][:2000].tolist())

    hits = index_search(uri=uri, vectors=query, limit=10, exclude_movie_ids=excluded)

    allowed = ~np.isin(catalog["movie_ids"], list(excluded))
    assert ids_of(hits) == ids_of(
        topk_exact(catalog=catalog, queries=query, limit=10, allowed=allowed)
    )


def test_search_filters_by_genre_and_exclusion(published):
    uri, catalog = published
    query = catalog["vectors"][3:4]
    excluded = catalog["movie_ids"][:100]  # a numpy array works too

    hits = index_search(
        uri=uri, vectors=query, limit=10, genre="Children's", exclude_movie_ids=excluded
    )

    has_genre = np.array(["Children's" in genres for genres in catalog["genres"]])
    allowed = has_genre & ~np.isin(catalog["movie_ids"], excluded)
    assert ids_of(hits) == ids_of(
        topk_exact(catalog=catalog, queries=query, limit=10, allowed=allowed)
    )


def test_similar_excludes_the_movie_itself(published):
    uri, catalog = published
    movie_id = int(catalog["movie_ids"][7])

    hits = index_similar(uri=uri, movie_id=movie_id, limit=5)

    expected = topk_exact(catalog=catalog, queries=catalog["vectors"][7:8], limit=6)[0][1:]
    assert [m for m, _ in hits] == [m for m, _ in expected]
    assert index_similar(uri=uri, movie_id=-1, limit=5) == []


def test_search_before_any_publish_is_unavailable(published):
    uri, _ = published
    with pytest.raises(VectorIndexUnavailable, match=r"no collection behind 'movies_unpublished'"):
        index_search(uri=uri, vectors=np.ones((1, 16)), limit=5, alias="movies_unpublished")


def test_search_fails_fast_while_server_is_down_and_recovers_after_restart(tmp_path):
    query = np.ones((1, 16))
    with milvus_lite_server(data_dir=tmp_path / "data") as uri:
        index_publish(uri=uri, version_id=1, **catalog_make(n=50))
        # A search while the server is up leaves a cached channel, as in a web process.
        expected = index_search(uri=uri, vectors=query, limit=3)

    for _ in range(2):
        started = time.monotonic()
        with pytest.raises(VectorIndexUnavailable):
            index_search(uri=uri, vectors=query, limit=3)
        # Fast is the behaviour: 1.5 s search timeout, under pymilvus's own 10 s wait.
        assert time.monotonic() - started < 5

    # milvus-lite comes back with its collections released; search reloads on demand.
    port = int(uri.rsplit(":", 1)[1])
    with milvus_lite_server(data_dir=tmp_path / "data", port=port):
        assert index_search(uri=uri, vectors=query, limit=3) == expected
