"""`train_and_evaluate`: the one call the training job makes.

Splits: a random config.test_fraction of the ratings is held out for the reported metrics;
a random config.val_fraction of the rest is the validation split used for early stopping
and for choosing the ranking policy. The model is fitted on what remains.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..model.config import ModelConfig
from ..model.cpu import configure_cpu
from ..model.net import TwoTowerNet
from ..model.ranking import RankingPolicy, log_popularity
from ..scoring.encoded import STARS_MAX, STARS_MIN
from .artifacts import ModelBundle, catalog_of, save_artifact, users_of
from .data import RatingsData, random_split
from .encoding import Encoded, encode_movies, encode_users, stars
from .evaluation import (
    TOP_K,
    Stage,
    evaluate,
    model_top_k,
    ranking_metrics,
    ranking_protocol,
    rating_metrics,
)
from .inputs import (
    RatingRows,
    build_vocabularies,
    mark_rows,
    rating_rows,
    table_features,
    vocab_sizes,
)
from .neighbourhood import FittedNeighbourhood, has_neighbourhood, neighbourhood_fit, network_errors
from .trainer import (
    EpochReport,
    Progress,
    TrainedNet,
    TrainingSet,
    build_net,
    fine_tune,
    train_net,
)


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
    progress_epochs: Callable[[EpochReport], None] | None = None,
) -> TrainResult:
    """Trains on `data`, evaluates on its held-out split, then (config.refit_epochs) fits
    the served model on all of `data`, and saves it to out_dir.

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
    # Marks are not split: they carry no stars to validate or test on. They train the
    # network; evaluation leaves marked movies out of the lists, as serving does.
    marks = mark_rows(data)
    training_set = TrainingSet(users, movies, rating_rows(fit), rating_rows(val), marks)
    rating_offset = float(fit.stars.mean())
    net = build_net(config, vocab_sizes(vocab), rating_offset)
    clock = _Clock(started)
    trained = train_net(net, training_set, config, progress, progress_epochs)
    clock.mark("training")
    stage = choose_stage(net, training_set, config)
    clock.mark("stage")
    known_rows = rating_rows(known)
    evaluated = _refitted_stage(stage, net, training_set, known_rows, config)
    metrics = evaluate(net, users, movies, known_rows, rating_rows(test), evaluated, marks)
    clock.mark("evaluation")
    served = _serve_all(net, training_set, rating_rows(data), evaluated, trained, config)
    clock.mark("refit")
    timings = _timings(trained.history, len(fit), clock)
    bundle = ModelBundle(
        config,
        vocab,
        net,
        rating_offset,
        stage.policy,
        catalog_of(data, data if config.refit_epochs else known),
        users_of(data),
        served.neighbourhood,
        stage.residual_weight,
    )
    report = {
        "metrics": metrics,
        "history": [asdict(epoch) for epoch in trained.history],
        "best_epoch": trained.best_epoch,
        "timings": timings,
        "ranking_policy": stage.policy.to_dict(),
        "residual_weight": stage.residual_weight,
        "served": _served_description(config, len(known), len(fit), len(data), served.losses),
    }
    artifact_dir = save_artifact(bundle, Path(out_dir), report, _snapshot(data, snapshot))
    return TrainResult(metrics, trained.history, timings, stage.policy, artifact_dir)


@dataclass(frozen=True)
class _Served:
    neighbourhood: FittedNeighbourhood | None
    losses: list[float]


def _serve_all(
    net: TwoTowerNet,
    training_set: TrainingSet,
    every_rating: RatingRows,
    evaluated: Stage,
    trained: TrainedNet,
    config: ModelConfig,
) -> _Served:
    """The served model: the evaluated network trained further on every rating, and its
    neighbourhood fitted on every rating (none of it is held out any more). Without
    refit epochs, the evaluated model itself."""
    if not config.refit_epochs:
        return _Served(evaluated.neighbourhood, [])
    everything = dataclasses.replace(training_set, train=every_rating)
    losses = fine_tune(net, everything, config, trained.history[-1].learning_rate)
    refitted = _refitted_stage(evaluated, net, everything, every_rating, config)
    return _Served(refitted.neighbourhood, losses)


def _refitted_stage(
    stage: Stage,
    net: TwoTowerNet,
    training_set: TrainingSet,
    ratings: RatingRows,
    config: ModelConfig,
) -> Stage:
    """`stage` with its neighbourhood fitted again on `ratings` (same chosen weights)."""
    if stage.neighbourhood is None:
        return stage
    net.eval()
    users, movies = encode_users(net, training_set.users), encode_movies(net, training_set.movies)
    fitted = neighbourhood_fit(net, users, movies, ratings, config)
    return Stage(stage.policy, fitted, stage.residual_weight)


def _served_description(
    config: ModelConfig, known: int, fit: int, everything: int, losses: list[float]
) -> dict[str, Any]:
    """What the metrics describe, and how the served model differs from it."""
    return {
        "evaluated_on": "the held-out ratings; network trained on "
        f"{fit:,} ratings, neighbourhood fitted on {known:,}",
        "served": f"refitted on all {everything:,} ratings ({config.refit_epochs} more "
        "network epochs, neighbourhood refitted)"
        if config.refit_epochs
        else f"the evaluated model (network on {fit:,} ratings, neighbourhood on {fit:,})",
        "refit_losses": losses,
    }


