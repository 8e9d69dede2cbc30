"""Milvus vs numpy brute-force top-10: latency (single and batched), recall, filter costs.

Usage:
    .venv/bin/python -m bench.milvus.run                  # own milvus-lite server, random data
    .venv/bin/python -m bench.milvus.run --uri http://127.0.0.1:19530 --sizes 3883
    .venv/bin/python -m bench.milvus.run --vectors items.npy   # real (n, d) item vectors

Random vectors are drawn from a Gaussian mixture (64 clusters) so that they have the kind
of structure learned embeddings have; i.i.d. noise would be the worst case for ANN indexes.
"""

import argparse
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

import numpy as np

from recommender.vector_index import index_publish, index_search, milvus_lite_server

GENRES = ["Action", "Adventure", "Animation", "Children's", "Comedy", "Crime", "Documentary"]
GENRES += ["Drama", "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery", "Romance"]
GENRES += ["Sci-Fi", "Thriller", "War", "Western"]
TOP_K = 10
EXCLUDED = 2000


def args_parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uri", help="existing Milvus server; default: start milvus-lite")
    parser.add_argument("--sizes", default="3883,50000", help="comma-separated catalog sizes")
    parser.add_argument("--dim", type=int, default=200)
    parser.add_argument("--vectors", type=Path, help=".npy (n, d) item vectors to use instead")
    parser.add_argument("--queries", type=int, default=200, help="queries per measurement")
    parser.add_argument("--batch", type=int, default=32, help="queries per batched call")
    parser.add_argument("--index-types", default="FLAT,HNSW")
    parser.add_argument("--seed", type=int, default=0)
    return parser.parse_args()


def vectors_random(*, n: int, dim: int, rng: np.random.Generator) -> np.ndarray:
    centers = rng.standard_normal((64, dim)).astype(np.float32)
    noise = 0.6 * rng.standard_normal((n, dim)).astype(np.float32)
    return centers[rng.integers(0, 64, size=n)] + noise


def catalog_make(*, vectors: np.ndarray, rng: np.random.Generator) -> dict:
    n = len(vectors)
    return {
        "movie_ids": np.arange(1, n + 1, dtype=np.int64),
        "vectors": vectors,
        "genres": [
            list(rng.choice(GENRES, size=rng.integers(1, 4), replace=False)) for _ in range(n)
        ],
        "years": [int(y) for y in rng.integers(1919, 2001, size=n)],
    }


def normalized(matrix: np.ndarray) -> np.ndarray:
    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


