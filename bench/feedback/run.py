"""Feedback-loop latency on the running stack: `.venv/bin/python -m bench.feedback.run`.

Needs the database with MovieLens imported and an active, indexed model (`make demo` or
`manage.py import_movielens` + `train --inline`), Redis, and the Milvus server. Starts its
own Celery worker (queue `celery`) and prints, in one run:
  - rating -> refreshed list served (p50/p95): from the rating's commit until the worker
    has cached the new list and a page view is served from it;
  - serving latency of a cold list (user vector + Milvus + re-rank) vs a cached one;
  - Milvus top-10 search vs numpy brute force over the same vectors.
"""

import argparse
import os
import subprocess
import sys
import time
import uuid

from bench.common import ROOT, django_setup, result_write


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10, help="people who rate")
    parser.add_argument("--ratings", type=int, default=5, help="ratings each")
    parser.add_argument("--queries", type=int, default=200, help="searches per method")
    args = parser.parse_args()
    django_setup()
    worker = _worker_start()
    try:
        result = _measure(args)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    path = result_write("feedback", result)
    _print(result)
    print(f"\n(written to {path})")


def _worker_start() -> subprocess.Popen:
    log = ROOT / "bench" / "out" / "feedback-worker.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable, "-m", "celery", "-A", "movierec_site", "worker", "-Q", "celery",
        "--concurrency", "2", "-n", f"bench-{uuid.uuid4().hex[:6]}@%h", "--loglevel", "WARNING",
    ]  # fmt: skip
    worker = subprocess.Popen(command, cwd=ROOT, env=os.environ.copy(), stdout=log.open("wb"),
                              stderr=subprocess.STDOUT)  # fmt: skip
    time.sleep(8)  # prefork children import Django and load the model lazily
    return worker


def _measure(args) -> dict:
    from bench.feedback.scenario import (
        bench_people_create,
        bench_people_delete,
        cold_and_cached,
        rating_to_refreshed,
        search_vs_brute_force,
    )

    people = bench_people_create(count=args.users)
    try:
        refresh = rating_to_refreshed(people=people, ratings_each=args.ratings)
        serving = cold_and_cached(people=people)
        search = search_vs_brute_force(queries=args.queries)
    finally:
        bench_people_delete(people=people)
    return {"rating_to_refreshed_list": refresh, **serving, **search}


def _print(result: dict) -> None:
    print(f"{'measure':<36}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
    for name, row in result.items():
        if isinstance(row, dict) and "p50_ms" in row:
            print(
                f"{name:<36}{row['n']:>6}{row['p50_ms']:>10}{row['p95_ms']:>10}{row['max_ms']:>10}"
            )
        else:
            print(f"{name:<36}{row}")


if __name__ == "__main__":
    main()
