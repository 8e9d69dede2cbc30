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
from .neighbourhood import Neighbourhood
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
    weights = ServingWeights.load(directory)
    model = ScoringModel(
        config=ModelConfig.from_saved(_read_json(directory / "config.json")),
        vocab=Vocabularies.load(directory / "vocabularies.json"),
        policy=RankingPolicy.from_dict(description["ranking_policy"]),
        weights=weights,
        users=_read_json(directory / "users.json"),
        neighbourhood=Neighbourhood.load(directory, len(weights.movie_ids)),
    )
    _recommend_once(model)
    return model


def _recommend_once(model: ScoringModel) -> None:
    """Encode, retrieve and score for an unknown person: arrays that load but do not fit
    together (a wrong shape, a short table) fail here, once, not in every request."""
    user = model.encode_users([-1], [-1], [-1], [-1])
    first = model.movie_ids[:1]
    user = model.personalize(user, [first], [np.full(len(first), 4.0, np.float32)])
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
        neighbourhood: Neighbourhood | None = None,
    ) -> None:
        self.config, self.vocab, self.policy = config, vocab, policy
        self.neighbourhood = neighbourhood
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

    def personalize(
        self, users: Encoded, rated_ids: list[np.ndarray], rated_stars: list[np.ndarray]
    ) -> Encoded:
        """`users` with their neighbourhood terms, from each person's rated movie ids and
        stars (movies outside the catalog are ignored); unchanged without the stage."""
        if self.neighbourhood is None:
            return users
        affinity, correction = [], []
        for row, (ids, given) in enumerate(zip(rated_ids, rated_stars, strict=True)):
            movie_rows = self._movie_rows(np.asarray(ids, dtype=np.int64))
            known = movie_rows > 0
            person = Encoded(users.vectors[row : row + 1], users.biases[row : row + 1])
            predicted = self._network_stars(person, movie_rows[known][None, :])[0]
            errors = np.asarray(given, np.float32)[known] - predicted
            terms = self.neighbourhood.person_terms(movie_rows[known] - 1, errors)
            affinity.append(np.concatenate([[0.0], terms.affinity]))
            correction.append(np.concatenate([[0.0], terms.correction]))
        return Encoded(
            users.vectors,
            users.biases,
            np.array(affinity, dtype=np.float32),
            np.array(correction, dtype=np.float32),
        )

    def stars(self, users: Encoded, movie_ids: np.ndarray) -> np.ndarray:
        """[B, C] stars (1..5) for B encoded users and a [B, C] array of movie ids."""
        return self._network_stars(users, self._movie_rows(movie_ids))

    def _network_stars(self, users: Encoded, rows: np.ndarray) -> np.ndarray:
        """Stars for [B, C] movie rows: the rating head, plus the people's correction."""
        correction = (
            None if users.correction is None else np.take_along_axis(users.correction, rows, 1)
        )
        return self.rating_head.stars(
            users, self._movies.vectors[rows], self._movies.biases[rows], correction
        )

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

    def rerank(
        self,
        candidate_ids: np.ndarray,
        cosines: np.ndarray,
        k: int,
        users: Encoded | None = None,
        popularity: int = 0,
    ) -> np.ndarray:
        """The product's stage 2: [B, k] movie ids from [B, C] vector-DB candidates of the
        B `users` (their affinity, when personalized, joins the score), with their
        popularity dial at `popularity` (model.ranking.POPULARITY_STEPS)."""
        rows = self._movie_rows(candidate_ids)
        affinity = None
        if users is not None and users.affinity is not None:
            affinity = np.take_along_axis(users.affinity, rows, 1)
        policy = self.policy.dialled(popularity)
        vectors = self._movies.vectors[rows] if policy.diversity else None
        order = rerank(cosines, self._log_popularity[rows], policy, k, affinity, vectors)
        return np.take_along_axis(np.asarray(candidate_ids), order, axis=1)

    def recommend(
        self, users: Encoded, exclude_ids: list[np.ndarray], k: int, popularity: int = 0
    ) -> np.ndarray:
        """[B, k] movie ids by exact search + the same re-rank (no vector DB needed)."""
        exclude = np.zeros((len(users.vectors), len(self.movie_ids)), dtype=bool)
        for row, ids in enumerate(exclude_ids):
            rows = self._movie_rows(np.asarray(ids, dtype=np.int64))
            exclude[row, rows[rows > 0] - 1] = True
        vectors, log_pop = self._movies.vectors[1:], self._log_popularity[1:]
        affinity = None if users.affinity is None else users.affinity[:, 1:]
        policy = self.policy.dialled(popularity)
        positions = recommend_exact(users.vectors, vectors, log_pop, exclude, policy, k, affinity)
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
