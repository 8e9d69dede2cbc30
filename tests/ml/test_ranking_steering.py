"""The popularity dial and the diversification in the shared re-rank
(recommender.model.ranking), and how policies saved before them load."""

import numpy as np
import pytest

from recommender.model.config import ModelConfig
from recommender.model.ranking import (
    POPULARITY_STEP,
    RankingPolicy,
    diversified_positions,
    rerank,
    top_k_positions,
)


def test_the_dial_moves_only_the_popularity_weight():
    policy = RankingPolicy(200, 0.05, cooccurrence_weight=1.0, diversity=0.5)

    assert policy.dialled(0) is policy
    assert policy.dialled(-2).popularity_weight == pytest.approx(0.05 - 2 * POPULARITY_STEP)
    assert policy.dialled(2).popularity_weight == pytest.approx(0.05 + 2 * POPULARITY_STEP)
    assert policy.dialled(1).cooccurrence_weight == 1.0
    assert policy.dialled(1).diversity == 0.5


@pytest.mark.parametrize("step", [3, -3, 0.5, None])
def test_the_dial_refuses_other_steps(step):
    with pytest.raises(ValueError, match="popularity"):
        RankingPolicy(10, 0.0).dialled(step)


def test_hidden_gems_put_the_rarely_rated_movie_first():
    cosines = np.array([[0.50, 0.45]])
    log_pop = np.array([[6.0, 1.0]])  # a blockbuster and a movie rated twice
    policy = RankingPolicy(2, 0.05)

    assert rerank(cosines, log_pop, policy.dialled(2), k=2).tolist() == [[0, 1]]
    assert rerank(cosines, log_pop, policy.dialled(-2), k=2).tolist() == [[1, 0]]


def test_diversity_zero_is_the_plain_top_k():
    rng = np.random.default_rng(0)
    scores = rng.normal(size=(3, 12))
    scores[0, 3] = scores[0, 5]  # a tie keeps position order
    vectors = rng.normal(size=(3, 12, 4))

    assert (diversified_positions(scores, vectors, 0.0, 5) == top_k_positions(scores, 5)).all()


def test_diversity_skips_a_near_copy_of_the_first_pick():
    scores = np.array([[1.0, 0.95, 0.9]])
    same, other = [1.0, 0.0], [0.0, 1.0]
    vectors = np.array([[same, same, other]])

    assert diversified_positions(scores, vectors, 0.0, 2).tolist() == [[0, 1]]
    assert diversified_positions(scores, vectors, 0.5, 2).tolist() == [[0, 2]]


def test_the_greedy_order_is_a_prefix_and_padding_comes_last():
    rng = np.random.default_rng(1)
    scores = rng.normal(size=(2, 8))
    scores[:, 6:] = -np.inf  # fewer candidates than columns
    vectors = rng.normal(size=(2, 8, 3))
    vectors /= np.linalg.norm(vectors, axis=2, keepdims=True)

    longer = diversified_positions(scores, vectors, 0.3, 8)

    assert (diversified_positions(scores, vectors, 0.3, 4) == longer[:, :4]).all()
    assert sorted(longer[0, 6:].tolist()) == [6, 7]


def test_rerank_needs_the_vectors_to_diversify():
    with pytest.raises(ValueError, match="vectors"):
        rerank(np.zeros((1, 3)), np.zeros((1, 3)), RankingPolicy(3, 0.0, diversity=0.5), k=2)


def test_policies_and_configs_saved_before_diversity_rank_without_it():
    old_policy = {"overfetch": 200, "popularity_weight": 0.05, "cooccurrence_weight": 1.0}
    old_config = {k: v for k, v in ModelConfig().to_dict().items() if k != "diversity"}

    assert RankingPolicy.from_dict(old_policy).diversity == 0.0
    assert ModelConfig.from_saved(old_config).diversity == 0.0
    assert RankingPolicy.from_dict(RankingPolicy(9, 0.1, 0.5, 0.7).to_dict()).diversity == 0.7


def test_a_negative_diversity_is_refused():
    with pytest.raises(ValueError, match="diversity"):
        ModelConfig(diversity=-0.1)
