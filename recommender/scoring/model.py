"""A trained model version as serving sees it: vectors, stars and the ranking function.

Everything here is read-only numpy after loading, so one instance serves every thread.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ..model.config import ModelConfig
from ..model.ranking import RankingPolicy, log_popularity, recommend_exact, rerank
from ..model.vocab import IdVocabulary, Vocabularies, age_index, gender_index, occupation_index
from .encoded import Encoded
from .towers import RatingHead, UserTower
from .weights import ServingWeights

# The artifact layout training writes (recommender.training.artifacts) and this code reads.
FORMAT_VERSION = 1


def load_scoring_model(artifact_dir: Path | str) -> ScoringModel:
    directory = Path(artifact_dir)
    description = _read_json(directory / "model.json")
    if description["format_version"] != FORMAT_VERSION:
        raise ValueError(
            f"{directory} is in artifact format {description['format_version']!r}; "
            f"this code reads format {FORMAT_VERSION}"
        )
    model = ScoringModel(
        config=ModelConfig.from_saved(_read_json(directory / "config.json")),
        vocab=Vocabularies.load(directory / "vocabularies.json"),
        policy=RankingPolicy.from_dict(description["ranking_policy"]),
        weights=ServingWeights.load(directory),
        users=_read_json(directory / "users.json"),
    )
    _recommend_once(model)
    return model


def _recommend_once(model: ScoringModel) -> None:
    """Encode, retrieve and score for an unknown person: arrays that load but do not fit
    together (a wrong shape, a short table) fail here, once, not in every request."""
    user = model.encode_users([-1], [-1], [-1], [-1])
    top = model.recommend(user, [np.zeros(0, np.int64)], k=1)  # [1, 1]
    model.stars(user, top)


class ScoringModel:
    def __init__(
        self,
        *,
        config: ModelConfig,
        vocab: Vocabularies,
        policy: RankingPolicy,
        weights: ServingWeights,
        users: dict[str, list],
    ) -> None:
        self.config, self.vocab, self.policy = config, vocab, policy
        self.user_tower = UserTower(weights)
        self.rating_head = RatingHead.of(weights)
        self.movie_ids = weights.movie_ids
        # Catalog position + 1 → row of the encodings; row 0 is the unknown movie.
        self._catalog_index = IdVocabulary(self.movie_ids)
        self._movies = Encoded(weights.movie_vectors, weights.movie_biases)
        self._log_popularity = log_popularity(np.concatenate([[0], weights.rating_counts]))
        self._known_users = IdVocabulary(np.asarray(users["user_ids"], dtype=np.int64))
        order = np.argsort(users["user_ids"], kind="stable")
        self._demographics = {k: np.asarray(users[k], np.int64)[order] for k in users}

    def encode_users(
        self, user_ids: ArrayLike, gender: ArrayLike, age: ArrayLike, occupation: ArrayLike
    ) -> Encoded:
        """Unit vectors [B, D] and rating biases [B]. Gender is coded 0 = F, 1 = M; unknown
        ids and unknown demographics (-1) use the unknown embeddings."""
        return self.user_tower.encode(
            self.vocab.user_ids.lookup(user_ids),
            gender_index(gender),
            age_index(age),
            occupation_index(occupation),
        )

    def knows_user(self, user_id: int) -> bool:
        """Whether the model was trained with this user id (it has an id embedding)."""
        return bool(self.vocab.user_ids.lookup([user_id])[0])

    def movie_vectors(self) -> tuple[np.ndarray, np.ndarray]:
        """(catalog movie ids [M], unit vectors [M, D] float32) for the vector DB."""
        return self.movie_ids, self._movies.vectors[1:]

    def catalog_encodings(self) -> Encoded:
        """Unit vectors and rating biases of the catalog, in `movie_ids` order."""
        return Encoded(self._movies.vectors[1:], self._movies.biases[1:])

    def catalog_positions(self, movie_ids: ArrayLike) -> np.ndarray:
        """Position of each id in `movie_ids`, -1 for movies not in the catalog."""
        return self._movie_rows(movie_ids) - 1

    def movie_encodings(self, movie_ids: ArrayLike) -> Encoded:
        """Like catalog_encodings for given ids (unknown ids: the all-padding movie)."""
        rows = self._movie_rows(movie_ids)
        return Encoded(self._movies.vectors[rows], self._movies.biases[rows])

    def stars(self, users: Encoded, movie_ids: np.ndarray) -> np.ndarray:
        """[B, C] stars (1..5) for B encoded users and a [B, C] array of movie ids."""
        rows = self._movie_rows(movie_ids)  # [B, C]
        return self.rating_head.stars(users, self._movies.vectors[rows], self._movies.biases[rows])

    def predict(
        self,
        user_ids: ArrayLike,
        movie_ids: ArrayLike,
        gender: ArrayLike | None = None,
        age: ArrayLike | None = None,
        occupation: ArrayLike | None = None,
    ) -> np.ndarray:
        """Stars for (user, movie) pairs. Demographics default to the stored training users'
        (an unknown user without demographics is an error)."""
        if gender is None or age is None or occupation is None:
            gender, age, occupation = self._stored_demographics(user_ids)
        users = self.encode_users(user_ids, gender, age, occupation)
        return self.stars(users, np.asarray(movie_ids, dtype=np.int64)[:, None])[:, 0]

    def rerank(self, candidate_ids: np.ndarray, cosines: np.ndarray, k: int) -> np.ndarray:
        """The product's stage 2: [B, k] movie ids from [B, C] vector-DB candidates."""
        rows = self._movie_rows(candidate_ids)
        order = rerank(cosines, self._log_popularity[rows], self.policy, k)
        return np.take_along_axis(np.asarray(candidate_ids), order, axis=1)

    def recommend(self, users: Encoded, exclude_ids: list[np.ndarray], k: int) -> np.ndarray:
        """[B, k] movie ids by exact search + the same re-rank (no vector DB needed)."""
        exclude = np.zeros((len(users.vectors), len(self.movie_ids)), dtype=bool)
        for row, ids in enumerate(exclude_ids):
            rows = self._movie_rows(np.asarray(ids, dtype=np.int64))
            exclude[row, rows[rows > 0] - 1] = True
        vectors, log_pop = self._movies.vectors[1:], self._log_popularity[1:]
        positions = recommend_exact(users.vectors, vectors, log_pop, exclude, self.policy, k)
        return self.movie_ids[positions]

    def _movie_rows(self, movie_ids: ArrayLike) -> np.ndarray:
        return self._catalog_index.lookup(movie_ids)

    def _stored_demographics(
        self, user_ids: ArrayLike
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        index = self._known_users.lookup(user_ids)
        if (index == 0).any():
            unknown = np.asarray(user_ids)[index == 0]
            raise ValueError(f"users {unknown.tolist()} unknown: pass their demographics")
        rows = index - 1
        return tuple(self._demographics[k][rows] for k in ("gender", "age", "occupation"))


def _read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))
