"""Fold-in: a vector for a user the model was not trained on, from their ratings alone.

Only a fresh user-id embedding e is fitted (starting from 0, the "unknown user" embedding,
so with no ratings the result is the demographics-only vector); every network weight and
movie vector stays frozen. The loss is the training loss restricted to this one user: MSE on
their stars plus, for the multitask variant, the retrieval softmax over the whole catalog,
plus a small L2 pull towards 0. Their marks count as training counted them (the model's
config.wanted_feedback and hidden_feedback): watchlisted movies as retrieval positives,
hidden ones as pseudo-ratings or as hard negatives against the catalog's mean vector.

With the network frozen, the user tower is tanh(e·P + q) (bias e·r + s) and the rating head
is affine in the unit user vector, so the serving weights give those maps once
(`UserTower.id_embedding_affine`, `RatingHead.terms`) and the optimisation is a few numpy
products a step. tests/ml/test_fold_in.py checks this against the Paddle network.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

from ..model.vocab import age_index, gender_index, occupation_index
from .encoded import Encoded

if TYPE_CHECKING:
    from .model import ScoringModel

FOLD_IN_STEPS = 50
FOLD_IN_LEARNING_RATE = 0.1
# Keeps a user with two ratings from drifting far from the demographics-only vector.
FOLD_IN_L2 = 1e-3
_ADAM_BETAS, _ADAM_EPSILON = (0.9, 0.999), 1e-8


def fold_in_user(
    model: ScoringModel,
    movie_ids: np.ndarray,
    stars: np.ndarray,
    gender: int,
    age: int,
    occupation: int,
    steps: int = FOLD_IN_STEPS,
    marks: Marked | None = None,
) -> Encoded:
    """Encoded (unit vector [1, D], rating bias [1]) for one user, their ratings and
    marks."""
    problem = FoldInProblem.build(model, movie_ids, stars, gender, age, occupation, marks)
    start = np.zeros(problem.affine_p.shape[0])
    return problem.encode(_adam(problem.gradient, start, steps if problem.has_terms else 0))


@dataclass(frozen=True)
class Marked:
    """A person's marked movies by id: wanted (watchlist) and hidden ("Not interested")."""

    wanted: np.ndarray = dataclasses.field(default_factory=lambda: np.zeros(0, np.int64))
    hidden: np.ndarray = dataclasses.field(default_factory=lambda: np.zeros(0, np.int64))


def _adam(
    gradient: Callable[[np.ndarray], np.ndarray], start: np.ndarray, steps: int
) -> np.ndarray:
    """Plain Adam (the optimiser training uses) on a small numpy vector."""
    beta1, beta2 = _ADAM_BETAS
    point, first, second = start, np.zeros_like(start), np.zeros_like(start)
    for step in range(1, steps + 1):
        g = gradient(point)
        first = beta1 * first + (1 - beta1) * g
        second = beta2 * second + (1 - beta2) * g**2
        unbiased_first, unbiased_second = first / (1 - beta1**step), second / (1 - beta2**step)
        point = point - FOLD_IN_LEARNING_RATE * unbiased_first / (
            np.sqrt(unbiased_second) + _ADAM_EPSILON
        )
    return point


