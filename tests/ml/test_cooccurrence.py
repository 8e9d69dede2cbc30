"""The neighbourhood stage's closed-form weights, their sparse rows and serving's copy."""

import numpy as np
import pytest

from recommender.model.cooccurrence import SparseRows, ease_weights, item_weights
from recommender.scoring.neighbourhood import NEIGHBOURHOOD_FILE, Neighbourhood
from recommender.training.neighbourhood import FittedNeighbourhood


def _random_ratings(rng, users=40, movies=12, per_user=5):
    pairs = {(u, m) for u in range(users) for m in rng.choice(movies, per_user, replace=False)}
    user_rows, movie_rows = (np.array(column) for column in zip(*sorted(pairs), strict=True))
    return user_rows, movie_rows


def test_each_column_is_the_ridge_regression_on_the_other_movies():
    rng = np.random.default_rng(0)
    matrix = rng.normal(size=(50, 8)).astype(np.float32)
    weights = item_weights(matrix, l2=3.0)
    assert np.all(np.diag(weights) == 0)
    for movie in range(8):
        others = [m for m in range(8) if m != movie]
        x = matrix[:, others].astype(np.float64)
        ridge = np.linalg.solve(x.T @ x + 3.0 * np.eye(7), x.T @ matrix[:, movie])
        np.testing.assert_allclose(weights[others, movie], ridge, rtol=1e-4, atol=1e-5)


def test_cooccurrence_ranks_the_movie_watched_with_yours_first():
    # Everyone who rated movie 0 also rated movie 1; movie 2 goes with movie 3.
    users = np.repeat(np.arange(20), 2)
    movies = np.array([0, 1] * 10 + [2, 3] * 10)
    weights = ease_weights(users, movies, users=20, movies=4, l2=1.0)
    affinity = SparseRows.strongest(weights, kept=4).combine(np.array([0]), np.ones(1), 4)
    assert affinity.argmax() == 1
    assert affinity[1] > 0
    assert affinity[3] == pytest.approx(0, abs=1e-6)


def test_sparse_rows_keep_the_strongest_weights_and_combine_like_the_dense_matrix():
    rng = np.random.default_rng(1)
    dense = rng.normal(size=(6, 6)).astype(np.float32)
    rows = SparseRows.strongest(dense, kept=3)
    kept = rows.dense(6)
    for row in range(6):
        strongest = set(np.argsort(-np.abs(dense[row]))[:3])
        assert set(np.flatnonzero(kept[row])) == strongest
    rated, values = np.array([1, 4]), np.array([0.5, -2.0], np.float32)
    np.testing.assert_allclose(rows.combine(rated, values, 6), values @ kept[rated], rtol=1e-6)


def test_serving_copy_moves_rows_to_catalog_positions_and_round_trips(tmp_path):
    rng = np.random.default_rng(2)
    user_rows, movie_rows = _random_ratings(rng)
    weights = ease_weights(user_rows, movie_rows, users=40, movies=12, l2=2.0)
    fitted = FittedNeighbourhood(
        SparseRows.strongest(weights, 5), SparseRows.strongest(-weights, 5)
    )
    order = rng.permutation(12)  # catalog position p holds training row order[p]
    served = fitted.serving(residual_weight=1.5, order=order)
    served.save(tmp_path)
    loaded = Neighbourhood.load(tmp_path, movies=12)

    rated_rows = np.array([3, 7])
    errors = np.array([1.0, -0.5], np.float32)
    position_of = np.argsort(order)
    terms = loaded.person_terms(position_of[rated_rows], errors)
    expected_affinity = fitted.cooccurrence.combine(rated_rows, np.ones(2), 12)
    expected_correction = 1.5 * fitted.residuals.combine(rated_rows, errors, 12)
    np.testing.assert_allclose(terms.affinity, expected_affinity[order], rtol=1e-6)
    np.testing.assert_allclose(terms.correction, expected_correction[order], rtol=1e-6)


def test_a_model_without_the_file_has_no_neighbourhood_and_a_wrong_file_is_refused(tmp_path):
    assert Neighbourhood.load(tmp_path, movies=5) is None
    rows = SparseRows(np.zeros((4, 2), np.int32), np.zeros((4, 2), np.float32))
    Neighbourhood(rows, rows, 1.0).save(tmp_path)
    assert (tmp_path / NEIGHBOURHOOD_FILE).exists()
    with pytest.raises(ValueError, match="catalog of 5 movies"):
        Neighbourhood.load(tmp_path, movies=5)
