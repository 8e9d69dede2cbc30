"""Encoded users or movies: what the towers produce and the vector database stores."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

STARS_MIN, STARS_MAX = 1.0, 5.0


@dataclass(frozen=True)
class Encoded:
    vectors: np.ndarray  # [N, D] float32, unit L2 norm
    biases: np.ndarray  # [N] float32 (zeros for the book variant)
    # People's neighbourhood terms (ScoringModel.personalize) [N, M + 1] by the model's movie
    # row, column 0 (the unknown movie) zero; None for movies, and for models without them.
    affinity: np.ndarray | None = None
    correction: np.ndarray | None = None

    def take(self, rows: np.ndarray) -> Encoded:
        """The encodings of `rows`, with their neighbourhood terms when they have them."""

        def rows_of(values: np.ndarray | None) -> np.ndarray | None:
            return None if values is None else values[rows]

        return Encoded(
            self.vectors[rows], self.biases[rows], rows_of(self.affinity), rows_of(self.correction)
        )
