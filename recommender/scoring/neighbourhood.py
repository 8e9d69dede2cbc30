"""The neighbourhood stage as serving sees it (`neighbourhood.npz`, optional).

Training writes the sparse co-occurrence and residual rows (recommender.model.cooccurrence)
with the residual weight; a model saved without the file has neither term, and ranks and
scores as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..model.cooccurrence import SparseRows

NEIGHBOURHOOD_FILE = "neighbourhood.npz"


@dataclass(frozen=True)
class PersonTerms:
    """One person's per-movie terms, indexed by catalog position."""

    affinity: np.ndarray  # [M] co-occurrence score (re-rank)
    correction: np.ndarray  # [M] stars to add to the network's prediction


@dataclass(frozen=True)
class Neighbourhood:
    cooccurrence: SparseRows
    residuals: SparseRows
    residual_weight: float

    def person_terms(self, rated: np.ndarray, errors: np.ndarray) -> PersonTerms:
        """Terms for a person who rated catalog positions `rated` [R] with the network's
        `errors` [R] (stars - predicted) on them."""
        movies = len(self.cooccurrence.targets)
        affinity = self.cooccurrence.combine(rated, np.ones(len(rated), np.float32), movies)
        correction = self.residual_weight * self.residuals.combine(rated, errors, movies)
        return PersonTerms(affinity, correction.astype(np.float32))

    def save(self, directory: Path) -> Path:
        path = Path(directory) / NEIGHBOURHOOD_FILE
        np.savez(
            path,
            cooccurrence_targets=self.cooccurrence.targets,
            cooccurrence_weights=self.cooccurrence.weights,
            residual_targets=self.residuals.targets,
            residual_weights=self.residuals.weights,
            residual_weight=np.float32(self.residual_weight),
        )
        return path

    @classmethod
    def load(cls, directory: Path, movies: int) -> Neighbourhood | None:
        """None when the artifact has no neighbourhood stage; ValueError when its rows do
        not cover the catalog's `movies`."""
        path = Path(directory) / NEIGHBOURHOOD_FILE
        if not path.exists():
            return None
        with np.load(path, allow_pickle=False) as arrays:
            loaded = cls(
                SparseRows(arrays["cooccurrence_targets"], arrays["cooccurrence_weights"]),
                SparseRows(arrays["residual_targets"], arrays["residual_weights"]),
                float(arrays["residual_weight"]),
            )
        for rows in (loaded.cooccurrence, loaded.residuals):
            if rows.targets.shape != rows.weights.shape or len(rows.targets) != movies:
                raise ValueError(f"{path} does not match a catalog of {movies} movies")
            if rows.targets.size and not 0 <= rows.targets.min() <= rows.targets.max() < movies:
                raise ValueError(f"{path} points outside a catalog of {movies} movies")
        return loaded
