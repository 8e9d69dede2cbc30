"""Test data and brute-force reference results for the vector index tests."""

import numpy as np

from recommender.vector_index import connect

GENRES = ["Action", "Comedy", "Drama", "Sci-Fi", "Children's"]


def catalog_make(*, n: int = 400, dim: int = 16, seed: int = 0) -> dict:
    """Random movie vectors with 1-2 genres each and some unknown years."""
    rng = np.random.default_rng(seed)
    movie_ids = rng.choice(np.arange(1, 10 * n), size=n, replace=False).astype(np.int64)
    genres = [list(rng.choice(GENRES, size=rng.integers(1, 3), replace=False)) for _ in range(n)]
    years = [None if i % 7 == 0 else int(1950 + i % 70) for i in range(n)]
    vectors = rng.standard_normal((n, dim)).astype(np.float32)
    return {"movie_ids": movie_ids, "vectors": vectors, "genres": genres, "years": years}


def topk_exact(*, catalog: dict, queries: np.ndarray, limit: int, allowed=None) -> list[list]:
    """Brute-force cosine top-k as (movie_id, score), optionally over a boolean row mask."""
    items = catalog["vectors"] / np.linalg.norm(catalog["vectors"], axis=1, keepdims=True)
    queries = queries / np.linalg.norm(queries, axis=1, keepdims=True)
    scores = queries @ items.T
    if allowed is not None:
        scores[:, ~allowed] = -np.inf
    order = np.argsort(-scores, axis=1)[:, :limit]
    ids = catalog["movie_ids"]
    return [[(int(ids[j]), float(scores[i, j])) for j in row] for i, row in enumerate(order)]


def server_wipe(*, uri: str) -> None:
    """Drop every alias and collection, so each test starts from an empty server."""
    client = connect(uri=uri, timeout=5)
    for alias in client.list_aliases(timeout=5)["aliases"]:
        client.drop_alias(alias, timeout=5)
    for name in client.list_collections(timeout=5):
        client.drop_collection(name, timeout=5)
