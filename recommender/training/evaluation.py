"""Held-out evaluation: rating accuracy and top-k ranking quality, model vs baselines.

Ranking protocol: every user with at least one held-out rating >= RELEVANT_STARS gets a
top-k over all catalog movies they did not rate in training, ranked by the product's own
`recommend_exact` (vector-DB stage + shared re-rank). Recall@k = hits / number of relevant
held-out movies; capped_recall@k = hits / min(k, relevant) (what `implicit`'s
ranking_metrics_at_k calls precision, the convention of the quoted ALS numbers); NDCG@k
with binary gains.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..model.net import TwoTowerNet
from ..model.ranking import (
    POPULARITY_STEPS,
    RankingPolicy,
    dial_prefix,
    log_popularity,
    recommend_exact,
    top_k_positions,
)
from ..scoring.encoded import STARS_MAX, STARS_MIN
from .encoding import Encoded, encode_movies, encode_users, stars
from .inputs import MarkRows, MovieFeatures, RatingRows, UserFeatures
from .neighbourhood import FittedNeighbourhood, network_errors

RELEVANT_STARS = 4
TOP_K = 10
_USER_CHUNK = 1024  # bounds the [users, movies] score matrices in memory


def rating_metrics(predicted: np.ndarray, actual: np.ndarray) -> dict[str, float]:
    error = np.asarray(predicted, np.float64) - actual
    return {"rmse": float(np.sqrt(np.mean(error**2))), "mae": float(np.mean(np.abs(error)))}


def baseline_predictions(
    train: RatingRows, test: RatingRows, movie_count: int
) -> dict[str, np.ndarray]:
    """Global-mean and per-movie-mean predictions (movies unseen in training: global mean)."""
    global_mean = float(train.stars.mean())
    counts = np.bincount(train.movie_rows, minlength=movie_count)
    sums = np.bincount(train.movie_rows, weights=train.stars, minlength=movie_count)
    movie_mean = np.where(counts > 0, sums / np.maximum(counts, 1), global_mean)
    return {
        "global_mean": np.full(len(test), global_mean),
        "movie_mean": movie_mean[test.movie_rows],
    }


def ranking_metrics(top_k: np.ndarray, relevant: np.ndarray) -> dict[str, float]:
    """Mean Recall@k and NDCG@k for [E, k] recommended positions and [E, M] relevance."""
    k = top_k.shape[1]
    hits = np.take_along_axis(relevant, top_k, axis=1).astype(np.float64)  # [E, k]
    relevant_counts = relevant.sum(axis=1)
    discounts = 1.0 / np.log2(np.arange(2, k + 2))  # [k]
    ideal = np.cumsum(discounts)[np.minimum(relevant_counts, k) - 1]
    return {
        f"recall@{k}": float(np.mean(hits.sum(axis=1) / relevant_counts)),
        f"capped_recall@{k}": float(np.mean(hits.sum(axis=1) / np.minimum(relevant_counts, k))),
        f"ndcg@{k}": float(np.mean((hits @ discounts) / ideal)),
    }


def ranking_protocol(
    known: RatingRows, held_out: RatingRows, movie_count: int, marks: MarkRows | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(evaluated user rows [E], known mask [E, M], relevant mask [E, M]). Marked movies
    count as known: lists never show them (hidden, or already on the watchlist)."""
    liked = held_out.stars >= RELEVANT_STARS
    users = np.unique(held_out.user_rows[liked])
    known_mask = _pair_mask(known.user_rows, known.movie_rows, users, movie_count)
    if marks is not None:
        known_mask |= _pair_mask(marks.user_rows, marks.movie_rows, users, movie_count)
    relevant = _pair_mask(held_out.user_rows[liked], held_out.movie_rows[liked], users, movie_count)
    return users, known_mask, relevant & ~known_mask


def _pair_mask(
    user_rows: np.ndarray, movie_rows: np.ndarray, users: np.ndarray, movie_count: int
) -> np.ndarray:
    """[len(users), M] mask of the (user, movie) pairs whose user is in sorted `users`."""
    mask = np.zeros((len(users), movie_count), dtype=bool)
    if len(users) == 0:
        return mask
    position = np.searchsorted(users, user_rows)
    inside = (position < len(users)) & (users[np.minimum(position, len(users) - 1)] == user_rows)
    mask[position[inside], movie_rows[inside]] = True
    return mask


