"""Loads MovieLens ml-1m (`::`-separated latin-1 .dat files) and ml-100k into RatingsData.

ml-100k is mapped onto ml-1m's coding: exact ages become ml-1m age brackets and the 21
occupation names become the nearest ml-1m occupation code.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from catalog.genres import GENRES
from recommender.training.data import RatingsData

ENCODING = "latin-1"

# ml-100k occupation name → ml-1m code (see catalog.choices.Occupation).
ML100K_OCCUPATIONS = {
    "administrator": 3,
    "artist": 2,
    "doctor": 6,
    "educator": 1,
    "engineer": 17,
    "entertainment": 2,
    "executive": 7,
    "healthcare": 6,
    "homemaker": 9,
    "lawyer": 11,
    "librarian": 1,
    "marketing": 14,
    "none": 0,
    "other": 0,
    "programmer": 12,
    "retired": 13,
    "salesman": 14,
    "scientist": 15,
    "student": 4,
    "technician": 17,
    "writer": 20,
}
# ml-100k's genre columns: "unknown" first, then ml-1m's 18 genres in the same order.
ML100K_GENRES = ("unknown", *GENRES)


def is_ml1m(directory: Path) -> bool:
    return (directory / "ratings.dat").exists()


def is_ml100k(directory: Path) -> bool:
    return (directory / "u.data").exists()


def load_ml1m(directory: Path) -> RatingsData:
    users = _rows(directory / "users.dat", "::")
    movies = _rows(directory / "movies.dat", "::")
    ratings = np.array(_rows(directory / "ratings.dat", "::"), dtype=np.int64)
    return RatingsData(
        user_ids=ratings[:, 0],
        movie_ids=ratings[:, 1],
        stars=ratings[:, 2].astype(np.float32),
        timestamps=ratings[:, 3],
        user_table_ids=_ints(row[0] for row in users),
        gender=_ints(row[1] == "M" for row in users),
        age=_ints(row[2] for row in users),
        occupation=_ints(row[3] for row in users),
        movie_table_ids=_ints(row[0] for row in movies),
        titles=[row[1] for row in movies],
        genres=[row[2].split("|") if row[2] else [] for row in movies],
    )


def load_ml100k(directory: Path, ratings_file: str = "u.data") -> RatingsData:
    """All of ml-100k's users and movies with the ratings of one file (u.data, u1.base, ...)."""
    users = _rows(directory / "u.user", "|")
    movies = _rows(directory / "u.item", "|")
    ratings = np.array(_rows(directory / ratings_file, "\t"), dtype=np.int64)
    return RatingsData(
        user_ids=ratings[:, 0],
        movie_ids=ratings[:, 1],
        stars=ratings[:, 2].astype(np.float32),
        timestamps=ratings[:, 3],
        user_table_ids=_ints(row[0] for row in users),
        gender=_ints(row[2] == "M" for row in users),
        age=_ints(age_bracket(int(row[1])) for row in users),
        occupation=_ints(ML100K_OCCUPATIONS[row[3]] for row in users),
        movie_table_ids=_ints(row[0] for row in movies),
        titles=[row[1] for row in movies],
        genres=[_ml100k_genres(row[5:]) for row in movies],
    )


def ml100k_fold(directory: Path, fold: int) -> tuple[RatingsData, np.ndarray]:
    """(u.data-like data, held-out mask) for official fold uN: base ratings then test."""
    base = load_ml100k(directory, f"u{fold}.base")
    test = load_ml100k(directory, f"u{fold}.test")
    combined = RatingsData(
        user_ids=np.concatenate([base.user_ids, test.user_ids]),
        movie_ids=np.concatenate([base.movie_ids, test.movie_ids]),
        stars=np.concatenate([base.stars, test.stars]),
        timestamps=np.concatenate([base.timestamps, test.timestamps]),
        **{name: getattr(base, name) for name in _TABLE_FIELDS},
    )
    return combined, np.arange(len(combined)) >= len(base)


_TABLE_FIELDS = (
    "user_table_ids",
    "gender",
    "age",
    "occupation",
    "movie_table_ids",
    "titles",
    "genres",
)


def age_bracket(age: int) -> int:
    """Exact age → ml-1m bracket code: <18→1, 18-24→18, 25-34→25, ..., 56+→56."""
    for lower in (56, 50, 45, 35, 25, 18):
        if age >= lower:
            return lower
    return 1


def _ml100k_genres(flags: list[str]) -> list[str]:
    flagged = [g for g, flag in zip(ML100K_GENRES, flags, strict=True) if flag == "1"]
    return [g for g in flagged if g != "unknown"]


def _rows(path: Path, separator: str) -> list[list[str]]:
    with path.open(encoding=ENCODING) as lines:
        return [line.rstrip("\n").split(separator) for line in lines if line.strip()]


def _ints(values) -> np.ndarray:
    return np.fromiter((int(v) for v in values), dtype=np.int64)
