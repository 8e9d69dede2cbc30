"""`python -m bench.load.run --sweep`: which gunicorn worker class and count serve this
machine best. Each candidate serves `/healthz` and the signed-in home page (the page the
issue is about) for a few seconds, in --sweep-rounds rounds that go through every
candidate in turn (so that another process's burst of work does not land on one
candidate alone). The best has the highest median signed-in home pages per second among
those that keep the home page's p99 within the issue's goal with no time-outs and no errors
(among all of them, if none does)."""

import os
import statistics
from collections.abc import Callable

from bench.load.scenarios import Scenario, wrk_run
from bench.load.server import Gunicorn, servers_start, servers_stop

CANDIDATES = (
    *(Gunicorn(workers) for workers in (2, 3, 4, 5)),
    *(Gunicorn(w, "gthread", t) for w in (2, 3) for t in (2, 4)),
)
WARM_S = 2  # each new worker loads the model on its first page: not measured


def sweep(
    *,
    base: str,
    port: int,
    env: dict,
    scenarios: list[Scenario],
    args,
    warm: Callable,
    p99_ms: float,
) -> dict:
    """{"candidates": [...], "best": ...}; `scenarios` are healthz and the signed-in home
    (the one ranked, its p99 at most `p99_ms`), `warm` caches the readers' lists through
    the server just started."""
    runs: dict[Gunicorn, list[dict]] = {gunicorn: [] for gunicorn in CANDIDATES}
    wrk = {
        "base": base,
        "connections": args.connections,
        "threads": args.wrk_threads,
        "timeout_s": args.timeout,
    }
    for round_ in range(args.sweep_rounds):
        for gunicorn in CANDIDATES:
            processes = servers_start(gunicorn=gunicorn, port=port, env=env, celery=False)
            try:
                warm()
                wrk_run(scenario=scenarios[-1], duration_s=WARM_S, **wrk)
                run = {
                    s.name: wrk_run(scenario=s, duration_s=args.duration, **wrk) for s in scenarios
                }
            finally:
                servers_stop(processes)
            run["load_avg_1m"] = round(os.getloadavg()[0], 2)
            runs[gunicorn].append(run)
            print(f"round {round_ + 1}: {_line(str(gunicorn), run, scenarios)}", flush=True)
    rows = [_row(gunicorn, measured, scenarios) for gunicorn, measured in runs.items()]
    ranked = scenarios[-1].name
    clean = [
        row
        for row in rows
        if all(row[s.name]["clean"] for s in scenarios) and row[ranked]["p99_ms"] <= p99_ms
    ]
    best = max(clean or rows, key=lambda row: row[ranked]["requests_per_s"])
    print("\nmedians:")
    for row in rows:
        print(f"  {_line(row['server'], row, scenarios)}")
    return {"candidates": rows, "best": best["server"], "best_config": best["config"]}


def _row(gunicorn: Gunicorn, runs: list[dict], scenarios: list[Scenario]) -> dict:
    row = {"server": str(gunicorn), "config": vars(gunicorn).copy()}
    for s in scenarios:
        results = [run[s.name] for run in runs]
        row[s.name] = {
            "requests_per_s": round(statistics.median(r["requests_per_s"] for r in results), 1),
            "p99_ms": statistics.median(r["latency_ms"]["99"] for r in results),
            "timeouts": sum(r["timeouts"] for r in results),
            "errors": sum(r["errors"] for r in results),
            "rounds": [r["requests_per_s"] for r in results],
        }
        row[s.name]["clean"] = row[s.name]["timeouts"] + row[s.name]["errors"] == 0
    row["load_avg_1m"] = [run["load_avg_1m"] for run in runs]
    return row


def _line(server: str, measured: dict, scenarios: list[Scenario]) -> str:
    parts = [f"{server:<26}"]
    for s in scenarios:
        r = measured[s.name]
        p99 = r["p99_ms"] if "p99_ms" in r else r["latency_ms"]["99"]
        parts.append(
            f"{s.name} {r['requests_per_s']:>7} req/s p99 {p99:>6.1f} ms"
            f" t/o {r['timeouts']:>3} err {r['errors']:>3}"
        )
    return "  ".join(parts)
