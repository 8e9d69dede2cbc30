"""Rating writes on a few popular movies from many writers at once: writes per second,
the write transaction's latency, lock waits, and whether any movie total drifted.

  DATABASE_URL=... .venv/bin/python -m bench.rating_writes.run [--writers 1,4,16]
      [--writes 200] [--movies 3]

Needs a migrated database with movies (the most popular are the hot ones). Each writer is a
process (as a gunicorn worker is; threads would measure the GIL) and a person of its own,
created for the run and deleted after it with their ratings; each write goes through
catalog.services.ratings: a rating, a change or a removal of one of the hot movies, at
random. A fold runs beside the writers every second, as beat's does. After each run: one
last fold, then every hot movie's totals against the aggregate over its ratings. Each
writer count runs twice: as the services are ("appended"), and with the movie's row also
locked for the whole transaction ("movie row locked"), the lock the services took before
movie totals were appended and folded, to show what it cost.
"""

import argparse
import multiprocessing
import random
import statistics
import threading
import time

from bench.common import django_setup, result_write

USERNAME_PREFIX = "bench-rating-writes-"
FOLD_EVERY_S = 1.0
LOCK_SAMPLE_EVERY_S = 0.01
REMOVE_SHARE = 0.2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", default="1,4,16", help="writer counts, comma-separated")
    parser.add_argument("--writes", type=int, default=200, help="writes per writer")
    parser.add_argument("--movies", type=int, default=3, help="hot movies")
    args = parser.parse_args()
    django_setup()
    from catalog.models import Movie

    movie_ids = list(
        Movie.objects.order_by("-rating_count", "pk").values_list("pk", flat=True)[: args.movies]
    )
    # Untimed: the first run of a process pays for warming caches that later ones share.
    _people_delete()
    _run(1, 20, movie_ids, movie_row_locked=False)
    runs = []
    for writers in (int(n) for n in args.writers.split(",")):
        for movie_row_locked in (False, True):
            _people_delete()
            runs.append(_run(writers, args.writes, movie_ids, movie_row_locked=movie_row_locked))
            _people_delete()
            _print(runs[-1])
    path = result_write("rating_writes", {"hot_movies": movie_ids, "runs": runs})
    print(f"\n(written to {path})")


def _run(writers: int, writes: int, movie_ids: list[int], *, movie_row_locked: bool) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection, connections

    from catalog.services.movie_totals import movie_totals_fold

    people = [get_user_model().objects.create_user(f"{USERNAME_PREFIX}{i}") for i in range(writers)]
    drift_before = _drift(movie_ids)
    connections.close_all()  # no connection may be shared with the forked writers
    fork = multiprocessing.get_context("fork")
    start = fork.Barrier(writers + 1)
    results = fork.SimpleQueue()
    processes = [
        fork.Process(
            target=_writer,
            args=(person, writes, movie_ids, movie_row_locked, start, results, index),
        )
        for index, person in enumerate(people)
    ]
    for process in processes:
        process.start()
    done = threading.Event()
    folds_ms: list[float] = []
    waiting: list[int] = []

    def fold() -> None:
        while not done.wait(FOLD_EVERY_S):
            started = time.perf_counter()
            movie_totals_fold()
            folds_ms.append((time.perf_counter() - started) * 1000)
        connection.close()

    def sample_lock_waits() -> None:
        while not done.wait(LOCK_SAMPLE_EVERY_S):
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
                waiting.append(cursor.fetchone()[0])
        connection.close()

    helpers = [threading.Thread(target=fold), threading.Thread(target=sample_lock_waits)]
    for thread in helpers:
        thread.start()
    start.wait()
    started = time.perf_counter()
    samples = sorted(ms for _ in processes for ms in results.get())
    elapsed = time.perf_counter() - started
    done.set()
    for waited in [*helpers, *processes]:
        waited.join()
    movie_totals_fold()
    return {
        "mode": "movie row locked" if movie_row_locked else "appended",
        "writers": writers,
        "writes": len(samples),
        "writes_per_s": round(len(samples) / elapsed, 1),
        "latency_ms": {
            f"p{q}": round(samples[min(len(samples) - 1, int(q / 100 * len(samples)))], 2)
            for q in (50, 95, 99)
        }
        | {"max": round(samples[-1], 2)},
        "backends_waiting_on_a_lock": {
            "mean": round(statistics.fmean(waiting), 2) if waiting else 0,
            "max": max(waiting, default=0),
        },
        "folds": {"n": len(folds_ms), "max_ms": round(max(folds_ms, default=0), 2)},
        "movies_drifted_before": len(drift_before),
        "movies_drifted_after": len(_drift(movie_ids)),
    }


