"""The training data as plain numpy arrays, its validation, and the random hold-out split.

The Django side exports PostgreSQL rows into a `RatingsData`; the benchmark builds one from
MovieLens files. Nothing here knows where the data came from.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from movielens.genres import GENRES

from ..model.vocab import AGE_BRACKETS, OCCUPATION_COUNT, UNKNOWN_CODE


@dataclass(frozen=True)
class RatingsData:
    # One entry per rating.
    user_ids: np.ndarray  # int64 raw user ids
    movie_ids: np.ndarray  # int64 raw movie ids
    stars: np.ndarray  # float32 in 1..5
    timestamps: np.ndarray  # int64 seconds
    # One entry per user (every rating's user must be here).
    user_table_ids: np.ndarray  # int64, unique
    gender: np.ndarray  # int64, 0 = F, 1 = M
    age: np.ndarray  # int64, an ml-1m bracket code
    occupation: np.ndarray  # int64, 0..20
    # One entry per movie (every rating's movie must be here; unrated movies are allowed).
    movie_table_ids: np.ndarray  # int64, unique
    titles: list[str]
    genres: list[list[str]]
    # What people said about movies without stars ("Not interested", watchlist, picks).
    marks: Marks = dataclasses.field(default_factory=lambda: Marks.none())

    def __post_init__(self) -> None:
        _check_ratings(self)
        _check_users(self)
        _check_movies(self)
        _check_marks(self)

    def __len__(self) -> int:
        return len(self.stars)

    def with_ratings(self, mask_or_index: np.ndarray) -> RatingsData:
        """The same users and movies with a subset of the ratings."""
        return dataclasses.replace(
            self,
            user_ids=self.user_ids[mask_or_index],
            movie_ids=self.movie_ids[mask_or_index],
            stars=self.stars[mask_or_index],
            timestamps=self.timestamps[mask_or_index],
        )


@dataclass(frozen=True)
class Marks:
    """One entry per (person, movie) mark: `hidden` ("Not interested") or wanted (on the
    watchlist, or a seed movie of a group picked at onboarding). A mark carries no stars;
    ModelConfig.hidden_feedback and wanted_feedback say how training uses each kind."""

    user_ids: np.ndarray  # int64 raw user ids
    movie_ids: np.ndarray  # int64 raw movie ids
    hidden: np.ndarray  # bool: True hidden, False wanted

    @classmethod
    def none(cls) -> Marks:
        return cls(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, bool))

    def __len__(self) -> int:
        return len(self.hidden)


def random_split(data: RatingsData, fraction: float, seed: int) -> tuple[RatingsData, RatingsData]:
    """(rest, held_out): a uniformly random `fraction` of the ratings held out.

    Depends only on the number of ratings and the seed, not on which ratings they are.
    """
    held_out = held_out_mask(len(data), fraction, seed)
    return data.with_ratings(~held_out), data.with_ratings(held_out)


def held_out_mask(count: int, fraction: float, seed: int) -> np.ndarray:
    """The boolean mask over `count` ratings that `random_split` holds out."""
    held_out = np.zeros(count, dtype=bool)
    held_out[np.random.default_rng(seed).permutation(count)[: round(fraction * count)]] = True
    return held_out


def _check_ratings(data: RatingsData) -> None:
    n = len(data.stars)
    for name, dtype in (("user_ids", np.int64), ("movie_ids", np.int64), ("timestamps", np.int64)):
        _check_array(data, name, dtype, n)
    _check_array(data, "stars", np.float32, n)
    if n and (data.stars.min() < 1 or data.stars.max() > 5):
        raise ValueError("stars must be within 1..5")
    if not np.isin(data.user_ids, data.user_table_ids).all():
        raise ValueError("every rating's user must be in user_table_ids")
    if not np.isin(data.movie_ids, data.movie_table_ids).all():
        raise ValueError("every rating's movie must be in movie_table_ids")


def _check_users(data: RatingsData) -> None:
    n = len(data.user_table_ids)
    for name in ("user_table_ids", "gender", "age", "occupation"):
        _check_array(data, name, np.int64, n)
    _check_unique(data.user_table_ids, "user_table_ids")
    # UNKNOWN_CODE is a person who preferred not to say: the unknown embedding row.
    if not np.isin(data.gender, (0, 1, UNKNOWN_CODE)).all():
        raise ValueError(f"gender must be 0 (F), 1 (M) or {UNKNOWN_CODE} (unknown)")
    if not np.isin(data.age, (*AGE_BRACKETS, UNKNOWN_CODE)).all():
        raise ValueError(f"age must be one of the ml-1m brackets {AGE_BRACKETS} or {UNKNOWN_CODE}")
    if n and (data.occupation.min() < UNKNOWN_CODE or data.occupation.max() >= OCCUPATION_COUNT):
        raise ValueError(f"occupation must be within 0..{OCCUPATION_COUNT - 1} or {UNKNOWN_CODE}")


def _check_movies(data: RatingsData) -> None:
    n = len(data.movie_table_ids)
    _check_array(data, "movie_table_ids", np.int64, n)
    _check_unique(data.movie_table_ids, "movie_table_ids")
    if len(data.titles) != n or len(data.genres) != n:
        raise ValueError("titles and genres need one entry per movie_table_ids entry")
    unknown = {g for movie in data.genres for g in movie} - set(GENRES)
    if unknown:
        raise ValueError(f"unknown genres {sorted(unknown)}; expected the ml-1m names")


def _check_marks(data: RatingsData) -> None:
    marks, n = data.marks, len(data.marks.hidden)
    for name, dtype in (("user_ids", np.int64), ("movie_ids", np.int64), ("hidden", np.bool_)):
        _check_array(marks, name, dtype, n)
    if not np.isin(marks.user_ids, data.user_table_ids).all():
        raise ValueError("every mark's user must be in user_table_ids")
    if not np.isin(marks.movie_ids, data.movie_table_ids).all():
        raise ValueError("every mark's movie must be in movie_table_ids")


def _check_array(data: RatingsData | Marks, name: str, dtype: type, length: int) -> None:
    value = getattr(data, name)
    if not isinstance(value, np.ndarray) or value.dtype != dtype or value.shape != (length,):
        described = f"{type(value).__name__} {getattr(value, 'dtype', '')} {np.shape(value)}"
        raise ValueError(
            f"{name} must be a 1-d {np.dtype(dtype)} array of {length}, got {described}"
        )


def _check_unique(values: np.ndarray, name: str) -> None:
    if len(np.unique(values)) != len(values):
        raise ValueError(f"{name} must not contain duplicates")
