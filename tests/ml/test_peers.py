"""The benchmark's classic peers (bench/train): right maths, and better than chance or the mean
on the synthetic data's planted themes."""

import numpy as np
import pytest

from bench.train.factorization import (
    RatedColumns,
    als_half_step,
    biased_mf,
    implicit_als,
    scatter_add,
)
from bench.train.peers import (
    Split,
    als_peer,
    biased_mf_peer,
    ease_peer,
    model_split,
    ranking_of,
)
from recommender.model.config import ModelConfig
from recommender.training.data import random_split
from recommender.training.evaluation import rating_metrics


@pytest.fixture(scope="module")
def split(synthetic) -> Split:
    return model_split(synthetic, ModelConfig.tiny(), held_out=None)


def _chance_and_popular(split: Split) -> tuple[float, float]:
    """Recall@10 of random scores (mean of 5 draws) and of most-popular, on the test split."""
    rng = np.random.default_rng(0)
    random_recalls = [
        ranking_of(lambda users: rng.random((len(users), split.movies)), split.known,
                   split.test, split.movies)["recall@10"]
        for _ in range(5)
    ]  # fmt: skip
    counts = np.bincount(split.known.movie_rows, minlength=split.movies).astype(float)
    popular = ranking_of(
        lambda users: np.tile(counts, (len(users), 1)), split.known, split.test, split.movies
    )
    return float(np.mean(random_recalls)), popular["recall@10"]


def test_the_split_is_the_models(synthetic):
    config = ModelConfig.tiny()
    split = model_split(synthetic, config, held_out=None)
    known, test = random_split(synthetic, config.test_fraction, config.seed)
    fit, val = random_split(known, config.val_fraction, config.seed + 1)
    assert (len(split.known), len(split.test)) == (len(known), len(test))
    assert (len(split.fit), len(split.val)) == (len(fit), len(val))
    np.testing.assert_array_equal(split.test.stars, test.stars)
    assert (split.users, split.movies) == (60, 80)


def test_a_held_out_mask_replaces_the_random_split(synthetic):
    mask = np.arange(len(synthetic)) >= len(synthetic) - 100
    split = model_split(synthetic, ModelConfig.tiny(), held_out=mask)
    np.testing.assert_array_equal(split.test.stars, synthetic.stars[-100:])


def test_ease_ranks_better_than_chance_and_popularity(split):
    # Themes decide what people watch: co-occurrence finds them (0.83 vs 0.24 and 0.57).
    chance, popular = _chance_and_popular(split)
    result = ease_peer(split, grid=(5.0, 50.0))
    assert result.params["l2"] in (5.0, 50.0)
    assert set(result.validation) == {"5.0", "50.0"}
    assert result.metrics["recall@10"] > max(2 * chance, popular + 0.1)
    assert result.fit_seconds > 0


def test_als_with_the_planted_rank_ranks_better_than_chance_and_popularity(split):
    # Four themes, four factors (0.87 vs 0.24 and 0.57); 64 factors on 60 people would only
    # reproduce what they rated.
    chance, popular = _chance_and_popular(split)
    result = als_peer(split, grid=(1.0, 5.0), factors=4)
    assert result.params["alpha"] in (1.0, 5.0)
    assert result.metrics["recall@10"] > max(2 * chance, popular + 0.1)


def test_a_grid_of_one_is_not_tuned(split):
    result = als_peer(split, grid=(1.0,), factors=2)
    assert (result.params, result.validation, result.tune_seconds) == ({"alpha": 1.0}, {}, 0.0)


def test_biased_mf_predicts_better_than_the_global_mean(split):
    result = biased_mf_peer(split)
    mean = np.full(len(split.test), split.known.stars.mean())
    assert result.metrics["rmse"] < 0.9 * rating_metrics(mean, split.test.stars)["rmse"]
    assert {"mae", "recall@10", "ndcg@10"} <= set(result.metrics)


def test_biased_mf_leaves_out_what_it_never_saw(split):
    model = biased_mf(split.known, users=split.users + 1, movies=split.movies, epochs=1)
    assert not model.user_factors[-1].any()
    assert model.user_bias[-1] == 0.0


@pytest.mark.parametrize("alpha", [1.0, 4.0])
def test_an_als_half_step_solves_the_weighted_least_squares_exactly(alpha):
    rng = np.random.default_rng(1)
    rated = rng.random((5, 7)) < 0.4  # [users, movies]
    movie_factors = rng.normal(size=(7, 3))
    users, movies = np.nonzero(rated)
    solved = als_half_step(RatedColumns(users, movies, 5), movie_factors, 0.1, alpha)
    for user in range(5):
        confidence = np.where(rated[user], alpha, 1.0)
        weighted = movie_factors.T * confidence  # [F, M]
        expected = np.linalg.solve(
            weighted @ movie_factors + 0.1 * np.eye(3), weighted @ rated[user].astype(float)
        )
        np.testing.assert_allclose(solved[user], expected, atol=1e-10)


def test_als_fits_a_planted_low_rank_pattern():
    # Two groups of users, each rating its own half of the movies: one factor separates them.
    users, movies = np.meshgrid(np.arange(20), np.arange(10), indexing="ij")
    own_half = (users < 10) == (movies < 5)
    factors = implicit_als(users[own_half], movies[own_half], users=20, movies=10, factors=2)
    scores = factors.users @ factors.movies.T
    assert scores[own_half].min() > scores[~own_half].max()


def test_scatter_add_sums_repeated_rows_like_add_at():
    rng = np.random.default_rng(2)
    rows, values = rng.integers(0, 4, 50), rng.normal(size=(50, 3))
    expected, table = np.ones((6, 3)), np.ones((6, 3))
    np.add.at(expected, rows, values)
    scatter_add(table, rows, values)
    np.testing.assert_allclose(table, expected)
