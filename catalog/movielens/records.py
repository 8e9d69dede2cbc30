"""Parsing users and movies files, line by line, into plain records.

Every problem is reported as `file:line: reason` and nothing is skipped silently:
an import is all or nothing.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from catalog.choices import GENRES, AgeBracket, Gender, age_bracket_for
from catalog.movielens.errors import MovieLensFormatError
from catalog.movielens.layout import ENCODING, ML_1M, Layout

# ml-100k records occupations by name; this is the nearest ml-1m code for each.
ML100K_OCCUPATIONS = {
    "administrator": 3, "artist": 2, "doctor": 6, "educator": 1, "engineer": 17,
    "entertainment": 2, "executive": 7, "healthcare": 6, "homemaker": 9, "lawyer": 11,
    "librarian": 1, "marketing": 14, "none": 0, "other": 0, "programmer": 12, "retired": 13,
    "salesman": 14, "scientist": 15, "student": 4, "technician": 17, "writer": 20,
}  # fmt: skip
# u.item's 19 genre flags: "unknown" first, then the 18 ml-1m genres in the same order.
ML100K_GENRE_FLAGS = ("unknown", *GENRES)
_YEAR = re.compile(r"\((\d{4})\)\s*$")
# C0/C1 control characters never occur in real MovieLens text; seeing one means the file is
# binary or in another encoding (UTF-8 bytes read as latin-1 produce C1 controls).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class UserRecord:
    movielens_id: int
    gender: str
    age: int
    occupation: int
    zip_code: str


@dataclass(frozen=True)
class MovieRecord:
    id: int
    title: str
    year: int | None
    genres: tuple[str, ...]


def users_read(layout: Layout) -> list[UserRecord]:
    parse = _ml1m_user if layout.dataset == ML_1M else _ml100k_user
    return _read_unique(layout.users, layout.separator, parse, key=lambda r: r.movielens_id)


def movies_read(layout: Layout) -> list[MovieRecord]:
    parse = _ml1m_movie if layout.dataset == ML_1M else _ml100k_movie
    return _read_unique(layout.movies, layout.separator, parse, key=lambda r: r.id)


def _read_unique(path: Path, separator: str, parse, *, key) -> list:
    records, seen = [], {}
    for number, fields in _lines(path, separator):
        try:
            record = parse(fields)
        except ValueError as error:
            raise MovieLensFormatError(path.name, number, str(error)) from None
        if key(record) in seen:
            reason = f"id {key(record)} repeats line {seen[key(record)]}"
            raise MovieLensFormatError(path.name, number, reason)
        seen[key(record)] = number
        records.append(record)
    return records


def _lines(path: Path, separator: str) -> Iterator[tuple[int, list[str]]]:
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            text = raw.decode(ENCODING).rstrip("\r\n")
            bad = _CONTROL.search(text)
            if bad:
                reason = f"bad encoding: control byte 0x{ord(bad.group()):02x}"
                raise MovieLensFormatError(path.name, number, reason)
            if text.strip():
                yield number, text.split(separator)


def _expect_fields(fields: list[str], count: int) -> None:
    if len(fields) != count:
        raise ValueError(f"expected {count} fields, found {len(fields)}")


DB_INT_MAX = 2**31 - 1  # ids go into PostgreSQL integer columns


def _whole_number(text: str, what: str) -> int:
    # isdigit() alone takes "²" and other non-ASCII digits, which int() then refuses.
    if not (text.strip().isascii() and text.strip().isdigit()):
        raise ValueError(f"{what} {text!r} is not a whole number")
    if int(text) > DB_INT_MAX:
        raise ValueError(f"{what} {int(text)} is too large (at most {DB_INT_MAX})")
    return int(text)


def _zip_code(text: str) -> str:
    if len(text) > 10:
        raise ValueError(f"zip code {text!r} is longer than 10 characters")
    return text


def _ml1m_user(fields: list[str]) -> UserRecord:
    _expect_fields(fields, 5)
    user_id, gender, age, occupation, zip_code = fields
    if gender not in Gender.values:
        raise ValueError(f"gender {gender!r} is not F or M")
    age_code = _whole_number(age, "age")
    if age_code not in AgeBracket.values:
        raise ValueError(f"age {age_code} is not an ml-1m age code")
    occupation_code = _whole_number(occupation, "occupation")
    if not 0 <= occupation_code <= 20:
        raise ValueError(f"occupation {occupation_code} is not between 0 and 20")
    return UserRecord(
        _whole_number(user_id, "user id"), gender, age_code, occupation_code, _zip_code(zip_code)
    )


def _ml100k_user(fields: list[str]) -> UserRecord:
    _expect_fields(fields, 5)
    user_id, age, gender, occupation, zip_code = fields
    if gender not in Gender.values:
        raise ValueError(f"gender {gender!r} is not F or M")
    if occupation not in ML100K_OCCUPATIONS:
        raise ValueError(f"unknown occupation {occupation!r}")
    bracket = age_bracket_for(_whole_number(age, "age"))
    occupation_code = ML100K_OCCUPATIONS[occupation]
    return UserRecord(
        _whole_number(user_id, "user id"), gender, bracket, occupation_code, _zip_code(zip_code)
    )


def _ml1m_movie(fields: list[str]) -> MovieRecord:
    _expect_fields(fields, 3)
    movie_id, title, genres = fields
    names = tuple(genres.split("|")) if genres else ()
    unknown = [name for name in names if name not in GENRES]
    if unknown:
        raise ValueError(f"unknown genre {unknown[0]!r}")
    return _movie(movie_id, title, names)


def _ml100k_movie(fields: list[str]) -> MovieRecord:
    _expect_fields(fields, 5 + len(ML100K_GENRE_FLAGS))
    flags = fields[5:]
    if any(flag not in ("0", "1") for flag in flags):
        raise ValueError("genre flags must be 0 or 1")
    names = tuple(name for name, flag in zip(ML100K_GENRE_FLAGS, flags, strict=True) if flag == "1")
    return _movie(fields[0], fields[1], tuple(name for name in names if name != "unknown"))


def _movie(movie_id: str, title: str, genres: tuple[str, ...]) -> MovieRecord:
    title = title.strip()
    if not title:
        raise ValueError("empty title")
    if len(title) > 255:
        raise ValueError("title longer than 255 characters")
    year = _YEAR.search(title)
    return MovieRecord(
        _whole_number(movie_id, "movie id"), title, int(year.group(1)) if year else None, genres
    )
