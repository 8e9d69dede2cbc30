"""The one configuration object of the two-tower recommender.

Every knob that changes what a training run produces lives here, so that an artifact's
`config.json` alone says how its model was made. `from_dict` refuses unknown AND missing
keys: a renamed or forgotten key must fail loudly instead of silently taking a default.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

# "book" is the PaddlePaddle-book model (stars = 5·cosine, MSE only); "multitask" adds a
# calibrated rating head (offset + user/movie biases + scale·cosine) and a sampled-softmax
# retrieval loss on the same towers.
VARIANTS = ("book", "multitask")
LR_SCHEDULES = ("cosine", "plateau")
# How training uses a "Not interested" mark: not at all, as a rating of hidden_stars (rating
# loss only), or as a hard negative (the retrieval softmax is taught to give it little mass).
HIDDEN_FEEDBACK = ("ignore", "pseudo_rating", "hard_negative")
# How training uses a watchlist entry or an onboarding pick: not at all, or as a positive of
# the retrieval softmax (no stars: nothing for the rating loss).
WANTED_FEEDBACK = ("ignore", "positive")


@dataclass(frozen=True)
class ModelConfig:
    variant: str = "multitask"
    # Tower sizes (the book's).
    user_id_dim: int = 32
    demographic_dim: int = 16
    movie_id_dim: int = 32
    genre_dim: int = 32
    title_word_dim: int = 32
    title_filters: int = 32
    title_window: int = 3
    vector_dim: int = 200
    max_title_words: int = 15
    max_genres: int = 6
    # Dropout on each tower's concatenated features while training. 0.2 helped a little
    # with 24 epochs (RMSE 0.8549 → 0.8545) but slows convergence: within the 12-epoch
    # cosine schedule 0 does better (RMSE 0.8483 → 0.8452 with the neighbourhood stage).
    dropout: float = 0.0
    # Optimisation.
    learning_rate: float = 5e-3
    # "cosine": the rate falls from learning_rate to a tenth of it over `epochs` epochs.
    # "plateau": it is multiplied by lr_decay after every epoch whose val RMSE did not
    # improve (lr_decay 1.0: constant rate). On ml-1m-u2999 cosine over 12 epochs reaches
    # the validation RMSE plateau needed 24 epochs for (bench/train/README.md).
    lr_schedule: str = "cosine"
    lr_decay: float = 0.5
    batch_size: int = 1024
    epochs: int = 12
    patience: int = 2
    val_fraction: float = 0.05
    test_fraction: float = 0.1
    seed: int = 0
    # Retrieval loss (multitask only): softmax over the batch's movies plus uniformly
    # sampled ones, logits = cosine / temperature - log(inclusion probability).
    retrieval_weight: float = 0.7
    temperature: float = 0.05
    sampled_negatives: int = 0
    retrieval_min_stars: int = 1
    # Ranking: over-fetch this many by cosine (the vector DB), then re-rank by
    # cosine + popularity_weight · log(1 + count); the weight is picked on the
    # validation split from this grid.
    overfetch: int = 200
    popularity_weights: tuple[float, ...] = (0.0, 0.01, 0.02, 0.05, 0.1)
    # Neighbourhood stage (recommender.model.cooccurrence), fitted in closed form after the
    # network: a co-occurrence term in the re-rank (+ weight · affinity) and a residual
    # correction of the stars (+ weight · predicted error). Each weight is picked on the
    # validation split from its grid, 0 included; (0.0,) turns a part off. On ml-1m-u2999
    # the co-occurrence term lifts Recall@10 from 0.288 to 0.318 and the correction takes
    # RMSE from 0.8545 to 0.845 (bench/train/README.md).
    cooccurrence_l2: float = 500.0
    cooccurrence_weights: tuple[float, ...] = (0.0, 0.5, 1.0, 2.0)
    residual_l2: float = 2000.0
    residual_weights: tuple[float, ...] = (0.0, 1.0, 2.0, 3.0, 4.0, 5.0)
    # Strongest weights kept per movie row when serving (memory: M x kept x 8 bytes each).
    neighbours_kept: int = 500
    # Diversification of the re-ranked list (model.ranking.diversified_positions): each next
    # movie's score is lowered by diversity x its highest cosine to the movies above it.
    # 0: off. The candidates' vectors are close, so the cost grows fast: on ml-1m-u2999
    # Recall@10 (capped) is 0.3216 at 0, 0.3204 at 0.1, 0.3191 at 0.2, 0.3145 at 0.3 and
    # 0.2530 at 0.7, EASE's being 0.3164 (docs/STEERING.md). 0.1 keeps the ranking above
    # EASE and still breaks up runs of near-identical movies.
    diversity: float = 0.1
    # After evaluation, the served model learns from every rating, the held-out and
    # validation ones included: the network trains this many more epochs on all of them at
    # the run's last learning rate (0: serve the evaluated network), and the neighbourhood
    # stage is fitted again on all of them with the weights evaluation chose.
    refit_epochs: int = 1
    # Marks without stars (training.data.Marks), simulated on ml-1m-u2999 (bench/marks, two
    # seeds; docs/STEERING.md). Watchlist entries as positives lift Recall@10 (capped 0.3169
    # -> 0.3200) and RMSE (0.8619 -> 0.8589). Neither reading of a hidden movie lifts the
    # ranking: as a 1-star rating it costs the least (capped 0.3143 with the watchlist,
    # 0.3144 without) and helps the stars most (RMSE 0.8552); as a hard negative 0.3174 and
    # 0.8580 here, but in a newcomer's fold-in it costs 13% of Recall@10 to the 1-star
    # rating's 4% (bench/onboarding).
    hidden_feedback: str = "pseudo_rating"
    hidden_stars: float = 1.0
    wanted_feedback: str = "positive"

    def __post_init__(self) -> None:
        for problem in _problems(self):
            raise ValueError(f"invalid ModelConfig: {problem}")

    @classmethod
    def book(cls) -> ModelConfig:
        """The book's architecture and loss alone, trained as the baseline always was (its
        figures in bench/train/README.md stay reproducible)."""
        return cls(
            variant="book",
            retrieval_weight=0.0,
            dropout=0.0,
            learning_rate=2e-3,
            lr_schedule="plateau",
            epochs=25,
            patience=3,
            refit_epochs=0,
            **_NO_NEIGHBOURHOOD,
            **_NO_MARKS,
        )

    @classmethod
    def tiny(cls, variant: str = "multitask") -> ModelConfig:
        """Small enough to train on a few thousand synthetic ratings in about a second."""
        return cls(
            variant=variant,
            user_id_dim=8,
            demographic_dim=4,
            movie_id_dim=8,
            genre_dim=8,
            title_word_dim=8,
            title_filters=8,
            vector_dim=16,
            max_title_words=6,
            max_genres=3,
            dropout=0.0,
            learning_rate=0.01,
            batch_size=256,
            epochs=8,
            patience=2,
            val_fraction=0.1,
            temperature=0.1,
            sampled_negatives=32,
            retrieval_weight=1.0 if variant == "multitask" else 0.0,
            overfetch=20,
            cooccurrence_l2=20.0,
            residual_l2=50.0,
            neighbours_kept=50,
            refit_epochs=1,
            **({} if variant == "multitask" else _NO_NEIGHBOURHOOD | _NO_MARKS),
        )

    def to_dict(self) -> dict[str, Any]:
        values = dataclasses.asdict(self)
        return values | {name: list(values[name]) for name in _GRIDS}

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> ModelConfig:
        expected = {field.name for field in dataclasses.fields(cls)}
        unknown, missing = set(values) - expected, expected - set(values)
        if unknown or missing:
            raise ValueError(
                f"ModelConfig keys mismatch: unknown {sorted(unknown)}, missing {sorted(missing)}"
            )
        return cls(**(values | {name: tuple(values[name]) for name in _GRIDS}))

    @classmethod
    def from_saved(cls, values: dict[str, Any]) -> ModelConfig:
        """A config saved by an earlier version of this code (an artifact's config.json, a
        queued run): keys added since then take the value that reproduces how models were
        trained before the key existed — never today's default — then from_dict's checks."""
        return cls.from_dict({**KEYS_ADDED_SINCE_FIRST_RELEASE, **values})


# Keys added after the first artifacts were saved, with their value from before they existed.
KEYS_ADDED_SINCE_FIRST_RELEASE: dict[str, Any] = {
    "lr_decay": 1.0,
    "lr_schedule": "plateau",
    "dropout": 0.0,
    "cooccurrence_l2": 500.0,
    "cooccurrence_weights": [0.0],
    "residual_l2": 1000.0,
    "residual_weights": [0.0],
    "neighbours_kept": 200,
    "refit_epochs": 0,
    "diversity": 0.0,
    "hidden_feedback": "ignore",
    "hidden_stars": 1.0,
    "wanted_feedback": "ignore",
}

# The book variant is the published model alone.
_NO_NEIGHBOURHOOD: dict[str, Any] = {"cooccurrence_weights": (0.0,), "residual_weights": (0.0,)}

# Without a retrieval loss, marks can only be pseudo-ratings; the book's baseline has none.
_NO_MARKS: dict[str, Any] = {"hidden_feedback": "ignore", "wanted_feedback": "ignore"}

# The weight grids: tuples in the config, lists in JSON.
_GRIDS = ("popularity_weights", "cooccurrence_weights", "residual_weights")


_POSITIVE_INTS = (
    "user_id_dim",
    "demographic_dim",
    "movie_id_dim",
    "genre_dim",
    "title_word_dim",
    "title_filters",
    "title_window",
    "vector_dim",
    "max_title_words",
    "max_genres",
    "batch_size",
    "epochs",
    "overfetch",
    "neighbours_kept",
)


def _problems(config: ModelConfig) -> list[str]:
    """Every reason the config is unusable; empty when it is fine."""
    problems = [
        f"{name} must be a positive int"
        for name in _POSITIVE_INTS
        if not _is_positive_int(getattr(config, name))
    ]
    if config.variant not in VARIANTS:
        problems.append(f"variant must be one of {VARIANTS}, got {config.variant!r}")
    if config.variant == "book" and config.retrieval_weight != 0:
        problems.append("the book variant has no retrieval loss: retrieval_weight must be 0")
    if not config.learning_rate > 0:
        problems.append("learning_rate must be > 0")
    if not 0 <= config.dropout < 1:
        problems.append("dropout must be in [0, 1)")
    if not config.diversity >= 0:
        problems.append("diversity must be >= 0")
    if config.hidden_feedback not in HIDDEN_FEEDBACK:
        problems.append(f"hidden_feedback must be one of {HIDDEN_FEEDBACK}")
    if config.wanted_feedback not in WANTED_FEEDBACK:
        problems.append(f"wanted_feedback must be one of {WANTED_FEEDBACK}")
    if not 1 <= config.hidden_stars <= 5:
        problems.append("hidden_stars must be in [1, 5]")
    if config.retrieval_weight == 0 and (
        config.hidden_feedback == "hard_negative" or config.wanted_feedback == "positive"
    ):
        problems.append("hard negatives and wanted positives need retrieval_weight > 0")
    if config.lr_schedule not in LR_SCHEDULES:
        problems.append(f"lr_schedule must be one of {LR_SCHEDULES}")
    if not 0 < config.lr_decay <= 1:
        problems.append("lr_decay must be in (0, 1]")
    if not (isinstance(config.patience, int) and config.patience >= 1):
        problems.append("patience must be an int >= 1")
    for name in ("val_fraction", "test_fraction"):
        if not 0 < getattr(config, name) < 1:
            problems.append(f"{name} must be in (0, 1)")
    if not config.temperature > 0:
        problems.append("temperature must be > 0")
    if config.retrieval_weight < 0 or config.sampled_negatives < 0:
        problems.append("retrieval_weight and sampled_negatives must be >= 0")
    if config.retrieval_min_stars not in range(1, 6):
        problems.append("retrieval_min_stars must be 1..5")
    for grid in _GRIDS:
        weights = getattr(config, grid)
        if not weights or any(not w >= 0 for w in weights):
            problems.append(f"{grid} must be a non-empty tuple of weights >= 0")
    if not (config.cooccurrence_l2 > 0 and config.residual_l2 > 0):
        problems.append("cooccurrence_l2 and residual_l2 must be > 0")
    if not (_is_int(config.refit_epochs) and config.refit_epochs >= 0):
        problems.append("refit_epochs must be an int >= 0")
    if not isinstance(config.seed, int) or config.seed < 0:
        problems.append("seed must be an int >= 0")
    return problems


def _is_positive_int(value: object) -> bool:
    return _is_int(value) and value > 0  # type: ignore[operator]


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
