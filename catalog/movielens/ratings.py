"""Loading a ratings file into catalog_rating with PostgreSQL binary COPY.

The file is parsed column-wise with numpy (no Python loop over rows), checked (format,
stars, ids, a (user, movie) pair rated twice), mapped from MovieLens user ids to account
ids and sent straight into catalog_rating with `COPY ... (FORMAT binary)`.

Two ways in, chosen by how much is new:

- incremental: the new rows are copied into the table as it is, indexes and foreign keys
  in place (each new row is checked by its foreign key triggers at commit);
- bulk (an empty table, or new rows at least BULK_MIN_SHARE of the rows already there):
  the table's indexes, unique/primary-key constraints and foreign keys are dropped inside
  the import's transaction, the rows copied, and every one re-created from the exact
  definition PostgreSQL reported before (pg_get_indexdef, pg_get_constraintdef) under the
  same name. Building an index once is far cheaper than maintaining it row by row, and
  re-adding a foreign key checks all rows in one join instead of one query per row.
  It holds ACCESS EXCLUSIVE locks on catalog_rating, auth_user and catalog_movie until
  the transaction ends: meant for a first load, not for a busy site.

Either way the movies' rating_count and rating_sum grow by the added rows, and it all
happens in the caller's transaction: an error leaves the database
as it was, indexes and constraints included. When a line is bad, the error names it as
`file:line: reason`.
"""

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
from django.db import connection

from catalog.movielens.errors import MovieLensFormatError
from catalog.movielens.layout import Layout
from catalog.movielens.rating_lines import TIMESTAMP_MAX, first_bad_line, line_error
from catalog.movielens.rating_table import (
    TABLE,
    maintenance_work_mem_set,
    table_definitions_drop,
    table_definitions_recreate,
    table_ids_reserve,
    table_indexes_and_constraints,
)
from core import pgcopy

# Bulk path when the new rows are at least this share of the rows already in the table.
BULK_MIN_SHARE = 0.25
# For the index builds of the bulk path: sorts of ml-1m's rows fit in memory.
BULK_MAINTENANCE_WORK_MEM = "256MB"
COPY_CHUNK_ROWS = 1 << 15
_INT4_MAX = 2**31 - 1
_MAX_DIGITS = 18  # every 18-digit number fits in int64
_POSTGRES_EPOCH = 946_684_800  # 2000-01-01T00:00:00Z, the zero of binary timestamptz
_DENSE_IDS_MAX = 10_000_000

ProgressCallback = Callable[[int], None]


