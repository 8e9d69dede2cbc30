"""Mini-batch Adam training with early stopping on validation RMSE.

Deterministic: batch order and negative samples come from a numpy Generator seeded with
config.seed, weights from paddle.seed(config.seed) (see `build_net`), so the same data and
config give the same weights and metrics.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import paddle
import paddle.nn.functional as F

from ..model.config import ModelConfig
from ..model.net import TwoTowerNet, VocabSizes, normalize
from .encoding import encode_movies, encode_users, stars, to_tensors
from .inputs import MovieFeatures, RatingRows, UserFeatures

# progress(epoch, step, steps_per_epoch, loss): called after every step, epochs from 1.
COSINE_FLOOR = 0.1
Progress = Callable[[int, int, int, float], None]


@dataclass(frozen=True)
class EpochReport:
    epoch: int
    train_loss: float
    val_rmse: float
    seconds: float
    learning_rate: float


@dataclass(frozen=True)
class TrainedNet:
    net: TwoTowerNet
    history: list[EpochReport]
    best_epoch: int


@dataclass(frozen=True)
class TrainingSet:
    users: UserFeatures
    movies: MovieFeatures
    train: RatingRows
    val: RatingRows


def build_net(config: ModelConfig, sizes: VocabSizes, rating_offset: float) -> TwoTowerNet:
    """A freshly initialised network; seeding here makes the initial weights reproducible."""
    paddle.seed(config.seed)
    return TwoTowerNet(config, sizes, rating_offset)


def train_net(
    net: TwoTowerNet,
    data: TrainingSet,
    config: ModelConfig,
    progress: Progress | None = None,
    progress_epochs: Callable[[EpochReport], None] | None = None,
) -> TrainedNet:
    """Trains until config.epochs or until val RMSE has not improved for config.patience
    epochs; the returned net carries the weights of the best epoch."""
    rng = np.random.default_rng(config.seed)
    schedule = _schedule(config)
    optimizer = paddle.optimizer.Adam(schedule or config.learning_rate, parameters=net.parameters())
    sampler = NegativeSampler(data.train, len(data.movies.movie), config)
    history: list[EpochReport] = []
    best_state: dict[str, paddle.Tensor] | None = None
    best_epoch = 0
    for epoch in range(1, config.epochs + 1):
        started = time.perf_counter()
        rate = optimizer.get_lr()
        loss = _run_epoch(net, optimizer, data, sampler, config, rng, epoch, progress)
        val_rmse = validation_rmse(net, data)
        seconds = time.perf_counter() - started
        history.append(EpochReport(epoch, loss, val_rmse, seconds, rate))
        if progress_epochs is not None:
            progress_epochs(history[-1])
        if isinstance(schedule, paddle.optimizer.lr.ReduceOnPlateau):
            schedule.step(val_rmse)
        elif schedule is not None:
            schedule.step()
        if best_state is None or val_rmse < history[best_epoch - 1].val_rmse:
            best_state, best_epoch = _copy_state(net), epoch
        elif epoch - best_epoch >= config.patience:
            break
    assert best_state is not None, "config.epochs >= 1: the first epoch sets it"
    net.set_state_dict(best_state)
    return TrainedNet(net, history, best_epoch)


def fine_tune(
    net: TwoTowerNet,
    data: TrainingSet,
    config: ModelConfig,
    learning_rate: float,
    progress: Progress | None = None,
) -> list[float]:
    """config.refit_epochs more epochs on data.train at a constant rate, no early stopping
    (nothing is held out any more); the mean training loss of each."""
    rng = np.random.default_rng(config.seed + 2)
    optimizer = paddle.optimizer.Adam(learning_rate, parameters=net.parameters())
    sampler = NegativeSampler(data.train, len(data.movies.movie), config)
    return [
        _run_epoch(net, optimizer, data, sampler, config, rng, epoch, progress)
        for epoch in range(1, config.refit_epochs + 1)
    ]


def _schedule(config: ModelConfig) -> paddle.optimizer.lr.LRScheduler | None:
    """The learning rate per epoch (None: constant).

    cosine: from learning_rate down to COSINE_FLOOR x learning_rate at the last epoch, so
    the run ends in the fine steps that lower the validation RMSE most, whatever the cap.
    plateau: multiplied by lr_decay after every epoch whose validation RMSE did not improve.
    """
    if config.lr_schedule == "cosine":
        return paddle.optimizer.lr.CosineAnnealingDecay(
            config.learning_rate,
            T_max=max(config.epochs - 1, 1),
            eta_min=COSINE_FLOOR * config.learning_rate,
        )
    if config.lr_decay == 1:
        return None  # Paddle refuses a factor of 1
    return paddle.optimizer.lr.ReduceOnPlateau(
        config.learning_rate, factor=config.lr_decay, patience=0, threshold=0.0
    )


def validation_rmse(net: TwoTowerNet, data: TrainingSet) -> float:
    net.eval()
    predicted = stars(
        net,
        encode_users(net, data.users),
        encode_movies(net, data.movies),
        data.val.user_rows,
        data.val.movie_rows,
    )
    return float(np.sqrt(np.mean((predicted - data.val.stars) ** 2)))


def _run_epoch(
    net: TwoTowerNet,
    optimizer: paddle.optimizer.Optimizer,
    data: TrainingSet,
    sampler: NegativeSampler,
    config: ModelConfig,
    rng: np.random.Generator,
    epoch: int,
    progress: Progress | None,
) -> float:
    net.train()
    order = rng.permutation(len(data.train))
    steps = -(-len(order) // config.batch_size)
    total = 0.0
    for step in range(steps):
        batch = data.train.take(order[step * config.batch_size : (step + 1) * config.batch_size])
        loss = batch_loss(net, batch, data, sampler, config, rng)
        loss.backward()
        optimizer.step()
        optimizer.clear_grad()
        total += float(loss) * len(batch)
        if progress is not None:
            progress(epoch, step + 1, steps, float(loss))
    return total / len(order)


def batch_loss(
    net: TwoTowerNet,
    batch: RatingRows,
    data: TrainingSet,
    sampler: NegativeSampler,
    config: ModelConfig,
    rng: np.random.Generator,
) -> paddle.Tensor:
    """MSE on the observed stars, plus (multitask) the retrieval softmax loss."""
    user_vectors, user_bias = net.user_tower(*to_tensors(*data.users.take(batch.user_rows)))
    # Each distinct movie goes through the tower once; ratings point at it by position.
    candidates, positions = np.unique(
        np.concatenate([batch.movie_rows, sampler.sample(rng)]), return_inverse=True
    )
    positions = positions[: len(batch)]
    movie_vectors, movie_bias = net.movie_tower(*to_tensors(*data.movies.take(candidates)))
    user_units, movie_units = normalize(user_vectors), normalize(movie_vectors)
    position = paddle.to_tensor(positions)
    predicted = net.stars(
        user_units,
        paddle.gather(movie_units, position),
        user_bias,
        paddle.gather(movie_bias, position),
    )
    loss = F.mse_loss(predicted, paddle.to_tensor(batch.stars))
    positive = np.flatnonzero(batch.stars >= config.retrieval_min_stars)
    if config.retrieval_weight == 0 or len(positive) == 0:
        return loss
    logits = paddle.matmul(paddle.gather(user_units, paddle.to_tensor(positive)), movie_units.T)
    logits = logits / config.temperature - paddle.to_tensor(sampler.log_inclusion[candidates])
    labels = paddle.to_tensor(positions[positive]).unsqueeze(1)
    return loss + config.retrieval_weight * F.cross_entropy(logits, labels)


class NegativeSampler:
    """Uniform extra negatives among the movies rated in training, and every candidate's
    log-probability of being in a batch's candidate set (the sampled-softmax correction that
    keeps popular movies from being over-penalised as in-batch negatives)."""

    def __init__(self, train: RatingRows, movie_count: int, config: ModelConfig) -> None:
        counts = np.bincount(train.movie_rows, minlength=movie_count)
        self.rated_rows = np.flatnonzero(counts)
        wanted = config.sampled_negatives if config.retrieval_weight > 0 else 0
        self.size = min(wanted, len(self.rated_rows))
        frequency = counts / counts.sum()
        not_in_batch = (1.0 - frequency) ** config.batch_size
        not_sampled = 1.0 - self.size / len(self.rated_rows)
        inclusion = np.maximum(1.0 - not_in_batch * not_sampled, 1e-12)
        self.log_inclusion = np.log(inclusion).astype(np.float32)

    def sample(self, rng: np.random.Generator) -> np.ndarray:
        if self.size == 0:
            return np.zeros(0, dtype=np.int64)
        return rng.choice(self.rated_rows, self.size, replace=False)


def _copy_state(net: TwoTowerNet) -> dict[str, paddle.Tensor]:
    return {name: value.clone() for name, value in net.state_dict().items()}