@dataclass
class FoldInProblem:
    affine_p: np.ndarray  # [E, D]
    affine_q: np.ndarray  # [D]
    bias_r: np.ndarray  # [E]
    bias_s: float
    rating_weights: np.ndarray  # [R, D]
    rating_base: np.ndarray  # [R]
    user_bias_weight: float
    targets: np.ndarray  # [R] stars
    catalog: np.ndarray  # [M, D] unit movie vectors
    positives: np.ndarray  # [P] catalog positions of the retrieval positives
    negatives: np.ndarray  # [H] catalog positions of the hard negatives
    away: np.ndarray  # [H, D] each hard negative's vector less the catalog's mean vector
    temperature: float
    retrieval_weight: float

    @classmethod
    def build(
        cls,
        model: ScoringModel,
        movie_ids: ArrayLike,
        stars: ArrayLike,
        gender: int,
        age: int,
        occupation: int,
        marks: Marked | None = None,
    ) -> FoldInProblem:
        config, marks = model.config, marks or Marked()
        movie_ids, stars = np.asarray(movie_ids, np.int64), np.asarray(stars, np.float64)
        positives = model.catalog_positions(movie_ids[stars >= config.retrieval_min_stars])
        negatives = np.zeros(0, np.int64)
        if config.wanted_feedback == "positive":
            positives = np.concatenate([positives, model.catalog_positions(marks.wanted)])
        if config.hidden_feedback == "hard_negative":
            negatives = model.catalog_positions(marks.hidden)
        elif config.hidden_feedback == "pseudo_rating":
            movie_ids = np.concatenate([movie_ids, marks.hidden])
            stars = np.concatenate([stars, np.full(len(marks.hidden), config.hidden_stars)])
        affine = model.user_tower.id_embedding_affine(
            gender_index([gender])[0], age_index([age])[0], occupation_index([occupation])[0]
        )
        catalog = model.catalog_encodings().vectors.astype(np.float64)
        negatives = negatives[negatives >= 0]
        # Constant over the steps: computed once, and only for a person who hid something.
        away = catalog[negatives] - (catalog.mean(axis=0) if len(negatives) else 0.0)
        rated = model.movie_encodings(movie_ids)
        weights, base = model.rating_head.terms(rated.vectors, rated.biases)
        return cls(
            affine.p,
            affine.q,
            affine.r,
            affine.s,
            weights.astype(np.float64),
            base.astype(np.float64),
            model.rating_head.user_bias_weight,
            stars,
            catalog,
            positives[positives >= 0],
            negatives,
            away,
            config.temperature,
            config.retrieval_weight,
        )

    @property
    def has_terms(self) -> bool:
        """False when nothing is known of the person: the demographics-only vector stands."""
        return bool(len(self.targets) or self._uses_retrieval)

    def encode(self, embedding: np.ndarray) -> Encoded:
        _, _, unit, bias = self._user(embedding)
        return Encoded(unit[None].astype(np.float32), np.array([bias], dtype=np.float32))

    def _user(self, embedding: np.ndarray) -> tuple[np.ndarray, float, np.ndarray, float]:
        """(tanh vector [D], its norm, unit vector [D], rating bias) for id embedding [E]."""
        vector = np.tanh(embedding @ self.affine_p + self.affine_q)
        norm = float(np.linalg.norm(vector))
        return vector, norm, vector / norm, float(embedding @ self.bias_r + self.bias_s)

    def predicted_stars(self, unit: np.ndarray, bias: float) -> np.ndarray:
        return self.rating_base + self.user_bias_weight * bias + self.rating_weights @ unit

    def loss(self, embedding: np.ndarray) -> float:
        _, _, unit, bias = self._user(embedding)
        loss = FOLD_IN_L2 * embedding @ embedding
        if len(self.targets):
            loss += np.mean((self.predicted_stars(unit, bias) - self.targets) ** 2)
        if self._uses_retrieval:
            logits = _matvec(self.catalog, unit) / self.temperature
            log_softmax = logits - logits.max() - np.log(np.exp(logits - logits.max()).sum())
            summed = -log_softmax[self.positives].sum()
            summed += np.logaddexp(0.0, self._margins(logits)).sum()  # softplus
            loss += self.retrieval_weight * summed / self._retrieval_terms
        return float(loss)

    def gradient(self, embedding: np.ndarray) -> np.ndarray:
        vector, norm, unit, bias = self._user(embedding)
        d_unit = np.zeros_like(unit)
        d_bias = 0.0
        if len(self.targets):
            d_predicted = (
                2.0 * (self.predicted_stars(unit, bias) - self.targets) / len(self.targets)
            )
            d_unit += self.rating_weights.T @ d_predicted
            d_bias = self.user_bias_weight * d_predicted.sum()
        if self._uses_retrieval:
            d_unit += self._retrieval_gradient(unit)
        d_vector = (d_unit - unit * (unit @ d_unit)) / norm
        d_pre_activation = d_vector * (1.0 - vector**2)
        return self.affine_p @ d_pre_activation + self.bias_r * d_bias + 2 * FOLD_IN_L2 * embedding

    def _retrieval_gradient(self, unit: np.ndarray) -> np.ndarray:
        """d(retrieval term)/d(unit vector): softmax positives and hard negatives."""
        logits = _matvec(self.catalog, unit) / self.temperature
        probabilities = np.exp(logits - logits.max())
        probabilities /= probabilities.sum()
        d_logits = len(self.positives) * probabilities - np.bincount(
            self.positives, minlength=len(logits)
        )
        d_unit = _matvec(self.catalog.T, d_logits) / self.temperature
        if len(self.negatives):
            pull = 1.0 / (1.0 + np.exp(-self._margins(logits)))  # sigmoid
            d_unit += _matvec(self.away.T, pull) / self.temperature
        return self.retrieval_weight * d_unit / self._retrieval_terms

    def _margins(self, logits: np.ndarray) -> np.ndarray:
        """The hard negatives' logits above the catalog's mean logit (training's margin)."""
        return logits[self.negatives] - logits.mean()

    @property
    def _retrieval_terms(self) -> int:
        return len(self.positives) + len(self.negatives)

    @property
    def _uses_retrieval(self) -> bool:
        return self.retrieval_weight > 0 and self._retrieval_terms > 0


def _matvec(matrix: np.ndarray, vector: np.ndarray) -> np.ndarray:
    """matrix @ vector without BLAS: numpy's multi-threaded OpenBLAS next to Paddle's OpenMP
    threads (in a worker that also trains) spins and made these products 20x slower (5-20 ms
    instead of 0.3 ms); a single-vector product gains nothing from threads anyway."""
    return np.einsum("ij,j->i", matrix, vector)