def _writer(person, writes, movie_ids, movie_row_locked, start, results, seed) -> None:
    """One writer process: `writes` writes, timed one by one, sent back as one list."""
    from django.db import connection

    choose = random.Random(seed)
    # Untimed: connecting and each statement's first run are not what is measured.
    _write(person, choose, movie_ids, movie_row_locked=movie_row_locked)
    start.wait()
    latencies = []
    for _ in range(writes):
        started = time.perf_counter()
        _write(person, choose, movie_ids, movie_row_locked=movie_row_locked)
        latencies.append((time.perf_counter() - started) * 1000)
    connection.close()
    results.put(latencies)


def _write(user, choose: random.Random, movie_ids: list[int], *, movie_row_locked: bool) -> None:
    from django.db import transaction

    from catalog.models import Movie
    from catalog.services.ratings import rating_delete, rating_set

    movie_id = choose.choice(movie_ids)
    with transaction.atomic():
        if movie_row_locked:
            list(Movie.objects.select_for_update().filter(pk=movie_id).values("pk"))
        if choose.random() < REMOVE_SHARE:
            rating_delete(user=user, movie_id=movie_id)
        else:
            rating_set(user=user, movie_id=movie_id, stars=choose.randint(1, 5))


def _drift(movie_ids: list[int]) -> list[tuple]:
    """Hot movies whose (rating_count, rating_sum) differ from the aggregate of their
    ratings."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT m.id, m.rating_count, m.rating_sum, count(r.id), coalesce(sum(r.stars), 0)"
            " FROM catalog_movie m LEFT JOIN catalog_rating r ON r.movie_id = m.id"
            " WHERE m.id = ANY(%s) GROUP BY m.id"
            " HAVING m.rating_count <> count(r.id) OR m.rating_sum <> coalesce(sum(r.stars), 0)",
            [movie_ids],
        )
        return cursor.fetchall()


def _people_delete() -> None:
    """The bench's people, a crashed run's too, with their ratings: removed through the
    rating service, so that the totals they changed come back, then folded."""
    from django.contrib.auth import get_user_model

    from catalog.models import Rating
    from catalog.services.movie_totals import movie_totals_fold
    from catalog.services.ratings import rating_delete

    people = get_user_model().objects.filter(username__startswith=USERNAME_PREFIX)
    for rating in Rating.objects.filter(user__in=people).select_related("user"):
        rating_delete(user=rating.user, movie_id=rating.movie_id)
    movie_totals_fold()
    people.delete()


def _print(run: dict) -> None:
    latency, waits = run["latency_ms"], run["backends_waiting_on_a_lock"]
    print(
        f"{run['mode']:>16} {run['writers']:>3} writers: {run['writes_per_s']:>7} writes/s,"
        f" p50 {latency['p50']} ms, p99 {latency['p99']} ms, max {latency['max']} ms;"
        f" waiting on a lock: mean {waits['mean']}, max {waits['max']};"
        f" drifted movies {run['movies_drifted_before']} -> {run['movies_drifted_after']}"
    )


if __name__ == "__main__":
    main()
