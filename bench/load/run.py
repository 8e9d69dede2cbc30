"""Load on the real stack: `.venv/bin/python -m bench.load.run` (about five minutes).

Needs the database with MovieLens imported and an active model (DATABASE_URL, default the
development database), Redis, the Milvus server (MILVUS_URI), and `wrk` (apt-get install
wrk). Starts one gunicorn (--workers/--worker-class/--threads; the default is what
--sweep found best on this 2-core machine) and a Celery worker on a Redis database of its
own (--redis-db, flushed before and after), creates throwaway people straight in the
database (bench/load/people.py), caches the readers' lists through one page view each,
then drives each scenario with wrk from loopback, all against the same server:

  healthz               the trivial Django view: this server's ceiling, the ratios' base
  home_anonymous        GET / for a visitor
  movie_anonymous       GET /movies/<id>/ for a visitor, over popular movies
  home_signed_in        GET / for --readers distinct people whose lists are cached
  api_recommendations   GET /api/v1/recommendations/, the same people by JWT
  web_rate              POST /movies/<id>/rating/ (htmx, CSRF from each session)
  api_rate_post         POST /api/v1/ratings/
  api_rate_put          PUT /api/v1/ratings/<id>/

The writes go to --hot-movies popular movies from distinct people, so the movie rows are
contended. Afterwards: every acknowledged rating must be in PostgreSQL, and movie totals
must equal the aggregate over the ratings (drift). Each scenario is reported as
requests/s, p50/p99, time-outs and errors, its ratio to /healthz, and the issue's goal for
it (met or not). The per-user API throttle is raised for the run, JWTs outlive it, and
retraining on new ratings is off; the people and their ratings are deleted after, and
what those ratings added to the movie totals taken off again. Writes bench/out/load.json
and docs/load-latency.png; `python -m bench.report` puts the table in docs/BENCHMARKS.md.

--sweep instead tries each candidate server on /healthz and the signed-in home page and
says which is best (bench/load/sweep.py), writing bench/out/load-sweep.json.
"""

import argparse
import os
import shutil
import sys
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime

from bench.common import ROOT, django_setup, result_write
from bench.load.goals import GOALS, goals_judge, ratio_text
from bench.load.plots import latency_png
from bench.load.scenarios import WRITE_SCENARIOS, reads, writes, wrk_run
from bench.load.server import Gunicorn, servers_start, servers_stop

PLOT = ROOT / "docs" / "load-latency.png"
# What --sweep found best on the 2-core development machine (docs/BENCHMARKS.md), as
# compose/web serves by default.
GTHREAD_THREADS = 2
DEFAULT_SERVER = Gunicorn(workers=2, worker_class="gthread", threads=GTHREAD_THREADS)
# Writers per write scenario unless --writers: enough distinct (person, movie) pairs for
# this many writes a second for the whole --duration, so none is sent twice.
WRITES_PER_S_BUDGET = 500
DRIFT_SETTLE_S = 30


