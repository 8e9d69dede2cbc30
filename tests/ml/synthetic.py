"""Synthetic MovieLens-shaped data with real structure.

Movies belong to one of four themes (genre + title words); each user likes some themes and
dislikes others, watches mostly movies of themes they like, and rates them accordingly.
"""

from __future__ import annotations

import numpy as np

from recommender.training.data import RatingsData

THEMES = (
    ("Sci-Fi", ("space", "star", "robot")),
    ("Romance", ("love", "heart", "kiss")),
    ("Comedy", ("laugh", "fun", "silly")),
    ("Horror", ("blood", "night", "fear")),
)
USERS, MOVIES, RATINGS_PER_USER = 60, 80, 40


def movie_theme(movie_ids: np.ndarray) -> np.ndarray:
    return (np.asarray(movie_ids) - 1) % len(THEMES)


def make_synthetic(seed: int = 0) -> RatingsData:
    rng = np.random.default_rng(seed)
    taste = rng.normal(0.0, 1.0, size=(USERS, len(THEMES)))  # [user, theme] affinity
    movie_ids = np.arange(1, MOVIES + 1, dtype=np.int64)
    quality = rng.normal(0.0, 0.5, size=MOVIES)
    user_ids, rated_movies, stars = [], [], []
    for user in range(USERS):
        affinity = taste[user, movie_theme(movie_ids)] + quality
        watch = np.exp(1.5 * affinity)
        chosen = rng.choice(MOVIES, RATINGS_PER_USER, replace=False, p=watch / watch.sum())
        noise = rng.normal(0.0, 0.5, size=RATINGS_PER_USER)
        user_ids += [user + 1] * RATINGS_PER_USER
        rated_movies += list(movie_ids[chosen])
        stars += list(np.clip(np.round(3.2 + 1.2 * affinity[chosen] + noise), 1, 5))
    return RatingsData(
        user_ids=np.asarray(user_ids, dtype=np.int64),
        movie_ids=np.asarray(rated_movies, dtype=np.int64),
        stars=np.asarray(stars, dtype=np.float32),
        timestamps=np.arange(len(stars), dtype=np.int64) + 978_300_000,
        user_table_ids=np.arange(1, USERS + 1, dtype=np.int64),
        gender=rng.integers(0, 2, USERS).astype(np.int64),
        age=rng.choice([1, 18, 25, 35, 45, 50, 56], USERS).astype(np.int64),
        occupation=rng.integers(0, 21, USERS).astype(np.int64),
        movie_table_ids=movie_ids,
        titles=[_title(movie, rng) for movie in movie_ids],
        genres=[[THEMES[t][0]] for t in movie_theme(movie_ids)],
    )


def _title(movie_id: int, rng: np.random.Generator) -> str:
    words = THEMES[movie_theme(movie_id)][1]
    return f"{' '.join(rng.choice(words, 2))} {movie_id} ({1980 + movie_id % 20})"
