"""From `RatingsData` to the index arrays the network consumes.

Features are kept as per-user and per-movie tables; a rating refers to its user and movie by
ROW in those tables. A batch gathers rows, so titles are tokenised once, not per rating.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from ..model.config import ModelConfig
from ..model.net import VocabSizes
from ..model.vocab import Vocabularies, age_index, gender_index, occupation_index, tokenize_title
from .data import RatingsData


@dataclass(frozen=True)
class UserFeatures:
    user: np.ndarray  # [U] int64 vocabulary indices
    gender: np.ndarray  # [U]
    age: np.ndarray  # [U]
    occupation: np.ndarray  # [U]

    def take(self, rows: np.ndarray) -> tuple[np.ndarray, ...]:
        return self.user[rows], self.gender[rows], self.age[rows], self.occupation[rows]


@dataclass(frozen=True)
class MovieFeatures:
    movie: np.ndarray  # [M] int64 vocabulary indices
    genres: np.ndarray  # [M, max_genres]
    title: np.ndarray  # [M, max_title_words]

    def take(self, rows: np.ndarray) -> tuple[np.ndarray, ...]:
        return self.movie[rows], self.genres[rows], self.title[rows]


@dataclass(frozen=True)
class RatingRows:
    user_rows: np.ndarray  # [N] row in the user table
    movie_rows: np.ndarray  # [N] row in the movie table
    stars: np.ndarray  # [N] float32

    def take(self, index: np.ndarray) -> RatingRows:
        return RatingRows(self.user_rows[index], self.movie_rows[index], self.stars[index])

    def __len__(self) -> int:
        return len(self.stars)


@dataclass(frozen=True)
class MarkRows:
    """training.data.Marks by table row, as the trainer consumes them."""

    user_rows: np.ndarray  # [K] row in the user table
    movie_rows: np.ndarray  # [K] row in the movie table
    hidden: np.ndarray  # [K] bool: True hidden, False wanted

    @classmethod
    def none(cls) -> MarkRows:
        return cls(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, bool))

    def take(self, index: np.ndarray) -> MarkRows:
        return MarkRows(self.user_rows[index], self.movie_rows[index], self.hidden[index])

    def __len__(self) -> int:
        return len(self.hidden)


def build_vocabularies(train: RatingsData) -> Vocabularies:
    """Ids, genres and title words seen in the training ratings: everything in a vocabulary
    gets trained, everything else falls back to index 0 (see vocab.py)."""
    rated = np.isin(train.movie_table_ids, train.movie_ids)
    return Vocabularies.build(
        user_ids=train.user_ids,
        movie_ids=train.movie_ids,
        genres=[g for g, keep in zip(train.genres, rated, strict=True) if keep],
        titles=[t for t, keep in zip(train.titles, rated, strict=True) if keep],
    )


def vocab_sizes(vocab: Vocabularies) -> VocabSizes:
    return VocabSizes(
        users=len(vocab.user_ids),
        movies=len(vocab.movie_ids),
        genres=len(vocab.genres),
        title_words=len(vocab.title_words),
    )


def user_features(
    vocab: Vocabularies,
    user_ids: ArrayLike,
    gender: ArrayLike,
    age: ArrayLike,
    occupation: ArrayLike,
) -> UserFeatures:
    return UserFeatures(
        user=vocab.user_ids.lookup(user_ids),
        gender=gender_index(gender),
        age=age_index(age),
        occupation=occupation_index(occupation),
    )


def movie_features(
    vocab: Vocabularies,
    config: ModelConfig,
    movie_ids: np.ndarray,
    titles: Sequence[str],
    genres: Sequence[Sequence[str]],
) -> MovieFeatures:
    return MovieFeatures(
        movie=vocab.movie_ids.lookup(movie_ids),
        genres=vocab.genres.padded_lookup(genres, config.max_genres),
        title=vocab.title_words.padded_lookup(
            [tokenize_title(t) for t in titles], config.max_title_words
        ),
    )


def table_features(
    data: RatingsData, vocab: Vocabularies, config: ModelConfig
) -> tuple[UserFeatures, MovieFeatures]:
    users = user_features(vocab, data.user_table_ids, data.gender, data.age, data.occupation)
    movies = movie_features(vocab, config, data.movie_table_ids, data.titles, data.genres)
    return users, movies


def rating_rows(data: RatingsData) -> RatingRows:
    return RatingRows(
        user_rows=table_rows(data.user_table_ids, data.user_ids),
        movie_rows=table_rows(data.movie_table_ids, data.movie_ids),
        stars=data.stars,
    )


def mark_rows(data: RatingsData) -> MarkRows:
    return MarkRows(
        user_rows=table_rows(data.user_table_ids, data.marks.user_ids),
        movie_rows=table_rows(data.movie_table_ids, data.marks.movie_ids),
        hidden=data.marks.hidden,
    )


def table_rows(table_ids: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Row of each id in `table_ids` (ids must all be present; RatingsData checks that)."""
    order = np.argsort(table_ids, kind="stable")
    return order[np.searchsorted(table_ids, ids, sorter=order)]