class Phases:
    """Wall time per named phase, in seconds, in the order they first ran."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start


@dataclass(frozen=True)
class RatingsFile:
    """A ratings file as columns; row i is line i + 1 (blank lines are errors)."""

    layout: Layout
    size: int
    user_ml: np.ndarray
    movie: np.ndarray
    stars: np.ndarray
    timestamp: np.ndarray

    def __len__(self) -> int:
        return len(self.user_ml)


def ratings_read(layout: Layout) -> RatingsFile:
    """Parse and check the ratings file on its own (ids are checked against the database
    by ratings_load); a malformed line raises MovieLensFormatError naming it."""
    data = layout.ratings.read_bytes()
    columns = _parse_columns(data, layout.ratings_separator.encode())
    if columns is None:
        raise first_bad_line(layout) or MovieLensFormatError(
            layout.ratings.name, None, "malformed file"
        )
    user, movie, stars, timestamp = columns
    bad = (user > _INT4_MAX) | (movie > _INT4_MAX) | (stars < 1) | (stars > 5)
    bad |= timestamp > TIMESTAMP_MAX
    if bad.any():
        raise line_error(layout, int(np.argmax(bad)), users=None, movies=None)
    return RatingsFile(layout, len(data), user, movie, stars, timestamp)


def ratings_load(
    ratings: RatingsFile, *, phase: Phases, on_progress: ProgressCallback | None = None
) -> int:
    """Add the file's ratings that are not in catalog_rating yet; how many were added.

    Must run inside a transaction. The users and movies must exist already.
    """
    with phase("ratings: checks"):
        user_id = _account_ids(ratings)
        order = _sorted_without_repeats(ratings, user_id)
        with connection.cursor() as cursor:
            # Writers wait until the import commits; readers are not blocked.
            cursor.execute(f"LOCK TABLE {TABLE} IN SHARE ROW EXCLUSIVE MODE")
        existing = _existing_pairs()
        if len(existing):
            keys = _pair_keys(user_id[order], ratings.movie[order])
            order = order[~np.isin(keys, existing, assume_unique=True)]
    if not len(order):
        if on_progress:
            on_progress(ratings.size)
        return 0
    rows = _Rows(
        user_id[order], ratings.movie[order], ratings.stars[order], ratings.timestamp[order]
    )
    with phase("ratings: movie rating totals"):
        _movie_totals_add(rows)
    if len(existing) and len(order) < BULK_MIN_SHARE * len(existing):
        with phase("ratings: COPY into catalog_rating (incremental)"):
            _copy(rows, ids=None, on_progress=on_progress, file_size=ratings.size)
        return len(order)
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {TABLE} IN ACCESS EXCLUSIVE MODE")
        with phase("ratings: drop indexes and constraints"):
            saved = table_indexes_and_constraints(cursor)
            table_definitions_drop(cursor, saved)
        first_id = table_ids_reserve(cursor, len(order))
        with phase("ratings: COPY into catalog_rating (bulk)"):
            _copy(rows, ids=first_id, on_progress=on_progress, file_size=ratings.size)
        with phase("ratings: rebuild indexes"):
            cursor.execute("SELECT current_setting('maintenance_work_mem')")
            before = cursor.fetchone()[0]
            maintenance_work_mem_set(cursor, BULK_MAINTENANCE_WORK_MEM)
            table_definitions_recreate(cursor, saved, foreign_keys=False)
        with phase("ratings: re-add foreign keys"):
            # PostgreSQL checks a new foreign key with one join that runs with
            # work_mem = maintenance_work_mem.
            table_definitions_recreate(cursor, saved, foreign_keys=True)
            maintenance_work_mem_set(cursor, before)
    return len(order)


def _movie_totals_add(rows: "_Rows") -> None:
    """Add the new ratings to catalog_movie's rating_count and rating_sum, straight into
    the movies: additions commute, so the changes the rating services left for
    movie_totals_fold are added later as they would have been."""
    if rows.movie.max() <= _DENSE_IDS_MAX:  # MovieLens ids are small: count by id
        counts = np.bincount(rows.movie)
        sums = np.bincount(rows.movie, weights=rows.stars).astype(np.int64)
        movies = np.flatnonzero(counts)
        counts, sums = counts[movies], sums[movies]
    else:
        movies, inverse = np.unique(rows.movie, return_inverse=True)
        counts = np.bincount(inverse)
        sums = np.bincount(inverse, weights=rows.stars).astype(np.int64)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE catalog_movie m SET rating_count = m.rating_count + t.count,"
            " rating_sum = m.rating_sum + t.total"
            " FROM unnest(%s::integer[], %s::bigint[], %s::bigint[]) AS t(id, count, total)"
            " WHERE m.id = t.id",
            [movies.tolist(), counts.tolist(), sums.tolist()],
        )


@dataclass
class _Rows:
    user_id: np.ndarray
    movie: np.ndarray
    stars: np.ndarray
    timestamp: np.ndarray


def _parse_columns(data: bytes, separator: bytes) -> tuple[np.ndarray, ...] | None:
    """The four columns of a file of `d+SEP d+SEP d+SEP d+ (\\r)\\n` lines, or None when
    any line is not exactly that (or holds a number of more than 18 digits)."""
    if data and not data.endswith(b"\n"):
        data += b"\n"
    raw = np.frombuffer(data, dtype=np.uint8)
    digit = ((raw >= ord("0")) & (raw <= ord("9"))).view(np.int8)
    edges = np.diff(digit, prepend=np.int8(0), append=np.int8(0))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    lines = int(np.count_nonzero(raw == ord("\n")))
    if len(starts) != 4 * lines:
        return None
    if not lines:
        return tuple(np.empty(0, dtype=np.int64) for _ in range(4))
    starts, ends = starts.reshape(lines, 4), ends.reshape(lines, 4)
    # Between fields: exactly the separator. Between lines: "\n" or "\r\n". With every
    # newline of the file accounted for by the count above, nothing else can hide.
    if np.any(starts[:, 1:] - ends[:, :-1] != len(separator)):
        return None
    for offset, byte in enumerate(separator):
        if np.any(raw[ends[:, :-1] + offset] != byte):
            return None
    line_gaps = np.append(starts[1:, 0], len(raw)) - ends[:, 3]
    if starts[0, 0] != 0 or np.any((line_gaps != 1) & (line_gaps != 2)):
        return None
    if np.any(raw[ends[line_gaps == 2, 3]] != ord("\r")):
        return None
    if (ends - starts).max() > _MAX_DIGITS:
        return None
    # The layout is now known to be exact, so a whitespace-separated parse reads it right.
    text = data if separator.isspace() else data.replace(separator, b" ")
    numbers = np.fromstring(text, dtype=np.int64, sep=" ").reshape(lines, 4)
    return tuple(numbers[:, i].copy() for i in range(4))


def _account_ids(ratings: RatingsFile) -> np.ndarray:
    """Each row's auth_user id; the first unknown user or movie is an error."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT movielens_id, user_id FROM catalog_profile"
            " WHERE movielens_id IS NOT NULL ORDER BY movielens_id"
        )
        profiles = np.array(cursor.fetchall(), dtype=np.int64).reshape(-1, 2)
        cursor.execute("SELECT id FROM catalog_movie ORDER BY id")
        movies = np.array([row[0] for row in cursor.fetchall()], dtype=np.int64)
    user_at = _positions(profiles[:, 0], ratings.user_ml)
    bad = user_at < 0
    bad |= _positions(movies, ratings.movie) < 0
    if bad.any():
        known = {"users": set(profiles[:, 0].tolist()), "movies": set(movies.tolist())}
        raise line_error(ratings.layout, int(np.argmax(bad)), **known)
    return profiles[user_at, 1]


