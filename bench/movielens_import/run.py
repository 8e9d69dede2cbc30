"""Ratings import benchmark: the full movielens_import against a bare COPY of the same file.

Run from the repository root (PostgreSQL as in DATABASE_URL, whose server is used; the
database itself is not touched: a throwaway one, --db, is dropped and re-created):

  .venv/bin/python -m bench.movielens_import.run --data /tmp/ml/ml-1m-u2999 --generate 1000209

For each data set (the folder given; with --generate N also a folder of the same users.dat
and movies.dat with N generated ml-1m-format ratings, in a temporary folder outside the
repository), --repeat times each, median reported:

- import: a freshly created and migrated database, then the whole movielens_import service
  (users, movies, ratings, all its checks, commit), timed per phase;
- COPY: a bare COPY of the same ratings.dat into an unindexed, logged table of four typed
  columns (user int, movie int, stars smallint, ts bigint) on the same server, with `::`
  turned into a tab in 1 MiB chunks, committed. That is the least any import of the file
  has to do: send it, parse its numbers, write them durably. For reference it also times a
  COPY of the file as it is into one text column (no number parsing, no `::` rewrite).

ratio = import / COPY (typed). Prints one table, then the phases.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import numpy as np
import psycopg

CHUNK = 1 << 20


def main() -> None:
    args = _parse_args()
    server = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/movierec")
    bench_url = _with_database(server, args.db)
    os.environ["DATABASE_URL"] = bench_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "movierec_site.settings")
    import django

    django.setup()

    folders = [args.data]
    scratch = None
    if args.generate:
        scratch = Path(tempfile.mkdtemp(prefix="movierec-bench-import-"))
        folders.append(generate(args.data, scratch / f"ml-1m-gen{args.generate}", args))
    try:
        rows = [_measure(folder, args, server, bench_url) for folder in folders]
    finally:
        if scratch and not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)
        _drop_database(server, args.db)
    _print(rows)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(rows, indent=2))


def _parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="an ml-1m format folder")
    parser.add_argument(
        "--generate", type=int, default=0, help="also a generated ratings.dat of N ratings"
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per measure (median)")
    parser.add_argument("--db", default="movierec_bench", help="throwaway database name")
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--keep", action="store_true", help="keep the generated folder")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON here")
    return parser.parse_args()


# -- measuring ---------------------------------------------------------------------------


def _measure(folder: Path, args, server: str, bench_url: str) -> dict:
    from django.db import connection

    from catalog.services.movielens_import import movielens_import

    ratings = folder / "ratings.dat"
    imports, phases, typed, text = [], [], [], []
    for _ in range(args.repeat):
        connection.close()
        _fresh_database(server, args.db)
        start = time.perf_counter()
        report = movielens_import(path=folder)
        imports.append(time.perf_counter() - start)
        phases.append(getattr(report, "phases", {}))
        connection.close()
        with psycopg.connect(_conninfo(bench_url)) as conn:
            typed.append(_bare_copy(conn, ratings, typed=True))
            text.append(_bare_copy(conn, ratings, typed=False))
    median = statistics.median
    row = {
        "file": folder.name,
        "ratings": report.ratings_in_file,
        "added": report.ratings_added,
        "import": median(imports),
        "copy": median(typed),
        "copy_text": median(text),
        "runs": imports,
        "copies": typed,
        "phases": {name: median(p.get(name, 0.0) for p in phases) for name in phases[-1]},
    }
    print(
        f"{row['file']}: import {_list(imports)} s, COPY {_list(typed)} s, "
        f"COPY text {_list(text)} s",
        flush=True,
    )
    return row


def _bare_copy(conn: psycopg.Connection, ratings: Path, *, typed: bool) -> float:
    columns = "(u integer, m integer, s smallint, ts bigint)" if typed else "(line text)"
    with conn.transaction():
        conn.execute(f"DROP TABLE IF EXISTS bench_copy; CREATE TABLE bench_copy {columns}")
    start = time.perf_counter()
    with conn.transaction(), conn.cursor().copy("COPY bench_copy FROM STDIN") as copy:
        if typed:
            for chunk in _tab_separated(ratings):
                copy.write(chunk)
        else:
            with ratings.open("rb") as handle:
                while block := handle.read(CHUNK):
                    copy.write(block)
    elapsed = time.perf_counter() - start
    with conn.transaction():
        conn.execute("DROP TABLE bench_copy")
    return elapsed


def _tab_separated(path: Path):
    rest = b""
    with path.open("rb") as handle:
        while block := handle.read(CHUNK):
            block = rest + block
            cut = block.rfind(b"\n") + 1
            rest = block[cut:]
            yield block[:cut].replace(b"::", b"\t")
    if rest:
        yield rest.replace(b"::", b"\t") + b"\n"


def _print(rows: list[dict]) -> None:
    print()
    header = f"{'file':<22}{'ratings':>10}{'import s':>10}{'COPY s':>9}{'ratio':>7}"
    print(header + f"{'COPY text s':>13}")
    for row in rows:
        print(
            f"{row['file']:<22}{row['ratings']:>10,}{row['import']:>10.3f}{row['copy']:>9.3f}"
            f"{row['import'] / row['copy']:>7.2f}{row['copy_text']:>13.3f}"
        )
    for row in rows:
        print(f"\nphases of the import, {row['file']} (median s):")
        for name, seconds in row["phases"].items():
            print(f"  {name:<50}{seconds:>7.3f}")
        print(f"  {'sum of phases':<50}{sum(row['phases'].values()):>7.3f}")


def _list(values: list[float]) -> str:
    return "[" + ", ".join(f"{value:.3f}" for value in values) + "]"


# -- databases ---------------------------------------------------------------------------


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _conninfo(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


def _admin(server: str) -> psycopg.Connection:
    return psycopg.connect(_conninfo(_with_database(server, "postgres")), autocommit=True)


def _fresh_database(server: str, name: str) -> None:
    from django.core.management import call_command
    from django.db import connection

    _drop_database(server, name)
    with _admin(server) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    call_command("migrate", verbosity=0)
    connection.close()


def _drop_database(server: str, name: str) -> None:
    with _admin(server) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# -- generated data ----------------------------------------------------------------------


def generate(source: Path, folder: Path, args) -> Path:
    """An ml-1m folder: source's users.dat and movies.dat, N generated ratings.

    Like ml-1m: every user rates at least 20 movies, per-user counts are heavy-tailed
    (lognormal), movies are picked by a Zipf-like popularity, no pair repeats, a user's
    lines are together with rising timestamps (2000-2003) and stars follow a per-movie
    mean. Deterministic for a given seed.
    """
    folder.mkdir(parents=True)
    for name in ("users.dat", "movies.dat"):
        shutil.copy(source / name, folder / name)
    users = _first_column(source / "users.dat")
    movies = _first_column(source / "movies.dat")
    rng = np.random.default_rng(args.seed)
    counts = _user_counts(rng, len(users), args.generate, minimum=20, maximum=len(movies))
    popularity = 1.0 / np.arange(1, len(movies) + 1) ** 0.9
    popularity = rng.permutation(popularity / popularity.sum())
    mean_stars = np.clip(rng.normal(3.6, 0.5, len(movies)), 1.2, 4.8)
    start = time.perf_counter()
    with (folder / "ratings.dat").open("w", encoding="ascii") as out:
        for user, count in zip(users, counts, strict=True):
            picks = rng.choice(len(movies), size=count, replace=False, p=popularity)
            stars = np.clip(np.rint(rng.normal(mean_stars[picks], 0.9)), 1, 5).astype(int)
            first = rng.integers(956_703_932, 1_046_454_590)
            stamps = first + np.cumsum(rng.integers(0, 4000, size=count))
            out.writelines(
                f"{user}::{movies[m]}::{s}::{t}\n"
                for m, s, t in zip(picks, stars, stamps, strict=True)
            )
    print(
        f"generated {folder}/ratings.dat: {args.generate:,} ratings "
        f"in {time.perf_counter() - start:.1f} s",
        flush=True,
    )
    return folder


def _first_column(path: Path) -> list[int]:
    with path.open("rb") as handle:
        return [int(line.split(b"::", 1)[0]) for line in handle if line.strip()]


def _user_counts(rng, users: int, total: int, *, minimum: int, maximum: int) -> np.ndarray:
    if not users * minimum <= total <= users * maximum:
        raise SystemExit(f"cannot spread {total} ratings over {users} users")
    weights = rng.lognormal(mean=0.0, sigma=1.1, size=users)
    counts = np.clip(
        minimum + np.floor(weights / weights.sum() * (total - users * minimum)),
        minimum,
        maximum,
    ).astype(int)
    while (short := total - counts.sum()) != 0:  # hand out what rounding and capping left
        room = np.flatnonzero(counts < maximum if short > 0 else counts > minimum)
        step = 1 if short > 0 else -1
        chosen = rng.choice(room, size=min(abs(short), len(room)), replace=False)
        counts[chosen] += step
    return counts


if __name__ == "__main__":
    main()
