"""Classic peers on exactly the model's split and protocol: EASE, implicit ALS, biased MF.

Each peer is fitted on all of `known` (the model's training + validation ratings) and
scored on the same held-out ratings with the same metrics (recommender/training/
evaluation.py): RMSE/MAE where it predicts stars, and the ranking protocol (users with a
held-out rating >= 4; top 10 over every movie they did not rate in `known`). A
hyperparameter with a grid is chosen the way the model chooses its re-rank weight: fitted
on `known` less the model's validation split, best validation Recall@10 (ties: the first),
then refitted on all of `known`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from recommender.model.config import ModelConfig
from recommender.model.cooccurrence import ease_weights
from recommender.model.ranking import top_k_positions
from recommender.training.data import RatingsData, random_split
from recommender.training.evaluation import (
    TOP_K,
    ranking_metrics,
    ranking_protocol,
    rating_metrics,
)
from recommender.training.inputs import RatingRows, rating_rows

from .factorization import biased_mf, implicit_als

EASE_L2 = (100.0, 250.0, 500.0, 1000.0, 2000.0)
ALS_ALPHAS = (1.0, 5.0, 20.0)
_USER_CHUNK = 1024  # bounds the [users, movies] score matrices in memory

Scorer = Callable[[np.ndarray], np.ndarray]  # user rows [B] -> scores [B, M]


@dataclass(frozen=True)
class Split:
    """Rating rows of one split, indexed by the data's user and movie tables."""

    known: RatingRows
    test: RatingRows
    fit: RatingRows  # known less the model's validation split
    val: RatingRows
    users: int
    movies: int


@dataclass
class PeerResult:
    model: str
    metrics: dict[str, float]
    fit_seconds: float  # the final fit on all of known
    tune_seconds: float = 0.0  # the grid's fits on `fit` and their validation ranking
    params: dict[str, float] = field(default_factory=dict)
    validation: dict[str, float] = field(default_factory=dict)  # grid value -> val recall


def model_split(data: RatingsData, config: ModelConfig, held_out: np.ndarray | None) -> Split:
    """The split `train_and_evaluate` makes: test by seed (or the given mask), then val."""
    if held_out is None:
        known, test = random_split(data, config.test_fraction, config.seed)
    else:
        known, test = data.with_ratings(~held_out), data.with_ratings(held_out)
    fit, val = random_split(known, config.val_fraction, config.seed + 1)
    return Split(
        known=rating_rows(known),
        test=rating_rows(test),
        fit=rating_rows(fit),
        val=rating_rows(val),
        users=len(data.user_table_ids),
        movies=len(data.movie_table_ids),
    )


def peer_results(split: Split, seed: int = 0) -> list[PeerResult]:
    return [ease_peer(split), als_peer(split, seed), biased_mf_peer(split, seed)]


def ease_peer(split: Split, grid: tuple[float, ...] = EASE_L2) -> PeerResult:
    def fitted(rows: RatingRows, l2: float) -> Scorer:
        weights = ease_weights(
            rows.user_rows, rows.movie_rows, users=split.users, movies=split.movies, l2=l2
        )
        interactions = _interactions(rows, split.users, split.movies)
        return lambda user_rows: interactions[user_rows] @ weights

    return _tuned_ranker("ease", "l2", grid, fitted, split)


def als_peer(
    split: Split, seed: int = 0, grid: tuple[float, ...] = ALS_ALPHAS, factors: int = 64
) -> PeerResult:
    def fitted(rows: RatingRows, alpha: float) -> Scorer:
        fitted_factors = implicit_als(
            rows.user_rows,
            rows.movie_rows,
            users=split.users,
            movies=split.movies,
            factors=factors,
            alpha=alpha,
            seed=seed,
        )
        return lambda user_rows: fitted_factors.users[user_rows] @ fitted_factors.movies.T

    return _tuned_ranker("als", "alpha", grid, fitted, split)


def biased_mf_peer(split: Split, seed: int = 0) -> PeerResult:
    """Stars for RMSE/MAE; its ranking (by predicted stars) is shown for completeness."""
    started = time.perf_counter()
    model = biased_mf(split.known, users=split.users, movies=split.movies, seed=seed)
    seconds = time.perf_counter() - started
    predicted = model.predict(split.test.user_rows, split.test.movie_rows)
    metrics = rating_metrics(predicted, split.test.stars) | ranking_of(
        model.scores, split.known, split.test, split.movies
    )
    return PeerResult("biased_mf", metrics, seconds)


def _tuned_ranker(
    name: str,
    param: str,
    grid: tuple[float, ...],
    fitted: Callable[[RatingRows, float], Scorer],
    split: Split,
) -> PeerResult:
    best, validation, tuning = grid[0], {}, 0.0
    if len(grid) > 1:
        started = time.perf_counter()
        for value in grid:
            ranked = ranking_of(fitted(split.fit, value), split.fit, split.val, split.movies)
            validation[str(value)] = ranked[f"recall@{TOP_K}"]
        best = grid[int(np.argmax([validation[str(value)] for value in grid]))]
        tuning = time.perf_counter() - started
    started = time.perf_counter()
    scorer = fitted(split.known, best)
    seconds = time.perf_counter() - started
    metrics = ranking_of(scorer, split.known, split.test, split.movies)
    return PeerResult(name, metrics, seconds, tuning, {param: best}, validation)


def ranking_of(
    scorer: Scorer, known: RatingRows, held_out: RatingRows, movies: int
) -> dict[str, float]:
    """The evaluation's ranking metrics for a peer's scores (its top 10 of unrated movies)."""
    users, known_mask, relevant = ranking_protocol(known, held_out, movies)
    tops = []
    for start in range(0, len(users), _USER_CHUNK):
        scores = np.asarray(scorer(users[start : start + _USER_CHUNK]), dtype=np.float64)
        scores[known_mask[start : start + _USER_CHUNK]] = -np.inf
        tops.append(top_k_positions(scores, TOP_K))
    return ranking_metrics(np.concatenate(tops), relevant)


def _interactions(rows: RatingRows, users: int, movies: int) -> np.ndarray:
    """[U, M] float32, 1 where the user rated the movie."""
    matrix = np.zeros((users, movies), dtype=np.float32)
    matrix[rows.user_rows, rows.movie_rows] = 1.0
    return matrix
