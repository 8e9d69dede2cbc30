"""Running the towers in inference mode: feature tables → unit vectors, biases, stars.

Shared by validation, evaluation and the serving-weights export, so all three score
identically (recommender.scoring then serves the exported vectors with numpy).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import paddle

from ..model.net import TwoTowerNet, normalize
from ..scoring.encoded import STARS_MAX, STARS_MIN, Encoded
from .inputs import MovieFeatures, UserFeatures

_BATCH = 8192


def to_tensors(*arrays: np.ndarray) -> list[paddle.Tensor]:
    return [paddle.to_tensor(a) for a in arrays]


@paddle.no_grad()
def encode_users(net: TwoTowerNet, users: UserFeatures) -> Encoded:
    return _encode(net.user_tower, users.take, len(users.user))


@paddle.no_grad()
def encode_movies(net: TwoTowerNet, movies: MovieFeatures) -> Encoded:
    return _encode(net.movie_tower, movies.take, len(movies.movie))


def _encode(
    tower: Callable[..., tuple[paddle.Tensor, paddle.Tensor]],
    take: Callable[[np.ndarray], tuple[np.ndarray, ...]],
    count: int,
) -> Encoded:
    """Runs `tower` over all `count` rows in chunks (bounded memory for big catalogs)."""
    outputs = [
        tower(*to_tensors(*take(np.arange(start, min(start + _BATCH, count)))))
        for start in range(0, count, _BATCH)
    ]
    return Encoded(
        vectors=np.concatenate([normalize(vector).numpy() for vector, _ in outputs]),
        biases=np.concatenate([bias.numpy() for _, bias in outputs]),
    )


@paddle.no_grad()
def stars(
    net: TwoTowerNet, users: Encoded, movies: Encoded, user_rows: np.ndarray, movie_rows: np.ndarray
) -> np.ndarray:
    """Predicted stars, clipped to 1..5, for (user row, movie row) pairs of encoded tables."""
    predicted = net.stars(
        *to_tensors(
            users.vectors[user_rows],
            movies.vectors[movie_rows],
            users.biases[user_rows],
            movies.biases[movie_rows],
        )
    )
    return np.clip(predicted.numpy(), STARS_MIN, STARS_MAX).astype(np.float32)
