"""The serving weights file (`serving.npz`): everything scoring needs, as plain arrays.

Written by training (recommender.training.artifacts.serving_weights_of, which runs the
Paddle network once) and read here without Paddle. The demographic branches are stored as
lookup tables (their embedding and fully connected layer applied to every index), the id
branch as its embedding table and layer, because fold-in fits a free id embedding through
that layer.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import numpy as np

SERVING_FILE = "serving.npz"


@dataclass(frozen=True)
class ServingWeights:
    # User tower: features = [id_embedding[u] @ id_fc_w + id_fc_b, gender[g], age[a], occ[o]]
    id_embedding: np.ndarray  # [users + 1, E]
    id_fc_w: np.ndarray  # [E, E]
    id_fc_b: np.ndarray  # [E]
    gender_features: np.ndarray  # [3, F] (row 0: unknown)
    age_features: np.ndarray  # [8, F]
    occupation_features: np.ndarray  # [22, F]
    user_fc_w: np.ndarray  # [E + 3F, D]: vector = tanh(features @ user_fc_w + user_fc_b)
    user_fc_b: np.ndarray  # [D]
    user_bias_w: np.ndarray  # [E + 3F]: user bias = features @ user_bias_w (zeros: book)
    # Catalog, sorted by id; row 0 of the encodings is the all-padding (unknown) movie.
    movie_ids: np.ndarray  # [M] int64, ascending
    rating_counts: np.ndarray  # [M] training ratings per movie (popularity)
    movie_vectors: np.ndarray  # [M + 1, D] unit vectors
    movie_biases: np.ndarray  # [M + 1]
    # Rating head: stars = offset + movie_bias + user_bias_weight·user_bias
    #                      + Σ_k rating_weights_k · û_k · m̂_k
    rating_weights: np.ndarray  # [D]
    rating_offset: np.ndarray  # []
    user_bias_weight: np.ndarray  # []

    def save(self, directory: Path) -> Path:
        path = Path(directory) / SERVING_FILE
        np.savez(path, **dataclasses.asdict(self))
        return path

    @classmethod
    def load(cls, directory: Path) -> ServingWeights:
        path = Path(directory) / SERVING_FILE
        with np.load(path, allow_pickle=False) as arrays:
            names = {field.name for field in dataclasses.fields(cls)}
            if set(arrays.files) != names:
                raise ValueError(f"{path} holds {sorted(arrays.files)}, expected {sorted(names)}")
            return cls(**{name: arrays[name] for name in names})
