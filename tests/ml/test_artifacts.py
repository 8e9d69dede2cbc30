import json

import numpy as np
import paddle
import pytest

from recommender.model.config import ModelConfig
from recommender.training.data import random_split
from recommender.training.evaluation import rating_metrics
from recommender.training.inputs import movie_features, user_features


def test_artifact_is_self_describing(train_result):
    directory = train_result.artifact_dir
    config = ModelConfig.from_dict(json.loads((directory / "config.json").read_text()))
    assert config == ModelConfig.tiny()
    assert json.loads((directory / "metrics.json").read_text())["metrics"] == train_result.metrics
    snapshot = json.loads((directory / "data_snapshot.json").read_text())
    assert snapshot["ratings"] == 60 * 40
    assert snapshot["max_timestamp"] > 0


def test_reloaded_model_reproduces_the_held_out_rmse(synthetic, train_result, scoring_model):
    _, test = random_split(synthetic, ModelConfig.tiny().test_fraction, ModelConfig.tiny().seed)
    predicted = scoring_model.predict(test.user_ids, test.movie_ids)
    rmse = rating_metrics(predicted, test.stars)["rmse"]
    assert rmse == pytest.approx(train_result.metrics["model_rmse"], abs=1e-6)


def _run_exported(artifact_dir, tower: str, inputs: tuple[np.ndarray, ...]):
    exported = paddle.jit.load(str(artifact_dir / "export" / tower))
    vectors, biases = exported(*[paddle.to_tensor(a) for a in inputs])
    return vectors.numpy(), biases.numpy()


def test_exported_user_tower_matches_the_loaded_model(train_result, scoring_model, synthetic):
    demographics = (synthetic.gender[:5], synthetic.age[:5], synthetic.occupation[:5])
    ids = np.array([1, 2, 3, 4, 999_999])  # the last is unknown: index 0
    inputs = user_features(scoring_model.vocab, ids, *demographics).take(np.arange(5))
    vectors, biases = _run_exported(train_result.artifact_dir, "user_tower", inputs)
    expected = scoring_model.encode_users(ids, *demographics)
    np.testing.assert_allclose(vectors, expected.vectors, atol=1e-6)
    np.testing.assert_allclose(biases, expected.biases, atol=1e-6)


def test_exported_movie_tower_matches_the_loaded_model(train_result, scoring_model, synthetic):
    config = scoring_model.config
    ids, titles, genres = synthetic.movie_table_ids, synthetic.titles, synthetic.genres
    inputs = movie_features(scoring_model.vocab, config, ids, titles, genres).take(
        np.arange(len(ids))
    )
    vectors, biases = _run_exported(train_result.artifact_dir, "movie_tower", inputs)
    expected = scoring_model.movie_encodings(ids)
    np.testing.assert_allclose(vectors, expected.vectors, atol=1e-6)
    np.testing.assert_allclose(biases, expected.biases, atol=1e-6)


def test_movie_vectors_are_unit_length_for_the_whole_catalog(scoring_model, synthetic):
    ids, vectors = scoring_model.movie_vectors()
    np.testing.assert_array_equal(ids, np.sort(synthetic.movie_table_ids))
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_unknown_users_and_movies_still_get_stars(scoring_model):
    stars = scoring_model.predict(
        [999_999, 1], [1, 999_999], gender=[0, 1], age=[25, 1], occupation=[4, 0]
    )
    assert np.all((stars >= 1) & (stars <= 5))
    with pytest.raises(ValueError, match="pass their demographics"):
        scoring_model.predict([999_999], [1])


def test_rerank_of_vector_db_candidates_matches_exact_recommend(scoring_model, synthetic):
    user = scoring_model.encode_users([1], [0], [25], [4])
    ids, vectors = scoring_model.movie_vectors()
    cosines = vectors @ user.vectors[0]
    top = np.argsort(-cosines)[: scoring_model.policy.overfetch]  # what the vector DB returns
    from_candidates = scoring_model.rerank(ids[top][None], cosines[top][None], k=10)
    assert from_candidates.tolist() == scoring_model.recommend(user, [np.array([])], k=10).tolist()
    stars = scoring_model.stars(user, from_candidates)
    assert stars.shape == (1, 10)
    assert np.all((stars >= 1) & (stars <= 5))
