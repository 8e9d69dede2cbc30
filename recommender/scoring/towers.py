"""The user tower and the rating head in numpy, as recommender.model.net defines them.

tests/ml/test_scoring_model.py holds these to the Paddle network (1e-5)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .encoded import STARS_MAX, STARS_MIN, Encoded
from .weights import ServingWeights

_NORM_EPSILON = 1e-12  # as recommender.model.net.normalize
# Embedding-table rows: an int array, or a list for one user (fold-in).
Rows = np.ndarray | Sequence[int]


@dataclass(frozen=True)
class IdEmbeddingAffine:
    """For fixed demographics, the user tower as a function of a free id embedding e [E]:
    pre-tanh vector = e·p + q, user bias = e·r + s."""

    p: np.ndarray  # [E, D]
    q: np.ndarray  # [D]
    r: np.ndarray  # [E]
    s: float


class UserTower:
    def __init__(self, weights: ServingWeights) -> None:
        self.w = weights
        self.id_dim = weights.id_fc_w.shape[0]

    def encode(
        self,
        user_rows: np.ndarray,
        gender_rows: np.ndarray,
        age_rows: np.ndarray,
        occupation_rows: np.ndarray,
    ) -> Encoded:
        """Embedding rows [B] each (0 = unknown) → unit vectors [B, D] and biases [B]."""
        id_features = self.w.id_embedding[user_rows] @ self.w.id_fc_w + self.w.id_fc_b
        features = np.concatenate(
            [id_features, self._demographic_features(gender_rows, age_rows, occupation_rows)],
            axis=1,
        )  # [B, E + 3F]
        vectors = np.tanh(features @ self.w.user_fc_w + self.w.user_fc_b)  # [B, D]
        return Encoded(unit_rows(vectors), (features @ self.w.user_bias_w).astype(np.float32))

    def id_embedding_affine(
        self, gender_row: int, age_row: int, occupation_row: int
    ) -> IdEmbeddingAffine:
        """The closed form fold-in optimises (an IdEmbeddingAffine, in float64)."""
        demographics = self._demographic_features([gender_row], [age_row], [occupation_row])
        w = self.w
        fc_w, fc_b = w.id_fc_w.astype(np.float64), w.id_fc_b.astype(np.float64)
        # The features' first id_dim columns come from the id branch, the rest are fixed.
        vector_w, bias_w = w.user_fc_w.astype(np.float64), w.user_bias_w.astype(np.float64)
        by_id, fixed = slice(0, self.id_dim), slice(self.id_dim, None)
        return IdEmbeddingAffine(
            p=fc_w @ vector_w[by_id],
            q=fc_b @ vector_w[by_id] + demographics[0] @ vector_w[fixed] + w.user_fc_b,
            r=fc_w @ bias_w[by_id],
            s=float(fc_b @ bias_w[by_id] + demographics[0] @ bias_w[fixed]),
        )

    def _demographic_features(
        self, gender_rows: Rows, age_rows: Rows, occupation_rows: Rows
    ) -> np.ndarray:
        return np.concatenate(
            [
                self.w.gender_features[gender_rows],
                self.w.age_features[age_rows],
                self.w.occupation_features[occupation_rows],
            ],
            axis=1,
        )  # [B, 3F]


@dataclass(frozen=True)
class RatingHead:
    """stars = base + user_bias_weight · user_bias + Σ_k user_unit_k · weights_k, with
    per-movie weights = rating_weights · movie_unit and base = offset + movie_bias."""

    rating_weights: np.ndarray  # [D]
    offset: float
    user_bias_weight: float

    @classmethod
    def of(cls, weights: ServingWeights) -> RatingHead:
        return cls(
            weights.rating_weights, float(weights.rating_offset), float(weights.user_bias_weight)
        )

    def terms(
        self, movie_units: np.ndarray, movie_biases: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """(weights [..., D], base [...]) of each movie."""
        return self.rating_weights * movie_units, self.offset + movie_biases

    def stars(
        self,
        users: Encoded,
        movie_units: np.ndarray,
        movie_biases: np.ndarray,
        correction: np.ndarray | None = None,
    ) -> np.ndarray:
        """[B, C] stars (1..5) for B users and [B, C, D] / [B, C] movie encodings, plus the
        neighbourhood's [B, C] `correction` (added before clipping) when there is one."""
        weights, base = self.terms(movie_units, movie_biases)
        user_units = users.vectors[:, None, :]  # [B, 1, D]
        predicted = base + self.user_bias_weight * users.biases[:, None]
        predicted = predicted + (user_units * weights).sum(axis=-1)
        if correction is not None:
            predicted = predicted + correction
        return np.clip(predicted, STARS_MIN, STARS_MAX).astype(np.float32)


def unit_rows(vectors: np.ndarray) -> np.ndarray:
    norms = np.sqrt((vectors * vectors).sum(axis=1, keepdims=True) + _NORM_EPSILON)
    return (vectors / norms).astype(np.float32)
