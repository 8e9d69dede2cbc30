"""Naming the first bad line of a ratings file, `file:line: reason`, once the fast
column-wise parse has rejected it."""

import re
from pathlib import Path

from catalog.movielens.errors import MovieLensFormatError
from catalog.movielens.layout import Layout

_INT4_MAX, _INT8_MAX = 2**31 - 1, 2**63 - 1
# 9999-12-31T23:59:59Z: later timestamps are not dates anyone rated a movie on.
TIMESTAMP_MAX = 253_402_300_799


def line_error(layout: Layout, row: int, *, users, movies) -> MovieLensFormatError:
    number = row + 1
    line = _line_at(layout.ratings, number)
    reason = rating_line_problem(line, layout.ratings_separator, users=users, movies=movies)
    return MovieLensFormatError(layout.ratings.name, number, reason or "rejected")


def _line_at(path: Path, number: int) -> bytes:
    with path.open("rb") as handle:
        for current, line in enumerate(handle, start=1):
            if current == number:
                return line
    return b""


def first_bad_line(layout: Layout) -> MovieLensFormatError | None:
    strict = re.compile(
        rb"\d+(?:%s\d+){3}\r?\n?" % re.escape(layout.ratings_separator.encode()), re.ASCII
    )
    with layout.ratings.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            reason = rating_line_problem(line, layout.ratings_separator, users=None, movies=None)
            if reason is None and not strict.fullmatch(line):
                reason = "malformed line"
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
    if timestamp > TIMESTAMP_MAX:
        return f"timestamp {timestamp} is after the year 9999"
    if users is not None and user not in users:
        return f"unknown user id {user}"
    if movies is not None and movie not in movies:
        return f"unknown movie id {movie}"
    return None
