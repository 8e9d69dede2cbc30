"""Mini-batch Adam training with early stopping on validation RMSE.

Deterministic: batch order and negative samples come from a numpy Generator seeded with
config.seed, weights from paddle.seed(config.seed) (see `build_net`), so the same data and
config give the same weights and metrics.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import paddle
import paddle.nn.functional as F

from ..model.config import ModelConfig
from ..model.net import TwoTowerNet, VocabSizes, normalize
from .encoding import encode_movies, encode_users, stars, to_tensors
from .inputs import MarkRows, MovieFeatures, RatingRows, UserFeatures

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
    # Trained on beside `train`, a share of them in every batch; never validated on.
    marks: MarkRows = field(default_factory=MarkRows.none)


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
    sampler = NegativeSampler(data, config)
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
    sampler = NegativeSampler(data, config)
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
    marks = _used_marks(data.marks, config)
    # Marks are spread evenly over the epoch's steps (drawn only when there are some, so
    # runs without marks keep their random stream).
    mark_order = rng.permutation(len(marks)) if len(marks) else np.zeros(0, np.int64)
    marks_per_step = -(-len(marks) // steps)
    total = 0.0
    for step in range(steps):
        batch = data.train.take(order[step * config.batch_size : (step + 1) * config.batch_size])
        batch_marks = marks.take(mark_order[step * marks_per_step : (step + 1) * marks_per_step])
        loss = batch_loss(net, batch, data, sampler, config, rng, batch_marks)
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
    marks: MarkRows | None = None,
) -> paddle.Tensor:
    """MSE on the observed stars (and hidden marks as pseudo-ratings), plus (multitask) the
    retrieval softmax loss on rated and wanted movies, and the hard-negative loss on
    hidden ones (`_hard_negative_loss`), averaged over both."""
    marks = marks if marks is not None else MarkRows.none()
    user_rows = np.concatenate([batch.user_rows, marks.user_rows])
    user_vectors, user_bias = net.user_tower(*to_tensors(*data.users.take(user_rows)))
    # Each distinct movie goes through the tower once; rows point at it by position.
    candidates, positions = np.unique(
        np.concatenate([batch.movie_rows, marks.movie_rows, sampler.sample(rng)]),
        return_inverse=True,
    )
    positions = positions[: len(user_rows)]
    movie_vectors, movie_bias = net.movie_tower(*to_tensors(*data.movies.take(candidates)))
    user_units, movie_units = normalize(user_vectors), normalize(movie_vectors)
    rows = _LossRows.of(batch, marks, config)
    predicted = net.stars(
        _gather(user_units, rows.rated),
        _gather(movie_units, positions[rows.rated]),
        _gather(user_bias, rows.rated),
        _gather(movie_bias, positions[rows.rated]),
    )
    loss = F.mse_loss(predicted, paddle.to_tensor(rows.stars))
    if config.retrieval_weight == 0 or len(rows.positive) + len(rows.negative) == 0:
        return loss
    log_inclusion = paddle.to_tensor(sampler.log_inclusion[candidates])
    logits = paddle.matmul(_gather(user_units, rows.positive), movie_units.T)
    logits = logits / config.temperature - log_inclusion
    labels = paddle.to_tensor(positions[rows.positive]).unsqueeze(1)
    retrieval = F.cross_entropy(logits, labels, reduction="sum") if len(rows.positive) else 0.0
    if len(rows.negative):
        retrieval = retrieval + _hard_negative_loss(
            _gather(user_units, rows.negative), movie_units, positions[rows.negative], config
        )
    return loss + config.retrieval_weight * retrieval / (len(rows.positive) + len(rows.negative))


def _hard_negative_loss(
    user_units: paddle.Tensor,
    movie_units: paddle.Tensor,
    hidden: np.ndarray,
    config: ModelConfig,
) -> paddle.Tensor:
    """Summed logistic loss on each hidden movie's cosine against the mean over the batch's
    movies, so that it ranks below the typical movie for that person. Not the softmax's own
    unlikelihood, -log(1 - p): with thousands of candidates p is ~1e-3 and it hardly moves
    (tried: no change of the hidden pairs' cosine on the synthetic data)."""
    cosines = paddle.matmul(user_units, movie_units.T)  # [H, C]
    chosen = paddle.to_tensor(np.stack([np.arange(len(hidden)), hidden], axis=1))
    margin = (paddle.gather_nd(cosines, chosen) - cosines.mean(axis=1)) / config.temperature
    return F.softplus(margin).sum()


@dataclass(frozen=True)
class _LossRows:
    """Which of a batch's rows (ratings, then marks) each loss term takes."""

    rated: np.ndarray  # rows with stars: ratings, and hidden marks as pseudo-ratings
    stars: np.ndarray  # their stars
    positive: np.ndarray  # retrieval positives: ratings >= retrieval_min_stars, wanted
    negative: np.ndarray  # hard negatives: hidden marks

    @classmethod
    def of(cls, batch: RatingRows, marks: MarkRows, config: ModelConfig) -> _LossRows:
        ratings = np.arange(len(batch))
        hidden = len(batch) + np.flatnonzero(marks.hidden)
        wanted = len(batch) + np.flatnonzero(~marks.hidden)
        pseudo = hidden if config.hidden_feedback == "pseudo_rating" else ratings[:0]
        return cls(
            rated=np.concatenate([ratings, pseudo]),
            stars=np.concatenate(
                [batch.stars, np.full(len(pseudo), config.hidden_stars, np.float32)]
            ),
            positive=np.concatenate(
                [np.flatnonzero(batch.stars >= config.retrieval_min_stars), wanted]
            ),
            negative=hidden if config.hidden_feedback == "hard_negative" else ratings[:0],
        )


def _used_marks(marks: MarkRows, config: ModelConfig) -> MarkRows:
    """The marks the config trains on (hidden ones unless ignored, wanted ones if positive)."""
    use_hidden = config.hidden_feedback != "ignore"
    use_wanted = config.wanted_feedback == "positive"
    return marks.take(np.flatnonzero(np.where(marks.hidden, use_hidden, use_wanted)))


def _gather(values: paddle.Tensor, rows: np.ndarray) -> paddle.Tensor:
    return paddle.gather(values, paddle.to_tensor(rows.astype(np.int64)))


class NegativeSampler:
    """Uniform extra negatives among the movies rated in training, and every candidate's
    log-probability of being in a batch's candidate set (the sampled-softmax correction that
    keeps popular movies from being over-penalised as in-batch negatives)."""

    def __init__(self, data: TrainingSet, config: ModelConfig) -> None:
        movie_count = len(data.movies.movie)
        # Marked movies join the candidate sets as rated ones do: counted alike, so a movie
        # only ever marked does not get the -log(tiny) boost of one never seen.
        marked = _used_marks(data.marks, config).movie_rows
        counts = np.bincount(np.concatenate([data.train.movie_rows, marked]), minlength=movie_count)
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