def _positions(sorted_ids: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Where each of `ids` is in `sorted_ids`, -1 where it is not."""
    at = np.searchsorted(sorted_ids, ids)
    found = at < len(sorted_ids)
    found[found] = sorted_ids[at[found]] == ids[found]
    return np.where(found, at, -1)


def _pair_keys(user_id: np.ndarray, movie: np.ndarray) -> np.ndarray:
    return (user_id << 32) | movie


def _sorted_without_repeats(ratings: RatingsFile, user_id: np.ndarray) -> np.ndarray:
    """Row order by (user, movie); a pair rated twice in the file is an error.

    Rating a movie twice in one file is ambiguous (which stars count?), and the import
    skips nothing silently: the second line is refused, naming the first.
    """
    keys = _pair_keys(user_id, ratings.movie)
    order = np.argsort(keys, kind="stable")
    repeat = np.flatnonzero(keys[order][1:] == keys[order][:-1]) + 1
    if len(repeat):
        # The earliest second occurrence; in the stable order, the line before it is the
        # first occurrence of its pair.
        at = repeat[np.argmin(order[repeat])]
        row, first = int(order[at]), int(order[at - 1])
        reason = (
            f"user {ratings.user_ml[row]} rated movie {ratings.movie[row]} already"
            f" on line {first + 1}"
        )
        raise MovieLensFormatError(ratings.layout.ratings.name, row + 1, reason)
    return order


def _existing_pairs() -> np.ndarray:
    """The (user, movie) keys already in catalog_rating, sorted."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {TABLE})")
        if not cursor.fetchone()[0]:
            return np.empty(0, dtype=np.int64)
    pairs = pgcopy.copy_out(
        f"SELECT user_id, movie_id FROM {TABLE}", [("user", ">i4"), ("movie", ">i4")]
    )
    keys = _pair_keys(pairs["user"].astype(np.int64), pairs["movie"].astype(np.int64))
    return np.sort(keys)


def _copy(rows: _Rows, *, ids: int | None, on_progress, file_size: int) -> None:
    """COPY the rows into catalog_rating in binary; ids from `ids` on, or the default."""
    columns = [("user_id", ">i4"), ("movie_id", ">i4"), ("stars", ">i2"), ("rated_at", ">i8")]
    if ids is not None:
        columns.insert(0, ("id", ">i8"))
    record = pgcopy.rows_empty(len(rows.user_id), columns)
    if ids is not None:
        record["id"] = np.arange(ids, ids + len(record))
    record["user_id"], record["movie_id"], record["stars"] = rows.user_id, rows.movie, rows.stars
    record["rated_at"] = (rows.timestamp - _POSTGRES_EPOCH) * 1_000_000
    sql = f"COPY {TABLE} ({', '.join(name for name, _ in columns)}) FROM STDIN (FORMAT binary)"
    reported = 0
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        copy.write(pgcopy.HEADER)
        for start in range(0, len(record), COPY_CHUNK_ROWS):
            chunk = record[start : start + COPY_CHUNK_ROWS]
            copy.write(memoryview(chunk.view(np.uint8)))
            if on_progress:
                done = file_size * (start + len(chunk)) // len(record)
                on_progress(done - reported)
                reported = done
        copy.write(pgcopy.TRAILER)
