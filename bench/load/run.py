"""Load on the real stack: `.venv/bin/python -m bench.load.run`.

Needs the database with MovieLens imported and an active model (DATABASE_URL, default the
development database), Redis, the Milvus server (MILVUS_URI), and `wrk` (apt-get install
wrk). Starts gunicorn (2 sync workers) and a Celery worker (queue `celery`) on a Redis
database of its own (--redis-db, flushed before and after), creates throwaway people with
sessions and JWTs (readers with ten ratings each, writers with none), warms the readers'
lists through one page view each, then drives each scenario with wrk from loopback:

  healthz                     the trivial Django view: this server's ceiling
  home                        the signed-in home page (cached list + popular-like-you)
  api_recommendations         GET /api/v1/recommendations/?limit=10 (cached lists)
  api_recommendations_low     the same at --low-connections: service time, not queueing
  api_rate                    POST /api/v1/ratings/ (new ratings; on_commit refresh tasks)

For each: requests/s, p50/p95/p99, counts by status class, socket errors. After the
writes: every 201 must be a row in PostgreSQL. The per-user API throttle is raised for the
run (API_THROTTLE_USER) so that it measures the app, not the throttle; retraining on new
ratings is off (RETRAIN_AFTER_RATINGS=0) so that the run leaves no training behind. The
people and their ratings are deleted after, movie totals restored.

Writes bench/out/load.json and docs/load-latency.png.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from datetime import UTC, datetime
from pathlib import Path

from bench.common import OUT_DIR, ROOT, django_setup, result_write
from bench.load.plots import latency_png

LUA_TEMPLATE = Path(__file__).with_name("wrk.lua")
PLOT = ROOT / "docs" / "load-latency.png"
# Writers x movies distinct ratings to POST: more than a run sends, few enough for one Lua table.
RATED_MOVIES = 300


def args_parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=20, help="seconds per scenario (≤ 60)")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--low-connections", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--readers", type=int, default=16)
    parser.add_argument("--writers", type=int, default=16)
    parser.add_argument("--redis-db", type=int, default=12)
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    args = parser.parse_args()
    if not 1 <= args.duration <= 60:
        parser.error("--duration must be 1..60 seconds: the machine is shared")
    return args


def main() -> None:
    args = args_parse()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install -y wrk")
    env = _environment(args)
    os.environ.update(env)
    django_setup()
    from bench.load.people import people_create, people_delete

    _redis_flush(env["REDIS_URL"])
    people_delete(people=[])  # a crashed earlier run's people
    movie_ids = _popular_movie_ids()
    readers = people_create(count=args.readers, role="reader", movie_ids=movie_ids)
    writers = people_create(count=args.writers, role="writer", movie_ids=movie_ids)
    base = f"http://127.0.0.1:{env['BENCH_PORT']}"
    processes = []
    try:
        processes = _servers_start(env)
        _wait_until_up(base)
        warm = _warm(base, readers)
        scenarios = _scenarios(args, readers, writers, movie_ids)
        results = {
            name: _wrk(base, args, name, requests, conns) for name, requests, conns in scenarios
        }
        time.sleep(2)  # requests in flight when wrk stopped finish on the server
        results["api_rate"]["ratings_rows_in_postgres"] = _rows(writers)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
        deleted = people_delete(people=readers + writers)
        _redis_flush(env["REDIS_URL"])
    result = _summary(args, results, warm, deleted)
    path = result_write("load", result)
    latency_png({name: row for name, row in results.items()}, PLOT)
    _print(result)
    print(f"\n(written to {path} and {PLOT.relative_to(ROOT)})")


def _environment(args) -> dict[str, str]:
    from recommender.vector_index.server import port_find_free

    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0").rsplit("/", 1)[0]
    return {
        "DJANGO_SETTINGS_MODULE": "movierec_site.settings",
        "REDIS_URL": f"{redis_url}/{args.redis_db}",
        "API_THROTTLE_USER": "1000000/minute",
        "RETRAIN_AFTER_RATINGS": "0",
        "LOG_LEVEL": "WARNING",
        "BENCH_PORT": str(args.port or port_find_free()),
    }


def _redis_flush(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def _popular_movie_ids() -> list[int]:
    from catalog.models import Movie

    return list(Movie.objects.order_by("-rating_count").values_list("id", flat=True)[:1000])


def _servers_start(env: dict[str, str]) -> list[subprocess.Popen]:
    full = {**os.environ, **env}
    logs = OUT_DIR / "load-logs"
    logs.mkdir(parents=True, exist_ok=True)
    gunicorn = [
        str(Path(sys.executable).with_name("gunicorn")),
        "movierec_site.wsgi",
        "-w",
        "2",
        "-b",
        f"127.0.0.1:{env['BENCH_PORT']}",
        "--timeout",
        "60",
    ]
    worker = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "movierec_site",
        "worker",
        "-Q",
        "celery",
        "--concurrency",
        "1",
        "-n",
        f"loadbench-{uuid.uuid4().hex[:6]}@%h",
        "--loglevel",
        "WARNING",
    ]
    return [
        subprocess.Popen(
            command, cwd=ROOT, env=full, stdout=log.open("wb"), stderr=subprocess.STDOUT
        )
        for command, log in ((gunicorn, logs / "gunicorn.log"), (worker, logs / "worker.log"))
    ]


def _wait_until_up(base: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer on {base}; see bench/out/load-logs/")


def _warm(base: str, readers) -> dict:
    """One home page and one API page per reader: computes and caches their lists."""
    started, statuses = time.monotonic(), []
    for person in readers:
        for path, header in (
            ("/", ("Cookie", person.session_cookie)),
            ("/api/v1/recommendations/?limit=10", ("Authorization", f"Bearer {person.bearer}")),
        ):
            request = urllib.request.Request(base + path, headers=dict([header]))
            with urllib.request.urlopen(request, timeout=60) as response:
                statuses.append(response.status)
    return {
        "requests": len(statuses),
        "all_200": set(statuses) == {200},
        "seconds": round(time.monotonic() - started, 1),
    }


def _scenarios(args, readers, writers, movie_ids):
    home = [("GET", "/", {"Cookie": p.session_cookie}, None) for p in readers]
    recs = [
        ("GET", "/api/v1/recommendations/?limit=10", {"Authorization": f"Bearer {p.bearer}"}, None)
        for p in readers
    ]
    rate = [
        (
            "POST",
            "/api/v1/ratings/",
            {"Authorization": f"Bearer {w.bearer}", "Content-Type": "application/json"},
            json.dumps({"movie_id": movie_id, "stars": (k % 5) + 1}),
        )
        for k, movie_id in enumerate(movie_ids[:RATED_MOVIES])
        for w in writers
    ]
    return [
        ("healthz", [("GET", "/healthz", {}, None)], args.connections),
        ("home", home, args.connections),
        ("api_recommendations", recs, args.connections),
        ("api_recommendations_low", recs, args.low_connections),
        ("api_rate", rate, args.connections),
    ]


def _lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _lua_request(method: str, path: str, headers: dict, body: str | None) -> str:
    header = ", ".join(f"[{_lua_string(k)}] = {_lua_string(v)}" for k, v in headers.items())
    lua_body = _lua_string(body) if body else "nil"
    return f"{{{_lua_string(method)}, {_lua_string(path)}, {{{header}}}, {lua_body}}}"


def _wrk(base: str, args, name: str, requests: list, connections: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="movierec-wrk-") as scratch:
        out = Path(scratch) / "result.json"
        table = ",\n".join(_lua_request(*r) for r in requests)
        scenario = f"scenario = {{out = {_lua_string(str(out))}, requests = {{\n{table}\n}}}}"
        script = Path(scratch) / f"{name}.lua"
        script.write_text(LUA_TEMPLATE.read_text().replace("-- @@SCENARIO@@", scenario, 1))
        command = [
            "wrk",
            "-t",
            str(min(args.threads, connections)),
            "-c",
            str(connections),
            "-d",
            f"{args.duration}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            base,
        ]
        print(f"{name}: wrk -c {connections} -d {args.duration}s ...", flush=True)
        ran = subprocess.run(command, check=True, capture_output=True, text=True)
        if not out.exists():  # wrk reports Lua errors on stdout and still exits 0
            raise RuntimeError(f"wrk wrote no result for {name}:\n{ran.stdout}\n{ran.stderr}")
        row = json.loads(out.read_text())
    row["connections"] = connections
    row["requests_per_s"] = round(row["requests"] / row["duration_s"], 1)
    return row


def _rows(writers) -> int:
    from bench.load.people import ratings_count

    return ratings_count(people=writers)


def _summary(args, results: dict, warm: dict, deleted: int) -> dict:
    ceiling = results["healthz"]["latency_ms"]["50"]
    rate = results["api_rate"]
    cached = results["api_recommendations"]["latency_ms"]
    targets = {
        "zero_5xx": sum(r["status_5xx"] for r in results.values()) == 0,
        "home_p50_within_2x_healthz": results["home"]["latency_ms"]["50"] <= 2 * ceiling,
        "api_p50_within_2x_healthz": cached["50"] <= 2 * ceiling,
        "cached_recommendations_p99_le_100ms": cached["99"] <= 100,
        "cached_recommendations_p99_le_100ms_at_low_concurrency": (
            results["api_recommendations_low"]["latency_ms"]["99"] <= 100
        ),
        "every_201_rating_in_postgres": rate["ratings_rows_in_postgres"] >= rate["status_201"],
    }
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": f"DATABASE_URL=…/{_database_name()} MILVUS_URI={_milvus_uri()}"
        " .venv/bin/python -m bench.load.run " + " ".join(sys.argv[1:]),
        "machine": {"cpus": os.cpu_count(), "load_avg_1m": round(os.getloadavg()[0], 2)},
        "setup": {
            "gunicorn_workers": 2,
            "celery_concurrency": 1,
            "duration_s": args.duration,
            "readers": args.readers,
            "writers": args.writers,
            "warm_up": warm,
            "people_deleted_after": deleted,
        },
        "scenarios": results,
        "targets": targets,
    }


def _milvus_uri() -> str:
    return os.environ.get("MILVUS_URI", "(default)")


def _database_name() -> str:
    from django.db import connection

    return connection.settings_dict["NAME"]


def _print(result: dict) -> None:
    print(
        f"{'scenario':<26}{'conns':>6}{'req/s':>9}{'p50':>9}{'p95':>9}{'p99':>9}"
        f"{'2xx':>8}{'4xx':>6}{'5xx':>6}{'sock':>6}"
    )
    for name, row in result["scenarios"].items():
        ms = row["latency_ms"]
        sock = sum(row["socket_errors"].values())
        print(
            f"{name:<26}{row['connections']:>6}{row['requests_per_s']:>9}{ms['50']:>9.1f}"
            f"{ms['95']:>9.1f}{ms['99']:>9.1f}{row['status_2xx']:>8}{row['status_4xx']:>6}"
            f"{row['status_5xx']:>6}{sock:>6}"
        )
    rate = result["scenarios"]["api_rate"]
    print(
        f"\nratings answered 201: {rate['status_201']}; rows in PostgreSQL after: "
        f"{rate['ratings_rows_in_postgres']}"
    )
    for name, ok in result["targets"].items():
        print(f"  {'PASS' if ok else 'FAIL'}  {name}")


if __name__ == "__main__":
    main()
