"""Fitting the neighbourhood stage (model.cooccurrence) to a trained network's ratings.

Both parts are closed-form fits on the ratings the network was trained on: the binary
co-occurrence weights, and the weights that predict the network's rating errors from the
person's errors on their other movies. Batched here for evaluation; serving computes the
same terms one person at a time (scoring.Neighbourhood, whose rows `serving_order` gives).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..model.config import ModelConfig
from ..model.cooccurrence import SparseRows, ease_weights, residual_weights
from ..model.net import TwoTowerNet
from ..scoring.encoded import Encoded
from ..scoring.neighbourhood import Neighbourhood
from .encoding import stars
from .inputs import RatingRows


@dataclass(frozen=True)
class FittedNeighbourhood:
    """Sparse rows indexed by the training movie table's rows."""

    cooccurrence: SparseRows
    residuals: SparseRows

    def affinity(self, known: np.ndarray) -> np.ndarray:
        """[E, M] co-occurrence scores for the [E, M] known-ratings mask of E people."""
        return known.astype(np.float32) @ self.cooccurrence.dense(known.shape[1])

    def corrections(self, errors: RatingRows, user_count: int, pairs: RatingRows) -> np.ndarray:
        """[P] unweighted correction of each (user, movie) pair of `pairs`, from the errors
        (in `errors.stars`) of the ratings the people made."""
        movies = len(self.residuals.targets)
        matrix = np.zeros((user_count, movies), dtype=np.float32)
        matrix[errors.user_rows, errors.movie_rows] = errors.stars
        # Only the rows of people with pairs to score: bounded work for big user tables.
        people, inverse = np.unique(pairs.user_rows, return_inverse=True)
        per_person = matrix[people] @ self.residuals.dense(movies)
        return per_person[inverse, pairs.movie_rows]

    def serving(self, residual_weight: float, order: np.ndarray) -> Neighbourhood:
        """Serving's Neighbourhood, rows and targets moved to catalog positions, where
        position p holds training row order[p]."""
        position_of = np.empty(len(order), dtype=np.int32)
        position_of[order] = np.arange(len(order), dtype=np.int32)

        def moved(rows: SparseRows) -> SparseRows:
            return SparseRows(position_of[rows.targets[order]], rows.weights[order])

        return Neighbourhood(moved(self.cooccurrence), moved(self.residuals), residual_weight)


def neighbourhood_fit(
    net: TwoTowerNet,
    users: Encoded,
    movies: Encoded,
    ratings: RatingRows,
    config: ModelConfig,
) -> FittedNeighbourhood:
    """Both parts fitted on `ratings` (rows of the encoded user and movie tables)."""
    user_count, movie_count = len(users.vectors), len(movies.vectors)
    shape = {"users": user_count, "movies": movie_count}
    cooccurrence = ease_weights(
        ratings.user_rows, ratings.movie_rows, **shape, l2=config.cooccurrence_l2
    )
    errors = network_errors(net, users, movies, ratings)
    residuals = residual_weights(
        ratings.user_rows, ratings.movie_rows, errors.stars, **shape, l2=config.residual_l2
    )
    kept = config.neighbours_kept
    return FittedNeighbourhood(
        SparseRows.strongest(cooccurrence, kept), SparseRows.strongest(residuals, kept)
    )


def network_errors(
    net: TwoTowerNet, users: Encoded, movies: Encoded, ratings: RatingRows
) -> RatingRows:
    """The ratings with stars replaced by stars - the network's (clipped) prediction."""
    predicted = stars(net, users, movies, ratings.user_rows, ratings.movie_rows)
    return RatingRows(ratings.user_rows, ratings.movie_rows, ratings.stars - predicted)


def has_neighbourhood(config: ModelConfig) -> bool:
    return any(config.cooccurrence_weights) or any(config.residual_weights)
