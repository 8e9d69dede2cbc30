"""`train_and_evaluate`: the one call the training job makes.

Splits: a random config.test_fraction of the ratings is held out for the reported metrics;
a random config.val_fraction of the rest is the validation split used for early stopping
and for choosing the ranking policy. The model is fitted on what remains.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..model.config import ModelConfig
from ..model.cpu import configure_cpu
from ..model.net import TwoTowerNet
from ..model.ranking import RankingPolicy, log_popularity
from .artifacts import ModelBundle, catalog_of, save_artifact, users_of
from .data import RatingsData, random_split
from .encoding import Encoded, encode_movies, encode_users
from .evaluation import TOP_K, evaluate, model_top_k, ranking_metrics, ranking_protocol
from .inputs import build_vocabularies, rating_rows, table_features, vocab_sizes
from .trainer import EpochReport, Progress, TrainingSet, build_net, train_net


@dataclass(frozen=True)
class TrainResult:
    metrics: dict[str, float]
    history: list[EpochReport]
    timings: dict[str, float]
    policy: RankingPolicy
    artifact_dir: Path


def train_and_evaluate(
    data: RatingsData,
    config: ModelConfig,
    out_dir: Path | str,
    progress: Progress | None = None,
    snapshot: dict[str, Any] | None = None,
    held_out: np.ndarray | None = None,
) -> TrainResult:
    """Trains on `data`, evaluates on its held-out split and saves the artifact to out_dir.

    `snapshot` is stored verbatim next to the data counts (e.g. the export's database ids).
    `held_out`, a boolean mask over the ratings, replaces the random test split (for
    official folds such as ml-100k's u1..u5).
    """
    configure_cpu()
    started = time.perf_counter()
    known, test = _hold_out(data, config, held_out)
    fit, val = random_split(known, config.val_fraction, config.seed + 1)
    vocab = build_vocabularies(fit)
    users, movies = table_features(data, vocab, config)
    training_set = TrainingSet(users, movies, rating_rows(fit), rating_rows(val))
    rating_offset = float(fit.stars.mean())
    net = build_net(config, vocab_sizes(vocab), rating_offset)
    trained = train_net(net, training_set, config, progress)
    training_seconds = time.perf_counter() - started
    policy = choose_ranking_policy(net, training_set, config)
    metrics = evaluate(net, users, movies, rating_rows(known), rating_rows(test), policy)
    timings = _timings(trained.history, len(fit), training_seconds, time.perf_counter() - started)
    bundle = ModelBundle(
        config, vocab, net, rating_offset, policy, catalog_of(data, known), users_of(data)
    )
    report = {
        "metrics": metrics,
        "history": [asdict(epoch) for epoch in trained.history],
        "best_epoch": trained.best_epoch,
        "timings": timings,
        "ranking_policy": policy.to_dict(),
    }
    artifact_dir = save_artifact(bundle, Path(out_dir), report, _snapshot(data, snapshot))
    return TrainResult(metrics, trained.history, timings, policy, artifact_dir)


def _hold_out(
    data: RatingsData, config: ModelConfig, held_out: np.ndarray | None
) -> tuple[RatingsData, RatingsData]:
    if held_out is None:
        return random_split(data, config.test_fraction, config.seed)
    return data.with_ratings(~held_out), data.with_ratings(held_out)


def choose_ranking_policy(
    net: TwoTowerNet, training_set: TrainingSet, config: ModelConfig
) -> RankingPolicy:
    """The popularity weight from config.popularity_weights with the best validation Recall@10
    (ties: the smallest weight)."""
    if len(config.popularity_weights) == 1:
        return RankingPolicy(config.overfetch, config.popularity_weights[0])
    recalls = validation_recalls(net, training_set, config)
    best = max(recalls, key=lambda weight: (recalls[weight], -weight))
    return RankingPolicy(config.overfetch, best)


def validation_recalls(
    net: TwoTowerNet, training_set: TrainingSet, config: ModelConfig
) -> dict[float, float]:
    known, held_out = training_set.train, training_set.val
    movie_count = len(training_set.movies.movie)
    user_rows, known_mask, relevant = ranking_protocol(known, held_out, movie_count)
    encoded = encode_users(net, training_set.users)
    users = Encoded(encoded.vectors[user_rows], encoded.biases[user_rows])
    movies = encode_movies(net, training_set.movies)
    log_pop = log_popularity(np.bincount(known.movie_rows, minlength=movie_count))
    recalls = {}
    for weight in config.popularity_weights:
        top = model_top_k(
            users, movies, log_pop, known_mask, RankingPolicy(config.overfetch, weight)
        )
        recalls[weight] = ranking_metrics(top, relevant)[f"recall@{TOP_K}"]
    return recalls


def _timings(
    history: list[EpochReport], fit_ratings: int, training: float, total: float
) -> dict[str, float]:
    per_epoch = float(np.mean([epoch.seconds for epoch in history]))
    return {
        "seconds_per_epoch": per_epoch,
        "ratings_per_second": fit_ratings / per_epoch,
        "training_seconds": training,
        "total_seconds": total,
    }


def _snapshot(data: RatingsData, extra: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "ratings": len(data),
        "users": len(data.user_table_ids),
        "movies": len(data.movie_table_ids),
        "max_timestamp": int(data.timestamps.max()) if len(data) else None,
        **(extra or {}),
    }
