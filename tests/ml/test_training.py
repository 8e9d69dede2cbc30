import dataclasses

from recommender.model.config import ModelConfig
from recommender.training.pipeline import train_and_evaluate


def test_tiny_model_beats_the_baselines(train_result):
    metrics = train_result.metrics
    assert metrics["model_rmse"] < metrics["global_mean_rmse"] - 0.1
    assert metrics["model_rmse"] < metrics["movie_mean_rmse"]
    assert metrics["model_recall@10"] > metrics["popular_recall@10"]
    assert metrics["model_ndcg@10"] > metrics["popular_ndcg@10"]


def test_book_variant_trains_and_beats_the_global_mean(synthetic, tmp_path):
    result = train_and_evaluate(synthetic, ModelConfig.tiny("book"), tmp_path)
    assert result.metrics["model_rmse"] < result.metrics["global_mean_rmse"]


def test_same_data_and_seed_give_the_same_metrics(synthetic, tmp_path):
    config = dataclasses.replace(ModelConfig.tiny(), epochs=3, dropout=0.2)  # seeded dropout too
    first = train_and_evaluate(synthetic, config, tmp_path / "first")
    second = train_and_evaluate(synthetic, config, tmp_path / "second")
    assert first.metrics == second.metrics
    assert [e.train_loss for e in first.history] == [e.train_loss for e in second.history]
    other_seed = train_and_evaluate(synthetic, dataclasses.replace(config, seed=1), tmp_path / "o")
    assert other_seed.metrics != first.metrics


def test_progress_reports_every_step(synthetic, tmp_path):
    calls = []
    config = dataclasses.replace(ModelConfig.tiny(), epochs=2, patience=5)
    train_and_evaluate(synthetic, config, tmp_path, progress=lambda *call: calls.append(call))
    steps = calls[0][2]
    assert [(epoch, step) for epoch, step, _, _ in calls] == [
        (epoch, step) for epoch in (1, 2) for step in range(1, steps + 1)
    ]
    assert all(loss > 0 for *_, loss in calls)


def test_history_and_timings_are_reported(train_result):
    assert len(train_result.history) >= 1
    assert all(epoch.seconds > 0 and epoch.val_rmse > 0 for epoch in train_result.history)
    assert train_result.timings["ratings_per_second"] > 0
    assert train_result.policy.popularity_weight in ModelConfig.tiny().popularity_weights


def test_the_cosine_schedule_falls_to_a_tenth_of_the_rate_by_the_last_epoch(synthetic, tmp_path):
    config = dataclasses.replace(ModelConfig.tiny(), epochs=4, patience=10)
    rates = [e.learning_rate for e in train_and_evaluate(synthetic, config, tmp_path).history]
    assert rates[0] == config.learning_rate
    assert rates[-1] == config.learning_rate / 10
    assert rates == sorted(rates, reverse=True)
    assert len(set(rates)) == 4
