"""How a user's list is ranked: ONE implementation shared by the product and the evaluation.

Stage 1 (the vector DB in production, exact search here): the `overfetch` movies with the
highest cosine between L2-normalised user and movie vectors, excluding already-rated ones.
Stage 2 (`rerank`): re-order those candidates by
  cosine + popularity_weight · log(1 + count) + cooccurrence_weight · affinity,
the affinity being the person's co-occurrence score of each movie (model.cooccurrence).
With `diversity` λ > 0 the order is then chosen greedily (maximal marginal relevance): each
next movie maximises score - λ · (its highest cosine to a movie already chosen), so the top
of the list is not one franchise or genre. A person's popularity dial (`dialled`) moves
their popularity weight alone, by POPULARITY_STEP per step.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

# The popularity dial: -2 ("hidden gems") .. 2 ("well known"), 0 the validated weight.
# Each step moves the popularity weight by POPULARITY_STEP. log(1 + count) spans about 0..8
# on MovieLens, so two steps shift a blockbuster by about 0.7 of cosine against a movie
# rated a few times. On ml-1m-u2999 step -2 takes the typical listed movie from about 580
# ratings to about 80 and catalogue coverage from 31% to 75%, for about half of Recall@10;
# +2 costs 6% of it. 0.1 a step lost most of Recall@10 at -1 on ml-1m, 0.03 barely moved
# ml-100k's lists. docs/STEERING.md has the tables.
POPULARITY_STEPS = (-2, -1, 0, 1, 2)
POPULARITY_STEP = 0.05


def dial_prefix(step: int) -> str:
    """The prefix of the evaluation's metrics for lists ranked at dial `step` ("dial-2",
    "dial+0", ...): read by the staff pages, which must not load the evaluation (Paddle)."""
    return f"dial{step:+d}"


@dataclass(frozen=True)
class RankingPolicy:
    overfetch: int
    popularity_weight: float
    cooccurrence_weight: float = 0.0
    diversity: float = 0.0

    def to_dict(self) -> dict[str, float]:
        return {
            "overfetch": self.overfetch,
            "popularity_weight": self.popularity_weight,
            "cooccurrence_weight": self.cooccurrence_weight,
            "diversity": self.diversity,
        }

    @classmethod
    def from_dict(cls, values: dict[str, float]) -> RankingPolicy:
        """Policies saved before the co-occurrence term or diversification existed ranked
        without them."""
        return cls(
            overfetch=int(values["overfetch"]),
            popularity_weight=values["popularity_weight"],
            cooccurrence_weight=values.get("cooccurrence_weight", 0.0),
            diversity=values.get("diversity", 0.0),
        )

    def dialled(self, popularity: int) -> RankingPolicy:
        """This policy for a person whose popularity dial is at `popularity` (one of
        POPULARITY_STEPS; 0 is the policy itself)."""
        if popularity not in POPULARITY_STEPS:
            raise ValueError(f"popularity must be one of {POPULARITY_STEPS}, got {popularity!r}")
        if not popularity:
            return self
        weight = self.popularity_weight + POPULARITY_STEP * popularity
        return dataclasses.replace(self, popularity_weight=weight)


def log_popularity(rating_counts: np.ndarray) -> np.ndarray:
    return np.log1p(np.asarray(rating_counts, dtype=np.float32))


def rerank(
    cosines: np.ndarray,
    candidate_log_popularity: np.ndarray,
    policy: RankingPolicy,
    k: int,
    candidate_affinity: np.ndarray | None = None,
    candidate_vectors: np.ndarray | None = None,
) -> np.ndarray:
    """Positions (per row, best first) of the top-k of the [B, C] candidates by rerank score.

    Candidates may be padded with cosine = -inf (fewer than C available); they sort last.
    `candidate_affinity` [B, C] is None when the model has no co-occurrence term;
    `candidate_vectors` [B, C, D], the candidates' unit vectors, are needed when the policy
    diversifies.
    """
    scores = cosines + policy.popularity_weight * candidate_log_popularity
    if candidate_affinity is not None and policy.cooccurrence_weight:
        scores = scores + policy.cooccurrence_weight * candidate_affinity
    if not policy.diversity:
        return top_k_positions(scores, k)
    if candidate_vectors is None:
        raise ValueError("a diversifying policy needs the candidates' vectors")
    return diversified_positions(scores, candidate_vectors, policy.diversity, k)


def diversified_positions(
    scores: np.ndarray, vectors: np.ndarray, diversity: float, k: int
) -> np.ndarray:
    """[B, k] positions chosen greedily by maximal marginal relevance: each next one has the
    highest score - diversity · (max cosine of its [B, C, D] vector to those already
    chosen). Ties go to the lower position, so diversity 0 gives top_k_positions' order.
    A greedy prefix: the first k of a longer list are this list."""
    batch, width = scores.shape
    k = min(k, width)
    rows = np.arange(batch)
    closest = np.zeros((batch, width), dtype=np.float64)  # max cosine to the chosen so far
    chosen = np.zeros((batch, k), dtype=np.int64)
    available = np.ones((batch, width), dtype=bool)
    for step in range(k):
        marginal = np.where(available, scores - diversity * closest, -np.inf)
        # Padded candidates (score -inf) come last, in position order, as in top_k_positions.
        marginal = np.where(available & np.isneginf(marginal), np.finfo(np.float64).min, marginal)
        picked = marginal.argmax(axis=1)
        chosen[:, step] = picked
        available[rows, picked] = False
        similarity = np.einsum("bcd,bd->bc", vectors, vectors[rows, picked])
        np.maximum(closest, similarity, out=closest)
    return chosen


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
    # [B, C, D] only when diversifying: 160 MB for an evaluation chunk of 1024 people.
    candidate_vectors = movie_vectors[candidates] if policy.diversity else None
    order = rerank(
        candidate_cosines,
        movie_log_popularity[candidates],
        policy,
        k,
        candidate_affinity,
        candidate_vectors,
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
