"""The serving-side view of a saved artifact: vectors, stars and the ranking function.

Typical product flow for one user:
  user = model.encode_users([uid], [gender], [age], [occupation])
  ids, cosines = <vector DB search of user.vectors, top model.policy.overfetch>
  top_ids = model.rerank(ids, cosines, k=10)
  stars = model.stars(user, top_ids)
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..model.cpu import configure_cpu
from ..model.ranking import RankingPolicy, log_popularity, recommend_exact, rerank
from ..model.vocab import IdVocabulary
from .artifacts import ModelBundle, load_bundle
from .encoding import STARS_MAX, STARS_MIN, Encoded, encode_movies, encode_users, to_tensors
from .inputs import MovieFeatures, movie_features, user_features


def load_model(artifact_dir: Path | str) -> TrainedModel:
    configure_cpu()
    return TrainedModel(load_bundle(Path(artifact_dir)))


class TrainedModel:
    def __init__(self, bundle: ModelBundle) -> None:
        self.bundle = bundle
        self.config, self.vocab, self.net = bundle.config, bundle.vocab, bundle.net
        self.policy: RankingPolicy = bundle.policy
        # Serving never trains: no autograd bookkeeping for the weights.
        for parameter in self.net.parameters():
            parameter.stop_gradient = True
        self._index_catalogue(bundle.catalogue)
        self._index_users(bundle.users)

    def _index_catalogue(self, catalogue: dict[str, list]) -> None:
        order = np.argsort(np.asarray(catalogue["movie_ids"], dtype=np.int64), kind="stable")
        self.movie_ids = np.asarray(catalogue["movie_ids"], dtype=np.int64)[order]
        # Catalogue position + 1 → row; row 0 is an all-padding movie for unknown ids.
        self._catalogue_index = IdVocabulary(self.movie_ids)
        features = movie_features(
            self.vocab,
            self.config,
            self.movie_ids,
            [catalogue["titles"][i] for i in order],
            [catalogue["genres"][i] for i in order],
        )
        self._encoded_movies = encode_movies(self.net, _with_padding_row(features))
        counts = np.asarray(catalogue["rating_counts"])[order]
        self._log_popularity = log_popularity(np.concatenate([[0], counts]))

    def _index_users(self, users: dict[str, list]) -> None:
        self._known_users = IdVocabulary(np.asarray(users["user_ids"], dtype=np.int64))
        order = np.argsort(users["user_ids"], kind="stable")
        self._demographics = {k: np.asarray(users[k], np.int64)[order] for k in users}

    def encode_users(self, user_ids, gender, age, occupation) -> Encoded:
        """Unit vectors [B, D] and rating biases [B]; unknown ids use demographics only."""
        features = user_features(self.vocab, user_ids, gender, age, occupation)
        return encode_users(self.net, features)

    def user_vectors(self, user_ids, gender, age, occupation) -> np.ndarray:
        return self.encode_users(user_ids, gender, age, occupation).vectors

    def movie_vectors(self) -> tuple[np.ndarray, np.ndarray]:
        """(catalogue movie ids [M], unit vectors [M, D] float32) for the vector DB."""
        return self.movie_ids, self._encoded_movies.vectors[1:]

    def catalogue_encodings(self) -> Encoded:
        """Unit vectors and rating biases of the catalogue, in `movie_ids` order."""
        return Encoded(self._encoded_movies.vectors[1:], self._encoded_movies.biases[1:])

    def catalogue_positions(self, movie_ids) -> np.ndarray:
        """Position of each id in `movie_ids`, -1 for movies not in the catalogue."""
        return self._movie_rows(movie_ids) - 1

    def movie_encodings(self, movie_ids) -> Encoded:
        """Like catalogue_encodings for given ids (unknown ids: the all-padding movie)."""
        rows = self._movie_rows(movie_ids)
        return Encoded(self._encoded_movies.vectors[rows], self._encoded_movies.biases[rows])

    def stars(self, users: Encoded, movie_ids: np.ndarray) -> np.ndarray:
        """[B, C] stars (1..5) for B encoded users and a [B, C] array of movie ids."""
        rows = self._movie_rows(movie_ids)  # [B, C]
        movies = self._encoded_movies
        predicted = self.net.stars(
            *to_tensors(
                users.vectors[:, None],
                movies.vectors[rows],
                users.biases[:, None],
                movies.biases[rows],
            )
        )
        return np.clip(predicted.numpy(), STARS_MIN, STARS_MAX)

    def predict(self, user_ids, movie_ids, gender=None, age=None, occupation=None) -> np.ndarray:
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
        vectors, log_pop = self._encoded_movies.vectors[1:], self._log_popularity[1:]
        positions = recommend_exact(users.vectors, vectors, log_pop, exclude, self.policy, k)
        return self.movie_ids[positions]

    def _movie_rows(self, movie_ids) -> np.ndarray:
        return self._catalogue_index.lookup(movie_ids)

    def _stored_demographics(self, user_ids) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        index = self._known_users.lookup(user_ids)
        if (index == 0).any():
            unknown = np.asarray(user_ids)[index == 0]
            raise ValueError(f"users {unknown.tolist()} unknown: pass their demographics")
        rows = index - 1
        return tuple(self._demographics[k][rows] for k in ("gender", "age", "occupation"))


def _with_padding_row(movies: MovieFeatures) -> MovieFeatures:
    def padded(values: np.ndarray) -> np.ndarray:
        return np.concatenate([np.zeros((1, *values.shape[1:]), values.dtype), values])

    return MovieFeatures(padded(movies.movie), padded(movies.genres), padded(movies.title))
