"""Encoded users or movies: what the towers produce and the vector database stores."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

STARS_MIN, STARS_MAX = 1.0, 5.0


@dataclass(frozen=True)
class Encoded:
    vectors: np.ndarray  # [N, D] float32, unit L2 norm
    biases: np.ndarray  # [N] float32 (zeros for the book variant)
