"""Groups of movies for onboarding: k-means on a model's unit movie vectors.

A newcomer picks the groups they like instead of rating movies one by one; each group's
best-known movies then seed their fold-in (recommender.serving.user_vectors). Only well-known
movies are clustered (the `pool` most rated): a group is shown by titles people recognise,
and obscure movies' vectors, trained on few ratings, would only blur the centroids.

Spherical k-means (cosine, centroids renormalised), k-means++ start from a fixed seed: the
same vectors and counts always give the same groups, in the same order (most-rated first).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

GROUP_COUNT = 6
GROUP_POOL = 600
GROUP_ITERATIONS = 30
GROUP_SEED = 0
SHOWN_TITLES = 5
# The pseudo-ratings a pick stands for: the group's most-rated movies. More than are shown,
# so a pick says more than five titles, fewer than the whole group, whose tail is less sure.
SEED_MOVIES = 8
DOMINANT_GENRES = 3


@dataclass(frozen=True)
class MovieGroup:
    members: np.ndarray  # [G] catalog positions, most rated first
    genres: tuple[str, ...]  # dominant genres, most frequent first

    @property
    def shown(self) -> np.ndarray:
        return self.members[:SHOWN_TITLES]

    @property
    def seeds(self) -> np.ndarray:
        return self.members[:SEED_MOVIES]


def movie_groups(
    vectors: np.ndarray,
    counts: np.ndarray,
    genres: Sequence[Sequence[str]],
    k: int = GROUP_COUNT,
    pool: int = GROUP_POOL,
    seed: int = GROUP_SEED,
) -> list[MovieGroup]:
    """k groups of the `pool` most-rated movies, from unit `vectors` [M, D], rating `counts`
    [M] and each movie's `genres` (all by catalog position); fewer when fewer movies."""
    counts = np.asarray(counts)
    order = np.lexsort((np.arange(len(counts)), -counts))  # most rated, ties by position
    popular = order[: min(pool, len(counts))]
    labels = _kmeans(np.asarray(vectors, np.float64)[popular], min(k, len(popular)), seed)
    groups = []
    for label in range(labels.max() + 1 if len(labels) else 0):
        members = popular[labels == label]  # still most rated first
        if len(members):
            groups.append(MovieGroup(members, _dominant(genres, members, popular)))
    # The order the person sees: the group with the best-known movies first.
    return sorted(groups, key=lambda group: (-counts[group.members].sum(), group.members[0]))


def group_of(vectors: np.ndarray, groups: list[MovieGroup]) -> np.ndarray:
    """For each unit vector [N, D], the index of the group whose centroid is closest."""
    centroids = np.stack([_unit(vectors[group.members].mean(axis=0)) for group in groups])
    return (np.asarray(vectors) @ centroids.T).argmax(axis=1)


def _kmeans(points: np.ndarray, k: int, seed: int) -> np.ndarray:
    """Labels [N] in 0..k-1 for unit `points` [N, D]."""
    if k == 0:
        return np.zeros(0, np.int64)
    rng = np.random.default_rng(seed)
    centroids = _plus_plus(points, k, rng)
    labels = np.full(len(points), -1)
    for _ in range(GROUP_ITERATIONS):
        new_labels = (points @ centroids.T).argmax(axis=1)
        if np.array_equal(new_labels, labels):
            break
        labels = new_labels
        for label in range(k):
            members = points[labels == label]
            # An emptied group restarts at the point its centroid describes worst.
            centroids[label] = (
                _unit(members.mean(axis=0))
                if len(members)
                else points[(points * centroids[labels]).sum(axis=1).argmin()]
            )
    return labels


def _plus_plus(points: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """k-means++ start: each next centroid drawn in proportion to its cosine distance from
    the nearest one chosen so far."""
    chosen = [int(rng.integers(len(points)))]
    distance = 1.0 - points @ points[chosen[0]]
    for _ in range(1, k):
        weights = np.clip(distance, 0.0, None)
        total = weights.sum()
        index = int(rng.choice(len(points), p=weights / total)) if total > 0 else len(chosen)
        chosen.append(index)
        distance = np.minimum(distance, 1.0 - points @ points[index])
    return points[chosen].copy()


def _dominant(
    genres: Sequence[Sequence[str]], members: np.ndarray, pool: np.ndarray
) -> tuple[str, ...]:
    """The genres whose share of the group most exceeds their share of the pool, ties by
    name. By plain frequency nearly every group would read "Drama, Comedy"."""
    in_group = Counter(genre for position in members for genre in genres[position])
    in_pool = Counter(genre for position in pool for genre in genres[position])
    excess = {
        genre: count / len(members) - in_pool[genre] / len(pool)
        for genre, count in in_group.items()
    }
    ranked = sorted((item for item in excess.items() if item[1] > 0), key=lambda i: (-i[1], i[0]))
    return tuple(genre for genre, _ in ranked[:DOMINANT_GENRES])


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = np.linalg.norm(vector)
    return vector / norm if norm > 0 else vector


# What a picked group's seed movie counts as in the fold-in: a liked movie (at or above
# the retrieval positives' threshold), short of a real five.
PICK_STARS = 4.5


def ratings_with_picks(
    movie_ids: np.ndarray, stars: np.ndarray, picked_ids: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """A person's ratings plus their picked groups' seed movies as PICK_STARS
    pseudo-ratings; a real rating of the same movie wins."""
    movie_ids = np.asarray(movie_ids, np.int64)
    extra = np.setdiff1d(np.asarray(picked_ids, np.int64), movie_ids)
    return (
        np.concatenate([movie_ids, extra]),
        np.concatenate(
            [np.asarray(stars, np.float32), np.full(len(extra), PICK_STARS, np.float32)]
        ),
    )