def model_top_k(
    users: Encoded,
    movies: Encoded,
    log_pop: np.ndarray,
    known: np.ndarray,
    policy: RankingPolicy,
    neighbourhood: FittedNeighbourhood | None = None,
) -> np.ndarray:
    """[E, TOP_K] positions, ranked exactly as the product ranks (chunked over users)."""
    chunks = []
    for start in range(0, len(users.vectors), _USER_CHUNK):
        chunk = known[start : start + _USER_CHUNK]
        affinity = None if neighbourhood is None else neighbourhood.affinity(chunk)
        chunks.append(
            recommend_exact(
                users.vectors[start : start + _USER_CHUNK],
                movies.vectors,
                log_pop,
                chunk,
                policy,
                TOP_K,
                affinity,
            )
        )
    return np.concatenate(chunks)


@dataclass(frozen=True)
class Stage:
    """What follows the network: the re-rank policy and the neighbourhood (None: none)."""

    policy: RankingPolicy
    neighbourhood: FittedNeighbourhood | None = None
    residual_weight: float = 0.0


def corrected_stars(
    net: TwoTowerNet,
    users: Encoded,
    movies: Encoded,
    known: RatingRows,
    pairs: RatingRows,
    stage: Stage,
) -> np.ndarray:
    """The product's stars for `pairs`: the network, plus the residual correction learned
    from the people's `known` ratings when the stage has one."""
    predicted = stars(net, users, movies, pairs.user_rows, pairs.movie_rows)
    if stage.neighbourhood is None or not stage.residual_weight:
        return predicted
    errors = network_errors(net, users, movies, known)
    correction = stage.neighbourhood.corrections(errors, len(users.vectors), pairs)
    return np.clip(predicted + stage.residual_weight * correction, STARS_MIN, STARS_MAX)


def popular_top_k(rating_counts: np.ndarray, known: np.ndarray) -> np.ndarray:
    scores = np.where(known, -np.inf, rating_counts.astype(np.float64)[None, :])
    return top_k_positions(scores, TOP_K)


def evaluate(
    net: TwoTowerNet,
    users: UserFeatures,
    movies: MovieFeatures,
    known: RatingRows,
    held_out: RatingRows,
    stage: Stage,
    marks: MarkRows | None = None,
) -> dict[str, float]:
    """All metrics as a flat dict: model_*, global_mean_*, movie_mean_*, popular_*, and
    dial-2_* .. dial+2_* (`list_metrics` of the lists at each popularity dial step, so
    staff can see what the dial trades)."""
    net.eval()
    encoded_users, encoded_movies = encode_users(net, users), encode_movies(net, movies)
    movie_count = len(movies.movie)
    predicted = corrected_stars(net, encoded_users, encoded_movies, known, held_out, stage)
    metrics = _prefixed("model", rating_metrics(predicted, held_out.stars))
    for name, baseline in baseline_predictions(known, held_out, movie_count).items():
        metrics |= _prefixed(name, rating_metrics(baseline, held_out.stars))
    counts = np.bincount(known.movie_rows, minlength=movie_count)
    user_rows, known_mask, relevant = ranking_protocol(known, held_out, movie_count, marks)
    user_subset, log_pop = encoded_users.take(user_rows), log_popularity(counts)

    def top_at(step: int) -> np.ndarray:
        policy = stage.policy.dialled(step)
        return model_top_k(
            user_subset, encoded_movies, log_pop, known_mask, policy, stage.neighbourhood
        )

    tops = {step: top_at(step) for step in POPULARITY_STEPS}  # step 0: the policy itself
    metrics |= _prefixed("model", ranking_metrics(tops[0], relevant))
    metrics |= _prefixed("popular", ranking_metrics(popular_top_k(counts, known_mask), relevant))
    metrics["ranked_users"] = float(len(user_rows))
    for step, top in tops.items():
        metrics |= _prefixed(dial_prefix(step), list_metrics(top, relevant, counts))
    return metrics


def list_metrics(top_k: np.ndarray, relevant: np.ndarray, counts: np.ndarray) -> dict[str, float]:
    """What a set of lists trades ([E, k] positions): Recall@k and capped Recall@k, the
    share of the catalogue in at least one list (coverage) and the mean log(1 + ratings)
    of the listed movies (how well known they are)."""
    ranking = ranking_metrics(top_k, relevant)
    k = top_k.shape[1]
    return {
        f"recall@{k}": ranking[f"recall@{k}"],
        f"capped_recall@{k}": ranking[f"capped_recall@{k}"],
        "coverage": len(np.unique(top_k)) / len(counts),
        "log_popularity": float(np.log1p(counts)[top_k].mean()) if top_k.size else 0.0,
    }


def _prefixed(prefix: str, values: dict[str, float]) -> dict[str, float]:
    return {f"{prefix}_{name}": value for name, value in values.items()}