def args_parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--duration", type=int, help="seconds per scenario, ≤ 60 (default 20; 5 with --sweep)"
    )
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--workers", type=int, default=DEFAULT_SERVER.workers)
    parser.add_argument(
        "--worker-class", choices=("sync", "gthread"), default=DEFAULT_SERVER.worker_class
    )
    parser.add_argument(
        "--threads", type=int, help=f"per worker, gthread only (default {GTHREAD_THREADS})"
    )
    parser.add_argument("--sweep", action="store_true", help="find the best server instead")
    parser.add_argument("--sweep-rounds", type=int, default=2)
    parser.add_argument("--readers", type=int, default=32)
    parser.add_argument("--writers", type=int, help="per write scenario (default: enough)")
    parser.add_argument("--hot-movies", type=int, default=5)
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--timeout", type=int, default=2, help="wrk's time-out, seconds")
    parser.add_argument("--redis-db", type=int, default=12)
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    args = parser.parse_args()
    args.duration = args.duration or (5 if args.sweep else 20)
    if not 1 <= args.duration <= 60:
        parser.error("--duration must be 1..60 seconds: the machine is shared")
    if args.worker_class == "sync" and args.threads not in (None, 1):
        parser.error("--threads needs --worker-class gthread")
    args.threads = 1 if args.worker_class == "sync" else args.threads or GTHREAD_THREADS
    args.writers = args.writers or max(
        args.connections, -(-args.duration * WRITES_PER_S_BUDGET // args.hot_movies)
    )
    return args


def main() -> None:
    args = args_parse()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install -y wrk")
    env = _environment(args)
    os.environ.update(env)
    django_setup()
    from bench.load.people import people_delete

    _redis_flush(env["REDIS_URL"])
    people_delete()  # a crashed earlier run's people
    try:
        (_sweep if args.sweep else _load)(args, env)
    finally:
        people_delete()
        _redis_flush(env["REDIS_URL"])


def _load(args, env: dict[str, str]) -> None:
    from bench.load.checks import totals_drift, totals_drift_settled
    from bench.load.people import people_create

    started = time.monotonic()
    drift_before = len(totals_drift())
    movie_ids = _popular_movie_ids()
    readers = people_create(count=args.readers, role="reader", movie_ids=movie_ids)
    groups = {
        name: people_create(count=args.writers, role="writer", movie_ids=movie_ids)
        for name in WRITE_SCENARIOS
    }
    hot = movie_ids[: args.hot_movies]
    scenarios = [
        *reads(readers=readers, movie_ids=movie_ids),
        *writes(groups=groups, hot_movie_ids=hot),
    ]
    print(f"people ready in {time.monotonic() - started:.0f} s", flush=True)
    gunicorn = Gunicorn(args.workers, args.worker_class, args.threads)
    port = int(env["BENCH_PORT"])
    base = f"http://127.0.0.1:{port}"
    processes = servers_start(gunicorn=gunicorn, port=port, env={**os.environ}, celery=True)
    try:
        warm = _warm(base, readers, scenarios)
        results = {s.name: _measure(args, base, s, env["REDIS_URL"]) for s in scenarios}
        drift = totals_drift_settled(timeout_s=DRIFT_SETTLE_S)
    finally:
        servers_stop(processes)
    drift["movies_drifted_before"] = drift_before
    setup = {
        "server": str(gunicorn),
        "gunicorn": vars(gunicorn),
        "celery_concurrency": 1,
        "duration_s": args.duration,
        "connections": args.connections,
        "wrk_threads": args.wrk_threads,
        "wrk_timeout_s": args.timeout,
        "readers": args.readers,
        "writers_per_write_scenario": args.writers,
        "hot_movie_ids": hot,
        "warm_up": warm,
        "seconds": round(time.monotonic() - started),
    }
    result = _summary(setup, results, drift)
    path = result_write("load", result)
    latency_png(results, PLOT, server=setup["server"])
    _print(result)
    print(f"\n(written to {path} and {PLOT.relative_to(ROOT)})")


def _environment(args) -> dict[str, str]:
    from recommender.vector_index.server import port_find_free

    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0").rsplit("/", 1)[0]
    return {
        "DJANGO_SETTINGS_MODULE": "movierec_site.settings",
        "REDIS_URL": f"{redis_url}/{args.redis_db}",
        "API_THROTTLE_USER": "1000000/minute",
        "JWT_ACCESS_MINUTES": "120",  # the bench's tokens are made before the run
        "RETRAIN_AFTER_RATINGS": "0",
        "LOG_LEVEL": "WARNING",
        "BENCH_PORT": str(args.port or port_find_free()),
    }


def _redis_flush(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def _queue_length(url: str, *, purge: bool = False) -> int:
    """Tasks waiting on the default queue; with `purge`, dropped."""
    import redis

    client = redis.Redis.from_url(url)
    pending = client.llen("celery")
    if purge:
        client.delete("celery")
    return pending


def _popular_movie_ids() -> list[int]:
    from catalog.models import Movie

    return list(Movie.objects.order_by("-rating_count", "pk").values_list("id", flat=True)[:1000])


def _sweep(args, env: dict[str, str]) -> None:
    from bench.load.people import people_create
    from bench.load.sweep import sweep

    movie_ids = _popular_movie_ids()
    readers = people_create(count=args.readers, role="reader", movie_ids=movie_ids)
    pair = [
        s
        for s in reads(readers=readers, movie_ids=movie_ids)
        if s.name in ("healthz", "home_signed_in")
    ]
    port = int(env["BENCH_PORT"])
    base = f"http://127.0.0.1:{port}"
    result = sweep(
        base=base,
        port=port,
        env={**os.environ},
        scenarios=pair,
        args=args,
        warm=lambda: _warm(base, readers, []),
        p99_ms=GOALS["home_signed_in"].p99_ms,
    )
    result["duration_s"] = args.duration
    path = result_write("load-sweep", result)
    print(f"\nbest: {result['best']}  (written to {path})")


def _warm(base: str, readers, scenarios) -> dict:
    """One home page and one API list per reader (computes and caches their lists, and has
    the workers load the model), then each scenario's first request, so that a scenario
    that can only fail (a refused token, a CSRF failure) says so before it is measured."""
    started, statuses, refused = time.monotonic(), [], {}
    for person in readers:
        for path, headers in (
            ("/", {"Cookie": person.cookie}),
            ("/api/v1/recommendations/", {"Authorization": f"Bearer {person.bearer}"}),
        ):
            statuses.append(_request(base, "GET", path, headers, None)[0])
    for scenario in scenarios:
        status, body = _request(base, *scenario.requests[0])
        if status not in scenario.ok_statuses:
            refused[scenario.name] = f"{status}: {body[:200]}"
            print(f"warning: {scenario.name} answered {refused[scenario.name]}", flush=True)
    return {
        "requests": len(statuses),
        "all_200": set(statuses) == {200},
        "seconds": round(time.monotonic() - started, 1),
        "first_request_refused": refused,
    }


def _request(base: str, method: str, path: str, headers: dict, body: str | None):
    data = body.encode() if body else None
    request = urllib.request.Request(base + path, data, headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def _measure(args, base: str, scenario, redis_url: str) -> dict:
    if scenario.writes:
        # The refreshes an earlier write scenario queued would run during this one. They
        # only warm caches (a rating has already changed its list's key), so drop them.
        # The last scenario's stay: the worker works through them while totals settle.
        _queue_length(redis_url, purge=True)
    print(f"{scenario.name}: wrk -c {args.connections} -d {args.duration}s ...", flush=True)
    row = wrk_run(
        base=base,
        scenario=scenario,
        connections=args.connections,
        duration_s=args.duration,
        threads=args.wrk_threads,
        timeout_s=args.timeout,
    )
    time.sleep(1)  # requests in flight when wrk stopped finish before the next scenario
    row["title"] = scenario.title
    acked = row.pop("acked_ids")
    if scenario.writes:
        from bench.load.checks import acknowledged_saved

        row["pairs"] = len(scenario.writes)
        row["acked_without_id"] = sum(1 for i in acked if i < 0)
        row["saved"] = acknowledged_saved(scenario=scenario, acked_ids=[i for i in acked if i >= 0])
        row["refreshes_queued_after"] = _queue_length(redis_url)
    return row


def _summary(setup: dict, results: dict, drift: dict) -> dict:
    goals_judge(results=results, drift=drift)
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": f"DATABASE_URL=…/{_database_name()} MILVUS_URI={_milvus_uri()}"
        " .venv/bin/python -m bench.load.run " + " ".join(sys.argv[1:]),
        "machine": {"cpus": os.cpu_count(), "load_avg_1m": round(os.getloadavg()[0], 2)},
        "setup": setup,
        "scenarios": results,
        "drift": drift,
    }


def _milvus_uri() -> str:
    return os.environ.get("MILVUS_URI", "(default)")


def _database_name() -> str:
    from django.db import connection

    return connection.settings_dict["NAME"]


def _print(result: dict) -> None:
    print(f"\nserver: {result['setup']['server']}, {result['setup']['connections']} connections")
    print(f"{'scenario':<22}{'req/s':>9}{'p50':>9}{'p99':>9}{'t/o':>6}{'err':>6}{'ratio':>8}  goal")
    for name, row in result["scenarios"].items():
        ms = row["latency_ms"]
        met = {True: "met", False: "NOT MET"}.get(row.get("goal_met"), "")
        print(
            f"{name:<22}{row['requests_per_s']:>9}{ms['50']:>9.1f}{ms['99']:>9.1f}"
            f"{row['timeouts']:>6}{row['errors']:>6}{ratio_text(row['ratio']):>8}"
            f"  {row.get('goal', '')} {met}"
        )
    for name in WRITE_SCENARIOS:
        row = result["scenarios"][name]
        saved = row["saved"]
        print(
            f"{name}: {saved['acknowledged']} acknowledged, {saved['missing']} missing, "
            f"{saved['wrong_stars']} with other stars; {row['requests']} requests for "
            f"{row['pairs']} pairs; {row['refreshes_queued_after']} refreshes still queued"
        )
    drift = result["drift"]
    print(
        f"movie totals drifted from the aggregate: {drift['movies_drifted']} movies after "
        f"(settled in {drift['seconds_until_settled']} s), {drift['movies_drifted_before']} before"
    )


if __name__ == "__main__":
    main()