def numpy_topk(*, items: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    """Exact top-k row indices by cosine, best first (items must be normalised)."""
    scores = normalized(queries) @ items.T
    top = np.argpartition(-scores, k, axis=1)[:, :k]
    order = np.argsort(-np.take_along_axis(scores, top, axis=1), axis=1)
    return np.take_along_axis(top, order, axis=1)


def timings_ms(call, batches: list[np.ndarray]) -> np.ndarray:
    """Wall time of ``call(batch)`` for each batch, in milliseconds."""
    times = []
    for batch in batches:
        started = time.perf_counter()
        call(batch)
        times.append((time.perf_counter() - started) * 1000)
    return np.asarray(times)


def percentiles(times: np.ndarray) -> str:
    return f"p50 {np.percentile(times, 50):7.2f} ms  p95 {np.percentile(times, 95):7.2f} ms"


def recall_at_k(*, found: list[list[tuple[int, float]]], exact_ids: np.ndarray) -> float:
    hits = sum(
        len({m for m, _ in row} & set(exact.tolist()))
        for row, exact in zip(found, exact_ids, strict=True)
    )
    return hits / exact_ids.size


def bench_latency(*, uri: str, catalog: dict, queries: np.ndarray, batch: int) -> None:
    items = normalized(catalog["vectors"])
    singles = [queries[i : i + 1] for i in range(len(queries))]
    batches = [queries[i : i + batch] for i in range(0, len(queries), batch)]
    numpy_call = lambda q: numpy_topk(items=items, queries=q, k=TOP_K)  # noqa: E731
    milvus_call = lambda q: index_search(uri=uri, vectors=q, limit=TOP_K, timeout=30)  # noqa: E731
    print(f"    numpy  single          {percentiles(timings_ms(numpy_call, singles))}")
    print(f"    milvus single          {percentiles(timings_ms(milvus_call, singles))}")
    print(f"    numpy  batch of {batch:<4}   {percentiles(timings_ms(numpy_call, batches))}")
    print(f"    milvus batch of {batch:<4}   {percentiles(timings_ms(milvus_call, batches))}")
    found = index_search(uri=uri, vectors=queries, limit=TOP_K, timeout=30)
    exact_ids = catalog["movie_ids"][numpy_topk(items=items, queries=queries, k=TOP_K)]
    print(
        f"    recall@{TOP_K} milvus vs exact: {recall_at_k(found=found, exact_ids=exact_ids):.4f}"
    )


def overfetch_search(*, uri: str, query: np.ndarray, excluded: set[int]) -> list:
    """The alternative to a pushed-down exclusion filter: over-fetch, filter client-side."""
    hits = index_search(uri=uri, vectors=query, limit=TOP_K + len(excluded), timeout=30)[0]
    return [hit for hit in hits if hit[0] not in excluded][:TOP_K]


def bench_filters(*, uri: str, catalog: dict, queries: np.ndarray) -> None:
    rng = np.random.default_rng(1)
    excluded = set(rng.choice(catalog["movie_ids"], size=EXCLUDED, replace=False).tolist())
    singles = [queries[i : i + 1] for i in range(min(len(queries), 50))]
    calls = {
        f"exclude {EXCLUDED} pushdown": lambda q: index_search(
            uri=uri, vectors=q, limit=TOP_K, exclude_movie_ids=excluded, timeout=30
        ),
        f"exclude {EXCLUDED} overfetch": lambda q: overfetch_search(
            uri=uri, query=q, excluded=excluded
        ),
        "genre Comedy": lambda q: index_search(
            uri=uri, vectors=q, limit=TOP_K, genre="Comedy", timeout=30
        ),
        f"genre + exclude {EXCLUDED}": lambda q: index_search(
            uri=uri, vectors=q, limit=TOP_K, genre="Comedy", exclude_movie_ids=excluded, timeout=30
        ),
    }
    for label, call in calls.items():
        print(f"    milvus {label:<24}{percentiles(timings_ms(call, singles))}")


def bench_size(*, uri: str, catalog: dict, args: argparse.Namespace, version: list[int]) -> None:
    n, dim = catalog["vectors"].shape
    queries = np.random.default_rng(args.seed + 1).standard_normal((args.queries, dim))
    queries = queries.astype(np.float32) + catalog["vectors"][: args.queries]
    for index_type in args.index_types.split(","):
        version[0] += 1
        started = time.perf_counter()
        index_publish(uri=uri, version_id=version[0], index_type=index_type, **catalog)
        print(
            f"\n{n} movies x {dim} d, {index_type}: publish {time.perf_counter() - started:.1f} s"
        )
        bench_latency(uri=uri, catalog=catalog, queries=queries, batch=args.batch)
        bench_filters(uri=uri, catalog=catalog, queries=queries)


def main() -> None:
    args = args_parse()
    rng = np.random.default_rng(args.seed)
    if args.vectors is not None:
        all_vectors = [np.load(args.vectors).astype(np.float32)]
    else:
        sizes = [int(s) for s in args.sizes.split(",")]
        all_vectors = [vectors_random(n=n, dim=args.dim, rng=rng) for n in sizes]
    with ExitStack() as stack:
        uri = args.uri
        if uri is None:
            data_dir = Path(stack.enter_context(tempfile.TemporaryDirectory())) / "milvus"
            uri = stack.enter_context(milvus_lite_server(data_dir=data_dir))
        print(f"Milvus at {uri}; top-{TOP_K}; {args.queries} queries per measurement")
        version = [900_000]  # high version ids keep clear of real model versions
        for vectors in all_vectors:
            bench_size(
                uri=uri,
                catalog=catalog_make(vectors=vectors, rng=rng),
                args=args,
                version=version,
            )


if __name__ == "__main__":
    main()
