"""The load benchmark's scenarios (what to request, as whom) and how wrk runs one.

Each scenario is a table of prepared requests that wrk.lua rotates through, each wrk thread
from its own share of the table. Reads rotate through the readers (distinct signed-in
people whose lists are cached) or through popular movies. Writes are distinct (person,
movie) pairs on a few hot movies, arranged so that any 64 requests in a row come from 64
different people spread evenly over the hot movies: each movie row sees many writers at
once. A pair always gets the same stars, and each write carries its index as its
X-Request-ID, which the app echoes: wrk.lua records which writes were acknowledged.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # people.py needs Django set up, which run.py does after parsing
    from bench.load.people import Person

LUA_TEMPLATE = Path(__file__).with_name("wrk.lua")
MOVIE_PAGES = 200  # popular movies the anonymous movie-page scenario rotates through


@dataclass(frozen=True)
class Write:
    person: Person
    movie_id: int
    stars: int


@dataclass
class Scenario:
    name: str
    title: str
    requests: list[tuple[str, str, dict, str | None]]
    ok_statuses: tuple[int, ...] = (200,)
    writes: list[Write] = field(default_factory=list)  # writes[i] is requests[i]


def reads(*, readers: list[Person], movie_ids: list[int]) -> list[Scenario]:
    recommendations = "/api/v1/recommendations/"
    return [
        Scenario("healthz", "`/healthz`", [("GET", "/healthz", {}, None)]),
        Scenario("home_anonymous", "`/` anonymous", [("GET", "/", {}, None)]),
        Scenario(
            "movie_anonymous",
            "`/movies/<id>/` anonymous",
            [("GET", f"/movies/{m}/", {}, None) for m in movie_ids[:MOVIE_PAGES]],
        ),
        Scenario(
            "home_signed_in",
            "`/` signed in",
            [("GET", "/", {"Cookie": p.cookie}, None) for p in readers],
        ),
        Scenario(
            "api_recommendations",
            f"`{recommendations}`",
            [("GET", recommendations, _bearer(p), None) for p in readers],
        ),
    ]


def writes(*, groups: dict[str, list[Person]], hot_movie_ids: list[int]) -> list[Scenario]:
    """One scenario per write path, each with its own group of writers (so every write
    creates a rating, none repeats another scenario's)."""
    plans = {name: _write_plan(people, hot_movie_ids) for name, people in groups.items()}
    web = [
        (
            "POST",
            f"/movies/{w.movie_id}/rating/",
            {
                "Cookie": w.person.cookie,
                "Content-Type": "application/x-www-form-urlencoded",
                "HX-Request": "true",  # the page's htmx form: the widget comes back
            },
            f"csrfmiddlewaretoken={w.person.csrf_token}&next=/&stars={w.stars}",
        )
        for w in plans["web_rate"]
    ]
    post = [
        (
            "POST",
            "/api/v1/ratings/",
            _json(w.person),
            json.dumps({"movie_id": w.movie_id, "stars": w.stars}),
        )
        for w in plans["api_rate_post"]
    ]
    put = [
        ("PUT", f"/api/v1/ratings/{w.movie_id}/", _json(w.person), json.dumps({"stars": w.stars}))
        for w in plans["api_rate_put"]
    ]
    return [
        Scenario("web_rate", "`POST /movies/<id>/rating/`", web, (200,), plans["web_rate"]),
        Scenario(
            "api_rate_post", "`POST /api/v1/ratings/`", post, (200, 201), plans["api_rate_post"]
        ),
        Scenario(
            "api_rate_put", "`PUT /api/v1/ratings/<id>/`", put, (200, 201), plans["api_rate_put"]
        ),
    ]


WRITE_SCENARIOS = ("web_rate", "api_rate_post", "api_rate_put")


def _write_plan(people: list[Person], hot: list[int]) -> list[Write]:
    # Request k: person k mod P, in round k div P, rates hot movie (person + round) mod H:
    # P * H distinct pairs, each person's H movies over H rounds.
    count = len(people)
    plan = []
    for k in range(count * len(hot)):
        person, round_ = k % count, k // count
        slot = (person + round_) % len(hot)
        plan.append(Write(people[person], hot[slot], 1 + (person + 2 * slot) % 5))
    return plan


def _bearer(person: Person) -> dict:
    return {"Authorization": f"Bearer {person.bearer}"}


def _json(person: Person) -> dict:
    return {**_bearer(person), "Content-Type": "application/json"}


def wrk_run(
    *,
    base: str,
    scenario: Scenario,
    connections: int,
    duration_s: int,
    threads: int,
    timeout_s: int,
) -> dict:
    """One wrk run of `scenario`; wrk.lua's JSON (statuses, socket errors, latency
    percentiles, acknowledged write ids) plus requests/s."""
    threads = min(threads, connections)
    with tempfile.TemporaryDirectory(prefix="movierec-wrk-") as scratch:
        out = Path(scratch) / "result.json"
        script = Path(scratch) / f"{scenario.name}.lua"
        script.write_text(
            LUA_TEMPLATE.read_text().replace(
                "-- @@SCENARIO@@", _lua_scenario(scenario, out, threads), 1
            )
        )
        command = [
            "wrk",
            "-t",
            str(threads),
            "-c",
            str(connections),
            "-d",
            f"{duration_s}s",
            "--timeout",
            f"{timeout_s}s",
            "-s",
            str(script),
            base,
        ]
        ran = subprocess.run(command, check=True, capture_output=True, text=True)
        if not out.exists():  # wrk reports Lua errors on stdout and still exits 0
            raise RuntimeError(
                f"wrk wrote no result for {scenario.name}:\n{ran.stdout}\n{ran.stderr}"
            )
        row = json.loads(out.read_text())
    statuses = {int(code): n for code, n in row.pop("statuses").items()}
    socket_errors = row["socket_errors"]
    return {
        **row,
        "connections": connections,
        "requests_per_s": round(row["requests"] / row["duration_s"], 1),
        "statuses": statuses,
        "ok": sum(n for code, n in statuses.items() if code in scenario.ok_statuses),
        "timeouts": socket_errors["timeout"],
        # Answers that are not the scenario's success, and connections that failed.
        "errors": sum(n for code, n in statuses.items() if code not in scenario.ok_statuses)
        + socket_errors["connect"]
        + socket_errors["read"]
        + socket_errors["write"],
    }


def _lua_scenario(scenario: Scenario, out: Path, threads: int) -> str:
    requests = []
    for index, (method, path, headers, body) in enumerate(scenario.requests):
        if scenario.writes:
            headers = {**headers, "X-Request-ID": str(index)}
        requests.append(_lua_request(method, path, headers, body))
    acks = ", ".join(f"[{code}] = true" for code in scenario.ok_statuses)
    return (
        f"scenario = {{out = {_lua_string(str(out))}, threads = {threads}, "
        f"record_acks = {'true' if scenario.writes else 'false'}, acks = {{{acks}}}, "
        f"requests = {{\n" + ",\n".join(requests) + "\n}}"
    )


def _lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _lua_request(method: str, path: str, headers: dict, body: str | None) -> str:
    header = ", ".join(f"[{_lua_string(k)}] = {_lua_string(v)}" for k, v in headers.items())
    lua_body = _lua_string(body) if body else "nil"
    return f"{{{_lua_string(method)}, {_lua_string(path)}, {{{header}}}, {lua_body}}}"
