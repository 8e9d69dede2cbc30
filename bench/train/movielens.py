"""MovieLens folders (ml-1m, or ml-100k with its official folds) as RatingsData.

The files are read by the importer's own readers (catalog/movielens), so the benchmark and
the site agree on every format detail: latin-1, separators, ml-100k's age brackets and
occupation codes, its genre flags.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np

from catalog.movielens.layout import ML_1M, ML_100K, layout_detect
from catalog.movielens.ratings import ratings_read
from catalog.movielens.records import movies_read, users_read
from recommender.model.vocab import demographic_codes
from recommender.training.data import RatingsData


def is_ml1m(directory: Path) -> bool:
    return layout_detect(directory).dataset == ML_1M


def is_ml100k(directory: Path) -> bool:
    return layout_detect(directory).dataset == ML_100K


def load_ml1m(directory: Path) -> RatingsData:
    return _load(directory, ratings_file=None)


def ml100k_fold(directory: Path, fold: int) -> tuple[RatingsData, np.ndarray]:
    """(u.data-like data, held-out mask) for official fold uN: base ratings then test."""
    base = _load(directory, ratings_file=f"u{fold}.base")
    test = _load(directory, ratings_file=f"u{fold}.test")
    combined = dataclasses.replace(
        base,
        user_ids=np.concatenate([base.user_ids, test.user_ids]),
        movie_ids=np.concatenate([base.movie_ids, test.movie_ids]),
        stars=np.concatenate([base.stars, test.stars]),
        timestamps=np.concatenate([base.timestamps, test.timestamps]),
    )
    return combined, np.arange(len(combined)) >= len(base)


def _load(directory: Path, *, ratings_file: str | None) -> RatingsData:
    """Every user and movie of the folder, with the ratings of one file (default: all)."""
    layout = layout_detect(directory)
    if ratings_file:
        layout = dataclasses.replace(layout, ratings=directory / ratings_file)
    users, movies, ratings = users_read(layout), movies_read(layout), ratings_read(layout)
    codes = [demographic_codes(u.gender, u.age, u.occupation) for u in users]
    return RatingsData(
        user_ids=ratings.user_ml.astype(np.int64),
        movie_ids=ratings.movie.astype(np.int64),
        stars=ratings.stars.astype(np.float32),
        timestamps=ratings.timestamp.astype(np.int64),
        user_table_ids=np.array([u.movielens_id for u in users], dtype=np.int64),
        gender=np.array([c[0] for c in codes], dtype=np.int64),
        age=np.array([c[1] for c in codes], dtype=np.int64),
        occupation=np.array([c[2] for c in codes], dtype=np.int64),
        movie_table_ids=np.array([m.id for m in movies], dtype=np.int64),
        titles=[m.title for m in movies],
        genres=[list(m.genres) for m in movies],
    )
