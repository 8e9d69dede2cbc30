"""How a user's list is ranked: ONE implementation shared by the product and the evaluation.

Stage 1 (the vector DB in production, exact search here): the `overfetch` movies with the
highest cosine between L2-normalised user and movie vectors, excluding already-rated ones.
Stage 2 (`rerank`): re-order those candidates by
  cosine + popularity_weight · log(1 + count) + cooccurrence_weight · affinity,
the affinity being the person's co-occurrence score of each movie (model.cooccurrence).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class RankingPolicy:
    overfetch: int
    popularity_weight: float
    cooccurrence_weight: float = 0.0

    def to_dict(self) -> dict[str, float]:
        return {
            "overfetch": self.overfetch,
            "popularity_weight": self.popularity_weight,
            "cooccurrence_weight": self.cooccurrence_weight,
        }

    @classmethod
    def from_dict(cls, values: dict[str, float]) -> RankingPolicy:
        """Policies saved before the co-occurrence term existed ranked without it."""
        return cls(
            overfetch=int(values["overfetch"]),
            popularity_weight=values["popularity_weight"],
            cooccurrence_weight=values.get("cooccurrence_weight", 0.0),
        )


def log_popularity(rating_counts: np.ndarray) -> np.ndarray:
    return np.log1p(np.asarray(rating_counts, dtype=np.float32))


def rerank(
    cosines: np.ndarray,
    candidate_log_popularity: np.ndarray,
    policy: RankingPolicy,
    k: int,
    candidate_affinity: np.ndarray | None = None,
) -> np.ndarray:
    """Positions (per row, best first) of the top-k of the [B, C] candidates by rerank score.

    Candidates may be padded with cosine = -inf (fewer than C available); they sort last.
    `candidate_affinity` [B, C] is None when the model has no co-occurrence term.
    """
    scores = cosines + policy.popularity_weight * candidate_log_popularity
    if candidate_affinity is not None and policy.cooccurrence_weight:
        scores = scores + policy.cooccurrence_weight * candidate_affinity
    return top_k_positions(scores, k)


def recommend_exact(
    user_vectors: np.ndarray,
    movie_vectors: np.ndarray,
    movie_log_popularity: np.ndarray,
    exclude: np.ndarray,
    policy: RankingPolicy,
    k: int,
    affinity: np.ndarray | None = None,
) -> np.ndarray:
    """[B, k] movie positions for [B, D] / [M, D] unit vectors, `exclude` a [B, M] bool mask,
    `affinity` the people's [B, M] co-occurrence scores (None: no such term).

    Brute-force stand-in for the vector DB's stage 1, followed by the shared `rerank`.
    """
    cosines = user_vectors @ movie_vectors.T  # [B, M]
    cosines[exclude] = -np.inf
    candidates = top_k_positions(cosines, min(policy.overfetch, cosines.shape[1]))  # [B, C]
    candidate_cosines = np.take_along_axis(cosines, candidates, axis=1)
    candidate_affinity = None if affinity is None else np.take_along_axis(affinity, candidates, 1)
    order = rerank(
        candidate_cosines, movie_log_popularity[candidates], policy, k, candidate_affinity
    )
    return np.take_along_axis(candidates, order, axis=1)


def top_k_positions(scores: np.ndarray, k: int) -> np.ndarray:
    """[B, k] column positions of each row's k highest scores, highest first.

    Deterministic; among the selected, equal scores keep column order."""
    k = min(k, scores.shape[1])
    # A stable sort on -scores keeps equal scores in column order; argpartition first keeps
    # it O(M) per row for the wide stage-1 matrix.
    if k < scores.shape[1]:
        part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
        part.sort(axis=1)
    else:
        part = np.broadcast_to(np.arange(scores.shape[1]), scores.shape).copy()
    order = np.argsort(-np.take_along_axis(scores, part, axis=1), axis=1, kind="stable")
    return np.take_along_axis(part, order, axis=1)
