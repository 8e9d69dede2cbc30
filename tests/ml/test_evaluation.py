import numpy as np
import pytest

from recommender.model.ranking import RankingPolicy, recommend_exact, rerank
from recommender.training.evaluation import (
    baseline_predictions,
    popular_top_k,
    ranking_metrics,
    ranking_protocol,
    rating_metrics,
)
from recommender.training.inputs import RatingRows


def _rows(users, movies, stars) -> RatingRows:
    return RatingRows(np.array(users), np.array(movies), np.array(stars, dtype=np.float32))


def test_rating_metrics_by_hand():
    metrics = rating_metrics(np.array([1.0, 2.0, 3.0]), np.array([2.0, 2.0, 5.0]))
    assert metrics["rmse"] == pytest.approx(np.sqrt(5 / 3))
    assert metrics["mae"] == pytest.approx(1.0)


def test_ranking_metrics_by_hand():
    relevant = np.zeros((2, 5), dtype=bool)
    relevant[0, [1, 2, 3]] = True
    relevant[1, 4] = True
    metrics = ranking_metrics(np.array([[1, 0], [0, 4]]), relevant)
    # user 0: 1 of 3 found at rank 1 (at most 2 could be); user 1: its one found at rank 2.
    assert metrics["recall@2"] == pytest.approx((1 / 3 + 1) / 2)
    assert metrics["capped_recall@2"] == pytest.approx((1 / 2 + 1) / 2)
    ndcg_user0 = 1.0 / (1.0 + 1.0 / np.log2(3))
    ndcg_user1 = 1.0 / np.log2(3)
    assert metrics["ndcg@2"] == pytest.approx((ndcg_user0 + ndcg_user1) / 2)


def test_baselines_fall_back_to_the_global_mean():
    train = _rows([0, 0, 1], [0, 1, 0], [4, 2, 5])
    test = _rows([1, 1], [1, 2], [3, 3])
    predictions = baseline_predictions(train, test, movie_count=3)
    assert predictions["global_mean"].tolist() == pytest.approx([11 / 3, 11 / 3])
    assert predictions["movie_mean"].tolist() == pytest.approx([2.0, 11 / 3])


def test_protocol_ranks_users_with_liked_held_out_movies_only():
    known = _rows([0, 1], [0, 2], [5, 5])
    held_out = _rows([0, 0, 1], [1, 2, 0], [5, 3, 2])
    users, known_mask, relevant = ranking_protocol(known, held_out, movie_count=3)
    assert users.tolist() == [0]
    assert known_mask.tolist() == [[True, False, False]]
    assert relevant.tolist() == [[False, True, False]]


def test_popular_skips_known_movies():
    known = np.array([[False, False, True, False]])
    assert popular_top_k(np.array([5, 3, 9, 1]), known)[0, :2].tolist() == [0, 1]


def _unit_vectors(cosines: list[float]) -> np.ndarray:
    cosines = np.array(cosines, dtype=np.float32)
    return np.stack([cosines, np.sqrt(1 - cosines**2)], axis=1)


def test_recommend_reranks_only_the_overfetched_candidates():
    user = np.array([[1.0, 0.0]], dtype=np.float32)
    movies = _unit_vectors([0.9, 0.8, 0.1, 0.5])
    log_pop = np.array([0.0, 0.0, 10.0, 1.0], dtype=np.float32)
    exclude = np.array([[True, False, False, False]])
    policy = RankingPolicy(overfetch=2, popularity_weight=0.5)
    # Stage 1 keeps movies 1 (0.8) and 3 (0.5); popular movie 2 is not a candidate.
    # Stage 2: 0.8 + 0 < 0.5 + 0.5·1, so 3 moves first.
    assert recommend_exact(user, movies, log_pop, exclude, policy, k=2).tolist() == [[3, 1]]
    no_popularity = RankingPolicy(overfetch=2, popularity_weight=0.0)
    assert recommend_exact(user, movies, log_pop, exclude, no_popularity, k=2).tolist() == [[1, 3]]


def test_rerank_sorts_padded_candidates_last():
    cosines = np.array([[0.2, -np.inf, 0.3]])
    order = rerank(cosines, np.zeros((1, 3)), RankingPolicy(3, 0.1), k=3)
    assert order.tolist() == [[2, 0, 1]]


def test_the_evaluation_says_what_each_dial_step_trades(evaluated_result):
    metrics = evaluated_result.metrics

    assert metrics["dial+0_recall@10"] == metrics["model_recall@10"]
    assert metrics["dial+0_capped_recall@10"] == metrics["model_capped_recall@10"]
    popularity = [metrics[f"dial{step:+d}_log_popularity"] for step in (-2, -1, 0, 1, 2)]
    assert popularity == sorted(popularity)
    assert popularity[0] < popularity[-1]
    assert metrics["dial-2_coverage"] > metrics["dial+2_coverage"]
    assert all(0 < metrics[f"dial{step:+d}_coverage"] <= 1 for step in (-2, -1, 0, 1, 2))


def test_list_metrics_by_hand():
    from recommender.training.evaluation import list_metrics

    relevant = np.zeros((2, 4), dtype=bool)
    relevant[0, 1] = relevant[1, 3] = True
    counts = np.array([0, 1, 3, 7])

    metrics = list_metrics(np.array([[1, 2], [2, 0]]), relevant, counts)

    assert metrics["recall@2"] == pytest.approx(0.5)
    assert metrics["coverage"] == pytest.approx(3 / 4)
    assert metrics["log_popularity"] == pytest.approx(np.mean(np.log1p([1, 3, 3, 0])))
