"""movie_groups: k-means on unit movie vectors, deterministic, described by genres."""

import numpy as np

from recommender.scoring.groups import (
    PICK_STARS,
    SHOWN_TITLES,
    group_of,
    movie_groups,
    ratings_with_picks,
)


def _three_blobs(per_blob: int = 40):
    """Unit vectors around three orthogonal axes; blob b's movies are all genre G{b}."""
    rng = np.random.default_rng(7)
    axes = np.eye(3, 8)
    vectors = np.concatenate([axis + 0.1 * rng.standard_normal((per_blob, 8)) for axis in axes])
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    blob = np.repeat(np.arange(3), per_blob)
    genres = [[f"G{b}", "Drama"] for b in blob]
    counts = rng.integers(1, 1000, len(vectors))
    return vectors, counts, genres, blob


def test_it_finds_the_blobs_with_their_genres_and_best_known_titles():
    vectors, counts, genres, blob = _three_blobs()

    groups = movie_groups(vectors, counts, genres, k=3)

    assert len(groups) == 3
    for group in groups:
        assert len(set(blob[group.members])) == 1  # one blob per group
        # Drama is in every movie: shared by the pool, it marks no group.
        assert group.genres == (f"G{blob[group.members[0]]}",)
        assert (np.diff(counts[group.members]) <= 0).all()  # most rated first
        assert len(group.shown) == SHOWN_TITLES
    totals = [counts[group.members].sum() for group in groups]
    assert totals == sorted(totals, reverse=True)


def test_it_is_deterministic():
    vectors, counts, genres, _ = _three_blobs()

    first = movie_groups(vectors, counts, genres, k=4)
    second = movie_groups(vectors.copy(), counts.copy(), genres, k=4)

    assert [g.members.tolist() for g in first] == [g.members.tolist() for g in second]


def test_it_clusters_only_the_most_rated_pool():
    vectors, counts, genres, _ = _three_blobs()

    groups = movie_groups(vectors, counts, genres, k=3, pool=30)

    members = np.concatenate([group.members for group in groups])
    assert sorted(members.tolist()) == sorted(np.argsort(-counts, kind="stable")[:30].tolist())


def test_every_movie_has_a_nearest_group():
    vectors, counts, genres, blob = _three_blobs()
    groups = movie_groups(vectors, counts, genres, k=3)

    nearest = group_of(vectors, groups)

    for number, group in enumerate(groups):
        assert set(blob[nearest == number]) == {blob[group.members[0]]}


def test_picks_join_the_ratings_and_a_real_rating_wins():
    ids, stars = ratings_with_picks(np.array([5, 6]), np.array([2.0, 4.0]), np.array([6, 7]))

    assert ids.tolist() == [5, 6, 7]
    assert stars.tolist() == [2.0, 4.0, PICK_STARS]