def _hold_out(
    data: RatingsData, config: ModelConfig, held_out: np.ndarray | None
) -> tuple[RatingsData, RatingsData]:
    if held_out is None:
        return random_split(data, config.test_fraction, config.seed)
    return data.with_ratings(~held_out), data.with_ratings(held_out)


def choose_stage(net: TwoTowerNet, training_set: TrainingSet, config: ModelConfig) -> Stage:
    """The re-rank and neighbourhood weights with the best validation scores: popularity
    and co-occurrence weights by Recall@10, the residual weight by RMSE (ties: the smaller
    weight). The neighbourhood is fitted on the training ratings only. The diversification
    is the config's, not searched: it trades Recall@10 for variety on purpose, so a search
    by Recall@10 would always turn it off."""
    net.eval()
    users, movies = encode_users(net, training_set.users), encode_movies(net, training_set.movies)
    fitted = None
    if has_neighbourhood(config):
        fitted = neighbourhood_fit(net, users, movies, training_set.train, config)
    policy = _best_policy(users, movies, training_set, config, fitted)
    policy = dataclasses.replace(policy, diversity=config.diversity)
    if fitted is None:
        return Stage(policy)
    residual = _best_residual_weight(net, users, movies, training_set, config, fitted)
    return Stage(policy, fitted, residual)


def _best_policy(
    users: Encoded,
    movies: Encoded,
    training_set: TrainingSet,
    config: ModelConfig,
    fitted: FittedNeighbourhood | None,
) -> RankingPolicy:
    """The popularity weight without the co-occurrence term, then the co-occurrence weight
    beside it: a coordinate search (len(a) + len(b) evaluations, not len(a) x len(b); on
    ml-1m-u2999 the joint grid chose the same co-occurrence weight)."""
    popularity = _best_of(
        [RankingPolicy(config.overfetch, weight) for weight in config.popularity_weights],
        users,
        movies,
        training_set,
        None,
    )
    if fitted is None:
        return popularity
    return _best_of(
        [
            dataclasses.replace(popularity, cooccurrence_weight=weight)
            for weight in config.cooccurrence_weights
        ],
        users,
        movies,
        training_set,
        fitted,
    )


def _best_of(
    grid: list[RankingPolicy],
    users: Encoded,
    movies: Encoded,
    training_set: TrainingSet,
    fitted: FittedNeighbourhood | None,
) -> RankingPolicy:
    """The policy with the best validation Recall@10 (ties: the smaller weights)."""
    if len(grid) == 1:
        return grid[0]
    recalls = validation_recalls(users, movies, training_set, grid, fitted)
    return max(grid, key=lambda p: (recalls[p], -p.cooccurrence_weight, -p.popularity_weight))


def validation_recalls(
    users: Encoded,
    movies: Encoded,
    training_set: TrainingSet,
    grid: list[RankingPolicy],
    fitted: FittedNeighbourhood | None,
) -> dict[RankingPolicy, float]:
    known, held_out = training_set.train, training_set.val
    movie_count = len(training_set.movies.movie)
    user_rows, known_mask, relevant = ranking_protocol(known, held_out, movie_count)
    subset = users.take(user_rows)
    log_pop = log_popularity(np.bincount(known.movie_rows, minlength=movie_count))
    return {
        policy: ranking_metrics(
            model_top_k(subset, movies, log_pop, known_mask, policy, fitted), relevant
        )[f"recall@{TOP_K}"]
        for policy in grid
    }


def _best_residual_weight(
    net: TwoTowerNet,
    users: Encoded,
    movies: Encoded,
    training_set: TrainingSet,
    config: ModelConfig,
    fitted: FittedNeighbourhood,
) -> float:
    val = training_set.val
    predicted = stars(net, users, movies, val.user_rows, val.movie_rows)
    errors = network_errors(net, users, movies, training_set.train)
    correction = fitted.corrections(errors, len(users.vectors), val)

    def rmse(weight: float) -> float:
        corrected = np.clip(predicted + weight * correction, STARS_MIN, STARS_MAX)
        return rating_metrics(corrected, val.stars)["rmse"]

    scores = {weight: rmse(weight) for weight in config.residual_weights}
    return min(scores, key=lambda weight: (scores[weight], weight))


class _Clock:
    """Seconds spent in each phase of a run, and since it started."""

    def __init__(self, started: float) -> None:
        self.started = self.last = started
        self.phases: dict[str, float] = {}

    def mark(self, phase: str) -> None:
        now = time.perf_counter()
        self.phases[phase], self.last = now - self.last, now


def _timings(history: list[EpochReport], fit_ratings: int, clock: _Clock) -> dict[str, float]:
    per_epoch = float(np.mean([epoch.seconds for epoch in history]))
    return {
        "seconds_per_epoch": per_epoch,
        "ratings_per_second": fit_ratings / per_epoch,
        **{f"{phase}_seconds": seconds for phase, seconds in clock.phases.items()},
        "total_seconds": time.perf_counter() - clock.started,
    }


def _snapshot(data: RatingsData, extra: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "ratings": len(data),
        "users": len(data.user_table_ids),
        "movies": len(data.movie_table_ids),
        "max_timestamp": int(data.timestamps.max()) if len(data) else None,
        "hidden_marks": int(data.marks.hidden.sum()),
        "wanted_marks": int((~data.marks.hidden).sum()),
        **(extra or {}),
    }
