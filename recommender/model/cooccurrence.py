"""The neighbourhood stage: item-item weights learned in closed form (numpy only, no I/O).

Both weight matrices solve EASE's problem (Steck 2019) on a user x movie matrix X:
B = argmin ‖X - XB‖² + λ‖B‖² with diag(B) = 0, in closed form B = I - P / diag(P),
P = (XᵀX + λI)⁻¹.
- Co-occurrence: X is binary (who rated what). A person's affinity for movie i is
  Σ_{j rated} B[j, i] — which movies are watched together, something two towers that only
  meet in one cosine cannot express. It re-ranks the vector search's candidates.
- Residuals: X holds the network's rating errors (stars - predicted) on training ratings.
  Σ_{j rated} e_j W[j, i] predicts the error on movie i from the errors on the movies the
  person rated, a learned item-item neighbourhood correction of the stars.

Serving keeps only each movie's strongest `kept` weights (sparse rows), so a process holds
a few MB instead of M x M floats, and a person's terms cost one gather per rated movie.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def ease_weights(
    user_rows: np.ndarray, movie_rows: np.ndarray, *, users: int, movies: int, l2: float
) -> np.ndarray:
    """[M, M] float32 co-occurrence weights from the (user, movie) pairs of ratings."""
    return item_weights(_user_movie_matrix(user_rows, movie_rows, 1.0, users, movies), l2=l2)


def residual_weights(
    user_rows: np.ndarray,
    movie_rows: np.ndarray,
    residuals: np.ndarray,
    *,
    users: int,
    movies: int,
    l2: float,
) -> np.ndarray:
    """[M, M] float32 weights predicting a rating's residual from the person's others."""
    return item_weights(_user_movie_matrix(user_rows, movie_rows, residuals, users, movies), l2=l2)


def item_weights(matrix: np.ndarray, *, l2: float) -> np.ndarray:
    """EASE's closed form for a dense [U, M] matrix: [M, M] float32, zero diagonal."""
    movies = matrix.shape[1]
    gram = (matrix.T @ matrix).astype(np.float64)
    gram[np.diag_indices(movies)] += l2
    precision = np.linalg.inv(gram)
    weights = precision / -np.diag(precision)
    weights[np.diag_indices(movies)] = 0.0
    return weights.astype(np.float32)


def _user_movie_matrix(
    user_rows: np.ndarray,
    movie_rows: np.ndarray,
    values: np.ndarray | float,
    users: int,
    movies: int,
) -> np.ndarray:
    matrix = np.zeros((users, movies), dtype=np.float32)
    matrix[user_rows, movie_rows] = values
    return matrix


@dataclass(frozen=True)
class SparseRows:
    """Each movie row's strongest outgoing weights: row j lists (target, weight) pairs."""

    targets: np.ndarray  # [M, K] int32 movie rows
    weights: np.ndarray  # [M, K] float32

    @classmethod
    def strongest(cls, dense: np.ndarray, kept: int) -> SparseRows:
        kept = min(kept, dense.shape[1])
        targets = np.argpartition(-np.abs(dense), kept - 1, axis=1)[:, :kept]
        return cls(targets.astype(np.int32), np.take_along_axis(dense, targets, 1))

    def combine(self, rows: np.ndarray, values: np.ndarray, movies: int) -> np.ndarray:
        """[M] Σ_j values_j · row_j for one person's rated `rows` [R] and `values` [R]."""
        out = np.zeros(movies, dtype=np.float32)
        contributions = self.weights[rows] * np.asarray(values, np.float32)[:, None]  # [R, K]
        np.add.at(out, self.targets[rows].ravel(), contributions.ravel())
        return out

    def dense(self, movies: int) -> np.ndarray:
        """[M, M] with the kept weights and zeros elsewhere (for batched evaluation)."""
        out = np.zeros((len(self.targets), movies), dtype=np.float32)
        np.put_along_axis(out, self.targets.astype(np.int64), self.weights, 1)
        return out
