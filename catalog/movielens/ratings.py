"""Bulk-loading a ratings file with PostgreSQL COPY.

The file is streamed as it is (only ml-1m's `::` separator is rewritten to a tab) into a
temporary staging table, then merged into catalog_rating in one INSERT ... SELECT. Python
never touches a rating row on the happy path; when PostgreSQL rejects the data, the file
is read again to name the first bad line and why.
"""

import re
from collections.abc import Callable, Iterator
from pathlib import Path

from django.db import connection

from catalog.movielens.errors import MovieLensFormatError
from catalog.movielens.layout import Layout

CHUNK_BYTES = 1 << 20
_COPY_LINE = re.compile(r"line (\d+)")
_INT4_MAX, _INT8_MAX = 2**31 - 1, 2**63 - 1

ProgressCallback = Callable[[int], None]


def ratings_copy_to_staging(layout: Layout, *, on_progress: ProgressCallback | None) -> int:
    """COPY the ratings file into the temporary table `movielens_staging`; its row count."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE movielens_staging "
            "(user_ml integer NOT NULL, movie_id integer NOT NULL, "
            "stars smallint NOT NULL, ts bigint NOT NULL) ON COMMIT DROP"
        )
        raw = cursor.cursor  # the psycopg 3 cursor, for its copy() API
        try:
            with raw.copy("COPY movielens_staging FROM STDIN (ENCODING 'LATIN1')") as copy:
                for chunk in _tab_separated_chunks(layout):
                    copy.write(chunk)
                    if on_progress:
                        on_progress(len(chunk))
        except Exception as error:  # psycopg's DataError, NotNullViolation, ...
            raise _located(layout, error) from error
        cursor.execute("SELECT count(*) FROM movielens_staging")
        return cursor.fetchone()[0]


def ratings_check_staging(layout: Layout) -> None:
    """Refuse the whole file when any staged rating has bad stars or an unknown id."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM movielens_staging s"
            " WHERE s.stars NOT BETWEEN 1 AND 5"
            " OR NOT EXISTS (SELECT 1 FROM catalog_movie m WHERE m.id = s.movie_id)"
            " OR NOT EXISTS (SELECT 1 FROM catalog_profile p WHERE p.movielens_id = s.user_ml))"
        )
        if not cursor.fetchone()[0]:
            return
        cursor.execute("SELECT id FROM catalog_movie")
        movies = {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT movielens_id FROM catalog_profile WHERE movielens_id IS NOT NULL")
        users = {row[0] for row in cursor.fetchall()}
    raise _first_bad_line(layout, users=users, movies=movies) or MovieLensFormatError(
        layout.ratings.name, None, "rejected by the database"
    )


def ratings_merge_staging() -> int:
    """Insert staged ratings that are not in the database yet; how many were added."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO catalog_rating (user_id, movie_id, stars, rated_at)"
            " SELECT p.user_id, s.movie_id, s.stars, to_timestamp(s.ts)"
            " FROM movielens_staging s JOIN catalog_profile p ON p.movielens_id = s.user_ml"
            " ON CONFLICT (user_id, movie_id) DO NOTHING"
        )
        return cursor.rowcount


def _tab_separated_chunks(layout: Layout) -> Iterator[bytes]:
    """The file in chunks that end at a line end, with its separator turned into a tab."""
    separator = layout.ratings_separator.encode()
    rest = b""
    with layout.ratings.open("rb") as handle:
        while block := handle.read(CHUNK_BYTES):
            block = rest + block
            cut = block.rfind(b"\n") + 1
            rest = block[cut:]
            yield _to_tabs(block[:cut], separator)
    if rest:
        yield _to_tabs(rest + b"\n", separator)


def _to_tabs(block: bytes, separator: bytes) -> bytes:
    return block if separator == b"\t" else block.replace(separator, b"\t")


def _located(layout: Layout, error: Exception) -> MovieLensFormatError:
    context = getattr(getattr(error, "diag", None), "context", None) or ""
    match = _COPY_LINE.search(context)
    if not match:
        return MovieLensFormatError(layout.ratings.name, None, str(error).strip())
    number = int(match.group(1))
    line = _line_at(layout.ratings, number)
    reason = rating_line_problem(line, layout.ratings_separator, users=None, movies=None)
    return MovieLensFormatError(layout.ratings.name, number, reason or str(error).strip())


def _line_at(path: Path, number: int) -> bytes:
    with path.open("rb") as handle:
        for current, line in enumerate(handle, start=1):
            if current == number:
                return line
    return b""


def _first_bad_line(layout: Layout, *, users: set, movies: set) -> MovieLensFormatError | None:
    with layout.ratings.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            reason = rating_line_problem(line, layout.ratings_separator, users=users, movies=movies)
            if reason:
                return MovieLensFormatError(layout.ratings.name, number, reason)
    return None


def rating_line_problem(
    line: bytes, separator: str, *, users: set | None, movies: set | None
) -> str | None:
    """Why one ratings line cannot be imported, or None; ids are checked when sets are given."""
    try:
        text = line.decode("ascii").rstrip("\r\n")
    except UnicodeDecodeError:
        return "bad encoding: ratings lines hold only ASCII digits"
    fields = text.split(separator)
    if len(fields) != 4:
        return f"expected 4 fields, found {len(fields)}"
    if not all(field.isdigit() for field in fields):
        return f"fields must be whole numbers: {text!r}"
    user, movie, stars, timestamp = (int(field) for field in fields)
    if max(user, movie, stars) > _INT4_MAX or timestamp > _INT8_MAX:
        return f"number too large: {text!r}"
    if not 1 <= stars <= 5:
        return f"stars {stars} outside 1-5"
    if users is not None and user not in users:
        return f"unknown user id {user}"
    if movies is not None and movie not in movies:
        return f"unknown movie id {movie}"
    return None
